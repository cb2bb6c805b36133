// #/record/<well>[?day=YYYY-MM-DD][&entry=<outbox id>]: the daily reading form, kept on the phone first and then
// sent (lib/outbox.js). A well already read that day opens its reading to correct it (PATCH with its version and
// a reason, through the outbox too, offline as well). The rules are checked on the phone before anything is kept
// (pages/production/reading-rules.js, served by the API and kept for offline use).

import { ApiError, get, newId } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, busy, header, failure, isoDate, useStyle, flash } from "../../lib/ui.js";
import { remove, list, get as getEntry } from "../../lib/outbox.js";
import { STYLE, cachedRoute, downtimeReasons, submit, leftStop } from "./field.js";
import { readingForm, readingRules, show } from "./reading-form.js";
import { changes, plainProblem, productionDays, VALUE_NAMES } from "./reading-rules.js";
import { wellName } from "../../lib/format.js";

export async function readingPage(main, params, ctx) {
  useStyle(STYLE);
  const kept = cachedRoute(ctx.me);
  const today = isoDate();
  const routeDay = kept?.route?.date && kept.route.date <= today ? kept.route.date : today;
  let well = kept?.route?.wells?.find((w) => w.well_id === params.wellId);
  if (!well) {
    try {
      const w = await get(paths.wells.one(params.wellId));
      well = { well_id: w.id, name: w.name, api_number: w.api_number, lease_id: w.lease_id, status: w.status };
    } catch (error) {
      mount(main, header("Record a reading"), failure(error));
      return;
    }
  }
  well = { ...well, name: wellName(well.name) }; // "Whitfield 2", never "Whitfield 2 2"
  const [rules, reasons] = await Promise.all([readingRules(), downtimeReasons()]);
  let editing = ctx.query.get("entry") ? await getEntry(ctx.query.get("entry")) : null;
  const day = ctx.query.get("day") || editing?.production_date || routeDay;
  const days = productionDays(rules, today);
  if (!days.includes(day)) days.push(day);
  // a correction of this well and day still waiting on the phone: open it, so a second edit replaces it
  editing ||= (await list()).reverse().find((e) => e.kind === "correction" && e.well_id === well.well_id && e.production_date === day && e.state === "waiting");
  const recorded = editing ? null : await recordedReading(well, day, routeDay);
  const view = h("section.pumper");
  mount(main, view);
  draw(view, { well, day, days, rules, reasons, editing, recorded, ctx, routeDay });
}

/**
 * The reading recorded for the well and day, newest known: the API's (when reachable), else what this phone
 * sent (the outbox keeps the answers), else the kept route's. Null when none is known.
 */
async function recordedReading(well, day, routeDay) {
  if (navigator.onLine) {
    try {
      const page = await get(paths.readings.list, { well_id: well.well_id, from: day, to: day, limit: 1 });
      return page.items?.[0] || null;
    } catch (error) {
      if (!(error instanceof ApiError && error.offline)) console.warn("reading not fetched", error);
    }
  }
  const sent = (await list()).filter((e) => e.state === "sent" && e.well_id === well.well_id && e.production_date === day && e.result?.reading_id);
  const fromRoute = day === routeDay && well.reading_id ? { reading_id: well.reading_id, version: well.reading_version, production_date: day, ...(well.reading || {}) } : null;
  const known = [...sent.map((e) => e.result), fromRoute].filter(Boolean);
  return known.sort((a, b) => b.version - a.version)[0] || null;
}

// long: one form, its two ways out (a new reading, a correction) and what each answer shows
function draw(view, state) {
  const { well, day, days, rules, reasons, editing, recorded, ctx, routeDay } = state;
  // a correction the office overtook is edited from the reading as it is now (the 409 brought it)
  const overtaken = editing?.kind === "correction" ? editing.problem?.current : null;
  const correctionOf = editing?.kind === "correction" ? { reading_id: editing.reading_id, version: overtaken?.version ?? editing.body.version } : recorded ? { reading_id: recorded.reading_id, version: recorded.version } : null;
  const base = editing ? (editing.kind === "correction" ? overtaken || editing.base || {} : {}) : recorded || {};
  const before = editing ? { ...base, ...editing.body } : base;
  const last = day === routeDay && well.last?.production_date < day ? well.last : null;
  const save = h("button.primary.big", { type: "submit" }, correctionOf ? "Save the correction · next stop" : "Save reading · next stop");
  // a photo of the meter or the site, from the phone's camera; kept on the phone and sent after the reading
  const photoInput = h("input.photo-input", { type: "file", accept: "image/*", capture: "environment", "aria-label": "Photo (optional)" });
  const photo = ctx.can("documents", "write") ? h("label.photo", "Add a photo ", photoInput) : null;
  const { form, check, askConfirm } = readingForm({
    before,
    last,
    day,
    days,
    reasons,
    correction: correctionOf,
    note: well.lease_name ? h("p.sub", well.lease_name) : null,
    actions: [photo, save, h("a.button", { href: "#/route" }, "Back to the route")],
  });
  if (editing?.problem) {
    const items = (editing.problem.errors || []).map((e) => ({ field: String(e.field || "").replace(/^body\./, ""), message: plainProblem(e) }));
    show(form, "Sent, but not recorded", editing.problem.detail || "", items);
    if (editing.problem.code === "confirmation_required") askConfirm();
  }
  form.querySelector("[name=production_date]")?.addEventListener("change", (event) => ctx.navigate(`/record/${well.well_id}`, { day: event.target.value }));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(save, async () => {
      const ok = check(rules, { recent: day === routeDay ? well.recent : null, status: well.status });
      if (!ok) return;
      const chosen = ok.input.production_date || day;
      delete ok.input.production_date;
      let entry;
      if (correctionOf) {
        const changed = changes(ok.input, base);
        if (!Object.keys(changed).length) {
          show(form, "Nothing changed", "Change a value to correct the reading, or go back to the route.", []);
          return;
        }
        if (editing) await remove(editing.id);
        entry = await submit({
          id: newId(),
          kind: "correction",
          method: "PATCH",
          path: paths.readings.one(correctionOf.reading_id),
          body: { ...changed, version: correctionOf.version, reason: ok.reason, confirm: ok.confirmed },
          base: Object.fromEntries(VALUE_NAMES.map((n) => [n, base[n] ?? null])),
          label: `Correction · ${well.name} · ${chosen}`,
          well_id: well.well_id,
          reading_id: correctionOf.reading_id,
          production_date: chosen,
        });
      } else {
        if (editing) await remove(editing.id); // an edited entry goes again under a new key
        const id = newId(); // the reading's own id is the entry's key: a retry answers the first result
        entry = await submit({
          id,
          kind: "reading",
          path: paths.readings.list,
          body: { reading_id: id, well_id: well.well_id, production_date: chosen, measured_at: editing?.body?.measured_at || new Date().toISOString(), ...ok.input, confirm: ok.confirmed },
          label: `Reading · ${well.name} · ${chosen}`,
          well_id: well.well_id,
          production_date: chosen,
        });
      }
      if (photoInput.files?.length && entry.state !== "rejected" && entry.state !== "conflict") {
        const readingId = correctionOf ? correctionOf.reading_id : entry.id; // a new reading's id is chosen here
        const { queuePhoto } = await import("../../lib/photos.js");
        await queuePhoto({ file: photoInput.files[0], readingId, wellId: well.well_id, title: `Photo · ${well.name} · ${chosen}` });
      }
      if (entry.state === "sent" || entry.state === "waiting" || entry.state === "sending") {
        flash(entry.state === "sent" ? (correctionOf ? "Correction sent to the office." : "Sent to the office.") : "Saved on this phone — waiting to send.", entry.state === "sent" ? "ok" : "info");
        leftStop("well", well.well_id); // the route goes on from the next stop after this well
        return ctx.navigate("/route");
      }
      await remove(entry.id); // the pumper is right here to fix it
      refused(form, entry.problem || {}, { well, day: chosen, askConfirm, reopen: (reading) => draw(view, { ...state, day: chosen, editing: null, recorded: reading }) });
    });
  });
  mount(view, header(correctionOf ? `Correct · ${well.name}` : well.name), form);
}

/** What the API refused, in the pumper's words beside the fields; a reading already there opens to correct it. */
function refused(form, problem, { well, day, askConfirm, reopen }) {
  const items = (problem.errors || []).map((e) => ({ field: String(e.field || "").replace(/^body\./, ""), message: plainProblem(e) }));
  if (problem.type?.endsWith("/duplicate-reading") && problem.reading_id) {
    show(form, "Already recorded", `${well.name} already has a reading for ${day}. Open it to correct it with these values.`, []);
    const open = h("button.primary", { type: "button" }, "Open that reading to correct it");
    open.addEventListener("click", () => busy(open, async () => reopen(await get(paths.readings.one(problem.reading_id)))));
    form.querySelector(".form-error").append(open);
    return;
  }
  if (problem.type?.endsWith("/version-conflict") && problem.current) {
    show(form, "Changed meanwhile", `Someone corrected ${well.name}'s reading of ${day} since you opened it. Start again from the current values.`, []);
    const again = h("button.primary", { type: "button" }, "Start again from the current values");
    again.addEventListener("click", () => reopen(problem.current));
    form.querySelector(".form-error").append(again);
    return;
  }
  show(form, problem.code === "confirmation_required" ? "Check before saving" : "Not recorded", problem.code === "confirmation_required" ? "If the values are right, tick \"Yes, these are right\" and save again." : (problem.detail || "").replace(/Well [0-9a-f-]{36}/, well.name), items);
  if (problem.code === "confirmation_required") askConfirm();
}
