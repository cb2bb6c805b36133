// The daily reading's rules on the phone (pages/production/reading-rules.js): the API's rules, each problem in the
// pumper's words on its own field, and the plausibility questions (the company's limits, a jump far above the
// well's recent days) asked before a reading is kept.
import { test } from "node:test";
import assert from "node:assert/strict";

const r = await import("../src/wellflow_console/static/assets/pages/production/reading-rules.js");

const day = (extra = {}) => ({ oil_bbl: "2.5", gas_mcf: "30", water_bbl: "4", hours_on: "24", ...extra });
const fields = (items) => items.map((e) => e.field);
const LATELY = { days: 20, oil_bbl: "2.500", gas_mcf: "40.000", water_bbl: "6.000" };

test("an ordinary day has nothing to say", () => {
  assert.deepEqual(r.checkReading(day(), r.DEFAULT_RULES, { recent: LATELY }), { errors: [], questions: [] });
});

test("a blank required field is named in the pumper's words", () => {
  const { errors } = r.checkReading(day({ gas_mcf: "" }));
  assert.deepEqual(errors, [{ field: "gas_mcf", message: "Gas is empty: write 0 if there was none." }]);
  assert.equal(r.checkReading(day({ hours_on: " " })).errors[0].message, "Hours on is empty: write 24 if the well ran all day.");
});

test("bounds, decimals and text are refused on their field", () => {
  assert.deepEqual(fields(r.checkReading(day({ oil_bbl: "-1", hours_on: "25", water_bbl: "1.2345" })).errors), ["oil_bbl", "water_bbl", "hours_on"]);
  assert.equal(r.checkReading(day({ oil_bbl: "abc" })).errors[0].message, "Oil: write a number, like 12.5.");
  assert.equal(r.checkReading(day({ oil_bbl: "2,5" })).errors.length, 0); // a decimal comma is a point
});

test("a part day needs its downtime reason, and a day off made nothing", () => {
  const part = r.checkReading(day({ hours_on: "16" }));
  assert.deepEqual(part.errors, [{ field: "downtime_reason", message: "The well was on 16 of 24 hours: pick why it was down." }]);
  assert.deepEqual(r.checkReading(day({ hours_on: "16", downtime_reason: "electrical" })).errors, []);
  assert.deepEqual(fields(r.checkReading(day({ hours_on: "0", downtime_reason: "mechanical" })).errors), ["hours_on"]);
});

test("a slipped digit is asked about against the well's recent days, not a small wobble", () => {
  const { questions } = r.checkReading(day({ oil_bbl: "12.5" }), r.DEFAULT_RULES, { recent: LATELY });
  assert.deepEqual(fields(questions), ["oil_bbl"]);
  assert.equal(questions[0].message, "Oil 12.5 bbl is 5 times this well's recent average (2.5 bbl a day). Is it right?");
  assert.deepEqual(r.checkReading(day({ oil_bbl: "7.4" }), r.DEFAULT_RULES, { recent: LATELY }).questions, []);
  assert.deepEqual(r.checkReading(day({ oil_bbl: "12.5" }), r.DEFAULT_RULES, { recent: { ...LATELY, days: 4 } }).questions, []);
});

test("the company's limit comes from the served rules", () => {
  const rules = structuredClone(r.DEFAULT_RULES);
  rules.plausibility.organization_limits.oil_bbl = "100";
  const { questions } = r.checkReading(day({ oil_bbl: "150" }), rules);
  assert.equal(questions[0].code, "above_plausibility_limit");
  assert.match(questions[0].message, /above your company's limit of 100 bbl a day/);
  assert.equal(r.checkReading(day({ oil_bbl: "5" }), r.DEFAULT_RULES, { status: "shut_in" }).questions[0].code, "well_not_producing");
});

test("a correction needs its reason and sends only what changed", () => {
  const before = { oil_bbl: "12.500", gas_mcf: "30.000", water_bbl: "4.000", hours_on: "24.00", downtime_reason: null, comments: null };
  assert.deepEqual(fields(r.checkReading(day(), r.DEFAULT_RULES, { correction: true, reason: "x" }).errors), ["reason"]);
  assert.deepEqual(r.changes(day(), before), { oil_bbl: "2.5" });
  assert.ok(r.holds({ ...before, oil_bbl: "2.500" }, { oil_bbl: "2.5", version: 1 }));
});

test("the production days run from the served latest day back a week", () => {
  const rules = { ...r.DEFAULT_RULES, production_date: { latest: "2026-12-07", earliest_on_phone: "2026-11-30" } };
  const days = r.productionDays(rules, "2026-12-07");
  assert.equal(days.length, 8);
  assert.deepEqual([days[0], days.at(-1)], ["2026-12-07", "2026-11-30"]);
});

test("the API's wording becomes the pumper's", () => {
  assert.equal(r.plainProblem({ field: "body.gas_mcf", message: "Field required" }), "Gas: is empty");
  assert.equal(r.plainProblem({ field: "body.oil_bbl", message: "oil_bbl 12.5 is 5 times the well's recent average of 2.5: confirm it" }), "Oil 12.5 is 5 times the well's recent average of 2.5. Is it right?");
});

test("the API's trailing zeros are not decimals: a reading read back checks as typed", () => {
  assert.deepEqual(r.checkReading(day({ hours_on: "24.000", oil_bbl: "2.500" })).errors, []);
  assert.equal(r.plain("24.000"), "24");
  assert.equal(r.plain("2.500"), "2.5");
  assert.equal(r.plain(null), null);
});
