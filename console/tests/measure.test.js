// The pumper's gauge and run ticket checks (pages/production/measure.js): the API's limits on the phone, each
// problem named by the API's own field path (so it lands beside its input), and how an answer reads.
import { test } from "node:test";
import assert from "node:assert/strict";

const m = await import("../src/wellflow_console/static/assets/pages/production/measure.js");

const gauge = (extra = {}) => ({ tank_id: "t-1", feet: 8, inches: 7, quarters: 2, ...extra });
const ticket = (extra = {}) => ({
  opening_gauge: { feet: 10, inches: 4, quarters: 1 },
  closing_gauge: { feet: 3, inches: 0, quarters: 0 },
  observed_gravity_api: "40.2",
  observed_temperature_f: "72",
  bsw_percent: "0.3",
  ...extra,
});
const fields = (errors) => errors.map((e) => e.field);

test("a plain gauge, with or without a temperature, may be kept", () => {
  assert.deepEqual(m.checkTankGauge(gauge()), []);
  assert.deepEqual(m.checkTankGauge(gauge({ temperature_f: "85", bsw_percent: "0.4", observed_gravity_api: "40.1" })), []);
  assert.deepEqual(m.checkTankGauge(gauge({ temperature_f: "-40" })), []);
  assert.deepEqual(m.checkTankGauge(gauge({ temperature_f: "250" })), []);
});

test("a temperature typo is refused beside the temperature, with the API's range", () => {
  const [error] = m.checkTankGauge(gauge({ temperature_f: "850" }));
  assert.equal(error.field, "body.temperature_f");
  assert.match(error.message, /850 °F is outside -40 °F to 250 °F/);
  assert.deepEqual(fields(m.checkTankGauge(gauge({ temperature_f: "-41" }))), ["body.temperature_f"]);
  assert.deepEqual(fields(m.checkTankGauge(gauge({ temperature_f: "250.1" }))), ["body.temperature_f"]);
  assert.deepEqual(fields(m.checkTankGauge(gauge({ temperature_f: "8S" }))), ["body.temperature_f"]);
});

test("BS&W is 0 to below 100 and gravity above 0 to 100, as the API takes them", () => {
  assert.deepEqual(fields(m.checkTankGauge(gauge({ bsw_percent: "100" }))), ["body.bsw_percent"]);
  assert.deepEqual(fields(m.checkTankGauge(gauge({ bsw_percent: "-0.1" }))), ["body.bsw_percent"]);
  assert.deepEqual(m.checkTankGauge(gauge({ bsw_percent: "0" })), []);
  assert.deepEqual(m.checkTankGauge(gauge({ bsw_percent: "99.9" })), []);
  assert.deepEqual(fields(m.checkTankGauge(gauge({ temperature_f: "80", observed_gravity_api: "0" }))), ["body.observed_gravity_api"]);
  assert.deepEqual(fields(m.checkTankGauge(gauge({ temperature_f: "80", observed_gravity_api: "100.5" }))), ["body.observed_gravity_api"]);
  assert.deepEqual(m.checkTankGauge(gauge({ temperature_f: "80", observed_gravity_api: "100" })), []);
});

test("a sample's gravity needs a temperature: its own or the tank's", () => {
  assert.deepEqual(fields(m.checkTankGauge(gauge({ observed_gravity_api: "40" }))), ["body.gravity_temperature_f"]);
  assert.deepEqual(m.checkTankGauge(gauge({ observed_gravity_api: "40", gravity_temperature_f: "78" })), []);
  assert.deepEqual(fields(m.checkTankGauge(gauge({ temperature_f: "80", gravity_temperature_f: "300" }))), ["body.gravity_temperature_f"]);
});

test("the gauge's feet, inches and quarters are whole numbers within the API's bounds", () => {
  assert.deepEqual(fields(m.checkTankGauge(gauge({ inches: 13 }))), ["body.inches"]);
  assert.deepEqual(fields(m.checkTankGauge(gauge({ feet: 61 }))), ["body.feet"]);
  assert.deepEqual(fields(m.checkTankGauge(gauge({ quarters: 4 }))), ["body.quarters"]);
  assert.deepEqual(fields(m.checkTankGauge(gauge({ inches: "7.5" }))), ["body.inches"]);
  assert.deepEqual(fields(m.checkTankGauge(gauge({ feet: undefined }))), ["body.feet"]);
  assert.equal(m.checkTankGauge(gauge({ inches: "7.5" }))[0].message, "Enter a whole number.");
});

test("a run ticket needs its sample; tank temperatures and the price are optional within limits", () => {
  assert.deepEqual(m.checkRunTicket(ticket()), []);
  assert.deepEqual(m.checkRunTicket(ticket({ opening_temperature_f: "84", closing_temperature_f: "86", price_per_bbl: "70.2514" })), []);
  assert.deepEqual(fields(m.checkRunTicket(ticket({ observed_gravity_api: undefined, bsw_percent: "" }))), ["body.observed_gravity_api", "body.bsw_percent"]);
  // the ticket's temperatures start at 0 °F (the API's RunTicketCreate), the gauge's at -40
  assert.deepEqual(fields(m.checkRunTicket(ticket({ opening_temperature_f: "-5" }))), ["body.opening_temperature_f"]);
  assert.deepEqual(fields(m.checkRunTicket(ticket({ closing_temperature_f: "860" }))), ["body.closing_temperature_f"]);
  assert.deepEqual(fields(m.checkRunTicket(ticket({ observed_temperature_f: "251" }))), ["body.observed_temperature_f"]);
});

test("the price: not negative, at most $100,000 and four decimal places (trailing zeros do not count)", () => {
  assert.deepEqual(fields(m.checkRunTicket(ticket({ price_per_bbl: "-1" }))), ["body.price_per_bbl"]);
  assert.deepEqual(fields(m.checkRunTicket(ticket({ price_per_bbl: "100000.01" }))), ["body.price_per_bbl"]);
  assert.deepEqual(fields(m.checkRunTicket(ticket({ price_per_bbl: "70.12345" }))), ["body.price_per_bbl"]);
  assert.deepEqual(m.checkRunTicket(ticket({ price_per_bbl: "70.123400" })), []);
  assert.match(m.checkRunTicket(ticket({ price_per_bbl: "-1" }))[0].message, /\$-1 is outside \$0 to \$100000/);
});

test("a ticket's gauge errors carry the nested path, and a closing gauge above the opening is refused", () => {
  assert.deepEqual(fields(m.checkRunTicket(ticket({ closing_gauge: { feet: 3, inches: 12, quarters: 0 } }))), ["body.closing_gauge.inches"]);
  const above = m.checkRunTicket(ticket({ closing_gauge: { feet: 10, inches: 4, quarters: 2 } }));
  assert.deepEqual(fields(above), ["body.closing_gauge"]);
  assert.deepEqual(m.checkRunTicket(ticket({ closing_gauge: { feet: 10, inches: 4, quarters: 1 } })), []);
});

test("an answer reads as gross and net, and an uncorrected stock says so", () => {
  const corrected = { barrels: "1172.00", net_bbl: "1159.28", net_basis: "standard", api_gravity_60: "39.0", gravity_source: "run_ticket" };
  assert.equal(m.barrelsLine(corrected), "1,172.00 bbl gross · 1,159.28 bbl net at 60 °F");
  assert.equal(m.basisNote(corrected), null);
  assert.equal(m.gravityLine(corrected), "39.0 °API at 60 °F, from the latest run ticket");
  const bare = { barrels: "1172.00", net_bbl: "1172.00", net_basis: "no_temperature" };
  assert.equal(m.barrelsLine(bare), "1,172.00 bbl gross · 1,172.00 bbl net (not temperature-corrected)");
  assert.match(m.basisNote(bare), /not temperature-corrected: no tank temperature/i);
  assert.match(m.basisNote({ net_basis: "no_gravity" }), /no gravity yet/);
  assert.equal(m.barrelsLine({ gross_bbl: "56.00", net_bbl: "55.43" }), "56.00 bbl gross · 55.43 bbl net at 60 °F");
  assert.equal(m.gaugeText({ feet: 8, inches: 7, quarters: 2 }), "8 ft 7 2/4 in");
  assert.equal(m.gaugeText({ feet: 8, inches: 0, quarters: 0 }), "8 ft 0 in");
  // the API's Decimal strings carry their column's places: read without the trailing zeros
  assert.equal(m.plain("84.00"), "84");
  assert.equal(m.plain("0.300"), "0.3");
  assert.equal(m.plain("-5.50"), "-5.5");
  assert.equal(m.plain("120"), "120");
  assert.equal(m.gravityLine({ api_gravity_60: "40.00", gravity_source: "observed" }), "40.0 °API at 60 °F, from this gauge's sample");
});
