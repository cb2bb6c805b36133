// #/dashboard: a lease's or a well's production with its forecast, this month against last, open
// alerts with acknowledge, and the wells below expectation.

import { get } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, table, header, failure, useStyle } from "../../lib/ui.js";
import { setQuery } from "../../lib/router.js";
import { vol, chartWidth, loadProduction, productionCharts, monthVsLast } from "./charts.js";
import { alertsTable, wellNameMap } from "./alerts.js";
import { filtersForm } from "../../lib/lists.js";

export async function dashboardPage(main, params, ctx) {
  useStyle("/assets/styles/office.css");
  const [leases, names, open, below] = await Promise.all([
    get(paths.leases.list, { limit: 200, sort: "name" }),
    wellNameMap(),
    get(paths.alerts.list, { acknowledged: false, limit: 10 }),
    get(paths.alerts.list, { kind: "below_expectation", acknowledged: false, limit: 100 }),
  ]);
  if (!leases.items.length) {
    mount(main, header("Dashboard"), h("p.empty", "No leases yet. Add leases and wells to see their production here."));
    return;
  }
  const leaseId = leases.items.some((l) => l.id === ctx.query.get("lease")) ? ctx.query.get("lease") : leases.items[0].id;
  const lease = leases.items.find((l) => l.id === leaseId);
  const wells = (await get(paths.wells.list, { lease_id: leaseId, limit: 200, sort: "name" })).items;
  const well = wells.find((w) => w.id === ctx.query.get("well")) || null;

  const picker = filtersForm(
    [
      field("lease", "Lease", { kind: "select", value: leaseId, options: leases.items.map((l) => [l.id, l.name]) }),
      field("well", "Well", { kind: "select", value: well?.id || "", options: [["", "All wells of the lease"], ...wells.map((w) => [w.id, w.name])] }),
    ],
    (chosen) => {
      const next = { lease: chosen.lease, well: chosen.lease === leaseId ? chosen.well : "" };
      setQuery(next);
      ctx.navigate("/dashboard", next);
    },
  );
  const productionBox = h("div.production-box", { "aria-busy": "true" }, h("p.loading", "Loading production…"));
  const openBox = h("div");
  const drawOpen = (items) => mount(openBox, alertsTable(items, ctx, names, () => refreshOpen(), "Open alerts"));
  const refreshOpen = async () => drawOpen((await get(paths.alerts.list, { acknowledged: false, limit: 10 })).items);
  drawOpen(open.items);

  mount(
    main,
    header("Dashboard", h("a.button", { href: `#/leases/${leaseId}` }, "Lease page")),
    picker,
    productionBox,
    h("h2", "Open alerts"),
    openBox,
    h("p", h("a", { href: "#/alerts" }, "All alerts")),
    h("h2", "Wells below expectation"),
    belowExpectation(below.items, names),
  );

  const width = chartWidth(main);
  const name = well ? well.name : lease.name;
  const base = well ? paths.production.well(well.id) : paths.production.lease(leaseId);
  const product = (well ? well.well_type : lease.lease_type) === "gas" ? "gas" : "oil";
  try {
    const data = await loadProduction(base, well ? [well] : wells, product);
    mount(productionBox, h("h2", `This month: ${name}`), monthVsLast(data.monthly, width), productionCharts(data, width, name));
  } catch (error) {
    mount(productionBox, failure(error));
  }
  productionBox.removeAttribute("aria-busy");
}

/** The latest open below-expectation alert of each well: actual against expected. */
function belowExpectation(alerts, names) {
  const latest = new Map();
  for (const a of alerts) if (a.well_id && (!latest.has(a.well_id) || latest.get(a.well_id).day < a.day)) latest.set(a.well_id, a);
  return table(
    [
      { label: "Well", value: (a) => h("a", { href: `#/wells/${a.well_id}` }, names.get(a.well_id) || "Well") },
      { label: "Day", value: (a) => a.day },
      { label: "Actual", num: true, value: (a) => `${vol(a.details?.actual)} ${a.details?.unit || ""}` },
      { label: "Expected", num: true, value: (a) => `${vol(a.details?.expected)} ${a.details?.unit || ""}` },
      { label: "Short by", num: true, value: (a) => (a.details?.shortfall_percent ? `${a.details.shortfall_percent}%` : "") },
    ],
    [...latest.values()],
    { empty: "Every well is producing as expected.", caption: "Wells below expectation" },
  );
}
