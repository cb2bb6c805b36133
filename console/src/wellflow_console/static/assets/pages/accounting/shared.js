// What the accounting pages share: status badges, lease and partner names, the run-a-month form,
// statement downloads, a list's status filter and paging.

import { post, download, getAll } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, field, values, showErrors, busy, badge, flash, lastMonth, words, monthLabel } from "../../lib/ui.js";

export const STYLE = "/assets/styles/accounting.css";
export const PAGE = 50; // every accounting list allows limit 1..200

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
export const statusBadge = (status) => badge(words(status), STATUS_KIND[status] || "info");

let leaseNames = null;
/** Lease id -> name from the wells service (empty when the role cannot read wells). */
export async function leases(ctx) {
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
export async function partners() {
  if (!partnerNames) partnerNames = new Map((await getAll(paths.partners)).map((p) => [p.id, p]));
  return partnerNames;
}

export const shortId = (id) => String(id || "").slice(0, 8);

export function stats(items) {
  return h(
    "div.stats.acc-stats",
    items.map(([label, value]) => h("div.stat", h("div.value", value), h("div.label", label))),
  );
}

export function warningList(warnings, names) {
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
export function runForm(title, path, hint, open) {
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
export function downloads(path, name, view) {
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
  const open = view ? h("a.acc-view", { href: view, "aria-label": `View the statement for ${name}` }, "View") : null;
  return h("span.acc-downloads", open, open ? " " : null, button("pdf"), " ", button("csv"));
}

/** A list page's status filter and pagination, kept in the URL's query. */
export function listState(ctx) {
  return { status: ctx.query.get("status") || "", offset: Number(ctx.query.get("offset")) || 0 };
}

export function statusFilter(options, state, onChange) {
  const form = h("form.filters.acc-filters", { role: "search" }, field("status", "Status", { kind: "select", value: state.status, options }));
  form.addEventListener("change", () => onChange(values(form).status || ""));
  form.addEventListener("submit", (event) => event.preventDefault());
  return form;
}
