// #/alerts: production alerts with the API's filters, and acknowledging one (also on the dashboard).

import { get, post } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, table, badge, flash, header, dateTime, useStyle, words } from "../../lib/ui.js";
import { setQuery } from "../../lib/router.js";
import { PAGE, options, filtersForm, pages } from "../../lib/lists.js";

const ALERT_KINDS = {
  missing_reading: "Missing reading",
  zero_hours: "Zero hours",
  below_expectation: "Below expectation",
  tank_high: "Tank high",
  negative_stock: "Negative stock",
};

export function alertsTable(alerts, ctx, wellNames, onAcknowledged, caption) {
  const canWrite = ctx.can("production", "write");
  const list = table(
    [
      { label: "Day", value: (a) => a.day },
      { label: "Kind", value: (a) => badge(ALERT_KINDS[a.kind] || words(a.kind), a.kind === "below_expectation" ? "bad" : "warn") },
      { label: "Well", value: (a) => (a.well_id ? h("a", { href: `#/wells/${a.well_id}` }, wellNames.get(a.well_id) || "Well") : "") },
      { label: "What", value: (a) => a.message },
      {
        label: "Status",
        value: (a) =>
          a.acknowledged_at
            ? h("span", badge("acknowledged", "muted"), " ", dateTime(a.acknowledged_at))
            : canWrite
              ? h("button", { type: "button", "aria-label": `Acknowledge: ${a.message}`, dataset: { alert: a.alert_id }, on: { click: (e) => acknowledge(e.currentTarget, a, onAcknowledged) } }, "Acknowledge")
              : badge("open", "warn"),
      },
    ],
    alerts,
    { empty: "No alerts here.", caption },
  );
  return h("div.alerts", list);
}

async function acknowledge(button, alert, done) {
  button.disabled = true;
  try {
    const saved = await post(paths.alerts.acknowledge(alert.alert_id), {});
    flash(`Acknowledged: ${saved.message || alert.message}`);
    done?.(saved);
  } catch (error) {
    button.disabled = false;
    flash(error.message, "bad");
  }
}

export async function wellNameMap() {
  const page = await get(paths.wells.list, { limit: 200, sort: "name" });
  return new Map(page.items.map((w) => [w.id, w.name]));
}

export async function alertsPage(main, params, ctx) {
  useStyle("/assets/styles/office.css");
  const q = ctx.query;
  const offset = Number(q.get("offset")) || 0;
  const status = q.get("status") ?? "open";
  const query = {
    kind: q.get("kind"),
    well_id: q.get("well"),
    from: q.get("from"),
    to: q.get("to"),
    acknowledged: { open: false, acknowledged: true }[status],
    limit: PAGE,
    offset,
  };
  const [names, page] = await Promise.all([wellNameMap(), get(paths.alerts.list, query)]);
  const chosen = { kind: q.get("kind"), status, well: q.get("well"), from: q.get("from"), to: q.get("to") };
  const go = (next) => {
    setQuery(next);
    ctx.navigate("/alerts", next);
  };
  const form = filtersForm(
    [
      field("kind", "Kind", { kind: "select", value: chosen.kind || "", options: options(Object.entries(ALERT_KINDS), "Any kind") }),
      field("status", "Status", { kind: "select", value: status, options: [["open", "Open"], ["acknowledged", "Acknowledged"], ["all", "All"]] }),
      field("well", "Well", { kind: "select", value: chosen.well || "", options: options([...names.entries()], "Any well") }),
      field("from", "From", { kind: "date", value: chosen.from }),
      field("to", "To", { kind: "date", value: chosen.to }),
    ],
    (v) => go({ ...v, offset: "" }),
  );
  mount(
    main,
    header("Alerts"),
    form,
    alertsTable(page.items, ctx, names, () => go({ ...chosen, offset }), "Alerts"),
    pages({ ...page, offset, limit: PAGE, count: page.items.length }, (o) => go({ ...chosen, offset: o })),
  );
}
