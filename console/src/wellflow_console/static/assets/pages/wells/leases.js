// #/leases and #/leases/<id>: the leases with their filters; a lease's wells and production.

import { get } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, table, header, failure, useStyle, words } from "../../lib/ui.js";
import { setQuery } from "../../lib/router.js";
import { chartWidth, loadProduction, productionCharts } from "../production/charts.js";
import { PAGE, options, kv, filtersForm, pages } from "../../lib/lists.js";
import { day, percent, apiNumber, wellName } from "../../lib/format.js";
import { statusBadge } from "./wells.js";
import { purchasersEditor, PRODUCTS } from "./editors.js";
import { documentsPanel } from "../documents/panel.js";

const PRODUCT_NAMES = Object.fromEntries(PRODUCTS);

const LEASE_STATUSES = ["active", "held_by_production", "expired", "terminated"];

export async function leasesPage(main, params, ctx) {
  useStyle("/assets/styles/office.css");
  const q = ctx.query;
  const chosen = Object.fromEntries(["status", "county", "rrc_district", "q"].map((k) => [k, q.get(k) || ""]));
  const offset = Number(q.get("offset")) || 0;
  const page = await get(paths.leases.list, { ...chosen, limit: PAGE, offset, sort: "name" });
  const go = (next) => {
    setQuery(next);
    ctx.navigate("/leases", next);
  };
  const form = filtersForm(
    [
      field("q", "Name or lease number", { value: chosen.q }),
      field("status", "Status", { kind: "select", value: chosen.status, options: options(LEASE_STATUSES, "Any status") }),
      field("county", "County", { value: chosen.county }),
      field("rrc_district", "RRC district", { value: chosen.rrc_district }),
    ],
    (v) => go({ ...v, offset: "" }),
  );
  mount(
    main,
    header(`Leases (${page.total})`),
    form,
    table(
      [
        { label: "Lease", value: (l) => h("a", { href: `#/leases/${l.id}` }, l.name) },
        { label: "RRC district", value: (l) => l.rrc_district || "" },
        { label: "RRC lease number", value: (l) => l.rrc_lease_number || (l.rrc_lease_number_pending ? "pending" : "") },
        { label: "Type", value: (l) => words(l.lease_type) },
        { label: "County", value: (l) => l.county || "" },
        { label: "Status", value: (l) => statusBadge(l.status) },
      ],
      page.items,
      { empty: "No leases match these filters.", caption: "Leases" },
    ),
    pages({ ...page, offset, limit: PAGE, count: page.items.length }, (o) => go({ ...chosen, offset: o })),
  );
}

export async function leasePage(main, params, ctx) {
  useStyle("/assets/styles/office.css");
  const id = params.id;
  const [lease, wells] = await Promise.all([
    get(paths.leases.one(id)),
    get(paths.wells.list, { lease_id: params.id, limit: 200, sort: "name" }),
  ]);
  const productionBox = h("div.production-box", { "aria-busy": "true" }, h("p.loading", "Loading production…"));
  mount(
    main,
    header(
      lease.name,
      h("a.button", { href: `#/dashboard?lease=${lease.id}` }, "On the dashboard"),
      ctx.can("production", "read") ? h("a.button", { href: `#/lease-month?lease=${lease.id}` }, "Readings by month") : null,
    ),
    h(
      "section.card",
      kv([
        ["RRC district", lease.rrc_district],
        ["RRC lease number", lease.rrc_lease_number || (lease.rrc_lease_number_pending ? "pending" : "")],
        ["Type", words(lease.lease_type)],
        ["Status", statusBadge(lease.status)],
        ["County", lease.county],
        ["Lessor", lease.lessor],
        ["Royalty rate", percent(lease.royalty_rate)],
        ["Effective", day(lease.effective_date)],
        ["Expires", day(lease.expiration_date)],
      ]),
    ),
    (lease.purchasers || []).length
      ? table(
          [
            { label: "Product", value: (p) => PRODUCT_NAMES[p.product] || p.product },
            { label: "Role", value: (p) => words(p.role) },
            { label: "Name", value: (p) => p.name },
            { label: "P-5 number", value: (p) => p.p5_number },
            { label: "From", value: (p) => day(p.effective_from) },
            { label: "To", value: (p) => day(p.effective_to) },
          ],
          lease.purchasers,
          { caption: "Purchasers and gatherers (Form P-4)" },
        )
      : null,
    purchasersEditor(lease, { canWrite: ctx.can("wells", "write"), done: () => leasePage(main, params, ctx) }),
    h("h2", `Wells (${wells.total})`),
    table(
      [
        { label: "Well", value: (w) => h("a", { href: `#/wells/${w.id}` }, wellName(w.name, w.number)) },
        { label: "API number", value: (w) => apiNumber(w.api_number) },
        { label: "Type", value: (w) => words(w.well_type) },
        { label: "Status", value: (w) => statusBadge(w.status) },
        { label: "First production", value: (w) => day(w.first_production_date) },
      ],
      wells.items,
      { empty: "No wells on this lease yet.", caption: "Wells of the lease" },
    ),
    ctx.can("production", "read") ? productionBox : null,
    documentsPanel("lease", lease.id, ctx, { defaultType: "lease" }),
  );
  if (!ctx.can("production", "read")) return;
  try {
    const data = await loadProduction(paths.production.lease(id), wells.items, lease.lease_type === "gas" ? "gas" : "oil");
    mount(productionBox, productionCharts(data, chartWidth(main), lease.name));
  } catch (error) {
    mount(productionBox, failure(error));
  }
  productionBox.removeAttribute("aria-busy");
}
