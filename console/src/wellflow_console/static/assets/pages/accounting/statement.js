// #/accounting/revenue/<run>/statements/<partner> and #/accounting/jib/<run>/statements/<partner>: one owner's
// or partner's statement as it goes out, under the operator's letterhead (logo, legal name, mailing address,
// telephone from the Organization page). A profile item not filled in shows as "not set" with where to set it.

import { get } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, table, header, useStyle, money, num, badge, monthLabel, words } from "../../lib/ui.js";
import { STYLE, downloads, statusBadge } from "./shared.js";

/** The organization's logo (a data URL from the profile), or nothing when there is none or it cannot be read. */
async function logo() {
  try {
    return (await get(paths.organization)).logo || null;
  } catch {
    return null;
  }
}

/** "06/2026" -> "June 2026" */
function month(mmYyyy) {
  const [mm, yyyy] = String(mmYyyy || "").split("/");
  return mm && yyyy ? monthLabel(`${yyyy}-${mm}-01`) : mmYyyy;
}

function notSet(what) {
  return h("span.acc-not-set", badge("not set", "bad"), ` ${what}`);
}

/** The letterhead: logo, name, address, telephone, email, P-5 number; "not set" for what is missing. */
function letterhead(operator, image) {
  return h(
    "section.card.acc-letterhead",
    { "aria-label": "Operator" },
    image ? h("img.acc-logo", { src: image, alt: `${operator.name || "Operator"} logo` }) : null,
    h(
      "div.acc-operator",
      h("p.acc-operator-name", operator.name || notSet("operator name")),
      h("p.acc-operator-address", operator.address || notSet("mailing address")),
      h("p.acc-operator-phone", operator.phone ? ["Telephone ", h("a", { href: `tel:${operator.phone}` }, operator.phone)] : notSet("telephone")),
      operator.email ? h("p", "Email ", h("a", { href: `mailto:${operator.email}` }, operator.email)) : null,
      operator.rrc_operator_number ? h("p", `RRC operator number ${operator.rrc_operator_number}`) : null,
    ),
    operator.notice
      ? h("p.acc-profile-notice", { role: "status" }, operator.notice, " ", h("a", { href: "#/organization" }, "Open the Organization page"))
      : null,
  );
}

function facts(items) {
  return h("dl.acc-facts", items.flatMap(([label, value]) => [h("dt", label), h("dd", value)]));
}

/** #/accounting/revenue/:id/statements/:partnerId */
export async function ownerStatementPage(main, params) {
  useStyle(STYLE);
  const path = paths.revenue.statement(params.id, params.partnerId);
  const [statement, image] = await Promise.all([get(path), logo()]);
  const { owner, operator, summary } = statement;
  mount(
    main,
    h("p.acc-back", h("a", { href: `#/accounting/revenue/${params.id}` }, "← Revenue run")),
    header(h("span", `Owner statement · ${month(statement.sales_month)} `, statusBadge(statement.status)), downloads(path, owner.name)),
    letterhead(operator, image),
    facts([
      ["Owner", `${owner.name} · owner ${owner.owner_number || "not numbered"}`],
      ["Owner address", owner.address || "not on file"],
      ["Tax id", owner.tax_id || "not on file"],
      ["Sales month", month(statement.sales_month)],
    ]),
    table(
      [
        { label: "Lease / well", value: (l) => l.lease },
        { label: "County", value: (l) => l.county_state },
        { label: "Product", value: (l) => words(l.product) },
        { label: "Volume sold", num: true, value: (l) => num(l.volume_sold, 2) },
        { label: "Price", num: true, value: (l) => money(l.price) },
        { label: "Taxes", num: true, value: (l) => money(l.severance_tax) },
        { label: "Deductions", num: true, value: (l) => money(l.other_deductions) },
        { label: "Net value", num: true, value: (l) => money(l.net_value) },
        { label: "Owner decimal", num: true, value: (l) => l.owner_decimal },
        { label: "Owner before taxes", num: true, value: (l) => money(l.owner_gross) },
        { label: "Owner after deductions", num: true, value: (l) => money(l.owner_net) },
        { label: "Note", value: (l) => l.note },
      ],
      statement.lines,
      { caption: "Check stub lines", empty: "No lines for this owner." },
    ),
    facts([
      ["Owner share after deductions", money(summary.total_owner_net)],
      ["Held for title", money(summary.held_for_title)],
      ["Paid", money(summary.paid)],
      ["Payment decision", words(summary.reason)],
    ]),
  );
}

/** #/accounting/jib/:id/statements/:partnerId */
export async function jibStatementPage(main, params) {
  useStyle(STYLE);
  const path = paths.jib.statement(params.id, params.partnerId);
  const [statement, image] = await Promise.all([get(path), logo()]);
  const { partner, operator } = statement;
  mount(
    main,
    h("p.acc-back", h("a", { href: `#/accounting/jib/${params.id}` }, "← JIB run")),
    header(h("span", `JIB statement · ${month(statement.month)} `, statusBadge(statement.status)), downloads(path, partner.name)),
    letterhead(operator, image),
    facts([
      ["Partner", `${partner.name} · partner ${partner.owner_number || "not numbered"}`],
      ["Month", month(statement.month)],
    ]),
    table(
      [
        { label: "Date", value: (l) => l.incurred_on },
        { label: "Property", value: (l) => l.lease },
        { label: "Well", value: (l) => l.well || "" },
        { label: "AFE", value: (l) => l.afe_number || "" },
        { label: "Category", value: (l) => words(l.category) },
        { label: "Gross", num: true, value: (l) => money(l.gross) },
        { label: "Decimal", num: true, value: (l) => l.decimal },
        { label: "Net", num: true, value: (l) => money(l.net) },
      ],
      statement.lines,
      { caption: "Charges", empty: "No charges this month." },
    ),
    facts([
      ["Prior balance", money(statement.prior_balance)],
      ["Billed this month", money(statement.billed)],
      ["Payments received", money(statement.payments)],
      ["Balance due", money(statement.balance_due)],
    ]),
  );
}
