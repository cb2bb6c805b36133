// Small editors on the lease and well pages: a lease's Form P-4 purchasers and gatherers (a list editor), and
// a well's RRC identifiers (API number, gas well ID, drilling permit number). Each API error is shown beside
// its field: `body.purchasers[1].p5_number` beside row 2's P-5 number, `body.api_number` beside the API number
// (the wells service's structured message, e.g. "holds '²', which is not one of the digits 0-9").

import { patch } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, field, values, showErrors, busy, flash } from "../../lib/ui.js";

export const PRODUCTS = [
  ["oil", "Oil"],
  ["condensate", "Condensate"],
  ["casinghead_gas", "Casinghead gas"],
  ["gas_well_gas", "Gas well gas"],
];
const ROLES = [
  ["purchaser", "Purchaser"],
  ["gatherer", "Gatherer"],
];
const COLUMNS = ["product", "role", "name", "p5_number", "effective_from", "effective_to"];

/** The purchasers as the API takes them from the editor's rows (empty rows left out). */
export function purchasersOf(rows) {
  return rows
    .map((row) => Object.fromEntries(COLUMNS.map((c) => [c, (row[c] ?? "").trim()]).filter(([, v]) => v !== "")))
    .filter((item) => item.name || item.p5_number);
}

/** Where an API error's field path is shown: `body.purchasers[1].p5_number` -> `purchasers[1].p5_number`. */
export function purchaserErrorKey(path) {
  const match = /purchasers\[(\d+)\]\.(\w+)$/.exec(path);
  if (match) return `purchasers[${match[1]}].${match[2]}`;
  const row = /purchasers\[(\d+)\]$/.exec(path);
  return row ? `purchasers[${row[1]}].name` : null;
}

function purchaserRow(index, item = {}) {
  const name = (c) => `purchasers[${index}].${c}`;
  return h(
    "div.grid.purchaser-row",
    { dataset: { row: String(index) } },
    field(name("product"), "Product", { kind: "select", value: item.product || "oil", options: PRODUCTS }),
    field(name("role"), "Role", { kind: "select", value: item.role || "purchaser", options: ROLES }),
    field(name("name"), "Name", { value: item.name }),
    field(name("p5_number"), "P-5 number", { kind: "integer", value: item.p5_number, hint: "6 digits", attrs: { maxlength: 6 } }),
    field(name("effective_from"), "From", { kind: "date", value: item.effective_from }),
    field(name("effective_to"), "To (exclusive)", { kind: "date", value: item.effective_to }),
  );
}

function rowsOf(form) {
  const flat = values(form);
  const rows = [];
  for (const [key, value] of Object.entries(flat)) {
    const match = /^purchasers\[(\d+)\]\.(\w+)$/.exec(key);
    if (match) (rows[Number(match[1])] ||= {})[match[2]] = value;
  }
  return rows.filter(Boolean);
}

/** The lease's Form P-4 purchasers and gatherers, editable by those who may manage the registry. */
export function purchasersEditor(lease, { canWrite, done }) {
  const items = lease.purchasers || [];
  if (!canWrite) return null;
  const list = h("div.purchaser-rows", items.map((item, i) => purchaserRow(i, item)));
  const add = h("button", { type: "button" }, "Add a purchaser or gatherer");
  add.addEventListener("click", () => list.append(purchaserRow(list.children.length)));
  const form = h(
    "form.card.purchasers-editor",
    { novalidate: true },
    h("h2", "Purchasers and gatherers (Form P-4)"),
    h("p.hint", "Each product's purchaser and gatherer as on the lease's Form P-4, with their 6-digit P-5 numbers."),
    list,
    h("div.actions", add, h("button.primary", { type: "submit" }, "Save purchasers")),
  );
  if (!items.length) list.append(purchaserRow(0));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      const rows = rowsOf(form);
      const kept = rows.map((_, i) => i).filter((i) => purchasersOf([rows[i]]).length); // API index -> row
      try {
        await patch(paths.leases.one(lease.id), { purchasers: purchasersOf(rows) });
        flash("Purchasers saved.");
        done?.();
      } catch (error) {
        const names = {};
        for (const e of error.errors || []) {
          const key = purchaserErrorKey(String(e.field || ""));
          if (key) names[e.field] = key.replace(/^purchasers\[(\d+)\]/, (_, n) => `purchasers[${kept[Number(n)] ?? n}]`);
        }
        showErrors(form, error, names);
      }
    });
  });
  return form;
}

/** A well's RRC identifiers: API number, gas well ID, drilling permit number. */
export function identifiersEditor(well, { canWrite, done }) {
  if (!canWrite) return null;
  const form = h(
    "form.card.identifiers-editor",
    { novalidate: true },
    h("h2", "RRC identifiers"),
    h(
      "div.grid",
      field("api_number", "API number", {
        value: well.api_number,
        hint: "10, 12 or 14 digits 0-9, plain or dashed: 42-501-20130-03-00",
        attrs: { autocomplete: "off", spellcheck: "false" },
      }),
      field("gas_well_id", "Gas well ID", { value: well.gas_well_id, hint: "the RRC's gas well ID (gas wells)" }),
      field("permit_number", "Drilling permit number", { kind: "integer", value: well.permit_number, attrs: { maxlength: 7 } }),
    ),
    h("button.primary", { type: "submit" }, "Save identifiers"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      const body = values(form);
      for (const key of ["gas_well_id", "permit_number"]) body[key] ??= null;
      try {
        await patch(paths.wells.one(well.id), body);
        flash("Identifiers saved.");
        done?.();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
