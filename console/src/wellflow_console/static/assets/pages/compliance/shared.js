// What the compliance pages share: the month of the page, state badges, the month filter, a lease's
// problems and dispositions.

import { h, field, values, badge, num, lastMonth } from "../../lib/ui.js";

export const CSS = "/assets/styles/compliance.css";
export const PAGE = 50;

const STATE_KIND = {
  draft: "info",
  submitted: "info",
  queued: "info",
  in_flight: "info",
  awaiting_confirmation: "warn",
  accepted: "ok",
  paid: "ok",
  open: "info",
  rejected: "bad",
  failed: "bad",
};

/** The page's month as YYYY-MM: ?month= when valid, else last month (the month the office files now). */
export function monthOf(query) {
  const asked = query.get("month") || "";
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(asked) ? asked : lastMonth().slice(0, 7);
}

export function state(text) {
  return badge(String(text).replaceAll("_", " "), STATE_KIND[text] || "muted");
}

export function offsetOf(query) {
  const n = Number.parseInt(query.get("offset") || "0", 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** A "month" filter bar: the month input, optional extra fields, and a Show button (keyboard users). */
export function monthFilter(period, onShow, ...extra) {
  const form = h(
    "form.filters",
    { "aria-label": "Choose the month" },
    field("month", "Month", { kind: "month", value: period }),
    extra,
    h("button", { type: "submit" }, "Show"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = values(form);
    if (/^\d{4}-\d{2}$/.test(v.month || "")) onShow(v);
  });
  return form;
}

export function problemList(issues) {
  return h(
    "ul.problems",
    issues.map((issue) =>
      h(`li.issue-${issue.severity}`, h("strong", issue.severity === "error" ? "Error: " : "Warning: "), issue.message),
    ),
  );
}

export function dispositions(list) {
  if (!list.length) return "—";
  return h(
    "ul.codes",
    list.map((d) => h("li", { title: d.description }, `${d.code}${d.authority ? " " + d.authority : ""}: ${num(d.volume)}`)),
  );
}

/** A whole page re-render after a change, keeping the query. */
export function again(page, main, params, ctx) {
  return () => page(main, params, ctx);
}
