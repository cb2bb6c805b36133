/**
 * Accounting pages: revenue distribution runs (a month's owner settlements, suspense, finalize, owner
 * statements as PDF/CSV), joint interest billing runs (partner statements, issue), and AFEs (estimate vs
 * actual by category, lifecycle steps, partner elections). Reads need accounting:read; every action needs
 * accounting:write and is not shown without it. Money stays the API's Decimal strings (shown with money()).
 */

import { get, post, put, download, getAll, ApiError } from "../lib/api.js";
import { paths } from "../lib/paths.js";
import { h, mount, field, values, showErrors, busy, table, pager, badge, flash, header, failure, num, money, lastMonth, isoDate, dateTime, useStyle, words, monthLabel, confirmAction } from "../lib/ui.js";
import { setQuery } from "../lib/router.js";
import { AFE_STATUSES } from "../lib/codes.js";

const STYLE = "/assets/pages/accounting.css";
const PAGE = 50; // every accounting list allows limit 1..200

// --------------------------------------------------------------------------------------------- shared bits

const STATUS_KIND = {
  draft: "warn",
  finalized: "ok",
  issued: "ok",
  pending_approval: "info",
  approved: "ok",
  rejected: "bad",
  in_progress: "info",
  completed: "ok",
  closed: "muted",
};
const statusBadge = (status) => badge(words(status), STATUS_KIND[status] || "info");

let leaseNames = null;
/** Lease id -> name from the wells service (empty when the role cannot read wells). */
async function leases(ctx) {
  if (leaseNames) return leaseNames;
  const map = new Map();
  if (ctx.can("wells", "read")) {
    try {
      for (const lease of await getAll(paths.leases.list)) map.set(lease.id, lease.name);
    } catch {
      /* names are a convenience: ids are shown instead */
    }
  }
  leaseNames = map;
  return map;
}

let partnerNames = null;
async function partners() {
  if (!partnerNames) partnerNames = new Map((await getAll(paths.partners)).map((p) => [p.id, p]));
  return partnerNames;
}

const shortId = (id) => String(id || "").slice(0, 8);

function stats(items) {
  return h(
    "div.stats.acc-stats",
    items.map(([label, value]) => h("div.stat", h("div.value", value), h("div.label", label))),
  );
}

function warningList(warnings, names) {
  if (!warnings?.length) return null;
  return h(
    "div.card.acc-warnings",
    h("h2", `Warnings (${warnings.length})`),
    h(
      "ul.problems",
      warnings.map((w) => h("li", [w.lease_id ? names.get(w.lease_id) || `Lease ${shortId(w.lease_id)}` : null, w.product, w.problem].filter(Boolean).join(" · "))),
    ),
  );
}

/** The month input's value as the API's month: the first day ("2026-09" -> "2026-09-01"). */
function firstDay(value) {
  return /^\d{4}-\d{2}$/.test(value || "") ? `${value}-01` : value;
}

/** "Run a month" form: POST {month} to `path`, then open the run. */
function runForm(title, path, hint, open) {
  const form = h(
    "form.card.acc-run",
    { novalidate: true },
    h("h2", title),
    field("month", "Sales month", { kind: "month", required: true, value: lastMonth().slice(0, 7), hint }),
    h("button.primary", { type: "submit" }, "Run month"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      try {
        const body = values(form);
        const run = await post(path, { month: firstDay(body.month) });
        flash(`${monthLabel(run.month)} computed as a draft.`);
        open(run);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

/**
 * A step that needs a second look (finalize, issue): the first button opens a short explanation with the
 * real button and Cancel, in the page (keyboard-reachable, no browser dialog).
 */
function downloads(path, name) {
  const button = (format) =>
    h(
      "button.link",
      {
        type: "button",
        "aria-label": `${format.toUpperCase()} statement for ${name}`,
        on: {
          click: (event) =>
            busy(event.currentTarget, async () => {
              try {
                await download(`${path}?format=${format}`, `statement.${format}`);
              } catch (error) {
                flash(error.message || "The statement could not be downloaded.", "bad");
              }
            }),
        },
      },
      format.toUpperCase(),
    );
  return h("span.acc-downloads", button("pdf"), " ", button("csv"));
}

/** A list page's status filter and pagination, kept in the URL's query. */
function listState(ctx) {
  return { status: ctx.query.get("status") || "", offset: Number(ctx.query.get("offset")) || 0 };
}

function statusFilter(options, state, onChange) {
  const form = h("form.filters.acc-filters", { role: "search" }, field("status", "Status", { kind: "select", value: state.status, options }));
  form.addEventListener("change", () => onChange(values(form).status || ""));
  form.addEventListener("submit", (event) => event.preventDefault());
  return form;
}

// --------------------------------------------------------------------------------------------- revenue

/** #/accounting/revenue: distribution runs by month, and (for accounting:write) running a month. */
export async function revenuePage(main, params, ctx) {
  useStyle(STYLE);
  const state = listState(ctx);
  const list = h("div");
  const draw = async () => {
    setQuery({ status: state.status, offset: state.offset || "" });
    const page = await get(paths.revenue.runs, { status: state.status, limit: PAGE, offset: state.offset });
    mount(
      list,
      table(
        [
          { label: "Month", value: (r) => h("a", { href: `#/accounting/revenue/${r.id}` }, monthLabel(r.month)) },
          { label: "Status", value: (r) => statusBadge(r.status) },
          { label: "Gross value", num: true, value: (r) => money(r.totals.gross_value) },
          { label: "Net distributed", num: true, value: (r) => money(r.totals.net_distributed) },
          { label: "Paid", num: true, value: (r) => money(r.totals.paid) },
          { label: "Held", num: true, value: (r) => money(r.totals.held_in_suspense) },
          { label: "Owners", num: true, value: (r) => num(r.totals.owners) },
          { label: "Computed", value: (r) => dateTime(r.created_at) },
        ],
        page.items,
        { caption: "Distribution runs", empty: state.status ? "No runs with this status." : "No distribution has been run yet." },
      ),
      pager(page, (offset) => {
        state.offset = offset;
        draw().catch((error) => mount(list, failure(error)));
      }),
    );
  };
  const filters = statusFilter(
    [["", "All"], ["draft", "Draft"], ["finalized", "Finalized"]],
    state,
    (status) => {
      Object.assign(state, { status, offset: 0 });
      draw().catch((error) => mount(list, failure(error)));
    },
  );
  await draw();
  mount(
    main,
    header("Revenue distribution"),
    ctx.can("accounting", "write")
      ? runForm(
          "Run a month",
          paths.revenue.runs,
          "Values the month's sales and splits them among the owners as a draft; running it again replaces the draft.",
          (run) => ctx.navigate(`/accounting/revenue/${run.id}`),
        )
      : null,
    h("h2", "Runs"),
    filters,
    list,
  );
}

/** #/accounting/revenue/:id: a run's totals, warnings, owner settlements with statements, sales, suspense. */
export async function revenueRunPage(main, params, ctx) {
  useStyle(STYLE);
  const id = params.id;
  const [run, names] = await Promise.all([get(paths.revenue.run(id)), leases(ctx)]);
  const t = run.totals;
  const write = ctx.can("accounting", "write");
  const owners = h("div");
  const drawOwners = async (offset) => {
    const page = await get(paths.revenue.statements(id), { limit: PAGE, offset });
    mount(
      owners,
      table(
        [
          { label: "Owner", value: (s) => s.name },
          { label: "Paid", num: true, value: (s) => money(s.paid) },
          { label: "Statement", value: (s) => downloads(paths.revenue.statement(id, s.partner_id), s.name) },
          { label: "Earned", num: true, value: (s) => money(s.earned) },
          { label: "Held for title", num: true, value: (s) => money(s.title_held) },
          { label: "Released", num: true, value: (s) => money(s.released_title) },
          { label: "Brought forward", num: true, value: (s) => money(s.prior_minimum) },
          { label: "Decision", value: (s) => words(s.reason) },
        ],
        page.items,
        { caption: "Owner settlements", empty: "No owner has a share in this run." },
      ),
      pager(page, (next) => drawOwners(next).catch((error) => mount(owners, failure(error)))),
    );
  };
  await drawOwners(0);

  const actions = [];
  if (write && run.status === "draft") {
    actions.push(
      h(
        "button",
        {
          type: "button",
          on: {
            click: (event) =>
              busy(event.currentTarget, async () => {
                try {
                  await post(paths.revenue.runs, { month: run.month });
                  flash("Run again with the latest volumes and prices.");
                  ctx.navigate(`/accounting/revenue/${run.id}`);
                } catch (error) {
                  flash(error.message, "bad");
                }
              }),
          },
        },
        "Run again",
      ),
      confirmAction({
        label: "Finalize",
        question: `Finalizing locks ${monthLabel(run.month)}: owners are paid or held as shown, suspense moves, and the month's prices can no longer change.`,
        yes: `Finalize ${monthLabel(run.month)}`,
        primary: true,
        act: async () => {
          await post(paths.revenue.finalize(id));
          flash(`${monthLabel(run.month)} finalized.`);
          ctx.navigate(`/accounting/revenue/${run.id}`);
        },
     }),
    );
  }

  const locked =
    run.status === "finalized"
      ? h("p.acc-locked", badge("locked", "muted"), ` Finalized ${dateTime(run.finalized_at)}. The month is locked: late corrections appear as adjustments in a later run.`)
      : h("p.acc-locked", "Draft: nothing is paid or held until the run is finalized.");

  mount(
    main,
    h("p.acc-back", h("a", { href: "#/accounting/revenue" }, "← Revenue distribution")),
    header(h("span", `Revenue · ${monthLabel(run.month)} `, statusBadge(run.status)), ...actions),
    locked,
    stats([
      ["Gross value", money(t.gross_value)],
      ["Severance tax", money(t.severance_tax)],
      ["Deductions", money(t.deductions)],
      ["Net distributed", money(t.net_distributed)],
      ["Paid", money(t.paid)],
      ["Held in suspense", money(t.held_in_suspense)],
      ["Released from suspense", money(t.released_from_suspense)],
      ["Adjustments", money(t.adjustments)],
      ["Owners", num(t.owners)],
    ]),
    warningList(run.warnings, names),
    h("h2", "Owners"),
    owners,
    h("h2", "Valued sales"),
    table(
      [
        { label: "Lease", value: (s) => names.get(s.lease_id) || shortId(s.lease_id) },
        { label: "Product", value: (s) => s.product },
        { label: "Volume", num: true, value: (s) => num(s.volume, 2) },
        { label: "Price", num: true, value: (s) => num(s.price, 4) },
        { label: "Gross", num: true, value: (s) => money(s.gross_value) },
        { label: "Tax", num: true, value: (s) => money(s.severance_tax) },
        { label: "Deductions", num: true, value: (s) => money(s.deductions) },
        { label: "Note", value: (s) => (s.is_adjustment ? s.explanation || "adjustment" : words(s.price_source)) },
      ],
      run.sales || [],
      { caption: "Valued sales", empty: "No sales were valued for this month." },
    ),
    await suspenseCard(names),
  );
}

/** The suspense ledger (balances from finalized runs), first page. */
async function suspenseCard(names) {
  try {
    const [page, people] = await Promise.all([get(paths.suspense, { limit: PAGE }), partners()]);
    return h(
      "section.acc-suspense",
      h("h2", "Suspense balances"),
      table(
        [
          { label: "Owner", value: (s) => people.get(s.partner_id)?.name || shortId(s.partner_id) },
          { label: "Reason", value: (s) => words(s.reason) },
          { label: "Lease", value: (s) => (s.lease_id ? names.get(s.lease_id) || shortId(s.lease_id) : "") },
          { label: "Since", value: (s) => monthLabel(s.since) },
          { label: "Balance", num: true, value: (s) => money(s.balance) },
        ],
        page.items,
        { caption: "Suspense balances", empty: "Nothing is held in suspense." },
      ),
      page.total > page.items.length ? h("p.hint", `First ${page.items.length} of ${page.total} balances.`) : null,
    );
  } catch (error) {
    return failure(error);
  }
}

// --------------------------------------------------------------------------------------------- JIB

/** #/accounting/jib: JIB runs by month, and running a month. */
export async function jibPage(main, params, ctx) {
  useStyle(STYLE);
  const state = listState(ctx);
  const list = h("div");
  const draw = async () => {
    setQuery({ status: state.status, offset: state.offset || "" });
    const page = await get(paths.jib.runs, { status: state.status, limit: PAGE, offset: state.offset });
    mount(
      list,
      table(
        [
          { label: "Month", value: (r) => h("a", { href: `#/accounting/jib/${r.id}` }, monthLabel(r.month)) },
          { label: "Status", value: (r) => statusBadge(r.status) },
          { label: "Gross billed", num: true, value: (r) => money(r.totals.gross_billed) },
          { label: "Overhead", num: true, value: (r) => money(r.totals.overhead) },
          { label: "Costs", num: true, value: (r) => num(r.totals.costs) },
          { label: "Partners", num: true, value: (r) => num(r.totals.partners) },
          { label: "Not billed", num: true, value: (r) => num(r.totals.not_billed) },
        ],
        page.items,
        { caption: "JIB runs", empty: state.status ? "No runs with this status." : "No joint interest billing has been run yet." },
      ),
      pager(page, (offset) => {
        state.offset = offset;
        draw().catch((error) => mount(list, failure(error)));
      }),
    );
  };
  const filters = statusFilter([["", "All"], ["draft", "Draft"], ["issued", "Issued"]], state, (status) => {
    Object.assign(state, { status, offset: 0 });
    draw().catch((error) => mount(list, failure(error)));
  });
  await draw();
  mount(
    main,
    header("Joint interest billing"),
    ctx.can("accounting", "write")
      ? runForm(
          "Bill a month",
          paths.jib.runs,
          "Bills every unbilled cost dated before the month ends, plus overhead, as a draft.",
          (run) => ctx.navigate(`/accounting/jib/${run.id}`),
        )
      : null,
    h("h2", "Runs"),
    filters,
    list,
  );
}

/** #/accounting/jib/:id: a JIB run's totals, warnings, partner statements (PDF/CSV) and its issue. */
export async function jibRunPage(main, params, ctx) {
  useStyle(STYLE);
  const id = params.id;
  const [run, names] = await Promise.all([get(paths.jib.run(id)), leases(ctx)]);
  const actions = [];
  if (ctx.can("accounting", "write") && run.status === "draft") {
    actions.push(
      confirmAction({
        label: "Issue",
        question: `Issuing locks ${monthLabel(run.month)}'s JIB: its costs are marked billed and partners' balances become due.`,
        yes: `Issue ${monthLabel(run.month)}`,
        primary: true,
        act: async () => {
          await post(paths.jib.issue(id));
          flash(`${monthLabel(run.month)} issued.`);
          ctx.navigate(`/accounting/jib/${run.id}`);
        },
     }),
    );
  }
  const t = run.totals;
  mount(
    main,
    h("p.acc-back", h("a", { href: "#/accounting/jib" }, "← Joint interest billing")),
    header(h("span", `JIB · ${monthLabel(run.month)} `, statusBadge(run.status)), ...actions),
    run.status === "issued"
      ? h("p.acc-locked", badge("locked", "muted"), ` Issued ${dateTime(run.issued_at)}.`)
      : h("p.acc-locked", "Draft: nothing is billed until the run is issued."),
    stats([
      ["Gross billed", money(t.gross_billed)],
      ["Overhead", money(t.overhead)],
      ["Costs", num(t.costs)],
      ["Partners", num(t.partners)],
      ["Costs not billed", num(t.not_billed)],
    ]),
    warningList(run.warnings, names),
    h("h2", "Partner statements"),
    table(
      [
        { label: "Partner", value: (s) => s.name },
        { label: "Balance due", num: true, value: (s) => money(s.balance_due) },
        { label: "Statement", value: (s) => downloads(paths.jib.statement(id, s.partner_id), s.name) },
        { label: "Prior balance", num: true, value: (s) => money(s.prior_balance) },
        { label: "Billed", num: true, value: (s) => money(s.billed) },
        { label: "Payments", num: true, value: (s) => money(s.payments) },
      ],
      run.statements || [],
      { caption: "Partner statements", empty: "No partner is billed in this run." },
    ),
  );
}

// --------------------------------------------------------------------------------------------- AFEs

// The lifecycle the API enforces (it answers 409 with the allowed steps if this ever disagrees).
const AFE_STEPS = {
  draft: ["pending_approval"],
  pending_approval: ["approved", "rejected", "draft"],
  approved: ["in_progress", "closed"],
  rejected: ["draft", "closed"],
  in_progress: ["completed"],
  completed: ["closed"],
  closed: [],
};
const STEP_LABEL = {
  pending_approval: "Send for approval",
  approved: "Approve",
  rejected: "Reject",
  draft: "Back to draft",
  in_progress: "Start work",
  completed: "Complete",
  closed: "Close",
};

/** #/accounting/afes: AFEs with status filter and search. */
export async function afesPage(main, params, ctx) {
  useStyle(STYLE);
  const state = { ...listState(ctx), q: ctx.query.get("q") || "" };
  const names = await leases(ctx);
  const list = h("div");
  const draw = async () => {
    setQuery({ status: state.status, q: state.q, offset: state.offset || "" });
    const page = await get(paths.afes.list, { status: state.status, q: state.q, limit: PAGE, offset: state.offset });
    mount(
      list,
      table(
        [
          { label: "AFE", value: (a) => h("a", { href: `#/accounting/afes/${a.id}` }, a.afe_number) },
          { label: "Title", value: (a) => a.title },
          { label: "Lease", value: (a) => names.get(a.lease_id) || shortId(a.lease_id) },
          { label: "Status", value: (a) => statusBadge(a.status) },
          { label: "Estimate", num: true, value: (a) => money(a.estimate) },
          { label: "Actual", num: true, value: (a) => money(a.actual) },
        ],
        page.items,
        { caption: "AFEs", empty: state.status || state.q ? "No AFE matches." : "No AFE yet." },
      ),
      pager(page, (offset) => {
        state.offset = offset;
        draw().catch((error) => mount(list, failure(error)));
      }),
    );
  };
  const filters = h(
    "form.filters.acc-filters",
    { role: "search" },
    field("status", "Status", { kind: "select", value: state.status, options: [["", "All"], ...AFE_STATUSES.map((s) => [s, words(s)])] }),
    field("q", "Search", { value: state.q, hint: "AFE number or title" }),
    h("button", { type: "submit" }, "Search"),
  );
  const apply = (event) => {
    event.preventDefault();
    const v = values(filters);
    Object.assign(state, { status: v.status || "", q: v.q || "", offset: 0 });
    draw().catch((error) => mount(list, failure(error)));
  };
  filters.addEventListener("submit", apply);
  filters.querySelector("select").addEventListener("change", apply);
  await draw();
  mount(main, header("AFEs"), filters, list);
}

/** #/accounting/afes/:id: an AFE's estimate vs actual, estimate lines, lifecycle, elections and history. */
export async function afePage(main, params, ctx) {
  useStyle(STYLE);
  const id = params.id;
  const [afe, report, names, people] = await Promise.all([get(paths.afes.one(id)), get(paths.afes.estimateVsActual(id)), leases(ctx), partners()]);
  const write = ctx.can("accounting", "write");
  const reload = () => ctx.navigate(`/accounting/afes/${afe.id}`);
  const partnerName = (id) => people.get(id)?.name || shortId(id);

  const over = Number(report.overrun_percent) > Number(report.threshold_percent);
  const comparison = h(
    "section.acc-eva",
    h("h2", "Estimate vs actual"),
    table(
      [
        { label: "Category", value: (l) => words(l.category) },
        { label: "Estimate", num: true, value: (l) => money(l.estimate) },
        { label: "Actual", num: true, value: (l) => money(l.actual) },
        { label: "Variance", num: true, value: (l) => h(`span.${l.variance.startsWith("-") ? "acc-under" : "acc-over"}`, money(l.variance)) },
      ],
      [...report.lines, { category: "Total", estimate: report.estimate, actual: report.actual, variance: report.variance }],
      { caption: "Estimate vs actual by category", empty: "No estimate lines and no costs yet." },
    ),
    h(
      "p",
      over ? badge("over", "bad") : badge("within", "ok"),
      ` Actual against the approved total: ${num(report.overrun_percent, 2)}%. Past +${num(report.threshold_percent, 2)}% it is an overrun that needs a supplement.`,
    ),
  );

  const stepsBox = h("div.acc-steps");
  if (write && AFE_STEPS[afe.status]?.length) {
    const form = h("form.card", { novalidate: true }, h("h2", "Next step"), field("note", "Note (optional)", { kind: "textarea" }));
    const buttons = AFE_STEPS[afe.status].map((status) =>
      h(status === "rejected" ? "button.danger" : "button.primary", { type: "button", dataset: { status } }, STEP_LABEL[status] || words(status)),
    );
    form.append(h("div.actions", buttons));
    form.addEventListener("submit", (event) => event.preventDefault());
    for (const button of buttons) {
      button.addEventListener("click", () =>
        busy(button, async () => {
          try {
            await post(paths.afes.transitions(id), { status: button.dataset.status, ...values(form) });
            flash(`${afe.afe_number}: ${words(button.dataset.status)}.`);
            reload();
          } catch (error) {
            const banner = showErrors(form, error);
            const allowed = error instanceof ApiError ? error.problem.allowed : null;
            if (Array.isArray(allowed)) banner.append(h("p", `Allowed now: ${allowed.length ? allowed.map(words).join(", ") : "nothing (closed)"}.`));
          }
        }),
      );
    }
    stepsBox.append(form);
  }

  mount(
    main,
    h("p.acc-back", h("a", { href: "#/accounting/afes" }, "← AFEs")),
    header(h("span", `${afe.afe_number} `, statusBadge(afe.status))),
    h("p.acc-title", afe.title),
    h(
      "dl.kv",
      h("dt", "Lease"),
      h("dd", names.get(afe.lease_id) || afe.lease_id),
      afe.description ? [h("dt", "Description"), h("dd", afe.description)] : null,
      h("dt", "Overrun allowed"),
      h("dd", `${num(afe.overrun_percent, 2)}%`),
      afe.parent_afe_id ? [h("dt", "Supplement of"), h("dd", h("a", { href: `#/accounting/afes/${afe.parent_afe_id}` }, "the original AFE"))] : null,
      afe.supplement_ids.length
        ? [h("dt", "Supplements"), h("dd", afe.supplement_ids.map((id, i) => [i ? ", " : "", h("a", { href: `#/accounting/afes/${id}` }, `Supplement ${i + 1}`)]))]
        : null,
    ),
    stats([
      ["Approved total", money(report.estimate)],
      ["Actual", money(report.actual)],
      ["Variance", money(report.variance)],
    ]),
    comparison,
    stepsBox,
    h("h2", "Estimate lines"),
    table(
      [
        { label: "#", num: true, value: (l) => l.line_no },
        { label: "Kind", value: (l) => l.kind },
        { label: "Category", value: (l) => words(l.category) },
        { label: "Description", value: (l) => l.description || "" },
        { label: "Amount", num: true, value: (l) => money(l.amount) },
      ],
      afe.lines,
      { caption: "Estimate lines", empty: "No estimate lines yet." },
    ),
    h("h2", "Partner elections"),
    table(
      [
        { label: "Partner", value: (e) => partnerName(e.partner_id) },
        { label: "Election", value: (e) => badge(words(e.election), e.election === "consent" ? "ok" : "warn") },
        { label: "Decided", value: (e) => e.decided_on },
      ],
      afe.elections,
      { caption: "Partner elections", empty: "No partner has elected yet." },
    ),
    write && afe.status !== "closed" ? electionForm(id, people, reload) : null,
    h("h2", "History"),
    h(
      "ol.acc-history",
      afe.history.map((step) =>
        h("li", h("strong", words(step.to_status)), ` · ${dateTime(step.changed_at)}`, step.note ? ` · ${step.note}` : ""),
      ),
    ),
  );
}

function electionForm(afeId, people, done) {
  const wi = [...people.values()].filter((p) => p.roles.includes("working_interest_partner") && p.status === "active");
  const form = h(
    "form.card.acc-election",
    { novalidate: true },
    h("h3", "Record an election"),
    h(
      "div.grid",
      field("partner_id", "Partner", { kind: "select", required: true, options: [["", "Choose…"], ...wi.map((p) => [p.id, p.name])] }),
      field("election", "Election", { kind: "select", required: true, options: [["consent", "Consent"], ["non_consent", "Non-consent"]] }),
      field("decided_on", "Decided on", { kind: "date", required: true, value: isoDate() }),
    ),
    h("button.primary", { type: "submit" }, "Record election"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      try {
        await put(paths.afes.elections(afeId), values(form));
        flash("Election recorded.");
        done();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
