// #/wells and #/wells/<id>: the wells with the API's filters (kept in the URL); a well's facts, status
// history, tests, production and recent readings.

import { get } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, table, badge, header, failure, useStyle, words } from "../../lib/ui.js";
import { setQuery } from "../../lib/router.js";
import { chartWidth, loadProduction, productionCharts } from "../production/charts.js";
import { volume, volumeDetail, count, day, apiNumber, wellName } from "../../lib/format.js";
import { PAGE, options, kv, filtersForm, pages } from "../../lib/lists.js";
import { identifiersEditor } from "./editors.js";
import { documentsPanel } from "../documents/panel.js";

const WELL_STATUSES = ["proposed", "permitted", "spudded", "drilling", "completing", "producing", "shut_in",
  "temporarily_abandoned", "permanently_abandoned", "plugged"];
const WELL_TYPES = ["oil", "gas", "oil_gas", "injection", "disposal", "water_supply", "observation", "dry_hole"];
export function statusBadge(status) {
  const kind = { producing: "ok", active: "ok", held_by_production: "ok", shut_in: "warn", temporarily_abandoned: "warn" }[status];
  return badge(words(status), kind || (/plugged|abandoned|expired|terminated/.test(status) ? "muted" : "info"));
}

export async function wellsPage(main, params, ctx) {
  useStyle("/assets/styles/office.css");
  const q = ctx.query;
  const chosen = Object.fromEntries(["status", "lease_id", "well_type", "county", "q", "sort"].map((k) => [k, q.get(k) || ""]));
  const offset = Number(q.get("offset")) || 0;
  const [leases, page] = await Promise.all([
    get(paths.leases.list, { limit: 200, sort: "name" }),
    get(paths.wells.list, { ...chosen, limit: PAGE, offset }),
  ]);
  const leaseNames = new Map(leases.items.map((l) => [l.id, l.name]));
  const go = (next) => {
    setQuery(next);
    ctx.navigate("/wells", next);
  };
  const form = filtersForm(
    [
      field("q", "Name or API number", { value: chosen.q }),
      field("status", "Status", { kind: "select", value: chosen.status, options: options(WELL_STATUSES, "Any status") }),
      field("lease_id", "Lease", { kind: "select", value: chosen.lease_id, options: options([...leaseNames.entries()], "Any lease") }),
      field("well_type", "Type", { kind: "select", value: chosen.well_type, options: options(WELL_TYPES, "Any type") }),
      field("county", "County", { value: chosen.county }),
      field("sort", "Sort by", {
        kind: "select",
        value: chosen.sort,
        options: [["", "Name"], ["api_number", "API number"], ["status", "Status"], ["-spud_date", "Newest spud"], ["-created_at", "Newest added"]],
      }),
    ],
    (v) => go({ ...v, offset: "" }),
  );
  mount(
    main,
    header(`Wells (${page.total})`),
    form,
    table(
      [
        { label: "Well", value: (w) => h("a", { href: `#/wells/${w.id}` }, wellName(w.name, w.number)) },
        { label: "API number", value: (w) => apiNumber(w.api_number) },
        { label: "Lease", value: (w) => (w.lease_id ? h("a", { href: `#/leases/${w.lease_id}` }, leaseNames.get(w.lease_id) || "Lease") : "") },
        { label: "Type", value: (w) => words(w.well_type) },
        { label: "Status", value: (w) => statusBadge(w.status) },
        { label: "County", value: (w) => w.county || "" },
        { label: "First production", value: (w) => day(w.first_production_date) },
      ],
      page.items,
      { empty: "No wells match these filters.", caption: "Wells" },
    ),
    pages({ ...page, offset, limit: PAGE, count: page.items.length }, (o) => go({ ...chosen, offset: o })),
  );
}

export async function wellPage(main, params, ctx) {
  useStyle("/assets/styles/office.css");
  const id = params.id;
  const [well, history, tests, readings] = await Promise.all([
    get(paths.wells.one(id)),
    get(paths.wells.statusHistory(id)),
    get(paths.wells.tests(id), { limit: 20 }),
    ctx.can("production", "read") ? get(paths.readings.list, { well_id: params.id, limit: 30 }) : { items: [] },
  ]);
  const productionBox = h("div.production-box", { "aria-busy": "true" }, h("p.loading", "Loading production…"));
  const editorBox = h("div.editor-box");
  // a reading corrected here (with a reason) or a missing day entered: the page shows the saved values after
  const correct = async (reading) => {
    const { readingEditor } = await import("../production/reading-editor.js");
    const target = { well_id: well.id, name: wellName(well.name, well.number), status: well.status };
    const again = () => wellPage(main, params, ctx);
    mount(editorBox, await readingEditor({ well: target, day: reading.production_date, reading, done: again, cancel: () => mount(editorBox) }));
    editorBox.scrollIntoView?.({ block: "start" });
    editorBox.querySelector("input, select")?.focus();
  };
  const canCorrect = ctx.can("production", "write");
  const leaseLink = h("a", { href: `#/leases/${well.lease_id}` }, "Lease");
  mount(
    main,
    header(
      wellName(well.name, well.number),
      h("a.button", { href: `#/dashboard?lease=${well.lease_id}&well=${well.id}` }, "On the dashboard"),
      ctx.can("production", "read") && well.lease_id ? h("a.button", { href: `#/lease-month?lease=${well.lease_id}` }, "Readings by month") : null,
    ),
    h(
      "div.two-col",
      h(
        "section.card",
        h("h2", "Facts"),
        kv([
          ["API number", apiNumber(well.api_number)],
          ["Lease", well.lease_id ? leaseLink : ""],
          ["Status", statusBadge(well.status)],
          ["Type", words(well.well_type)],
          ["Purpose", words(well.purpose)],
          ["County", well.county],
          ["Spud", day(well.spud_date)],
          ["Completion", day(well.completion_date)],
          ["First production", day(well.first_production_date)],
          ["Plugged", day(well.plugged_date)],
          ["Total depth (ft)", count(well.total_depth_ft)],
          ["Horizontal", well.is_horizontal ? "yes" : "no"],
          ["RRC gas well ID", well.gas_well_id],
          ["Drilling permit number", well.permit_number],
        ]),
      ),
      h(
        "section.card.status-history",
        h("h2", "Status history"),
        table(
          [
            { label: "Effective", value: (s) => day(s.effective_date) },
            { label: "From", value: (s) => (s.from_status ? words(s.from_status) : "") },
            { label: "To", value: (s) => statusBadge(s.to_status) },
            { label: "Reason", value: (s) => s.reason || "" },
          ],
          [...history].reverse(),
          { empty: "No status changes recorded.", caption: "Status history" },
        ),
      ),
    ),
    identifiersEditor(well, { canWrite: ctx.can("wells", "write"), done: () => wellPage(main, params, ctx) }),
    ctx.can("production", "read") ? productionBox : null,
    h("h2", "Well tests"),
    table(
      [
        { label: "Date", value: (t) => day(t.test_date) },
        { label: "Oil (bbl/day)", num: true, value: (t) => volume(t.oil_bbl_per_day) },
        { label: "Gas (mcf/day)", num: true, value: (t) => volume(t.gas_mcf_per_day) },
        { label: "Water (bbl/day)", num: true, value: (t) => volume(t.water_bbl_per_day) },
        { label: "Hours", num: true, value: (t) => volume(t.hours) },
        { label: "Notes", value: (t) => t.notes || "" },
      ],
      tests.items,
      { empty: "No well tests recorded.", caption: "Well tests" },
    ),
    h("h2", "Recent readings"),
    editorBox,
    table(
      [
        { label: "Day", value: (r) => day(r.production_date) },
        { label: "Oil (bbl)", num: true, value: (r) => volumeDetail(r.oil_bbl) },
        { label: "Gas (mcf)", num: true, value: (r) => volumeDetail(r.gas_mcf) },
        { label: "Water (bbl)", num: true, value: (r) => volumeDetail(r.water_bbl) },
        { label: "Hours on", num: true, value: (r) => volume(r.hours_on) },
        { label: "Downtime", value: (r) => words(r.downtime_reason || "") },
        { label: "Source", value: (r) => r.source || "" },
        ...(canCorrect
          ? [{ label: "Correct", value: (r) => h("button", { type: "button", "aria-label": `Correct the reading of ${r.production_date}`, on: { click: () => correct(r) } }, r.version > 1 ? `Correct (v${r.version})` : "Correct") }]
          : []),
      ],
      readings.items,
      { empty: "No readings recorded.", caption: "Recent readings" },
    ),
    documentsPanel("well", well.id, ctx, { defaultType: "permit" }),
  );
  if (well.lease_id) get(paths.leases.one(well.lease_id)).then((l) => (leaseLink.textContent = l.name), () => {});
  if (!ctx.can("production", "read")) return;
  try {
    const data = await loadProduction(paths.production.well(id), [well], well.well_type === "gas" ? "gas" : "oil");
    mount(productionBox, productionCharts(data, chartWidth(main), wellName(well.name, well.number)));
  } catch (error) {
    mount(productionBox, failure(error));
  }
  productionBox.removeAttribute("aria-busy");
}
