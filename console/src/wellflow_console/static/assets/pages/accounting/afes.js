// #/accounting/afes and #/accounting/afes/<id>: AFEs, estimate against actual, the steps the AFE's
// state allows, elections.

import { get, post, put, ApiError } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, values, showErrors, busy, table, pager, badge, flash, header, failure, money, isoDate, dateTime, useStyle, words, confirmAction } from "../../lib/ui.js";
import { day, percentOf } from "../../lib/format.js";
import { setQuery } from "../../lib/router.js";
import { AFE_STATUSES } from "../../lib/codes.js";
import { STYLE, PAGE, statusBadge, leases, partners, shortId, stats, listState } from "./shared.js";
import { documentsPanel } from "../documents/panel.js";

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
      ` Actual against the approved total: ${percentOf(report.overrun_percent)}. Past +${percentOf(report.threshold_percent)} it is an overrun that needs a supplement.`,
    ),
  );

  const stepsBox = h("div.acc-steps");
  if (write && AFE_STEPS[afe.status]?.length) stepsBox.append(nextSteps(afe, report, reload));
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
      h("dd", percentOf(afe.overrun_percent)),
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
    documentsPanel("afe", afe.id, ctx, { defaultType: "afe" }),
    h("h2", "Estimate lines"),
    table(
      [
        { label: "#", num: true, value: (l) => l.line_no },
        { label: "Kind", value: (l) => words(l.kind) },
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
        { label: "Decided", value: (e) => day(e.decided_on) },
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

// The steps that are hard to take back ask first, saying what follows.
const QUESTIONS = {
  approved: (afe, report) => `Approve ${afe.afe_number} at ${money(report.estimate)}? Its estimate is fixed from then on: more money takes a supplemental AFE.`,
  rejected: (afe) => `Reject ${afe.afe_number}? It can then only go back to draft or be closed.`,
  completed: (afe, report) => `Complete ${afe.afe_number}? The work is done: actual costs stand at ${money(report.actual)} against ${money(report.estimate)}, and the only step after is Close.`,
  closed: (afe) => `Close ${afe.afe_number}? Closing is final: a closed AFE takes no further step.`,
};

/** The AFE's next steps with an optional note; completing, closing, approving and rejecting ask first. */
function nextSteps(afe, report, reload) {
  const form = h("form.card", { novalidate: true }, h("h2", "Next step"), field("note", "Note (optional)", { kind: "textarea" }));
  form.addEventListener("submit", (event) => event.preventDefault());
  const take = async (status) => {
    try {
      await post(paths.afes.transitions(afe.id), { status, ...values(form) });
      flash(`${afe.afe_number}: ${words(status)}.`);
      reload();
    } catch (error) {
      const banner = showErrors(form, error);
      const allowed = error instanceof ApiError ? error.problem.allowed : null;
      if (Array.isArray(allowed)) banner.append(h("p", `Allowed now: ${allowed.length ? allowed.map(words).join(", ") : "nothing (closed)"}.`));
    }
  };
  const steps = AFE_STEPS[afe.status].map((status) => {
    const label = STEP_LABEL[status] || words(status);
    if (QUESTIONS[status]) return confirmAction({ label, question: QUESTIONS[status](afe, report), yes: `Yes, ${label.toLowerCase()} ${afe.afe_number}`, primary: status !== "rejected", act: () => take(status) });
    const button = h(status === "rejected" ? "button.danger" : "button.primary", { type: "button", dataset: { status } }, label);
    button.addEventListener("click", () => busy(button, () => take(status)));
    return button;
  });
  form.append(h("div.actions", steps));
  return form;
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
