// #/accounting/reconciliation and #/accounting/purchaser-statements: the three-way reconciliation's items
// (filter, resolve) and purchaser statements in (upload through a saved column map, the per-line report, the
// queue of property numbers to map to leases). See docs/reconciliation.md.

import { get, post, put } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, table, pager, badge, flash, header, failure, money, field, values, showErrors, busy, useStyle, monthLabel } from "../../lib/ui.js";
import { setQuery } from "../../lib/router.js";
import { words } from "../../lib/format.js";
import { STYLE, PAGE, leases, partners } from "./shared.js";

const CAUSES = ["ticket_not_paid", "volume_differs", "price_out_of_range", "tax_withheld_and_paid", "form_pr_differs", "revenue_differs"];
const STATE_KIND = { open: "warn", resolved: "ok", cleared: "muted" };

/** #/accounting/reconciliation: items by state, cause, lease and month; resolve one with why. */
export async function reconciliationPage(main, params, ctx) {
  useStyle(STYLE);
  const names = await leases(ctx);
  const state = {
    state: ctx.query.get("state") || "open",
    cause: ctx.query.get("cause") || "",
    month: ctx.query.get("month") || "",
    offset: Number(ctx.query.get("offset")) || 0,
  };
  const list = h("div");
  const filters = h(
    "form.filters.acc-filters",
    { role: "search" },
    field("state", "State", { kind: "select", value: state.state, options: [["", "All"], ["open", "Open"], ["resolved", "Resolved"], ["cleared", "Cleared"]] }),
    field("cause", "Cause", { kind: "select", value: state.cause, options: [["", "Any"], ...CAUSES.map((c) => [c, words(c)])] }),
    field("month", "Month", { kind: "month", value: state.month }),
  );
  const draw = async () => {
    setQuery({ state: state.state, cause: state.cause, month: state.month, offset: state.offset || "" });
    const page = await get(paths.reconciliation.items, {
      state: state.state || undefined,
      cause: state.cause || undefined,
      month: state.month ? `${state.month}-01` : undefined,
      limit: PAGE,
      offset: state.offset,
    });
    mount(
      list,
      table(
        [
          { label: "Month", value: (i) => monthLabel(i.month) },
          { label: "Lease", value: (i) => names.get(i.lease_id) || i.lease_id.slice(0, 8) },
          { label: "Cause", value: (i) => words(i.cause) },
          { label: "What differs", value: (i) => i.message },
          { label: "Difference", num: true, value: (i) => (i.difference === null ? "" : `${i.difference} ${i.unit || ""}`) },
          { label: "State", value: (i) => badge(words(i.state), STATE_KIND[i.state] || "info") },
          { label: "Owner", value: (i) => i.assignee || "" },
          { label: "Resolution", value: (i) => (i.state === "resolved" ? `${i.resolution} (${i.resolved_by})` : ctx.can("accounting", "write") ? resolveForm(i, draw) : "") },
        ],
        page.items,
        { caption: "Reconciliation items", empty: "No differences over tolerance." },
      ),
      pager(page, (offset) => {
        state.offset = offset;
        draw().catch((error) => mount(list, failure(error)));
      }),
    );
  };
  filters.addEventListener("change", () => {
    state.offset = 0;
    state.state = values(filters).state || "";
    state.cause = values(filters).cause || "";
    state.month = values(filters).month || "";
    draw().catch((error) => mount(list, failure(error)));
  });
  filters.addEventListener("submit", (event) => event.preventDefault());
  await draw();
  mount(
    main,
    header("Reconciliation", h("a.button", { href: "#/accounting/purchaser-statements" }, "Purchaser statements")),
    h("p.hint", "Run tickets and gas dispositions, purchaser statements, the Form PR, severance tax and the revenue run, compared per lease and month."),
    filters,
    list,
  );
}

function resolveForm(item, redraw) {
  const form = h(
    "form.acc-resolve",
    field("resolution", "Why it is resolved", { required: true }),
    field("assignee", "Owner", { value: item.assignee || "" }),
    h("button", { type: "submit" }, "Resolve"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button"), async () => {
      try {
        await post(paths.reconciliation.resolve(item.id), values(form));
        flash("Resolved.");
        await redraw();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

/** #/accounting/purchaser-statements: upload a check-stub file through a saved map, its report, the mapping queue. */
export async function statementsPage(main, params, ctx) {
  useStyle(STYLE);
  const [maps, names, people] = await Promise.all([get(paths.purchaserStatements.maps, { limit: 200 }), leases(ctx), partners()]);
  const report = h("div");
  const queue = h("div");
  // no lease preselected: a mapping is kept for every later statement, so "Map" must not take the first lease
  const leaseOptions = [["", "Choose a lease"], ...[...names.entries()].map(([id, name]) => [id, name])];
  const drawQueue = async () => {
    const page = await get(paths.purchaserStatements.unmapped, { limit: 200 });
    mount(
      queue,
      table(
        [
          { label: "Purchaser", value: (q) => people.get(q.purchaser_id)?.name || q.purchaser_id.slice(0, 8) },
          { label: "Property", value: (q) => `${q.property_number}${q.property_name ? ` · ${q.property_name}` : ""}` },
          { label: "Held lines", num: true, value: (q) => String(q.held_lines) },
          { label: "Held value", num: true, value: (q) => money(q.held_gross_value) },
          { label: "Map to lease", value: (q) => (ctx.can("accounting", "write") ? mapForm(q, leaseOptions, drawQueue) : "") },
        ],
        page.items,
        { caption: "Property numbers to map", empty: "Every property number is mapped to a lease." },
      ),
    );
  };
  const upload = h(
    "form.acc-upload",
    field("map_id", "Column map", { kind: "select", required: true, options: maps.items.map((m) => [m.id, `${m.name} (${people.get(m.purchaser_id)?.name || "purchaser"})`]) }),
    h("div.field", h("label", { for: "statement-file" }, "Check-stub file (CSV)"), h("input#statement-file", { type: "file", name: "file", accept: ".csv,text/csv,text/plain", required: true })),
    h("button", { type: "submit" }, "Import"),
  );
  upload.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = upload.querySelector("input[type=file]").files[0];
    if (!file) return;
    await busy(upload.querySelector("button"), async () => {
      try {
        const answer = await post(paths.purchaserStatements.imports, await file.text(), {
          query: { map_id: values(upload).map_id, file_name: file.name },
          headers: { "Content-Type": "text/csv" },
        });
        mount(report, reportView(answer));
        await drawQueue();
      } catch (error) {
        showErrors(upload, error);
      }
    });
  });
  await drawQueue();
  mount(
    main,
    header("Purchaser statements", h("a.button", { href: "#/accounting/reconciliation" }, "Reconciliation")),
    maps.items.length ? (ctx.can("accounting", "write") ? upload : null) : h("p.empty", "No column map is saved yet (PUT /api/v1/purchaser-statements/column-maps)."),
    report,
    h("h2", "Mapping queue"),
    queue,
  );
}

function reportView(r) {
  return h(
    "section.acc-report",
    h("h2", r.replayed ? "This file was imported before: nothing changed" : "Import report"),
    h("p", `${r.rows_total} lines: ${r.rows_imported} imported, ${r.rows_held} held for a property to map, ${r.rows_rejected} refused. ` +
      `${r.lease_months_updated} lease-months priced; ${r.reconciliation?.raised ?? 0} reconciliation items raised.`),
    r.errors.length
      ? table(
          [
            { label: "Line", num: true, value: (e) => String(e.line) },
            { label: "Column", value: (e) => e.column },
            { label: "Problem", value: (e) => e.problem },
          ],
          r.errors,
          { caption: "Refused lines" },
        )
      : null,
  );
}

function mapForm(q, leaseOptions, redraw) {
  const form = h("form.acc-map", field("lease_id", "Lease", { kind: "select", required: true, options: leaseOptions }), h("button", { type: "submit" }, "Map"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button"), async () => {
      try {
        await put(paths.purchaserStatements.propertyMap, { purchaser_id: q.purchaser_id, property_number: q.property_number, lease_id: values(form).lease_id });
        flash(`${q.property_number} mapped; its held lines are applied.`);
        await redraw();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
