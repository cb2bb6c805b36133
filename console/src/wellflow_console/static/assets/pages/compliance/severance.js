// #/compliance/severance: severance tax of a month per lease: the price used for each product and whose it is
// (run tickets, accounting's prices, a purchaser statement, or entered here), the lines, the totals, and how the
// owners' share compares with the revenue run. Prices are entered once, as accounting's prices for the month.

import { api, getAll } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, values, showErrors, busy, table, flash, header, num, money, monthLabel, useStyle } from "../../lib/ui.js";
import { CSS, monthOf, monthFilter, again } from "./shared.js";
import { monthPrices, reconciliation, totalsTable, isZero, VALUE_SOURCE, ORIGIN } from "./severance-month.js";

export async function severancePage(main, params, ctx) {
  useStyle(CSS);
  const period = monthOf(ctx.query);
  const canWrite = ctx.can("compliance", "write");
  const books = ctx.can("accounting", "read");
  const reload = again(severancePage, main, params, ctx);
  const [taxes, leases, granted, summary, prices, run] = await Promise.all([
    getAll(paths.severanceTax.list, { month: period }),
    getAll(paths.compliance.leases),
    api("GET", paths.severanceTax.reliefs),
    api("GET", paths.severanceTax.summary(period)).catch((error) => (error.status === 404 ? null : Promise.reject(error))),
    books ? getAll(paths.prices, { month: `${period}-01` }) : null,
    books ? revenueRun(period) : null,
  ]);
  const reliefsOf = (leaseId) => granted.filter((r) => r.lease_id === leaseId);
  const byLease = Object.fromEntries(taxes.map((t) => [t.lease_id, t]));
  const summaryOf = Object.fromEntries((summary?.leases || []).map((s) => [s.lease_id, s]));
  const nameOf = (id) => leases.find((l) => l.id === id)?.name || id;
  mount(
    main,
    header(`Severance tax · ${monthLabel(period)}`),
    monthFilter(period, (v) => ctx.navigate("/compliance/severance", { month: v.month })),
    h(
      "p.hint",
      "Oil 4.6% (at least 4.6¢/BBL), condensate 4.6%, gas 7.5% of market value; taxable volumes are what the Form PR shows. Oil sold on run tickets is valued at the purchaser's price; everything else at the month's price, entered once below (in accounting) and used by the revenue run too.",
    ),
    summary ? totalsTable(summary, nameOf) : h("p.empty", "No tax computed for this month yet: it is computed as soon as a price exists."),
    books ? reconciliation(summary, run, nameOf, period) : null,
    books ? monthPrices(prices, period, leases, ctx.can("accounting", "write"), reload) : h("p.hint", "The month's prices are kept in accounting."),
    leases.length
      ? leases.map((lease) => leaseTax(lease, byLease[lease.id], summaryOf[lease.id], reliefsOf(lease.id), period, canWrite, reload))
      : h("p.empty", "No leases yet."),
  );
}

/** The newest revenue run of the month with its sales, or null. */
async function revenueRun(period) {
  const runs = await getAll(paths.revenue.runs);
  const mine = runs.filter((r) => String(r.month).startsWith(period));
  if (!mine.length) return null;
  mine.sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
  return api("GET", paths.revenue.run(mine[0].id));
}

function leaseTax(lease, tax, totals, reliefs, period, canWrite, reload) {
  const lines = tax?.lines || [];
  return h(
    "section.card.lease-tax",
    { dataset: { leaseId: lease.id }, "aria-label": lease.name },
    h("h2", lease.name, " ", h("span.sub", `${lease.lease_type} lease · district ${lease.rrc_district}`)),
    pricesUsed(lease, tax),
    lines.length
      ? [
          table(
            [
              { label: "Product", value: (l) => [l.product, h("span.sub", COMMODITY[l.commodity] || l.commodity)] },
              { label: "Taxable volume", num: true, value: (l) => num(l.volume) },
              { label: "Gross value", num: true, value: (l) => money(l.gross_value) },
              { label: "Marketing costs", num: true, value: (l) => money(l.marketing_costs) },
              { label: "Market value", num: true, value: (l) => money(l.market_value) },
              { label: "Rate", num: true, value: (l) => rate(l.rate) },
              { label: "Tax", num: true, value: (l) => [money(l.tax), l.minimum_applied ? h("span.sub", "per-barrel floor") : null] },
              { label: "Fee", num: true, value: (l) => money(l.regulatory_fee) },
              { label: "Valued from", value: (l) => VALUE_SOURCE(l.value_source) },
              { label: "Borne by", value: (l) => (l.commodity === "gas_fee" ? "operator (fee)" : l.borne_by_owners ? "owners (revenue run)" : "operator") },
              { label: "Relief", value: (l) => l.relief || "—" },
            ],
            lines,
            { caption: `Tax ${period} (revision ${tax.revision})` },
          ),
          totals
            ? h(
                "p.tax-total",
                "Owners' share ",
                h("strong", money(totals.owners_tax)),
                " · operator's tax ",
                h("strong", money(totals.operator_tax)),
                " · regulatory fees ",
                h("strong", money(totals.regulatory_fees)),
                " · total ",
                h("strong.lease-total", money(totals.total)),
              )
            : null,
        ]
      : h("p.empty", "No price for this month yet: the tax is computed when the month's prices are entered above."),
    tax?.warnings?.length ? h("ul.problems", tax.warnings.map((w) => h("li.issue-warning", w))) : null,
    reliefs.length
      ? h(
          "p.reliefs",
          "Reliefs: ",
          reliefs.map((r, i) => [i ? "; " : "", `${r.name} from ${r.effective_from}${r.effective_to ? ` to ${r.effective_to}` : ""}`]),
        )
      : null,
    canWrite ? marketingCostsForm(lease, tax, period, reload) : null,
  );
}

const COMMODITY = {
  crude: "crude oil (10-158)",
  crude_special: "used, lost or unaccounted for (10-165)",
  condensate: "condensate (10-159)",
  gas: "gas sold (10-159)",
  lease_use: "lease use (10-159)",
  flare: "flared or vented (10-159)",
  gas_fee: "regulatory fee (10-159)",
};

/** The price used for each product of the lease and month, and where it came from. */
function pricesUsed(lease, tax) {
  const liquid = lease.lease_type === "gas" ? "Condensate" : "Oil";
  const rows = [];
  const tickets = tax?.ticket_prices;
  if (tickets) {
    rows.push({
      product: liquid,
      price: `${money(tickets.price)}/BBL`,
      from: `run tickets: the purchaser's price (${tickets.tickets} tickets, ${num(tickets.barrels, 2)} BBL, ${money(tickets.value)})`,
    });
  }
  const described = (product, unit, p) => ({
    product,
    price: p.gross_value != null ? `${money(p.gross_value)} received` : `${money(p.price)}/${unit}`,
    from: [ORIGIN[p.origin] || p.origin, isZero(p.marketing_costs) ? "" : ` (marketing costs ${money(p.marketing_costs)})`].join(""),
  });
  const prices = tax?.prices || {};
  const lines = tax?.lines || [];
  const liquidLines = lines.filter((l) => l.product === "oil" || l.product === "condensate");
  const parts = liquidLines.flatMap((l) => String(l.value_source || "").split("+"));
  // the liquid's price is shown where it valued something: what no ticket priced, or used/lost oil without sales
  const liquidUsed = parts.some((p) => !["run_tickets", "month_price"].includes(p)) || (parts.includes("month_price") && !tickets);
  if (prices.liquid && liquidUsed) rows.push(described(tickets ? `${liquid} not on a priced ticket` : liquid, "BBL", prices.liquid));
  if (prices.gas && lines.some((l) => l.product === "gas" && l.commodity !== "gas_fee")) rows.push(described("Gas", "MCF", prices.gas));
  if (!rows.length) return h("p.prices-used.empty", "No price used yet for this lease and month.");
  return h(
    "div.prices-used",
    table(
      [
        { label: "Product", value: (r) => r.product },
        { label: "Price used", num: true, value: (r) => h("strong.price-used", r.price) },
        { label: "From", value: (r) => h("span.price-source", r.from) },
      ],
      rows,
      { caption: `Prices used for ${lease.name}` },
    ),
  );
}

function rate(value) {
  if (value === null || value === undefined || value === "") return "";
  // the API's rate is a fraction (0.046); shown as a percentage without float arithmetic on money
  const n = Number(value) * 100;
  return `${Number.isFinite(n) ? n.toFixed(2).replace(/\.?0+$/, "") : value}%`;
}

/** Gas marketing costs (Tax Code 201.101) are not a price: entered here, per lease and month. */
function marketingCostsForm(lease, tax, period, reload) {
  const prices = tax?.prices || {};
  const form = h(
    "form.prices",
    { novalidate: true, "aria-label": `Gas marketing costs for ${lease.name}` },
    h("h3", "Gas marketing costs"),
    field("gas_marketing_costs", "Marketing costs for the month ($)", {
      kind: "decimal",
      value: prices.gas && !isZero(prices.gas.marketing_costs) ? prices.gas.marketing_costs : "",
      hint: "Compressing, dehydrating, sweetening and delivering: deducted from the gas value (Tax Code 201.101).",
    }),
    h("button", { type: "submit" }, "Save marketing costs"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = values(form);
    const body = {};
    const kept = (p) => (p.gross_value != null ? { gross_value: p.gross_value } : { price: p.price });
    if (prices.liquid?.origin === "entered") body.liquid = kept(prices.liquid); // what was typed here before stays
    const gas = prices.gas?.origin === "entered" ? kept(prices.gas) : {};
    body.gas = { ...gas, marketing_costs: v.gas_marketing_costs || "0" };
    if (!("price" in body.gas) && !("gross_value" in body.gas) && body.gas.marketing_costs === "0") delete body.gas;
    busy(form.querySelector("button[type=submit]"), async () => {
      try {
        if (!body.gas && !body.liquid) return;
        await api("PUT", paths.severanceTax.prices(lease.id, period), { body });
        flash(`Marketing costs saved for ${lease.name}.`);
        await reload();
      } catch (error) {
        showErrors(form, error, { "body.gas.marketing_costs": "gas_marketing_costs", "body.gas": "gas_marketing_costs" });
      }
    });
  });
  return form;
}
