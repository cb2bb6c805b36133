// #/outbox: entries waiting on the phone, and the conflicts and refusals the pumper resolves (edit and
// resend, replace a duplicate reading with a correction, or discard after confirming).

import { patch } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, busy, badge, flash, header, dateTime, useStyle } from "../../lib/ui.js";
import { flush, list, remove, settle } from "../../lib/outbox.js";
import { STYLE, KIND_LABEL, redrawOnOutbox } from "./field.js";
import { barrelsLine } from "./measure.js";
import { plainProblem, VALUE_NAMES } from "./reading-rules.js";

const EDIT_PATH = {
  reading: (e) => `/record/${e.well_id}?day=${e.production_date}&`,
  correction: (e) => `/record/${e.well_id}?day=${e.production_date}&`,
  gauge: (e) => `/gauge/${e.tank_id}?`,
  run_ticket: () => "/run-ticket?",
};

export async function outboxPage(main, params, ctx) {
  useStyle(STYLE);
  const view = h("section.pumper.outbox");
  const draw = async () => drawOutbox(view, await list(), ctx);
  await draw();
  mount(main, view);
  redrawOnOutbox(view, draw);
}

function drawOutbox(view, entries, ctx) {
  const toResolve = entries.filter((e) => e.state === "conflict" || e.state === "rejected");
  const waiting = entries.filter((e) => e.state === "waiting" || e.state === "sending");
  const sent = entries.filter((e) => e.state === "sent").reverse();
  const sendNow = h("button.primary", { type: "button", disabled: !waiting.length, on: { click: (ev) => busy(ev.currentTarget, () => flush()) } }, "Send now");
  mount(
    view,
    header("Outbox", sendNow, h("a.button", { href: "#/route" }, "Back to the route")),
    navigator.onLine ? null : h("p.note.offline-note", "No connection: these entries are kept on this phone and sent when the connection returns."),
    h("h2", `To resolve (${toResolve.length})`),
    toResolve.length ? h("ul.outbox-list", toResolve.map((e) => problemEntry(e, ctx))) : h("p.empty", "Nothing to resolve."),
    h("h2", `Waiting to send (${waiting.length})`),
    waiting.length ? h("ul.outbox-list", waiting.map((e) => plainEntry(e, "Waiting to send", "info"))) : h("p.empty", "Nothing is waiting: everything recorded on this phone was sent."),
    h("h2", `Sent (${sent.length})`),
    sent.length ? h("ul.outbox-list", sent.map((e) => plainEntry(e, "Sent", "ok"))) : h("p.empty", "Nothing sent from this phone recently."),
  );
}

function plainEntry(entry, text, kind) {
  return h(
    "li.outbox-item",
    { dataset: { entryId: entry.id, state: entry.state } },
    h("div.row", h("span.name", entry.label || KIND_LABEL[entry.kind] || entry.kind), badge(text, kind)),
    h(
      "p.sub",
      `Recorded ${dateTime(entry.created_at)}`,
      entry.sent_at ? ` · sent ${dateTime(entry.sent_at)}` : "",
      entry.attempts && entry.state !== "sent" ? ` · ${entry.attempts} tries, last: ${entry.last_error}` : "",
    ),
    // a gauge or a run ticket the API took: its answer's barrels (the net is the office's figure)
    entry.state === "sent" && entry.result && entry.kind !== "reading" ? h("p.barrels", barrelsLine(entry.result)) : null,
  );
}

function problemEntry(entry, ctx) {
  const problem = entry.problem || {};
  const actions = h("div.actions");
  const message = h("p.form-error-text", { role: "status" });
  const edit = EDIT_PATH[entry.kind] ? h("a.button", { href: `#${EDIT_PATH[entry.kind](entry)}entry=${encodeURIComponent(entry.id)}` }, "Edit and resend") : null;
  const discard = h("button.danger", { type: "button", on: { click: () => askDiscard() } }, "Discard");
  const askDiscard = () =>
    mount(
      actions,
      h("span", "Discard this entry for good? It was never recorded."),
      h("button.danger", { type: "button", on: { click: () => remove(entry.id) } }, "Yes, discard it"),
      h("button", { type: "button", on: { click: () => mount(actions, buttons()) } }, "Keep it"),
    );
  // A reading the office (or another phone) recorded first, or corrected since this phone's correction was
  // made: correct the current one with these values.
  const duplicate = entry.kind === "reading" && problem.type?.endsWith("/duplicate-reading") && problem.reading_id;
  const stale = entry.kind === "correction" && problem.type?.endsWith("/version-conflict") && problem.current;
  const replace =
    duplicate || stale
      ? h(
          "button.primary",
          { type: "button", on: { click: (ev) => busy(ev.currentTarget, () => replaceReading(entry, message)) } },
          stale ? "Apply my correction to the current reading" : "Replace the recorded reading with mine",
        )
      : null;
  const wellName = String(entry.label || "").split(" · ")[1];
  const detail = String(problem.detail || "").replace(/Well [0-9a-f-]{36}/, wellName || "The well").replace(/Reading [0-9a-f-]{36}/, "The reading");
  const plain = entry.kind === "reading" || entry.kind === "correction";
  const buttons = () => [replace, edit, discard];
  mount(actions, buttons());
  return h(
    "li.outbox-item.problem",
    { dataset: { entryId: entry.id, state: entry.state } },
    h("div.row", h("span.name", entry.label || KIND_LABEL[entry.kind]), badge(entry.state === "conflict" ? "Conflict" : "Refused", "bad")),
    h("p", h("strong", problem.title || "Not recorded"), detail ? ` ${detail}` : ""),
    stale ? h("p.sub", `Now on the office's copy: oil ${problem.current.oil_bbl}, gas ${problem.current.gas_mcf}, water ${problem.current.water_bbl}, hours ${problem.current.hours_on}.`) : null,
    problem.errors?.length ? h("ul.problems", problem.errors.map((e) => h("li", plain ? plainProblem(e) : `${String(e.field || "").replace(/^body\./, "")}: ${e.message}`))) : null,
    h("p.sub", `Recorded on this phone ${dateTime(entry.created_at)}`),
    message,
    actions,
  );
}

/** Correct the reading recorded for that well and day with this entry's values, from its current version. */
async function replaceReading(entry, message) {
  const problem = entry.problem;
  const readingId = problem.reading_id || problem.current?.reading_id || entry.reading_id;
  const version = problem.current_version ?? problem.version;
  const changes = Object.fromEntries(VALUE_NAMES.filter((n) => entry.body[n] !== undefined).map((n) => [n, entry.body[n]]));
  const reason = entry.kind === "correction" ? entry.body.reason : "Replaced with the pumper's reading from the field";
  try {
    const result = await patch(paths.readings.one(readingId), { ...changes, version, reason, confirm: entry.body.confirm || undefined });
    await settle(entry.id, result);
    flash("The recorded reading now has your values.");
  } catch (error) {
    message.textContent = error.status === 409 ? "The reading changed again meanwhile: open the well's reading in the office to compare." : error.message;
  }
}
