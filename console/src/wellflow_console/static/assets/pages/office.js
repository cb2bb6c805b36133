/**
 * The office's production and asset pages: the dashboard (a lease's or a well's daily and monthly oil, gas and
 * water with the decline forecast dashed over them, this month against last, open alerts and the wells below
 * expectation), the alerts list, the wells and leases with their filters, and one well's or lease's page.
 * Volumes are the API's Decimal strings: tables show them as sent (grouped); charts only draw them.
 */

import { get, post } from "../lib/api.js";
import { paths } from "../lib/paths.js";
import { h, mount, field, values, table, badge, flash, header, failure, isoDate, dateTime, useStyle, words, monthLabel } from "../lib/ui.js";
import { setQuery } from "../lib/router.js";
import { lineChart, barChart, legend, toDate } from "../lib/chart.js";

const DAY_MS = 86_400_000;
const DAILY_DAYS = 90;
const FORECAST_DAYS = 90;
const PAGE = 50;
const WELL_STATUSES = ["proposed", "permitted", "spudded", "drilling", "completing", "producing", "shut_in",
  "temporarily_abandoned", "permanently_abandoned", "plugged"];
const WELL_TYPES = ["oil", "gas", "oil_gas", "injection", "disposal", "water_supply", "observation", "dry_hole"];
const LEASE_STATUSES = ["active", "held_by_production", "expired", "terminated"];
const ALERT_KINDS = {
  missing_reading: "Missing reading",
  zero_hours: "Zero hours",
  below_expectation: "Below expectation",
  tank_high: "Tank high",
  negative_stock: "Negative stock",
};

// -------------------------------------------------------------------------------------------------- helpers

const options = (list, any) => [["", any], ...list.map((v) => (Array.isArray(v) ? v : [v, words(v)]))];
const daysAgo = (n) => isoDate(new Date(Date.now() - n * DAY_MS));
const shortMonth = (month) => monthLabel(month, "short");

/** A Decimal string grouped for reading, its digits kept exactly as the API sent them. */
export function vol(value) {
  if (value === null || value === undefined || value === "") return "";
  const [whole, frac] = String(value).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

function statusBadge(status) {
  const kind = { producing: "ok", active: "ok", held_by_production: "ok", shut_in: "warn", temporarily_abandoned: "warn" }[status];
  return badge(words(status), kind || (/plugged|abandoned|expired|terminated/.test(status) ? "muted" : "info"));
}

function kv(pairs) {
  return h("dl.kv", pairs.filter(([, v]) => v !== null && v !== undefined && v !== "").flatMap(([k, v]) => [h("dt", k), h("dd", v)]));
}

function chartWidth(main) {
  return Math.round(Math.max(320, Math.min(1200, (main.clientWidth || 640) - 8)));
}

/** A filters form whose changes are kept in the page's URL query and redraw the list. */
function filtersForm(fields, onChange) {
  const form = h("form.filters", { role: "search" }, fields, h("button", { type: "submit" }, "Apply"));
  const apply = (event) => {
    event.preventDefault();
    onChange(values(form));
  };
  form.addEventListener("submit", apply);
  form.addEventListener("change", (event) => event.target.tagName === "SELECT" && apply(event));
  return form;
}

/** Previous/next for lists answering {items, total} or {items, has_more}. */
function pages({ total, has_more: hasMore, offset, limit, count }, go) {
  const more = total !== undefined ? offset + limit < total : hasMore;
  if (!offset && !more) return null;
  const shown = `${offset + 1}–${offset + count}${total !== undefined ? ` of ${total}` : ""}`;
  return h(
    "nav.pager",
    { "aria-label": "Pages" },
    h("button", { type: "button", disabled: offset === 0, on: { click: () => go(Math.max(0, offset - limit)) } }, "Previous"),
    h("span", shown),
    h("button", { type: "button", disabled: !more, on: { click: () => go(offset + limit) } }, "Next"),
  );
}

// ------------------------------------------------------------------------------------ production and forecast

/** The fitted Arps modified hyperbolic rate on `day` (production's own convention: nominal 1/yr, 365.25-day year). */
function arpsRate(fc, day) {
  const p = fc.parameters;
  const t = (toDate(day) - toDate(fc.t0)) / DAY_MS;
  if (t < 0) return null;
  const [qi, b] = [Number(p.qi), Number(p.b)];
  const d = Number(p.di) / 365.25;
  const dt = Number(p.dterm) / 365.25;
  if (b < 1e-6 || d <= dt) return qi * Math.exp(-Math.max(d, dt) * t);
  const ts = dt > 0 ? (d / dt - 1) / (b * d) : Infinity;
  return Math.exp(Math.log(qi) - Math.log1p(b * d * Math.min(t, ts)) / b - dt * Math.max(t - ts, 0));
}

/** The wells' forecasts of `product`, fitted over the shown days and projected after: one summed line. */
async function forecastLine(wells, product, historyDays) {
  const producing = wells.filter((w) => w.status === "producing");
  const settled = await Promise.allSettled(
    producing.map((w) => get(paths.forecasts.well(w.id), { product, days: FORECAST_DAYS })),
  );
  const fits = settled.filter((r) => r.status === "fulfilled").map((r) => r.value);
  if (!fits.length) return null;
  const byDay = new Map();
  const add = (day, rate) => rate != null && byDay.set(day, (byDay.get(day) || 0) + rate);
  for (const fc of fits) {
    const ahead = new Set(fc.forecast.map((p) => p.day));
    for (const day of historyDays) if (!ahead.has(day)) add(day, arpsRate(fc, day));
    for (const p of fc.forecast) add(p.day, Number(p.rate));
  }
  // every well's projection must reach a day for the sum to mean the lease there
  const end = fits.map((fc) => fc.forecast.at(-1)?.day || "").sort()[0];
  const points = [...byDay.keys()].filter((day) => day <= end).sort().map((day) => ({ x: day, y: byDay.get(day) }));
  return { points, wells: fits.length, of: producing.length, unit: fits[0].unit, eur: fits.length === 1 ? fits[0].eur : null };
}

const SERIES = [
  ["Oil (bbl)", "oil", "oil_bbl"],
  ["Gas (mcf)", "gas", "gas_mcf"],
  ["Water (bbl)", "water", "water_bbl"],
];

function volumeSeries(points, key) {
  return SERIES.map(([name, kind, column]) => ({
    name,
    className: `series-${kind}`,
    points: points.map((p) => ({ x: p[key], y: p[column] == null ? null : Number(p[column]) })),
  }));
}

/**
 * Load a lease's or a well's production (`base` = paths.production.lease(id) or .well(id)) and the
 * decline forecast of `wells` for `product`; answers {daily, monthly, forecast} without drawing.
 */
async function loadProduction(base, wells, product) {
  const [daily, monthly] = await Promise.all([get(paths.production.daily(base), { from: daysAgo(DAILY_DAYS) }), get(paths.production.monthly(base))]);
  const days = daily.points.map((p) => p.day);
  const forecast = await forecastLine(wells, product, days).catch(() => null);
  return { daily: daily.points, monthly: monthly.points, forecast, product };
}

/** The daily chart (with the forecast dashed), the monthly chart, and the monthly figures as a table. */
function productionCharts({ daily, monthly, forecast, product }, width, name) {
  const dailySeries = volumeSeries(daily, "day");
  const legendItems = SERIES.map(([label, kind]) => [label, kind]);
  let note = null;
  if (forecast) {
    dailySeries.push({ name: `Forecast ${product} (${forecast.unit})`, className: "series-forecast", points: forecast.points });
    legendItems.push([`Decline forecast, ${product}`, "forecast"]);
    note = h(
      "p.hint",
      `The forecast is the Arps decline fitted to ${forecast.wells} of ${forecast.of} producing well(s), drawn over the last ` +
        `${DAILY_DAYS} days and ${FORECAST_DAYS} days ahead.` + (forecast.eur ? ` EUR ${vol(forecast.eur)}.` : ""),
    );
  }
  const months = [...monthly].reverse();
  return h(
    "section.production",
    { "aria-label": `Production of ${name}` },
    h("h2", `Daily production, last ${DAILY_DAYS} days`),
    lineChart({ series: dailySeries, width, height: 240, yLabel: "per day", title: `Daily production of ${name}` }),
    legend(legendItems),
    note,
    h("h2", "Monthly production"),
    lineChart({ series: volumeSeries(monthly, "month"), width, height: 220, yLabel: "per month", title: `Monthly production of ${name}` }),
    legend(legendItems.slice(0, 3)),
    h(
      "details.monthly-figures",
      h("summary", "Monthly figures"),
      table(
        [
          { label: "Month", value: (p) => h("span", { dataset: { month: p.month } }, shortMonth(p.month)) },
          { label: "Oil (bbl)", num: true, value: (p) => vol(p.oil_bbl) },
          { label: "Gas (mcf)", num: true, value: (p) => vol(p.gas_mcf) },
          { label: "Water (bbl)", num: true, value: (p) => vol(p.water_bbl) },
          { label: "Days on", num: true, value: (p) => String(p.production_days ?? "") },
        ],
        months,
        { empty: "No production recorded yet.", caption: `Monthly production of ${name}` },
      ),
    ),
  );
}

/** This month so far against last month: three stats and a small grouped bar chart. */
function monthVsLast(monthly, width) {
  const thisMonth = isoDate(new Date(new Date().getFullYear(), new Date().getMonth(), 1));
  const previous = isoDate(new Date(new Date().getFullYear(), new Date().getMonth() - 1, 1));
  const find = (m) => monthly.find((p) => p.month === m) || {};
  const [now, before] = [find(thisMonth), find(previous)];
  const stat = (label, column, unit) =>
    h("div.stat", h("div.value", vol(now[column] ?? "0")), h("div.label", `${label} this month (${unit}); last month ${vol(before[column] ?? "0")}`));
  const groups = [[shortMonth(previous), before], [`${shortMonth(thisMonth)} so far`, now]].map(([label, p]) => ({
    label,
    values: SERIES.map(([name, kind, column]) => ({ name, className: `bar-${kind}`, y: Number(p[column] ?? 0), text: vol(p[column] ?? "0") })),
  }));
  return [
    h("div.stats", stat("Oil", "oil_bbl", "bbl"), stat("Gas", "gas_mcf", "mcf"), stat("Water", "water_bbl", "bbl")),
    barChart({ groups, width: Math.min(width, 560), height: 180, title: "This month against last month" }),
  ];
}

// ---------------------------------------------------------------------------------------------------- alerts

function alertsTable(alerts, ctx, wellNames, onAcknowledged, caption) {
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

async function wellNameMap() {
  const page = await get(paths.wells.list, { limit: 200, sort: "name" });
  return new Map(page.items.map((w) => [w.id, w.name]));
}

// ---------------------------------------------------------------------------------------------- the dashboard

export async function dashboardPage(main, params, ctx) {
  useStyle("/assets/pages/office.css");
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
  const leaseId = leases.items.some((l) => l.id === ctx.query.get("lease")) ? ctx.query.get("lease") : leases.items[0].id;
  const lease = leases.items.find((l) => l.id === leaseId);
  const wells = (await get(paths.wells.list, { lease_id: leaseId, limit: 200, sort: "name" })).items;
  const well = wells.find((w) => w.id === ctx.query.get("well")) || null;

  const picker = filtersForm(
    [
      field("lease", "Lease", { kind: "select", value: leaseId, options: leases.items.map((l) => [l.id, l.name]) }),
      field("well", "Well", { kind: "select", value: well?.id || "", options: [["", "All wells of the lease"], ...wells.map((w) => [w.id, w.name])] }),
    ],
    (chosen) => {
      const next = { lease: chosen.lease, well: chosen.lease === leaseId ? chosen.well : "" };
      setQuery(next);
      ctx.navigate("/dashboard", next);
    },
  );
  const productionBox = h("div.production-box", { "aria-busy": "true" }, h("p.loading", "Loading production…"));
  const openBox = h("div");
  const drawOpen = (items) => mount(openBox, alertsTable(items, ctx, names, () => refreshOpen(), "Open alerts"));
  const refreshOpen = async () => drawOpen((await get(paths.alerts.list, { acknowledged: false, limit: 10 })).items);
  drawOpen(open.items);

  mount(
    main,
    header("Dashboard", h("a.button", { href: `#/leases/${leaseId}` }, "Lease page")),
    picker,
    productionBox,
    h("h2", "Open alerts"),
    openBox,
    h("p", h("a", { href: "#/alerts" }, "All alerts")),
    h("h2", "Wells below expectation"),
    belowExpectation(below.items, names),
  );

  const width = chartWidth(main);
  const name = well ? well.name : lease.name;
  const base = well ? paths.production.well(well.id) : paths.production.lease(leaseId);
  const product = (well ? well.well_type : lease.lease_type) === "gas" ? "gas" : "oil";
  try {
    const data = await loadProduction(base, well ? [well] : wells, product);
    mount(productionBox, h("h2", `This month: ${name}`), monthVsLast(data.monthly, width), productionCharts(data, width, name));
  } catch (error) {
    mount(productionBox, failure(error));
  }
  productionBox.removeAttribute("aria-busy");
}

/** The latest open below-expectation alert of each well: actual against expected. */
function belowExpectation(alerts, names) {
  const latest = new Map();
  for (const a of alerts) if (a.well_id && (!latest.has(a.well_id) || latest.get(a.well_id).day < a.day)) latest.set(a.well_id, a);
  return table(
    [
      { label: "Well", value: (a) => h("a", { href: `#/wells/${a.well_id}` }, names.get(a.well_id) || "Well") },
      { label: "Day", value: (a) => a.day },
      { label: "Actual", num: true, value: (a) => `${vol(a.details?.actual)} ${a.details?.unit || ""}` },
      { label: "Expected", num: true, value: (a) => `${vol(a.details?.expected)} ${a.details?.unit || ""}` },
      { label: "Short by", num: true, value: (a) => (a.details?.shortfall_percent ? `${a.details.shortfall_percent}%` : "") },
    ],
    [...latest.values()],
    { empty: "Every well is producing as expected.", caption: "Wells below expectation" },
  );
}

// ------------------------------------------------------------------------------------------------ alerts page

export async function alertsPage(main, params, ctx) {
  useStyle("/assets/pages/office.css");
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

// -------------------------------------------------------------------------------------------------- the wells

export async function wellsPage(main, params, ctx) {
  useStyle("/assets/pages/office.css");
  const q = ctx.query;
  const chosen = Object.fromEntries(["status", "lease_id", "well_type", "county", "q", "sort"].map((k) => [k, q.get(k) || ""]));
  const offset = Number(q.get("offset")) || 0;
  const [leases, page] = await Promise.all([
    get(paths.leases.list, { limit: 200, sort: "name" }),
    get(paths.wells.list, { ...chosen, limit: PAGE, offset }),
  ]);
  const leaseNames = new Map(leases.items.map((l) => [l.id, l.name]));
  const go = (next) => {
    setQuery(next);
    ctx.navigate("/wells", next);
  };
  const form = filtersForm(
    [
      field("q", "Name or API number", { value: chosen.q }),
      field("status", "Status", { kind: "select", value: chosen.status, options: options(WELL_STATUSES, "Any status") }),
      field("lease_id", "Lease", { kind: "select", value: chosen.lease_id, options: options([...leaseNames.entries()], "Any lease") }),
      field("well_type", "Type", { kind: "select", value: chosen.well_type, options: options(WELL_TYPES, "Any type") }),
      field("county", "County", { value: chosen.county }),
      field("sort", "Sort by", {
        kind: "select",
        value: chosen.sort,
        options: [["", "Name"], ["api_number", "API number"], ["status", "Status"], ["-spud_date", "Newest spud"], ["-created_at", "Newest added"]],
      }),
    ],
    (v) => go({ ...v, offset: "" }),
  );
  mount(
    main,
    header(`Wells (${page.total})`),
    form,
    table(
      [
        { label: "Well", value: (w) => h("a", { href: `#/wells/${w.id}` }, w.name) },
        { label: "API number", value: (w) => w.api_number || "" },
        { label: "Lease", value: (w) => (w.lease_id ? h("a", { href: `#/leases/${w.lease_id}` }, leaseNames.get(w.lease_id) || "Lease") : "") },
        { label: "Type", value: (w) => words(w.well_type) },
        { label: "Status", value: (w) => statusBadge(w.status) },
        { label: "County", value: (w) => w.county || "" },
        { label: "First production", value: (w) => w.first_production_date || "" },
      ],
      page.items,
      { empty: "No wells match these filters.", caption: "Wells" },
    ),
    pages({ ...page, offset, limit: PAGE, count: page.items.length }, (o) => go({ ...chosen, offset: o })),
  );
}

export async function wellPage(main, params, ctx) {
  useStyle("/assets/pages/office.css");
  const id = params.id;
  const [well, history, tests, readings] = await Promise.all([
    get(paths.wells.one(id)),
    get(paths.wells.statusHistory(id)),
    get(paths.wells.tests(id), { limit: 20 }),
    ctx.can("production", "read") ? get(paths.readings.list, { well_id: params.id, limit: 30 }) : { items: [] },
  ]);
  const productionBox = h("div.production-box", { "aria-busy": "true" }, h("p.loading", "Loading production…"));
  const leaseLink = h("a", { href: `#/leases/${well.lease_id}` }, "Lease");
  mount(
    main,
    header(well.name, h("a.button", { href: `#/dashboard?lease=${well.lease_id}&well=${well.id}` }, "On the dashboard")),
    h(
      "div.two-col",
      h(
        "section.card",
        h("h2", "Facts"),
        kv([
          ["API number", well.api_number],
          ["Lease", well.lease_id ? leaseLink : ""],
          ["Status", statusBadge(well.status)],
          ["Type", words(well.well_type)],
          ["Purpose", words(well.purpose)],
          ["County", well.county],
          ["Spud", well.spud_date],
          ["Completion", well.completion_date],
          ["First production", well.first_production_date],
          ["Plugged", well.plugged_date],
          ["Total depth (ft)", vol(well.total_depth_ft)],
          ["Horizontal", well.is_horizontal ? "yes" : "no"],
          ["RRC gas well ID", well.gas_well_id],
        ]),
      ),
      h(
        "section.card.status-history",
        h("h2", "Status history"),
        table(
          [
            { label: "Effective", value: (s) => s.effective_date },
            { label: "From", value: (s) => (s.from_status ? words(s.from_status) : "") },
            { label: "To", value: (s) => statusBadge(s.to_status) },
            { label: "Reason", value: (s) => s.reason || "" },
          ],
          [...history].reverse(),
          { empty: "No status changes recorded.", caption: "Status history" },
        ),
      ),
    ),
    ctx.can("production", "read") ? productionBox : null,
    h("h2", "Well tests"),
    table(
      [
        { label: "Date", value: (t) => t.test_date },
        { label: "Oil (bbl/d)", num: true, value: (t) => vol(t.oil_bbl_per_day) },
        { label: "Gas (mcf/d)", num: true, value: (t) => vol(t.gas_mcf_per_day) },
        { label: "Water (bbl/d)", num: true, value: (t) => vol(t.water_bbl_per_day) },
        { label: "Hours", num: true, value: (t) => vol(t.hours) },
        { label: "Notes", value: (t) => t.notes || "" },
      ],
      tests.items,
      { empty: "No well tests recorded.", caption: "Well tests" },
    ),
    h("h2", "Recent readings"),
    table(
      [
        { label: "Day", value: (r) => r.production_date },
        { label: "Oil (bbl)", num: true, value: (r) => vol(r.oil_bbl) },
        { label: "Gas (mcf)", num: true, value: (r) => vol(r.gas_mcf) },
        { label: "Water (bbl)", num: true, value: (r) => vol(r.water_bbl) },
        { label: "Hours on", num: true, value: (r) => vol(r.hours_on) },
        { label: "Downtime", value: (r) => words(r.downtime_reason || "") },
        { label: "Source", value: (r) => r.source || "" },
      ],
      readings.items,
      { empty: "No readings recorded.", caption: "Recent readings" },
    ),
  );
  if (well.lease_id) get(paths.leases.one(well.lease_id)).then((l) => (leaseLink.textContent = l.name), () => {});
  if (!ctx.can("production", "read")) return;
  try {
    const data = await loadProduction(paths.production.well(id), [well], well.well_type === "gas" ? "gas" : "oil");
    mount(productionBox, productionCharts(data, chartWidth(main), well.name));
  } catch (error) {
    mount(productionBox, failure(error));
  }
  productionBox.removeAttribute("aria-busy");
}

// ------------------------------------------------------------------------------------------------- the leases

export async function leasesPage(main, params, ctx) {
  useStyle("/assets/pages/office.css");
  const q = ctx.query;
  const chosen = Object.fromEntries(["status", "county", "rrc_district", "q"].map((k) => [k, q.get(k) || ""]));
  const offset = Number(q.get("offset")) || 0;
  const page = await get(paths.leases.list, { ...chosen, limit: PAGE, offset, sort: "name" });
  const go = (next) => {
    setQuery(next);
    ctx.navigate("/leases", next);
  };
  const form = filtersForm(
    [
      field("q", "Name or lease number", { value: chosen.q }),
      field("status", "Status", { kind: "select", value: chosen.status, options: options(LEASE_STATUSES, "Any status") }),
      field("county", "County", { value: chosen.county }),
      field("rrc_district", "RRC district", { value: chosen.rrc_district }),
    ],
    (v) => go({ ...v, offset: "" }),
  );
  mount(
    main,
    header(`Leases (${page.total})`),
    form,
    table(
      [
        { label: "Lease", value: (l) => h("a", { href: `#/leases/${l.id}` }, l.name) },
        { label: "RRC district", value: (l) => l.rrc_district || "" },
        { label: "RRC lease number", value: (l) => l.rrc_lease_number || (l.rrc_lease_number_pending ? "pending" : "") },
        { label: "Type", value: (l) => words(l.lease_type) },
        { label: "County", value: (l) => l.county || "" },
        { label: "Status", value: (l) => statusBadge(l.status) },
      ],
      page.items,
      { empty: "No leases match these filters.", caption: "Leases" },
    ),
    pages({ ...page, offset, limit: PAGE, count: page.items.length }, (o) => go({ ...chosen, offset: o })),
  );
}

export async function leasePage(main, params, ctx) {
  useStyle("/assets/pages/office.css");
  const id = params.id;
  const [lease, wells] = await Promise.all([
    get(paths.leases.one(id)),
    get(paths.wells.list, { lease_id: params.id, limit: 200, sort: "name" }),
  ]);
  const productionBox = h("div.production-box", { "aria-busy": "true" }, h("p.loading", "Loading production…"));
  mount(
    main,
    header(lease.name, h("a.button", { href: `#/dashboard?lease=${lease.id}` }, "On the dashboard")),
    h(
      "section.card",
      kv([
        ["RRC district", lease.rrc_district],
        ["RRC lease number", lease.rrc_lease_number || (lease.rrc_lease_number_pending ? "pending" : "")],
        ["Type", words(lease.lease_type)],
        ["Status", statusBadge(lease.status)],
        ["County", lease.county],
        ["Lessor", lease.lessor],
        ["Royalty rate", lease.royalty_rate],
        ["Effective", lease.effective_date],
        ["Expires", lease.expiration_date],
      ]),
    ),
    h("h2", `Wells (${wells.total})`),
    table(
      [
        { label: "Well", value: (w) => h("a", { href: `#/wells/${w.id}` }, w.name) },
        { label: "API number", value: (w) => w.api_number || "" },
        { label: "Type", value: (w) => words(w.well_type) },
        { label: "Status", value: (w) => statusBadge(w.status) },
        { label: "First production", value: (w) => w.first_production_date || "" },
      ],
      wells.items,
      { empty: "No wells on this lease yet.", caption: "Wells of the lease" },
    ),
    ctx.can("production", "read") ? productionBox : null,
  );
  if (!ctx.can("production", "read")) return;
  try {
    const data = await loadProduction(paths.production.lease(id), wells.items, lease.lease_type === "gas" ? "gas" : "oil");
    mount(productionBox, productionCharts(data, chartWidth(main), lease.name));
  } catch (error) {
    mount(productionBox, failure(error));
  }
  productionBox.removeAttribute("aria-busy");
}
