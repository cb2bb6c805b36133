// lib/format.js: how figures read for people, rounded exactly from the API's Decimal strings.
import { test } from "node:test";
import assert from "node:assert/strict";

const f = await import("../src/wellflow_console/static/assets/lib/format.js");

test("summary volumes are whole from 100 up and one decimal below, rounded half up from the text", () => {
  assert.equal(f.volume("1168641.39"), "1,168,641");
  assert.equal(f.volume("412.5"), "413");
  assert.equal(f.volume("12.345"), "12.3");
  assert.equal(f.volume("12.35"), "12.4");
  assert.equal(f.volume("99.96"), "100");
  assert.equal(f.volume("0.000"), "0");
  assert.equal(f.volume("5.04"), "5");
  assert.equal(f.volume(""), "");
  assert.equal(f.volume(null), "");
});

test("detail volumes carry three decimals", () => {
  assert.equal(f.volumeDetail("1234.5"), "1,234.500");
  assert.equal(f.volumeDetail("2.0005"), "2.001");
  assert.equal(f.volumeWith("1234.5", "bbl"), "1,235 bbl");
  assert.equal(f.perDay("41.26", "bbl"), "41.3 bbl/day");
});

test("money has a dollar sign and cents, rounded half up exactly (no float error)", () => {
  assert.equal(f.money("13197.405"), "$13,197.41");
  assert.equal(f.money("2.675"), "$2.68"); // a float would say 2.67
  assert.equal(f.money("-1234.5"), "-$1,234.50");
  assert.equal(f.money("0"), "$0.00");
  assert.equal(f.money("-0.001"), "$0.00");
  assert.equal(f.money("999.995"), "$1,000.00");
  assert.equal(f.price("72.3456", "bbl"), "$72.35/bbl");
});

test("decimal fractions read as percentages: interests and tax rates", () => {
  assert.equal(f.percent("0.18750000"), "18.75%");
  assert.equal(f.percent("0.046"), "4.6%");
  assert.equal(f.percent("0.00390625"), "0.390625%");
  assert.equal(f.percent("1"), "100%");
  assert.equal(f.percent("0.123456789", 2), "12.35%");
  assert.equal(f.percentOf("10.00"), "10%");
  assert.equal(f.percentOf("12.5"), "12.5%");
});

test("one date style: days, months, spans and moments", () => {
  assert.equal(f.day("2026-12-07"), "Dec 7, 2026");
  assert.equal(f.day("2026-12-07T14:05:00Z").startsWith("Dec 7, 2026"), true);
  assert.equal(f.month("2026-12-01"), "Dec 2026");
  assert.equal(f.month("2026-12"), "Dec 2026");
  assert.equal(f.month("2026-12-01", { long: true }), "December 2026");
  assert.equal(f.month(new Date(2026, 11, 1)), "Dec 2026");
  assert.equal(f.days("2026-12-01", "2026-12-06"), "Dec 1–6, 2026");
  assert.equal(f.days("2026-11-28", "2026-12-03"), "Nov 28 – Dec 3, 2026");
  assert.equal(f.days("2026-12-31", "2027-01-02"), "Dec 31, 2026 – Jan 2, 2027");
  assert.match(f.moment(new Date(2026, 11, 7, 14, 5).toISOString()), /^Dec 7, 2026, 2:05 PM$/);
  assert.equal(f.day("not a day"), "not a day");
});

test("API numbers are dashed, zero sidetrack and event codes left off", () => {
  assert.equal(f.apiNumber("4222731234"), "42-227-31234");
  assert.equal(f.apiNumber("42227312340000"), "42-227-31234");
  assert.equal(f.apiNumber("42-501-20130-03-00"), "42-501-20130-03");
  assert.equal(f.apiNumber("42501201300301"), "42-501-20130-03-01");
  assert.equal(f.apiNumber("12345"), "12345");
});

test("codes in words, and a well's number said once", () => {
  assert.equal(f.words("lease_operating"), "lease operating");
  assert.equal(f.label("shut_in"), "Shut in");
  assert.equal(f.words("afe", { afe: "AFE" }), "AFE");
  assert.equal(f.wellName("Whitfield 10 10"), "Whitfield 10");
  assert.equal(f.wellName("Whitfield 10", "10"), "Whitfield 10");
  assert.equal(f.wellName("Whitfield", "10"), "Whitfield 10");
  assert.equal(f.wellName("Hollis Gas Unit 1", null), "Hollis Gas Unit 1");
  assert.equal(f.wellName("Pruitt 2H", "2h"), "Pruitt 2H");
});
