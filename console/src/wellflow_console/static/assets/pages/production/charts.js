// A lease's, a well's or the whole company's production drawn for the office: daily and monthly series with
// the decline forecast dashed over them, the current month drawn as partial. Tables show the API's figures
// (three decimals: the detail); summaries round them (lib/format.js).

import { get } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, table, isoDate } from "../../lib/ui.js";
import { lineChart, legend, toDate } from "../../lib/chart.js";
import { volume, volumeDetail, month, days as dayRange, count } from "../../lib/format.js";

const DAY_MS = 86_400_000;
const DAILY_DAYS = 90;
const FORECAST_DAYS = 90;
const daysAgo = (n) => isoDate(new Date(Date.now() - n * DAY_MS));

/** A volume for a summary (kept for the pages that import it from here): lib/format.js's `volume`. */
export const vol = volume;

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
  const sum = (key) => fits.reduce((total, fc) => total + Number(fc[key] ?? 0), 0);
  return { points, wells: fits.length, of: producing.length, unit: fits[0].unit, eur: sum("eur"), cumulative: sum("cumulative_to_date") };
}

const SERIES = [
  ["Oil and condensate (bbl)", "oil", "oil_bbl"],
  ["Gas (mcf)", "gas", "gas_mcf"],
  ["Water (bbl)", "water", "water_bbl"],
];

/** A point's figure for a column: a month's liquids (oil and condensate) when the answer has them. */
export function figure(point, column) {
  const value = column === "oil_bbl" ? point.liquid_bbl ?? point.oil_bbl : point[column];
  return value ?? null;
}

function volumeSeries(points, key) {
  return SERIES.map(([name, kind, column]) => ({
    name,
    className: `series-${kind}`,
    points: points.map((p) => ({ x: p[key], y: figure(p, column) == null ? null : Number(figure(p, column)) })),
  }));
}

/**
 * Load production from `base` (paths.production.lease(id), .well(id) or .organization) and, when `wells` are
 * given, their decline forecast of `product`; answers {daily, monthly, forecast, product} without drawing.
 * The daily series reaches back to the first of last month at least, for this month's comparison.
 */
export async function loadProduction(base, wells, product) {
  const now = new Date();
  const from = [daysAgo(DAILY_DAYS), isoDate(new Date(now.getFullYear(), now.getMonth() - 1, 1))].sort()[0];
  const [daily, monthly] = await Promise.all([get(paths.production.daily(base), { from }), get(paths.production.monthly(base))]);
  const shown = daily.points.filter((p) => p.day >= daysAgo(DAILY_DAYS));
  const forecast = wells.length ? await forecastLine(wells, product, shown.map((p) => p.day)).catch(() => null) : null;
  return { daily: shown, allDaily: daily.points, monthly: monthly.points, forecast, product };
}

/** The current month, when the monthly series has it: {from, note} for the chart, or null. */
function partialMonth(monthly, daily) {
  const now = new Date();
  const first = isoDate(new Date(now.getFullYear(), now.getMonth(), 1));
  if (!monthly.some((p) => p.month === first)) return null;
  const read = daily.map((p) => p.day).filter((d) => d >= first).sort();
  const through = read.length ? `, ${dayRange(first, read.at(-1))} only` : "";
  return { from: first, note: `${month(first)} is not over: its figures so far${through}` };
}

/** "Estimated ultimate recovery (EUR)" of the fitted wells, its unit spelled, beside what they produced. */
function recovery(forecast) {
  if (!forecast?.eur) return "";
  const unit = forecast.unit.replace("/day", "");
  const whose = forecast.wells === 1 ? "the well" : `the ${forecast.wells} fitted wells`;
  return ` Estimated ultimate recovery (EUR) of ${whose}: ${volume(forecast.eur)} ${unit} of ${forecast.product === "gas" ? "gas" : "oil"}` +
    (forecast.cumulative ? `, of which ${volume(forecast.cumulative)} ${unit} produced to date.` : ".");
}

/** The daily chart (with the forecast dashed), the monthly chart, and the monthly figures as a table. */
export function productionCharts({ daily, allDaily, monthly, forecast, product }, width, name) {
  const dailySeries = volumeSeries(daily, "day");
  const legendItems = SERIES.map(([label, kind]) => [label, kind]);
  let note = null;
  if (forecast) {
    dailySeries.push({ name: `Decline forecast, ${product} (${forecast.unit})`, className: "series-forecast", points: forecast.points });
    legendItems.push([`Decline forecast, ${product} (${forecast.unit})`, "forecast"]);
    note = h(
      "p.hint",
      `The forecast is the Arps decline fitted to ${forecast.wells} of ${forecast.of} producing well(s), drawn over the last ` +
        `${DAILY_DAYS} days and ${FORECAST_DAYS} days ahead.` + recovery({ ...forecast, product }),
    );
  }
  const partial = partialMonth(monthly, allDaily || daily);
  const months = [...monthly].reverse();
  return h(
    "section.production",
    { "aria-label": `Production of ${name}` },
    h("h2", `Daily production, last ${DAILY_DAYS} days`),
    lineChart({ series: dailySeries, width, height: 240, yLabel: "per day", title: `Daily production of ${name}` }),
    legend(legendItems),
    note,
    h("h2", "Monthly production"),
    lineChart({ series: volumeSeries(monthly, "month"), width, height: 220, yLabel: "per month", unit: "month", partial, title: `Monthly production of ${name}` }),
    legend(legendItems.slice(0, 3)),
    partial ? h("p.hint", `${partial.note}: the last point of each line is dashed.`) : null,
    h(
      "details.monthly-figures",
      h("summary", "Monthly figures"),
      table(
        [
          { label: "Month", value: (p) => h("span", { dataset: { month: p.month } }, month(p.month), p.month === partial?.from ? " (so far)" : "") },
          { label: "Oil and condensate (bbl)", num: true, value: (p) => volumeDetail(figure(p, "oil_bbl")) },
          { label: "Gas (mcf)", num: true, value: (p) => volumeDetail(figure(p, "gas_mcf")) },
          { label: "Water (bbl)", num: true, value: (p) => volumeDetail(figure(p, "water_bbl")) },
          { label: "Days on", num: true, value: (p) => count(p.production_days) },
        ],
        months,
        { empty: "No production recorded yet.", caption: `Monthly production of ${name}` },
      ),
    ),
  );
}
