// #/dashboard: the company's production (every lease summed, the API's own totals) or one lease's or well's,
// this month so far against last month per day (like with like), the charts with the current month drawn as
// partial, open alerts with the pumper's reason and an acknowledge note, and the wells below expectation.

import { get } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, table, header, failure, useStyle } from "../../lib/ui.js";
import { setQuery } from "../../lib/router.js";
import { barChart } from "../../lib/chart.js";
import { volume, perDay, day, days as dayRange, month, percentOf, wellName } from "../../lib/format.js";
import { chartWidth, loadProduction, productionCharts, figure } from "./charts.js";
import { alertsList, wellNameMap } from "./alerts.js";
import { filtersForm } from "../../lib/lists.js";
import { PRODUCTS, monthRates, change } from "./rates.js";
import { deferredWeeks } from "./watch.js";

const COMPANY = "All leases (company total)";

export async function dashboardPage(main, params, ctx) {
  useStyle("/assets/styles/office.css");
  const [leases, names, open, below] = await Promise.all([
    get(paths.leases.list, { limit: 200, sort: "name" }),
    wellNameMap(),
    get(paths.alerts.list, { acknowledged: false, limit: 10 }),
    get(paths.alerts.list, { kind: "below_expectation", acknowledged: false, limit: 100 }),
  ]);
  if (!leases.items.length) {
    mount(main, header("Dashboard"), h("p.empty", "No leases yet. Add leases and wells to see their production here."));
    return;
  }
  const lease = leases.items.find((l) => l.id === ctx.query.get("lease")) || null;
  const wells = lease ? (await get(paths.wells.list, { lease_id: lease.id, limit: 200, sort: "name" })).items : [];
  const well = wells.find((w) => w.id === ctx.query.get("well")) || null;

  const picker = filtersForm(
    [
      field("lease", "Lease", { kind: "select", value: lease?.id || "", options: [["", COMPANY], ...leases.items.map((l) => [l.id, l.name])] }),
      lease
        ? field("well", "Well", { kind: "select", value: well?.id || "", options: [["", "All wells of the lease"], ...wells.map((w) => [w.id, wellName(w.name, w.number)])] })
        : null,
    ],
    (chosen) => {
      const next = { lease: chosen.lease || "", well: chosen.lease && chosen.lease === lease?.id ? chosen.well || "" : "" };
      setQuery(next);
      ctx.navigate("/dashboard", next);
    },
  );
  const productionBox = h("div.production-box", { "aria-busy": "true" }, h("p.loading", "Loading production…"));
  const openBox = h("div", alertsList(open.items, ctx, names, null, "Open alerts"));
  const deferredBox = h("div.deferred-box", h("p.loading", "Loading deferred dollars…"));

  mount(
    main,
    header("Dashboard", lease ? h("a.button", { href: `#/leases/${lease.id}` }, "Lease page") : null),
    picker,
    productionBox,
    h("h2", "Open alerts"),
    openBox,
    h("p", h("a", { href: "#/alerts" }, "All alerts")),
    h("h2", "Wells below expectation"),
    belowExpectation(below.items, names),
    h("h2", "Deferred dollars (downtime, last 4 weeks)"),
    deferredBox,
    h("p", h("a", { href: "#/tank-watch" }, "Tank watch: tank balance, haulers, refused loads")),
  );
  get(paths.oversight.deferredWeekly, { weeks: 4 })
    .then((body) => mount(deferredBox, deferredWeeks(body.weeks)))
    .catch((error) => mount(deferredBox, failure(error)));

  const width = chartWidth(main);
  const name = well ? wellName(well.name, well.number) : lease ? lease.name : "the company (all leases)";
  const base = well ? paths.production.well(well.id) : lease ? paths.production.lease(lease.id) : paths.production.organization;
  const product = (well ? well.well_type : lease?.lease_type) === "gas" ? "gas" : "oil";
  try {
    const data = await loadProduction(base, well ? [well] : wells, product);
    mount(
      productionBox,
      h("h2", `This month so far: ${name}`),
      monthSoFar(data, width, { company: !lease }),
      productionCharts(data, width, name),
      lease ? null : h("p.hint", "Choose a lease to see its decline forecast and estimated ultimate recovery (EUR)."),
    );
  } catch (error) {
    mount(productionBox, failure(error));
  }
  productionBox.removeAttribute("aria-busy");
}

/**
 * This month's totals (the API's monthly figure, exactly: for the company, its sum of every lease) and the
 * per-day rates set against the same days of last month and last month's per-day average.
 */
export function monthSoFar({ allDaily, monthly }, width, { company }) {
  const rates = monthRates(allDaily);
  const current = monthly.find((p) => p.month === rates.month) || {};
  const { thisMonth: now, sameDays: same, lastMonth: before } = rates;
  const period = now ? `${dayRange(now.first, now.last)} (${now.days} day${now.days === 1 ? "" : "s"})` : `${month(rates.month)}: no readings yet`;
  const tile = (p) => {
    const total = figure(current, p.column) ?? "0";
    const lines = now
      ? [
          h("div.rate", `${perDay(String(now.perDay[p.key]), p.unit)} so far`),
          same?.days ? h("div.compare", `${perDay(String(same.perDay[p.key]), p.unit)} on ${dayRange(same.first, same.last)} ${change(now.perDay[p.key], same.perDay[p.key])}`.trim()) : null,
        ]
      : [];
    return h(
      "div.stat",
      { dataset: { product: p.key } },
      h("div.label", `${p.name} ${company ? "(company total)" : ""}, ${period}`.replace(" ,", ",")),
      h("div.value", { dataset: { total } }, `${volume(total)} ${p.unit}`),
      lines,
      h("div.compare", `${month(rates.previous)}: ${perDay(String(before.perDay[p.key]), p.unit)} on average (${before.days} days)`),
    );
  };
  const short = (span) => dayRange(span.first, span.last).replace(/, \d{4}$/, "");
  const groups = [
    [`All ${month(rates.previous).slice(0, 3)}`, `${month(rates.previous, { long: true })}, average per day`, before],
    same?.days ? [short(same), dayRange(same.first, same.last), same] : null,
    now ? [short(now), dayRange(now.first, now.last), now] : null,
  ]
    .filter(Boolean)
    .map(([label, description, span]) => ({
      label,
      description,
      values: PRODUCTS.map((p) => ({ name: `${p.name} (${p.unit}/day)`, className: `bar-${p.key}`, y: span.perDay[p.key] ?? 0, text: perDay(String(span.perDay[p.key] ?? 0), p.unit) })),
    }));
  return [
    h("div.stats.month-so-far", PRODUCTS.map(tile)),
    barChart({ groups, width: Math.min(width, 560), height: 180, yLabel: "per day", title: "Production per day: this month so far against last month" }),
  ];
}

/** The latest open below-expectation alert of each well: actual against expected. */
function belowExpectation(alerts, names) {
  const latest = new Map();
  for (const a of alerts) if (a.well_id && (!latest.has(a.well_id) || latest.get(a.well_id).day < a.day)) latest.set(a.well_id, a);
  const amount = (a, key) => `${volume(a.details?.[key])} ${a.details?.unit || ""}`.trim();
  return table(
    [
      { label: "Well", value: (a) => h("a", { href: `#/wells/${a.well_id}` }, names.get(a.well_id) || "Well") },
      { label: "Day", value: (a) => day(a.day) },
      { label: "Actual", num: true, value: (a) => amount(a, "actual") },
      { label: "Expected", num: true, value: (a) => amount(a, "expected") },
      { label: "Short by", num: true, value: (a) => percentOf(a.details?.shortfall_percent, 0) },
    ],
    [...latest.values()],
    { empty: "Every well is producing as expected.", caption: "Wells below expectation" },
  );
}
