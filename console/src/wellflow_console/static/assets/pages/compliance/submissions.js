// #/compliance/submissions: RRC submissions queued, retrying, accepted (confirmation), rejected
// (reasons), failed (retry), and the portal's state.

import { api } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, values, busy, table, pager, badge, flash, header, monthLabel, dateTime, useStyle } from "../../lib/ui.js";
import { CSS, PAGE, state, offsetOf, problemList, again } from "./shared.js";

const SUBMISSION_STATES = [
  ["", "All"],
  ["queued", "Queued"],
  ["in_flight", "Sending"],
  ["accepted", "Accepted"],
  ["rejected", "Rejected"],
  ["failed", "Failed"],
];

export async function submissionsPage(main, params, ctx) {
  useStyle(CSS);
  const q = ctx.query;
  const filters = { state: q.get("state") || "", period: /^\d{4}-\d{2}$/.test(q.get("period") || "") ? q.get("period") : "" };
  const offset = offsetOf(q);
  const canWrite = ctx.can("compliance", "write");
  const reload = again(submissionsPage, main, params, ctx);
  const [page, portal] = await Promise.all([
    api("GET", paths.compliance.submissions, { query: { ...filters, limit: PAGE, offset } }),
    api("GET", paths.compliance.portal).catch(() => null),
  ]);

  const form = h(
    "form.filters",
    { "aria-label": "Filter submissions" },
    field("state", "State", { kind: "select", options: SUBMISSION_STATES, value: filters.state }),
    field("period", "Month", { kind: "month", value: filters.period }),
    h("button", { type: "submit" }, "Filter"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.navigate("/compliance/submissions", values(form));
  });

  const columns = [
    { label: "Month", value: (s) => h("a", { href: `#/compliance/form-pr?month=${s.period.slice(0, 7)}` }, monthLabel(s.period.slice(0, 7))) },
    { label: "Version", num: true, value: (s) => s.report_version },
    { label: "State", value: (s) => state(s.state) },
    { label: "Attempts", num: true, value: (s) => s.attempts },
    { label: "Answer", value: (s) => submissionAnswer(s) },
    { label: "Queued", value: (s) => dateTime(s.created_at) },
    { label: "", value: (s) => (canWrite && s.state === "failed" ? retryButton(s, reload) : null) },
  ];
  mount(
    main,
    header("RRC submissions"),
    portal ? portalStatus(portal) : null,
    form,
    table(columns, page.items, {
      empty: filters.state || filters.period ? "No submissions match these filters." : "Nothing filed with the RRC yet.",
      caption: `Submissions (${page.total})`,
    }),
    pager(page, (next) => ctx.navigate("/compliance/submissions", { ...filters, offset: next })),
  );
}

function submissionAnswer(s) {
  if (s.state === "accepted") {
    return h("span.answer", "Confirmation ", h("strong.confirmation", s.confirmation_number || "—"), h("span.sub", dateTime(s.accepted_at)));
  }
  if (s.state === "rejected") {
    return problemList((s.reasons || []).map((message) => ({ severity: "error", message })));
  }
  if (s.state === "failed") {
    return h("span.answer", "Gave up: ", s.last_error || "no answer", h("span.sub", `Last try ${dateTime(s.last_attempt_at)}`));
  }
  if (s.state === "in_flight") return "Being sent now";
  if (s.attempts > 0) {
    return h(
      "span.answer",
      `Retrying: ${s.last_error || "the portal did not answer"}`,
      h("span.sub", `Next attempt ${dateTime(s.next_attempt_at)}`),
    );
  }
  return s.next_attempt_at ? `Waiting to send (${dateTime(s.next_attempt_at)})` : "Waiting to send";
}

function retryButton(submission, reload) {
  const button = h("button", { type: "button", "aria-label": `Retry the ${submission.period.slice(0, 7)} submission` }, "Retry");
  button.addEventListener("click", () =>
    busy(button, async () => {
      try {
        await api("POST", paths.compliance.retrySubmission(submission.id));
        flash("Queued again.");
        await reload();
      } catch (error) {
        flash(error.message, "bad");
      }
    }),
  );
  return button;
}

function portalStatus(portal) {
  const breaker = portal.breaker || {};
  const queue = portal.queue || {};
  const down = breaker.state && breaker.state !== "closed";
  return h(
    "section.card.portal",
    { "aria-label": "RRC portal" },
    h(
      "p",
      "RRC portal: ",
      down ? badge(breaker.state === "open" ? "not answering" : "trying again", "warn") : badge("answering", "ok"),
      down && breaker.retry_after_seconds ? ` next try in ${Math.ceil(breaker.retry_after_seconds)} s` : "",
    ),
    h(
      "p.sub",
      `Queued ${queue.queued || 0} · sending ${queue.in_flight || 0} · accepted ${queue.accepted || 0} · rejected ${queue.rejected || 0} · failed ${queue.failed || 0}`,
    ),
  );
}
