// pages/production/rates.js: this month so far is compared per day with the same days of last month and with
// last month's per-day average, never a six-day total with a thirty-day one.
import { test } from "node:test";
import assert from "node:assert/strict";

const { monthRates, change } = await import("../src/wellflow_console/static/assets/pages/production/rates.js");

const point = (day, oil, gas = "0", water = "0") => ({ day, oil_bbl: oil, gas_mcf: gas, water_bbl: water });
const november = Array.from({ length: 30 }, (_, i) => point(`2026-11-${String(i + 1).padStart(2, "0")}`, "100.000", "200", "50"));
const december = Array.from({ length: 6 }, (_, i) => point(`2026-12-0${i + 1}`, "90.000", "210", "55"));

test("six days of this month are set against the same six days and the average of last month, per day", () => {
  const rates = monthRates([...november, ...december], new Date(2026, 11, 7));
  assert.equal(rates.month, "2026-12-01");
  assert.equal(rates.previous, "2026-11-01");
  assert.deepEqual([rates.thisMonth.first, rates.thisMonth.last, rates.thisMonth.days], ["2026-12-01", "2026-12-06", 6]);
  assert.equal(rates.thisMonth.totals.oil, 540);
  assert.equal(rates.thisMonth.perDay.oil, 90);
  assert.deepEqual([rates.sameDays.first, rates.sameDays.last, rates.sameDays.days], ["2026-11-01", "2026-11-06", 6]);
  assert.equal(rates.sameDays.perDay.oil, 100);
  assert.equal(rates.lastMonth.days, 30);
  assert.equal(rates.lastMonth.totals.oil, 3000);
  assert.equal(rates.lastMonth.perDay.gas, 200);
  assert.equal(change(rates.thisMonth.perDay.oil, rates.sameDays.perDay.oil), "−10.0%"); // not -82% (540 against 3000)
  assert.equal(change(rates.thisMonth.perDay.gas, rates.lastMonth.perDay.gas), "+5.0%");
});

test("a month longer than the last compares with last month's days only", () => {
  const february = Array.from({ length: 28 }, (_, i) => point(`2027-02-${String(i + 1).padStart(2, "0")}`, "10"));
  const march = Array.from({ length: 30 }, (_, i) => point(`2027-03-${String(i + 1).padStart(2, "0")}`, "10"));
  const rates = monthRates([...february, ...march], new Date(2027, 2, 31));
  assert.equal(rates.thisMonth.days, 30);
  assert.equal(rates.sameDays.days, 28);
  assert.equal(rates.sameDays.last, "2027-02-28");
});

test("before the month's first reading there is nothing to compare, and last month stands alone", () => {
  const rates = monthRates(november, new Date(2026, 11, 1));
  assert.equal(rates.thisMonth, null);
  assert.equal(rates.lastMonth.perDay.water, 50);
  assert.equal(change(5, 0), "");
});
