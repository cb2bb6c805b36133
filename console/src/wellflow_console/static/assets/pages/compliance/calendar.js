// #/compliance/calendar: the filing calendar, what is overdue and due this week, marking one paid; the go-live
// month (what fell due before is "before WellFlow", never overdue) and obligations filed outside WellFlow.

import { api } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, values, busy, table, pager, badge, flash, header, num, money, isoDate, monthLabel, words, dateTime, useStyle } from "../../lib/ui.js";
import { FILING_OBLIGATIONS } from "../../lib/codes.js";
import { CSS, PAGE, state, offsetOf, again } from "./shared.js";
import { goLiveCard, filedOutsideForm, undoOutsideForm } from "./scope.js";

const OBLIGATION_LABEL = { form_pr: "Form PR", oil_tax: "Oil and condensate tax", gas_tax: "Gas tax" };
const OBLIGATIONS = [["", "All"], ...FILING_OBLIGATIONS.map((o) => [o, OBLIGATION_LABEL[o] || words(o)])];

function addDays(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return isoDate(d);
}

export async function calendarPage(main, params, ctx) {
  useStyle(CSS);
  const q = ctx.query;
  const filters = {
    due_from: q.get("due_from") || addDays(-30),
    due_to: q.get("due_to") || addDays(90),
    obligation: q.get("obligation") || "",
    pending_only: q.get("pending_only") === "true" ? "true" : "",
  };
  const offset = offsetOf(q);
  const canWrite = ctx.can("compliance", "write");
  const isOwner = ctx.me?.role === "owner";
  const reload = again(calendarPage, main, params, ctx);
  const [page, overdue, soon, scope] = await Promise.all([
    api("GET", paths.filingCalendar.list, { query: { ...filters, limit: PAGE, offset } }),
    api("GET", paths.filingCalendar.list, { query: { pending_only: "true", due_to: addDays(-1), limit: 1 } }),
    api("GET", paths.filingCalendar.list, { query: { pending_only: "true", due_from: addDays(0), due_to: addDays(7), limit: 1 } }),
    api("GET", paths.filingCalendar.scope),
  ]);

  const form = h(
    "form.filters",
    { "aria-label": "Filter the calendar" },
    field("due_from", "Due from", { kind: "date", value: filters.due_from }),
    field("due_to", "Due to", { kind: "date", value: filters.due_to }),
    field("obligation", "Filing", { kind: "select", options: OBLIGATIONS, value: filters.obligation }),
    field("pending_only", "Only what is still to do", { kind: "checkbox", value: Boolean(filters.pending_only) }),
    h("button", { type: "submit" }, "Show"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = values(form);
    ctx.navigate("/compliance/calendar", { ...v, pending_only: v.pending_only ? "true" : "" });
  });
  const showOverdue = h(
    "button.link",
    { type: "button", on: { click: () => ctx.navigate("/compliance/calendar", { due_from: "2000-01-01", due_to: addDays(-1), pending_only: "true" }) } },
    "Show them",
  );

  const columns = [
    { label: "Due", value: (o) => h("strong.nowrap", o.due_date) },
    { label: "Filing", value: (o) => o.description },
    { label: "Production month", value: (o) => monthLabel(o.period.slice(0, 7)) },
    { label: "State", value: (o) => obligationState(o) },
    { label: "Amount so far", num: true, value: (o) => (o.amount ? [money(o.amount.total), h("span.sub", `${o.amount.lease_lines} lease lines priced`)] : "") },
    { label: "", value: (o) => obligationActions(o, canWrite, isOwner, reload) },
  ];
  mount(
    main,
    header("Filing calendar"),
    h(
      "div.stats",
      h("div.stat.stat-overdue", { class: overdue.total ? "stat-bad" : "" }, h("div.value", num(overdue.total)), h("div.label", "Overdue "), overdue.total ? showOverdue : null),
      h("div.stat", h("div.value", num(soon.total)), h("div.label", "Due in the next 7 days")),
    ),
    goLiveCard(scope, canWrite, reload),
    form,
    table(columns, page.items, { empty: "Nothing due in these dates.", caption: `Due dates (${page.total})` }),
    pager(page, (next) => ctx.navigate("/compliance/calendar", { ...filters, offset: next })),
  );
}

function obligationState(o) {
  const done = !["open", "rejected"].includes(o.state);
  if (o.state === "filed_outside") {
    const proof = o.filed_outside || {};
    return [
      badge("filed outside WellFlow", "ok"),
      h("span.sub", `Confirmation ${proof.confirmation_number}${proof.filed_on ? `, filed ${proof.filed_on}` : ""}${o.note ? `: ${o.note}` : ""}`),
    ];
  }
  if (o.before_wellflow) return [badge("before WellFlow", "muted"), h("span.sub", "due before the go-live month: not counted")];
  const parts = [state(o.state)];
  if (!done && o.overdue) parts.push(" ", badge(`overdue ${-o.days_left} d`, "bad"));
  else if (!done && o.days_left <= 7) parts.push(" ", badge(o.days_left === 0 ? "due today" : `due in ${o.days_left} d`, "warn"));
  else if (!done) parts.push(h("span.sub", `${o.days_left} days left`));
  if (o.done_at) parts.push(h("span.sub", `${dateTime(o.done_at)}${o.note ? ": " + o.note : ""}`));
  return parts;
}

function obligationActions(o, canWrite, isOwner, reload) {
  const out = [obligationAction(o, canWrite, reload)];
  if (canWrite && ["open", "rejected"].includes(o.state)) out.push(filedOutsideForm(o, reload));
  if (canWrite && isOwner && o.state === "filed_outside") out.push(undoOutsideForm(o, reload));
  return h("div.obligation-actions", out);
}

function obligationAction(o, canWrite, reload) {
  if (o.obligation === "form_pr") {
    return h("a", { href: `#/compliance/form-pr?month=${o.period.slice(0, 7)}` }, "Open Form PR");
  }
  if (!canWrite || o.state !== "open") return null;
  const button = h("button.nowrap", { type: "button", "aria-label": `Mark ${o.description} for ${o.period.slice(0, 7)} paid` }, "Mark paid");
  button.addEventListener("click", () =>
    busy(button, async () => {
      const note = window.prompt("Payment note (optional, e.g. the Comptroller's confirmation):", "");
      if (note === null) return;
      try {
        await api("POST", paths.filingCalendar.paid(o.id), { body: note ? { note } : {} });
        flash("Marked paid.");
        await reload();
      } catch (error) {
        flash(error.message, "bad");
      }
    }),
  );
  return button;
}
