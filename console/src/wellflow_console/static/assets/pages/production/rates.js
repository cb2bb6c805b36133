// This month so far against last month, like with like: per-day rates over the days this month has readings
// for (the 1st to the latest day read), against the same days of last month and last month's own per-day
// average (its total over its calendar days). A month six days old is never set against thirty days.
// Pure functions over the API's daily series, so node tests them (console/tests/rates.test.js).

export const PRODUCTS = [
  { key: "oil", column: "oil_bbl", name: "Oil and condensate", unit: "bbl" },
  { key: "gas", column: "gas_mcf", name: "Gas", unit: "mcf" },
  { key: "water", column: "water_bbl", name: "Water", unit: "bbl" },
];

const pad = (n) => String(n).padStart(2, "0");
const iso = (y, m, d) => {
  const date = new Date(y, m, d);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
};

/** Sums of each product over the daily points from `first` to `last` (days as "YYYY-MM-DD"), per day too. */
function span(daily, first, last, days) {
  const totals = Object.fromEntries(PRODUCTS.map((p) => [p.key, 0]));
  for (const point of daily) {
    if (point.day < first || point.day > last) continue;
    for (const p of PRODUCTS) totals[p.key] += Number(point[p.column] ?? 0);
  }
  const perDay = Object.fromEntries(PRODUCTS.map((p) => [p.key, days ? totals[p.key] / days : null]));
  return { first, last, days, totals, perDay };
}

/**
 * {thisMonth, sameDays, lastMonth, month, previous} from a daily series that covers last month and this one.
 * `thisMonth` is null before the month's first reading; `sameDays` covers the 1st to the same day of last
 * month (its last day when it is shorter); `lastMonth` is the whole month over its calendar days.
 */
export function monthRates(daily, today = new Date()) {
  const [y, m] = [today.getFullYear(), today.getMonth()];
  const month = iso(y, m, 1);
  const previous = iso(y, m - 1, 1);
  const previousDays = new Date(y, m, 0).getDate();
  const read = daily.map((p) => p.day).filter((day) => day >= month && day <= iso(y, m, today.getDate())).sort();
  const lastMonth = span(daily, previous, iso(y, m - 1, previousDays), previousDays);
  if (!read.length) return { month, previous, thisMonth: null, sameDays: null, lastMonth };
  const upTo = Number(read.at(-1).slice(8, 10));
  const same = Math.min(upTo, previousDays);
  return {
    month,
    previous,
    thisMonth: span(daily, month, read.at(-1), upTo),
    sameDays: span(daily, previous, iso(y, m - 1, same), same),
    lastMonth,
  };
}

/** The change from `before` to `now` as a signed percent text ("+4.2%", "-12.0%"), "" when not comparable. */
export function change(now, before) {
  if (now == null || before == null || !(before > 0)) return "";
  const percent = ((now - before) / before) * 100;
  return `${percent >= 0 ? "+" : "−"}${Math.abs(percent).toFixed(1)}%`;
}
