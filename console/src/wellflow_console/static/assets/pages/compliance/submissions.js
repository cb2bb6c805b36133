// #/compliance/submissions: Form PR versions prepared for filing by hand (awaiting the RRC's confirmation
// number, with the filing package and a form to record it), sent through a portal adapter (queued,
// retrying, accepted, rejected, failed), every stand-in answer labelled, and the portal's state.

import { api, download } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, values, busy, table, pager, badge, flash, header, monthLabel, dateTime, useStyle, showErrors, clearErrors } from "../../lib/ui.js";
import { CSS, PAGE, state, offsetOf, problemList, again } from "./shared.js";

export const STAND_IN_LABEL = "RRC stand-in: nothing was sent to the RRC";

const SUBMISSION_STATES = [
  ["", "All"],
  ["awaiting_confirmation", "Awaiting confirmation"],
  ["queued", "Queued"],
  ["in_flight", "Sending"],
  ["accepted", "Accepted"],
  ["rejected", "Rejected"],
  ["failed", "Failed"],
];

const PACKAGE_LABELS = { "form-pr.pdf": "PDF", "form-pr.txt": "Electronic file", "form-pr.json": "JSON", "form-pr.csv": "CSV" };

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
    { label: "State", value: (s) => h("span.states", state(s.state), s.stand_in ? standInLabel() : null) },
    { label: "Attempts", num: true, value: (s) => s.attempts },
    { label: "Answer", value: (s) => submissionAnswer(s, canWrite, reload) },
    { label: "Filing package", value: (s) => packageButtons(s) },
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

/** The label every stand-in answer carries: the dev stack's and the demo's portal is not the RRC. */
export function standInLabel() {
  return h("span.stand-in", { title: "WellFlow's RRC portal stand-in (dev stack and demo) answered this" }, badge(STAND_IN_LABEL, "warn"));
}

export function submissionAnswer(s, canWrite = false, reload = async () => {}) {
  if (s.state === "awaiting_confirmation") {
    return h(
      "div.answer.awaiting",
      h("p", "Prepared: file it on RRC Online (or on paper) with the filing package, then record the RRC's confirmation number."),
      canWrite ? confirmationForm(s, reload) : h("p.sub", "An owner or accountant records the RRC's confirmation."),
    );
  }
  if (s.state === "accepted") {
    const recorded = s.confirmation && s.confirmation.recorded_by;
    return h(
      "span.answer",
      s.stand_in ? "Stand-in confirmation " : "RRC confirmation ",
      h("strong.confirmation", s.confirmation_number || "—"),
      h("span.sub", recorded ? `Recorded by ${s.confirmation.recorded_by} ${dateTime(s.confirmation.recorded_at)}` : dateTime(s.accepted_at)),
      s.confirmation && s.confirmation.confirmation_date ? h("span.sub", `RRC date ${s.confirmation.confirmation_date}`) : null,
      s.confirmation && s.confirmation.note ? h("span.sub", s.confirmation.note) : null,
    );
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

/** Record the RRC's confirmation number (and its date, a note); each error beside its field. */
export function confirmationForm(submission, reload) {
  const month = submission.period.slice(0, 7);
  const form = h(
    "form.record-confirmation",
    { "aria-label": `Record the RRC's confirmation for ${month} version ${submission.report_version}`, novalidate: true },
    field("confirmation_number", "RRC confirmation number", { required: true, attrs: { maxlength: 40, autocomplete: "off" } }),
    field("confirmation_date", "Date the RRC gave", { kind: "date" }),
    field("note", "Note", { attrs: { maxlength: 1000 } }),
    h("button", { type: "submit" }, "Record confirmation"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    busy(button, async () => {
      clearErrors(form);
      try {
        await api("POST", paths.compliance.confirmSubmission(submission.id), { body: values(form) });
        flash(`The RRC's confirmation for ${monthLabel(month)} is recorded.`);
        await reload();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

function packageButtons(submission) {
  const month = submission.period.slice(0, 7);
  return h(
    "div.actions.package",
    (submission.package || []).map((file) => {
      const label = PACKAGE_LABELS[file.name] || file.name;
      const button = h("button", { type: "button", title: file.description, "aria-label": `Download the ${month} v${submission.report_version} ${label}` }, label);
      button.addEventListener("click", () =>
        busy(button, async () => {
          try {
            await download(paths.compliance.submissionPackage(submission.id, file.name), `${month}-v${submission.report_version}-${file.name}`);
          } catch (error) {
            flash(error.message, "bad");
          }
        }),
      );
      return button;
    }),
  );
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
  const counts = h(
    "p.sub",
    `Awaiting confirmation ${queue.awaiting_confirmation || 0} · queued ${queue.queued || 0} · sending ${queue.in_flight || 0} · accepted ${queue.accepted || 0} · rejected ${queue.rejected || 0} · failed ${queue.failed || 0}`,
  );
  if (portal.adapter === "manual") {
    return h(
      "section.card.portal",
      { "aria-label": "RRC portal" },
      h("p", "Filing by hand: ", badge("nothing is sent automatically", "info"), " WellFlow prepares each version; file it on RRC Online and record the RRC's confirmation number."),
      counts,
    );
  }
  const down = breaker.state && breaker.state !== "closed";
  return h(
    "section.card.portal",
    { "aria-label": "RRC portal" },
    h(
      "p",
      portal.stand_in ? "RRC portal stand-in: " : "RRC portal: ",
      down ? badge(breaker.state === "open" ? "not answering" : "trying again", "warn") : badge("answering", "ok"),
      down && breaker.retry_after_seconds ? ` next try in ${Math.ceil(breaker.retry_after_seconds)} s` : "",
      portal.stand_in ? standInLabel() : null,
    ),
    counts,
  );
}
