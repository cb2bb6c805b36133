// The lease page's Form P-4 editor (pages/wells/editors.js): the rows it sends and where each API error lands.
import { test } from "node:test";
import assert from "node:assert/strict";

import { installBrowser } from "./browser.js";

installBrowser();
const { purchasersOf, purchaserErrorKey } = await import("../src/wellflow_console/static/assets/pages/wells/editors.js");

test("empty rows are left out and blank cells are not sent", () => {
  const rows = [
    { product: "oil", role: "purchaser", name: " Plains ", p5_number: "667884", effective_from: "" },
    { product: "oil", role: "purchaser", name: "", p5_number: "" },
    { product: "casinghead_gas", role: "gatherer", name: "Targa", p5_number: "12345", effective_to: "2026-12-01" },
  ];
  assert.deepEqual(purchasersOf(rows), [
    { product: "oil", role: "purchaser", name: "Plains", p5_number: "667884" },
    { product: "casinghead_gas", role: "gatherer", name: "Targa", p5_number: "12345", effective_to: "2026-12-01" },
  ]);
});

test("an error on a row's field is shown beside that row's field", () => {
  assert.equal(purchaserErrorKey("body.purchasers[1].p5_number"), "purchasers[1].p5_number");
  assert.equal(purchaserErrorKey("body.purchasers[0]"), "purchasers[0].name");
  assert.equal(purchaserErrorKey("body.name"), null);
});
