// The filing calendar's scope: the go-live month (what fell due before it is "before WellFlow": never overdue),
// and an obligation filed outside WellFlow (its confirmation number and date; an owner can undo it with a reason).

import { api } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, field, values, showErrors, busy, flash, monthLabel, dateTime } from "../../lib/ui.js";

const SOURCE = {
  set: "set by a person",
  first_data: "the month the company's first data arrived in WellFlow",
  unset: "none: every obligation counts",
};

/** The go-live card: what it is, where it comes from, and (for owners and accountants) the form to change it. */
export function goLiveCard(scope, canWrite, reload) {
  const month = scope.go_live_month;
  const said = month
    ? ["WellFlow files what falls due from ", h("strong.go-live-month", monthLabel(month)), " on; what fell due before is shown as before WellFlow."]
    : [h("strong.go-live-month", "No go-live month"), ": every obligation counts."];
  const card = h(
    "section.card.go-live",
    { "aria-label": "Go-live month" },
    h("h2", "Go-live month"),
    h("p", said),
    h("p.sub", `Comes from: ${SOURCE[scope.source] || scope.source}${scope.set_at ? ` (${dateTime(scope.set_at)})` : ""}${scope.reason ? `: ${scope.reason}` : ""}`),
  );
  if (!canWrite) return card;
  const form = h(
    "form.go-live-form",
    { novalidate: true, "aria-label": "Set the go-live month" },
    h(
      "div.grid",
      field("go_live_month", "Go-live month", { kind: "month", value: month || "", hint: "Filings due before its first day were made before WellFlow." }),
      field("reason", "Why (kept in the audit trail)", { kind: "text" }),
      field("clear", "No go-live month: count every obligation", { kind: "checkbox" }),
    ),
    h("button.primary", { type: "submit" }, "Save go-live month"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = values(form);
    const body = { go_live_month: v.clear ? null : v.go_live_month ?? null, clear: Boolean(v.clear) };
    if (v.reason) body.reason = v.reason;
    busy(form.querySelector("button[type=submit]"), async () => {
      try {
        await api("PUT", paths.filingCalendar.scope, { body });
        flash("Go-live month saved.");
        await reload();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  card.append(form);
  return card;
}

/** "Filed outside WellFlow…": a disclosure with the confirmation number, the day and a note. */
export function filedOutsideForm(o, reload) {
  const form = h(
    "form.outside-form",
    { novalidate: true, "aria-label": `Filed outside WellFlow: ${o.description} for ${o.period.slice(0, 7)}` },
    field("confirmation_number", "Confirmation number", { required: true }),
    field("filed_on", "Filed on", { kind: "date", required: true }),
    field("note", "Note", { kind: "text" }),
    h("button.primary", { type: "submit" }, "Record the filing"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = values(form);
    busy(form.querySelector("button[type=submit]"), async () => {
      try {
        await api("POST", paths.filingCalendar.filedOutside(o.id), { body: v });
        flash("Recorded as filed outside WellFlow: nothing was sent to the RRC.");
        await reload();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return h("details.outside", h("summary.button", "Filed outside WellFlow…"), form);
}

/** An owner's undo of a filing recorded outside WellFlow, with the reason the audit keeps. */
export function undoOutsideForm(o, reload) {
  const form = h(
    "form.undo-outside",
    { novalidate: true, "aria-label": `Undo the filing outside WellFlow: ${o.description} for ${o.period.slice(0, 7)}` },
    field("reason", "Why undo it", { required: true }),
    h("button.danger", { type: "submit" }, "Undo"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form.querySelector("button[type=submit]"), async () => {
      try {
        await api("POST", paths.filingCalendar.undoOutside(o.id), { body: values(form) });
        flash("Reopened.");
        await reload();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return h("details.outside", h("summary.button", "Undo…"), form);
}
