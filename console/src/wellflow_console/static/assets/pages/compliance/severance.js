// #/compliance/severance: severance tax of a month per lease, with its reliefs and the prices form.

import { api, getAll } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, values, showErrors, busy, table, flash, header, num, money, monthLabel, useStyle } from "../../lib/ui.js";
import { CSS, monthOf, monthFilter, again } from "./shared.js";

export async function severancePage(main, params, ctx) {
  useStyle(CSS);
  const period = monthOf(ctx.query);
  const canWrite = ctx.can("compliance", "write");
  const reload = again(severancePage, main, params, ctx);
  const [taxes, leases] = await Promise.all([
    getAll(paths.severanceTax.list, { month: period }),
    getAll(paths.compliance.leases),
  ]);
  const granted = await api("GET", paths.severanceTax.reliefs);
  const reliefsOf = (leaseId) => granted.filter((r) => r.lease_id === leaseId);
  const byLease = Object.fromEntries(taxes.map((t) => [t.lease_id, t]));
  const totals = taxes.filter((t) => t.total_tax !== null);
  mount(
    main,
    header(`Severance tax · ${monthLabel(period)}`),
    monthFilter(period, (v) => ctx.navigate("/compliance/severance", { month: v.month })),
    h(
      "p.hint",
      "Oil 4.6% (at least 4.6¢/BBL), condensate 4.6%, gas 7.5% of market value; taxable volumes are what the Form PR shows sold. Enter the month's prices per lease: the tax is computed at once and again whenever the volumes change.",
    ),
    totals.length
      ? table(
          [
            { label: "Lease", value: (t) => leaseName(leases, t.lease_id) },
            { label: "Tax", num: true, value: (t) => money(t.total_tax) },
            { label: "Regulatory fees", num: true, value: (t) => money(t.total_regulatory_fees) },
          ],
          totals,
          { caption: "Computed this month" },
        )
      : null,
    leases.length
      ? leases.map((lease) => leaseTax(lease, byLease[lease.id], reliefsOf(lease.id), period, canWrite, reload))
      : h("p.empty", "No leases yet."),
  );
}

function leaseName(leases, id) {
  return leases.find((l) => l.id === id)?.name || id;
}

function leaseTax(lease, tax, reliefs, period, canWrite, reload) {
  const liquid = lease.lease_type === "gas" ? "condensate" : "oil";
  const lines = tax?.lines || [];
  return h(
    "section.card.lease-tax",
    { dataset: { leaseId: lease.id }, "aria-label": lease.name },
    h("h2", lease.name, " ", h("span.sub", `${lease.lease_type} lease · district ${lease.rrc_district}`)),
    lines.length
      ? [
          table(
            [
              { label: "Product", value: (l) => l.product },
              { label: "Taxable volume", num: true, value: (l) => num(l.volume) },
              { label: "Gross value", num: true, value: (l) => money(l.gross_value) },
              { label: "Marketing costs", num: true, value: (l) => money(l.marketing_costs) },
              { label: "Market value", num: true, value: (l) => money(l.market_value) },
              { label: "Rate", num: true, value: (l) => rate(l.rate) },
              { label: "Tax", num: true, value: (l) => [money(l.tax), l.minimum_applied ? h("span.sub", "per-barrel floor") : null] },
              { label: "Fee", num: true, value: (l) => money(l.regulatory_fee) },
              { label: "Relief", value: (l) => l.relief || "—" },
            ],
            lines,
            { caption: `Tax ${period} (revision ${tax.revision})` },
          ),
          h("p.tax-total", "Total tax ", h("strong", money(tax.total_tax)), " · regulatory fees ", h("strong", money(tax.total_regulatory_fees))),
        ]
      : h("p.empty", "No prices entered for this month: the tax is computed when they are."),
    reliefs.length
      ? h(
          "p.reliefs",
          "Reliefs: ",
          reliefs.map((r, i) => [i ? "; " : "", `${r.name} from ${r.effective_from}${r.effective_to ? ` to ${r.effective_to}` : ""}`]),
        )
      : null,
    canWrite ? pricesForm(lease, liquid, period, reload) : null,
  );
}

function rate(value) {
  if (value === null || value === undefined || value === "") return "";
  // the API's rate is a fraction (0.046); shown as a percentage without float arithmetic on money
  const n = Number(value) * 100;
  return `${Number.isFinite(n) ? n.toFixed(2).replace(/\.?0+$/, "") : value}%`;
}

const PRICE_NAMES = {
  "body.liquid": "liquid_price",
  "body.liquid.price": "liquid_price",
  "body.liquid.gross_value": "liquid_gross_value",
  "body.liquid.marketing_costs": "liquid_price",
  "body.gas": "gas_price",
  "body.gas.price": "gas_price",
  "body.gas.gross_value": "gas_gross_value",
  "body.gas.marketing_costs": "gas_marketing_costs",
};

function pricesForm(lease, liquid, period, reload) {
  const form = h(
    "form.prices",
    { novalidate: true, "aria-label": `Prices for ${lease.name}` },
    h("h3", "Prices for the month"),
    h(
      "div.grid",
      field("liquid_price", `${liquid === "oil" ? "Oil" : "Condensate"} price ($/BBL)`, { kind: "decimal" }),
      field("liquid_gross_value", `or ${liquid} receipts ($)`, { kind: "decimal" }),
      field("gas_price", "Gas price ($/MCF)", { kind: "decimal" }),
      field("gas_gross_value", "or gas receipts ($)", { kind: "decimal" }),
      field("gas_marketing_costs", "Gas marketing costs ($)", { kind: "decimal" }),
    ),
    h("button.primary", { type: "submit" }, "Save prices and compute"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = values(form);
    const product = (price, gross, costs) => {
      if (v[price] === undefined && v[gross] === undefined) return undefined;
      const out = {};
      if (v[price] !== undefined) out.price = v[price];
      if (v[gross] !== undefined) out.gross_value = v[gross];
      if (costs && v[costs] !== undefined) out.marketing_costs = v[costs];
      return out;
    };
    const body = { liquid: product("liquid_price", "liquid_gross_value"), gas: product("gas_price", "gas_gross_value", "gas_marketing_costs") };
    busy(form.querySelector("button[type=submit]"), async () => {
      try {
        await api("PUT", paths.severanceTax.prices(lease.id, period), { body: JSON.parse(JSON.stringify(body)) });
        flash(`Tax computed for ${lease.name}.`);
        await reload();
      } catch (error) {
        showErrors(form, error, PRICE_NAMES);
      }
    });
  });
  return form;
}
