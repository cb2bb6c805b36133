// A lease's or a well's production drawn for the office: daily and monthly series with the decline
// forecast dashed over them, this month against last. Volumes stay the API's Decimal strings in tables.

import { get } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, table, isoDate, monthLabel } from "../../lib/ui.js";
import { lineChart, barChart, legend, toDate } from "../../lib/chart.js";

const DAY_MS = 86_400_000;
const DAILY_DAYS = 90;
const FORECAST_DAYS = 90;
const daysAgo = (n) => isoDate(new Date(Date.now() - n * DAY_MS));
const shortMonth = (month) => monthLabel(month, "short");

/** A Decimal string grouped for reading, its digits kept exactly as the API sent them. */
export function vol(value) {
  if (value === null || value === undefined || value === "") return "";
  const [whole, frac] = String(value).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

export function chartWidth(main) {
  return Math.round(Math.max(320, Math.min(1200, (main.clientWidth || 640) - 8)));
}

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
export async function loadProduction(base, wells, product) {
  const [daily, monthly] = await Promise.all([get(paths.production.daily(base), { from: daysAgo(DAILY_DAYS) }), get(paths.production.monthly(base))]);
  const days = daily.points.map((p) => p.day);
  const forecast = await forecastLine(wells, product, days).catch(() => null);
  return { daily: daily.points, monthly: monthly.points, forecast, product };
}

/** The daily chart (with the forecast dashed), the monthly chart, and the monthly figures as a table. */
export function productionCharts({ daily, monthly, forecast, product }, width, name) {
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
export function monthVsLast(monthly, width) {
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
