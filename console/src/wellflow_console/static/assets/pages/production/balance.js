// A tank gauge against the tank's expected balance (production's domain/tank_balance.py): the latest gauge the
// route or this phone knows, plus the oil read on the battery's wells since, less the run tickets taken from the
// tank since, within a tolerance the route serves (its `balance_rule`). What the phone holds unsent counts too, so
// the question is the same with no connection. A gauge outside it is asked about before it is kept.

import { list } from "../../lib/outbox.js";
import { h, num } from "../../lib/ui.js";
import { unsent } from "./field.js";
import { barrelsAt, balanceRange, outsideBy, total } from "./volumes.js";
import { gaugeText } from "./measure.js";

/** The phone's own latest gauge of the tank (an entry kept or sent, newest first) as {barrels, gauge_date, gauged_at}. */
function phoneGauge(entries, tank) {
  const mine = entries.filter((e) => e.kind === "gauge" && e.tank_id === tank.tank_id && e.state !== "rejected" && e.state !== "conflict");
  const entry = mine[mine.length - 1];
  if (!entry) return null;
  const barrels = entry.result?.barrels ?? barrelsAt(tank.strapping, entry.body);
  return barrels === null ? null : { ...entry.body, barrels, gauge_date: entry.body.gauge_date, gauged_at: entry.body.gauged_at };
}

/** A run ticket entry's gross barrels (the API's answer, else the tank's strapping). */
function ticketGross(entry, tank) {
  if (entry.result?.gross_bbl) return entry.result.gross_bbl;
  const opening = barrelsAt(tank.strapping, entry.body.opening_gauge);
  const closing = barrelsAt(tank.strapping, entry.body.closing_gauge);
  return opening === null || closing === null ? "0" : total([opening, `-${closing}`]);
}

/**
 * Where a new gauge of `tank` (from the kept route) should read, on `gaugeDate`: {low, high, tolerance, last,
 * production, tickets} (strings; `last` the gauge it starts from), or null when the tank has no earlier gauge or
 * is a water tank.
 */
export async function expected(kept, tank, gaugeDate) {
  const route = kept?.route;
  if (!route?.balance_rule || tank.product !== "oil" || !tank.strapping) return null;
  const entries = unsent(await list(), kept);
  const own = phoneGauge(entries, tank);
  const fromPhone = own && (!tank.last_gauge || Date.parse(own.gauged_at) > Date.parse(tank.last_gauge.gauged_at));
  const last = fromPhone ? own : tank.last_gauge;
  if (!last) return null;
  const shared = route.tanks.filter((t) => t.battery_id === tank.battery_id && t.product === "oil").length > 1;
  const base = fromPhone || !tank.balance ? { production_bbl: "0", tickets_bbl: "0" } : tank.balance;
  const wells = new Set(route.wells.filter((w) => w.battery_id === tank.battery_id).map((w) => w.well_id));
  const readings = entries.filter(
    (e) => e.kind === "reading" && wells.has(e.well_id) && e.production_date > last.gauge_date && e.production_date <= gaugeDate,
  );
  const tickets = entries.filter((e) => e.kind === "run_ticket" && e.tank_id === tank.tank_id && Date.parse(e.body.taken_at) > Date.parse(last.gauged_at));
  const moreOil = total(readings.map((e) => e.body.oil_bbl || "0"));
  const moreTickets = total(tickets.map((e) => ticketGross(e, tank)));
  const range = balanceRange(String(last.barrels), { ...base, shared }, route.balance_rule, String(tank.capacity_bbl), moreOil, moreTickets);
  return {
    ...range,
    last,
    production: total([base.production_bbl, moreOil]),
    tickets: total([base.tickets_bbl, moreTickets]),
  };
}

/** The question asked about a gauge outside its balance (null when it is within). */
export function balanceQuestion(gaugeBbl, balance, confirmBox) {
  const off = outsideBy(gaugeBbl, balance);
  if (off === "0.00") return null;
  const bbl = (value) => num(value, 2);
  const where = balance.low === balance.high ? `about ${bbl(balance.high)} bbl` : `between ${bbl(balance.low)} and ${bbl(balance.high)} bbl`;
  return h(
    "div.balance-question.note",
    { role: "alert" },
    h("p", h("strong", `This gauge reads ${bbl(gaugeBbl)} bbl; the tank should hold ${where} (± ${bbl(balance.tolerance)} bbl).`)),
    h(
      "p",
      `Last gauge ${gaugeText(balance.last)} on ${balance.last.gauge_date} (${bbl(balance.last.barrels)} bbl), `,
      `${bbl(balance.production)} bbl of oil read since, ${bbl(balance.tickets)} bbl taken by run tickets since. `,
      "Check the feet and inches, or say the gauge is right.",
    ),
    confirmBox,
  );
}
