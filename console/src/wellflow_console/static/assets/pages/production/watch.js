// #/tank-watch: what a manager watches over the tanks and the trucks: the open tank alarms (a gauge off its
// balance, a gauge that stopped moving), one tank's daily balance, the hauler watch (each ticket against the
// tank's own balance, per hauler: mean difference, standard error, flagged when it is not noise), refused loads
// with their dispute, and the dollars downtime deferred, week by week and by reason.

import { get } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, table, header, failure, badge, useStyle } from "../../lib/ui.js";
import { day, decimal, money, words } from "../../lib/format.js";

const iso = (d) => d.toISOString().slice(0, 10);
const daysBefore = (value, n) => {
  const d = new Date(`${value}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return iso(d);
};
const bbl = (v) => (v == null ? "" : `${decimal(v, 2)} bbl`);

export async function watchPage(main, params, ctx) {
  useStyle("/assets/styles/office.css");
  const today = iso(new Date());
  const tankId = ctx.query.get("tank");
  const balanceBox = h("div.tank-balance");
  const [alarms, haulers, refused, weekly] = await Promise.all([
    get(paths.oversight.tankAlarms, { limit: 50 }),
    get(paths.oversight.haulerWatch, { from: daysBefore(today, 89), to: today }),
    get(paths.oversight.refusedLoads, { state: "open", limit: 50 }),
    get(paths.oversight.deferredWeekly, { weeks: 8 }),
  ]);
  mount(
    main,
    header("Tank watch"),
    h("h2", "Open tank alarms"),
    alarmsTable(alarms.items),
    balanceBox,
    h("h2", "Hauler watch (last 90 days)"),
    h("p.hint", "Each run ticket against its tank's balance (the pumper's gauges around it and the wells' readings). A positive mean: more oil left the tanks than the tickets show. Flagged when the mean differs from 0 at 95 % over at least 10 tickets."),
    haulerTable(haulers.items),
    h("h2", "Refused loads with an open dispute"),
    refusedTable(refused.items),
    h("h2", "Deferred dollars by week"),
    deferredWeeks(weekly.weeks),
  );
  if (tankId) {
    const anchor = alarms.items.find((a) => a.tank_id === tankId);
    const last = anchor ? anchor.day : daysBefore(today, 1);
    try {
      mount(balanceBox, tankBalance(await get(paths.oversight.tankBalance(tankId), { from: daysBefore(last, 29), to: last })));
    } catch (error) {
      mount(balanceBox, failure(error));
    }
  }
}

function alarmsTable(items) {
  return table(
    [
      { label: "Day", value: (a) => day(a.day) },
      { label: "Alarm", value: (a) => (a.kind === "tank_balance_gap" ? badge("off balance", "warn") : badge("gauge not moving", "muted")) },
      { label: "What", value: (a) => a.message },
      { label: "Gap", num: true, value: (a) => bbl(a.details?.gap_bbl) },
      { label: "", value: (a) => h("a", { href: `#/tank-watch?tank=${encodeURIComponent(a.tank_id)}` }, "Balance") },
    ],
    items,
    { empty: "Every tank is in balance.", caption: "Open tank alarms" },
  );
}

export function tankBalance(body) {
  return [
    h("h2", `Balance of ${body.lease || body.battery} tank ${body.tank_number}`),
    h("p.hint", `Threshold: the larger of ${decimal(body.rule.floor_bbl, 0)} bbl and ${decimal(body.rule.capacity_percent, 1)} % of ${decimal(body.capacity_bbl, 0)} bbl (or 10 % of the oil read since the last gauge); "not moving" after ${body.rule.stale_days} days.${body.shared ? " The battery has several oil tanks: the tank is expected in a range." : ""}`),
    table(
      [
        { label: "Day", value: (d) => day(d.day) },
        { label: "Produced", num: true, value: (d) => bbl(d.production_bbl) },
        { label: "Tickets", num: true, value: (d) => bbl(d.tickets_bbl) },
        { label: "Refused", num: true, value: (d) => (Number(d.rejected_bbl) ? bbl(d.rejected_bbl) : "") },
        { label: "Expected", num: true, value: (d) => (d.expected_low_bbl === d.expected_high_bbl ? bbl(d.expected_high_bbl) : `${bbl(d.expected_low_bbl)} – ${bbl(d.expected_high_bbl)}`) },
        { label: "Gauged", num: true, value: (d) => bbl(d.gauged_bbl) },
        { label: "Gap", num: true, value: (d) => (d.gap_bbl == null ? "" : h(d.alarm ? "strong" : "span", bbl(d.gap_bbl))) },
        { label: "", value: (d) => (d.alarm ? badge("alarm", "warn") : d.stale ? badge("not moving", "muted") : "") },
      ],
      body.days,
      { caption: "Daily tank balance" },
    ),
  ];
}

function haulerTable(items) {
  return table(
    [
      { label: "Hauler", value: (i) => i.hauler },
      { label: "Tickets", num: true, value: (i) => String(i.tickets) },
      { label: "Mean difference", num: true, value: (i) => bbl(i.mean_difference_bbl) },
      { label: "Standard error", num: true, value: (i) => (i.standard_error_bbl == null ? "" : bbl(i.standard_error_bbl)) },
      { label: "t", num: true, value: (i) => (i.t_statistic == null ? "" : decimal(i.t_statistic, 2)) },
      { label: "", value: (i) => (i.flagged ? badge("biased", "warn") : "") },
    ],
    items,
    { empty: "No ticket stood alone between two pumper gauges in these days.", caption: "Hauler watch" },
  );
}

function refusedTable(items) {
  return table(
    [
      { label: "Ticket", value: (r) => r.ticket_number },
      { label: "Purchaser", value: (r) => r.purchaser },
      { label: "Refused", value: (r) => day(r.rejected_at.slice(0, 10)) },
      { label: "Load", num: true, value: (r) => bbl(r.gross_bbl) },
      { label: "Reason", value: (r) => r.reason },
      { label: "Photo", value: (r) => r.photo_document_id || "" },
    ],
    items,
    { empty: "No refused load is in dispute.", caption: "Refused loads" },
  );
}

export function deferredWeeks(weeks) {
  return table(
    [
      { label: "Week of", value: (w) => day(w.week_of) },
      { label: "Deferred", num: true, value: (w) => money(w.dollars) },
      { label: "By reason", value: (w) => w.reasons.map((r) => `${words(r.reason)} ${money(r.dollars)}`).join(" · ") },
    ],
    [...weeks].reverse(),
    { caption: "Deferred dollars by week" },
  );
}
