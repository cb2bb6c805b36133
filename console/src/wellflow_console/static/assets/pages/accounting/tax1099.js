// #/accounting/1099: a year's 1099s per owner (from the payments sent in the year), recipient copies as PDF,
// and the IRS file (Publication 1220) with its corrections.

import { get, post, download, newId } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, table, pager, badge, flash, header, failure, money, num, dateTime, useStyle, field, values, busy, showErrors } from "../../lib/ui.js";
import { setQuery } from "../../lib/router.js";
import { STYLE, PAGE } from "./shared.js";

const BOXES = [
  ["", "Any box"],
  ["misc-2", "1099-MISC box 2 (royalties)"],
  ["misc-1", "1099-MISC box 1 (rents)"],
  ["misc-4", "1099-MISC box 4 (withheld)"],
  ["nec-1", "1099-NEC box 1 (working interest)"],
  ["nec-4", "1099-NEC box 4 (withheld)"],
];

const amount = (owner, form, box) => owner.boxes.find((b) => b.form === form && b.box === box)?.amount ?? "0.00";

function saveFile(path, name) {
  return (event) =>
    busy(event.currentTarget, async () => {
      try {
        await download(path, name);
      } catch (error) {
        flash(error.message || "The file could not be downloaded.", "bad");
      }
    });
}

function ownerTable(page, year) {
  return table(
    [
      { label: "Owner", value: (o) => `${o.name} (${o.owner_number || "no number"})` },
      { label: "TIN", value: (o) => (o.needs_tin ? badge("TIN missing", "bad") : o.tax_id || (o.exempt_from_1099 ? badge("exempt", "muted") : "—")) },
      { label: "Forms due", value: (o) => o.forms_due.join(", ") || "none" },
      { label: "MISC 2 royalties", num: true, value: (o) => money(amount(o, "1099-MISC", "2")) },
      { label: "NEC 1 working interest", num: true, value: (o) => money(amount(o, "1099-NEC", "1")) },
      { label: "Withheld (box 4)", num: true, value: (o) => money(o.reconciliation.backup_withholding) },
      { label: "Net paid", num: true, value: (o) => money(o.reconciliation.net_paid) },
      {
        label: "Recipient copy",
        value: (o) =>
          o.forms_due.length
            ? h("button.link", { type: "button", "aria-label": `PDF for ${o.name}`, on: { click: saveFile(`${paths.tax1099.owner(o.partner_id)}?year=${year}&format=pdf`, "1099.pdf") } }, "PDF")
            : "—",
      },
    ],
    page.items,
    { caption: `1099s for ${year}`, empty: "No owner matches: nothing was paid in this year, or the filters leave none." },
  );
}

function filingForm(year, onFiled) {
  const form = h(
    "form.card.acc-run",
    { novalidate: true },
    h("h2", "IRS file (Publication 1220)"),
    field("kind", "File", { kind: "select", value: "original", options: [["original", "Original: every return not yet filed"], ["correction", "Corrections: every filed return that changed"]] }),
    field("test", "Test file (for the IRS's test system)", { kind: "checkbox" }),
    h("button.primary", { type: "submit" }, "Write the file"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      try {
        const body = values(form);
        const filing = await post(paths.tax1099.filings, { year, kind: body.kind, test: Boolean(body.test) }, { idempotencyKey: newId() });
        flash(`${filing.payees} returns written.`);
        onFiled();
      } catch (error) {
        showErrors(form, error);
        const owners = error.problem?.owners_without_tin;
        if (owners?.length) flash(`No TIN for: ${owners.map((o) => `${o.name} (${o.owner_number})`).join(", ")}`, "bad");
      }
    });
  });
  return form;
}

function filingTable(filings) {
  return table(
    [
      { label: "Written", value: (f) => dateTime(f.created_at) },
      { label: "Kind", value: (f) => [f.kind, f.test ? " (test)" : ""].join("") },
      { label: "Returns", num: true, value: (f) => num(f.payees) },
      { label: "File", value: (f) => h("button.link", { type: "button", on: { click: saveFile(paths.tax1099.file(f.id), "irs-1099.txt") } }, "Download") },
    ],
    filings,
    { caption: "Files written", empty: "No file written for this year yet." },
  );
}

/** #/accounting/1099?year=&box=&needs_tin=&offset= */
export async function tax1099Page(main, params, ctx) {
  useStyle(STYLE);
  const state = {
    year: Number(ctx.query.get("year")) || new Date().getFullYear() - 1,
    box: ctx.query.get("box") || "",
    needsTin: ctx.query.get("needs_tin") === "true",
    offset: Number(ctx.query.get("offset")) || 0,
  };
  const list = h("div");
  const files = h("div");
  const draw = async () => {
    setQuery({ year: state.year, box: state.box, needs_tin: state.needsTin ? "true" : "", offset: state.offset || "" });
    const query = { year: state.year, box: state.box || undefined, needs_tin: state.needsTin ? "true" : undefined, limit: PAGE, offset: state.offset };
    const [page, filings] = await Promise.all([get(paths.tax1099.list, query), get(paths.tax1099.filings, { year: state.year })]);
    mount(list, ownerTable(page, state.year), pager(page, (offset) => {
      state.offset = offset;
      draw().catch((error) => mount(list, failure(error)));
    }));
    mount(files, filingTable(filings));
  };
  const filters = h(
    "form.filters.acc-filters",
    { role: "search" },
    field("year", "Year paid", { kind: "integer", value: String(state.year) }),
    field("box", "Box", { kind: "select", value: state.box, options: BOXES }),
    field("needs_tin", "Only owners without a TIN", { kind: "checkbox", value: state.needsTin }),
  );
  filters.addEventListener("change", () => {
    const chosen = values(filters);
    Object.assign(state, { year: Number(chosen.year) || state.year, box: chosen.box || "", needsTin: Boolean(chosen.needs_tin), offset: 0 });
    draw().catch((error) => mount(list, failure(error)));
  });
  filters.addEventListener("submit", (event) => event.preventDefault());
  await draw();
  mount(
    main,
    header(
      "1099s",
      h("button", { type: "button", on: { click: (event) => saveFile(`${paths.tax1099.copies}?year=${state.year}`, `1099-recipient-copies-${state.year}.pdf`)(event) } }, "All recipient copies (PDF)"),
    ),
    h("p.hint", "Amounts are gross (before severance tax and deductions) of the payments sent in the year: royalties on 1099-MISC box 2 from $10, working-interest proceeds on 1099-NEC box 1, backup withholding in box 4."),
    filters,
    list,
    ctx.can("accounting", "write") ? filingForm(state.year, () => draw().catch((error) => mount(list, failure(error)))) : null,
    h("h2", "Files"),
    files,
  );
}
