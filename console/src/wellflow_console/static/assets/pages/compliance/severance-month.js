// The severance page's month: the tax by lease and in total, the month's prices (entered once, in accounting,
// used by the tax and the revenue run alike), and the owners' share compared with the revenue run line by line.

import { api } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, field, values, showErrors, busy, table, flash, money, monthLabel, words } from "../../lib/ui.js";

export const ORIGIN = {
  entered: "entered on this page for the lease",
  purchaser_statement: "the purchaser's statement (accounting)",
  accounting: "accounting: the lease's price",
  accounting_month: "accounting: the month's price",
};

const SOURCE_WORDS = {
  run_tickets: "run tickets (the purchaser's price)",
  month_price: "the month's price (what the sales brought per barrel)",
  form_pr: "Form PR volumes",
  entered_price: "price entered on this page",
  entered_gross_value: "receipts entered on this page",
  purchaser_statement_price: "purchaser statement price",
  purchaser_statement_gross_value: "purchaser statement gross value",
  accounting_price: "accounting: the lease's price",
  accounting_month_price: "accounting: the month's price",
};

/** A line's value_source in words ("run_tickets+accounting_month_price": tickets, the rest at that price). */
export function VALUE_SOURCE(source) {
  if (!source) return "";
  return String(source)
    .split("+")
    .map((part) => SOURCE_WORDS[part] || words(part))
    .join(", the rest at ");
}

/** "3409.80" and "3409.8" are the same amount (compared as text: the console does no arithmetic on money). */
function canon(value) {
  let text = String(value ?? "0").trim();
  const negative = text.startsWith("-");
  text = text.replace(/^[-+]/, "");
  let [whole, fraction = ""] = text.split(".");
  whole = whole.replace(/^0+(?=\d)/, "") || "0";
  fraction = fraction.replace(/0+$/, "");
  const out = fraction ? `${whole}.${fraction}` : whole;
  return negative && out !== "0" ? `-${out}` : out;
}

export const sameAmount = (a, b) => canon(a) === canon(b);
export const isZero = (a) => canon(a) === "0";

/** The month's tax by lease with the totals underneath. */
export function totalsTable(summary, nameOf) {
  const rows = [...summary.leases, { lease_id: null, ...summary.totals }];
  return h(
    "div.tax-summary",
    table(
      [
        { label: "Lease", value: (r) => (r.lease_id ? r.name || nameOf(r.lease_id) : h("strong", "Total")) },
        { label: "Owners' share (revenue run)", num: true, value: (r) => h(r.lease_id ? "span" : "strong.total-owners", money(r.owners_tax)) },
        { label: "Operator's tax", num: true, value: (r) => money(r.operator_tax) },
        { label: "Regulatory fees", num: true, value: (r) => money(r.regulatory_fees) },
        { label: "Total", num: true, value: (r) => h(r.lease_id ? "span" : "strong.total-all", money(r.total)) },
      ],
      rows,
      { caption: "Computed this month" },
    ),
  );
}

const PRODUCT_WORDS = { oil: "Oil", condensate: "Condensate", gas: "Gas" };

/** The owners' share of the tax beside the revenue run's severance, lease by lease, with why they differ. */
export function reconciliation(summary, run, nameOf, period) {
  const box = h("section.card.reconcile", { "aria-label": "Tax and revenue" }, h("h2", "Tax and revenue"));
  if (!run || !summary) {
    box.append(h("p", !run ? `No revenue run for ${monthLabel(period)} yet.` : "No tax computed yet: the revenue run's tax is pending."));
    return box;
  }
  const sales = (run.sales || []).filter((s) => !s.is_adjustment);
  const warnings = run.warnings || [];
  const rows = [];
  for (const lease of summary.leases) {
    const products = new Set([...Object.keys(lease.owners_tax_by_product), ...sales.filter((s) => s.lease_id === lease.lease_id).map((s) => s.product)]);
    for (const product of products) {
      const here = lease.owners_tax_by_product[product] ?? "0";
      const sale = sales.find((s) => s.lease_id === lease.lease_id && s.product === product);
      rows.push({ lease: lease.name || nameOf(lease.lease_id), product, here, there: sale ? sale.severance_tax : null, why: why(here, sale, warnings, lease) });
    }
  }
  const agrees = sameAmount(summary.totals.owners_tax, run.totals.severance_tax);
  box.append(
    h(
      "p.reconcile-verdict",
      `Revenue run (${words(run.status)}): severance tax `,
      h("strong.run-tax", money(run.totals.severance_tax)),
      "; the owners' share computed here: ",
      h("strong", money(summary.totals.owners_tax)),
      agrees ? ". They agree." : ". They differ, line by line below.",
    ),
    table(
      [
        { label: "Lease", value: (r) => r.lease },
        { label: "Product", value: (r) => PRODUCT_WORDS[r.product] || r.product },
        { label: "Owners' share here", num: true, value: (r) => money(r.here) },
        { label: "In the revenue run", num: true, value: (r) => (r.there === null ? "—" : money(r.there)) },
        { label: "", value: (r) => r.why },
      ],
      rows,
      { caption: "Owners' tax, lease by lease" },
    ),
    h(
      "p.hint",
      "Not in the revenue run, by law the operator's: the tax on crude used or lost, lease use and flare (",
      money(summary.totals.operator_tax),
      ") and the regulatory fees (",
      money(summary.totals.regulatory_fees),
      "), paid with the returns.",
    ),
  );
  return box;
}

function why(here, sale, warnings, lease) {
  if (!sale) return isZero(here) ? "" : "not in the revenue run: no sale valued (no deck, no price or nothing sold in accounting)";
  if (sale.tax_source === "pending") return "the run was made before this tax was computed: run it again";
  const differs = warnings.find((w) => w.code === "value-differs" && w.lease_id === String(lease.lease_id) && w.product === sale.product);
  if (sameAmount(here, sale.severance_tax)) return differs ? `agrees; ${differs.problem}` : "agrees";
  if (differs) return differs.problem;
  return `the tax was recomputed after the run (now revision ${lease.revision}): a draft is run again; a finalized month is corrected in the next run`;
}

/** Accounting's prices for the month (every lease, and any lease's own), and the form for those still missing. */
export function monthPrices(prices, period, leases, canWrite, reload) {
  const month = `${period}-01`;
  const forEvery = Object.fromEntries(prices.filter((p) => !p.lease_id).map((p) => [p.product, p]));
  const nameOf = (id) => leases.find((l) => l.id === id)?.name || id;
  const box = h(
    "section.card.month-prices",
    { "aria-label": "The month's prices" },
    h("h2", "The month's prices"),
    h("p.hint", "Entered once, in accounting: the severance tax and the revenue run both use them. A run ticket's own price comes first for the oil it sold."),
    prices.length
      ? table(
          [
            { label: "Product", value: (p) => PRODUCT_WORDS[p.product] || p.product },
            { label: "Price", num: true, value: (p) => money(p.price) },
            { label: "For", value: (p) => (p.lease_id ? nameOf(p.lease_id) : "every lease") },
            { label: "Source", value: (p) => (p.source === "purchaser_statement" ? "purchaser statement" : "entered") },
          ],
          prices,
          { caption: `Prices for ${monthLabel(period)}` },
        )
      : h("p.empty", "No prices for this month yet."),
  );
  const missing = ["oil", "condensate", "gas"].filter((product) => !forEvery[product]);
  if (!canWrite || !missing.length) return box;
  const label = { oil: "Oil ($/BBL)", condensate: "Condensate ($/BBL)", gas: "Gas ($/MCF)" };
  const form = h(
    "form.prices.month-prices-form",
    { novalidate: true, "aria-label": "Enter the month's prices" },
    h("h3", "Enter the month's prices"),
    h("div.grid", missing.map((product) => field(product, label[product], { kind: "decimal" }))),
    h("button.primary", { type: "submit" }, "Save prices"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = values(form);
    busy(form.querySelector("button[type=submit]"), async () => {
      let saved = 0;
      for (const product of missing.filter((p) => v[p] !== undefined)) {
        try {
          await api("PUT", paths.prices, { body: { month, product, price: v[product] } });
          saved += 1;
        } catch (error) {
          showErrors(form, error, { "body.price": product });
          return;
        }
      }
      if (!saved) return;
      flash("Prices saved in accounting: the tax is computed again with them.");
      await settle(period);
      await reload();
    });
  });
  box.append(form);
  return box;
}

/** Compliance values the taxes when accounting's prices reach it (by event): wait until the month's summary has
 * changed and then stayed the same for a moment, at most about five seconds. */
async function settle(period) {
  const read = async () => JSON.stringify(await api("GET", paths.severanceTax.summary(period)).catch(() => null));
  const before = await read();
  let last = before;
  let steady = 0;
  for (let i = 0; i < 20 && steady < 2; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await read();
    steady = now !== before && now === last ? steady + 1 : 0;
    last = now;
  }
}
