// #/alerts: production alerts with the API's filters, each with the pumper's reason from the day's reading,
// and acknowledging one with a note (also on the dashboard). Alerts are cards, one under another: on a phone
// nothing scrolls sideways; on a desktop each card lays its facts out in a row.

import { get, post } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, values, showErrors, busy, badge, flash, header, useStyle } from "../../lib/ui.js";
import { setQuery } from "../../lib/router.js";
import { PAGE, options, filtersForm, pages } from "../../lib/lists.js";
import { day, moment, decimal, words, wellName } from "../../lib/format.js";

const ALERT_KINDS = {
  missing_reading: "Missing reading",
  zero_hours: "Zero hours",
  below_expectation: "Below expectation",
  tank_high: "Tank high",
  negative_stock: "Negative stock",
  tank_balance_gap: "Tank off balance",
  tank_gauge_stale: "Gauge not moving",
};

/** What the pumper recorded for the alert's well and day: hours on, the downtime reason, the comments. */
export function reasonOf(alert) {
  const reading = alert.reading;
  if (!alert.well_id) return null;
  if (!reading) return alert.kind === "missing_reading" ? null : "No reading recorded for the day.";
  const parts = [];
  if (reading.hours_on != null && Number(reading.hours_on) < 24) parts.push(`on ${decimal(reading.hours_on, 1).replace(/\.0$/, "")} of 24 hours`);
  if (reading.downtime_reason) parts.push(reading.downtime_reason_label || words(reading.downtime_reason));
  if (reading.comments) parts.push(`“${reading.comments}”`);
  return parts.length ? `Pumper: ${parts.join(" · ")}` : "Pumper gave no reason.";
}

/**
 * The alerts as cards. An acknowledged alert's card is redrawn in place with its note; `onAcknowledged`
 * (optional) runs after.
 */
export function alertsList(alerts, ctx, wellNames, onAcknowledged, caption) {
  if (!alerts.length) return h("p.empty", "No alerts here.");
  const canWrite = ctx.can("production", "write");
  const card = (a) => {
    const drawn = alertCard(a, canWrite, wellNames, (saved) => {
      drawn.replaceWith(card(saved));
      onAcknowledged?.(saved);
    });
    return drawn;
  };
  return h("div.alerts", h("ul.alert-list", { "aria-label": caption }, alerts.map(card)));
}

function alertCard(a, canWrite, wellNames, onAcknowledged) {
  const reason = reasonOf(a);
  const status = h("div.alert-status");
  if (a.acknowledged_at) {
    status.append(badge("acknowledged", "muted"), h("span.sub", ` ${moment(a.acknowledged_at)}`));
    if (a.acknowledgement_note) status.append(h("p.alert-note", h("span.sub", "Note: "), a.acknowledgement_note));
  } else if (canWrite) {
    status.append(acknowledgeControl(a, onAcknowledged));
  } else {
    status.append(badge("open", "warn"));
  }
  return h(
    "li.alert-card",
    { dataset: { alert: a.alert_id, kind: a.kind } },
    h(
      "div.alert-head",
      badge(ALERT_KINDS[a.kind] || words(a.kind), a.kind === "below_expectation" ? "bad" : "warn"),
      h("span.alert-day", day(a.day)),
      a.well_id ? h("a", { href: `#/wells/${a.well_id}` }, wellName(wellNames.get(a.well_id) || "Well")) : null,
    ),
    h("p.alert-message", a.message),
    reason ? h("p.alert-reason", reason) : null,
    status,
  );
}

/** "Acknowledge" opens a note (optional) and the button that sends it; Cancel folds it again. */
function acknowledgeControl(alert, done) {
  const opener = h("button", { type: "button", "aria-label": `Acknowledge: ${alert.message}` }, "Acknowledge");
  const form = h(
    "form.acknowledge",
    { novalidate: true, hidden: true, "aria-label": `Acknowledge: ${alert.message}` },
    field("note", "Note (what was done or found)", { kind: "textarea", hint: "Optional; kept with the alert." }),
    h("div.actions", h("button.primary", { type: "submit" }, "Acknowledge with note"), h("button", { type: "button", on: { click: () => toggle(false) } }, "Cancel")),
  );
  const toggle = (open) => {
    opener.hidden = open;
    form.hidden = !open;
    (open ? form.querySelector("textarea") : opener).focus();
  };
  opener.addEventListener("click", () => toggle(true));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form.querySelector("button[type=submit]"), async () => {
      try {
        const saved = await post(paths.alerts.acknowledge(alert.alert_id), values(form));
        flash(`Acknowledged: ${saved.message || alert.message}`);
        done?.(saved);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return h("div.acknowledge-box", opener, form);
}

export async function wellNameMap() {
  const page = await get(paths.wells.list, { limit: 200, sort: "name" });
  return new Map(page.items.map((w) => [w.id, wellName(w.name, w.number)]));
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
    alertsList(page.items, ctx, names, null, "Alerts"),
    pages({ ...page, offset, limit: PAGE, count: page.items.length }, (o) => go({ ...chosen, offset: o })),
  );
}
