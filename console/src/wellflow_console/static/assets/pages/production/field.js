// What the pumper's pages share: the route kept on the phone, the downtime reasons, local times,
// and how an entry goes through the outbox (lib/outbox.js) and what a form shows of its answer.

import { ApiError, get } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { showErrors, flash, isoDate } from "../../lib/ui.js";
import { enqueue, flush, remove, get as getEntry } from "../../lib/outbox.js";

const ROUTE_KEY = "wellflow.route";
const REASONS_KEY = "wellflow.downtime-reasons";
export const STYLE = "/assets/styles/pumper.css";

// The default downtime reason codes production documents (GET /api/v1/readings/downtime-reasons).
const DEFAULT_REASONS = [
  ["mechanical", "Mechanical failure (pump, rods, tubing)"],
  ["electrical", "Power outage or electrical failure"],
  ["weather", "Weather"],
  ["workover", "Workover or well service"],
  ["facility", "Facility down (tank full, separator, treater)"],
  ["pipeline", "Pipeline or purchaser curtailment"],
  ["testing", "Well test or pressure test"],
  ["regulatory", "Regulatory shut-in"],
  ["economic", "Shut in for economics"],
  ["other", "Other (explain in the comments)"],
];

export const KIND_LABEL = { reading: "Reading", correction: "Correction", gauge: "Tank gauge", run_ticket: "Run ticket" };

/** The route kept on this phone for `me` ({route, fetched_at}) or null. */
export function cachedRoute(me) {
  try {
    const kept = JSON.parse(localStorage.getItem(ROUTE_KEY));
    return kept && kept.user_id === me?.user_id ? kept : null;
  } catch {
    return null;
  }
}

/** Keep `route` on this phone as `userId`'s latest (what the route page draws at once, and offline). */
export function keepRoute(userId, route) {
  const kept = { user_id: userId, fetched_at: new Date().toISOString(), route };
  localStorage.setItem(ROUTE_KEY, JSON.stringify(kept));
  return kept;
}

/** A route kept from an earlier day, as today's until the API answers: the same stops, none done yet. */
export function startOfDay(kept) {
  const route = kept.route;
  return {
    ...kept,
    route: {
      ...route,
      date: isoDate(),
      wells: route.wells.map((w) => ({ ...w, done: false, reading_id: null, reading_version: null })),
      tanks: route.tanks.map((t) => ({ ...t, gauged: false, gauge_id: null })),
      done: 0,
    },
  };
}

/** Today's route: from the API when reachable (and kept), else the one kept on the phone. */
export async function loadRoute(me) {
  const day = isoDate();
  try {
    const route = await get(paths.route.mine, { date: day });
    return { ...keepRoute(me?.user_id, route), offline: false };
  } catch (error) {
    const kept = error instanceof ApiError && error.offline ? cachedRoute(me) : null;
    if (!kept) throw error;
    return { ...kept, offline: true };
  }
}

/** The org's downtime reasons ([code, label]), kept for offline use; the documented defaults otherwise. */
export async function downtimeReasons() {
  try {
    const page = await get(paths.readings.downtimeReasons);
    const reasons = (page.items || []).map((r) => [r.code, r.label]);
    if (reasons.length) {
      localStorage.setItem(REASONS_KEY, JSON.stringify(reasons));
      return reasons;
    }
  } catch {
    /* offline: the kept list or the defaults */
  }
  try {
    return JSON.parse(localStorage.getItem(REASONS_KEY)) || DEFAULT_REASONS;
  } catch {
    return DEFAULT_REASONS;
  }
}

/** The local date and time now as a datetime-local value (YYYY-MM-DDTHH:MM). */
function localNow() {
  const now = new Date();
  return `${isoDate(now)}T${String(now.getHours()).padStart(2, "0")}:${String(now.getMinutes()).padStart(2, "0")}`;
}

/** An ISO instant (or now) as a datetime-local value in the phone's zone. */
export function localInput(iso) {
  const d = iso ? new Date(iso) : new Date();
  if (Number.isNaN(d.getTime())) return localNow();
  return `${isoDate(d)}T${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/** A datetime-local value as an ISO instant with the phone's zone (the API wants aware times). */
export function instant(local) {
  const d = local ? new Date(local) : new Date();
  return Number.isNaN(d.getTime()) ? new Date().toISOString() : d.toISOString();
}

/** Run `draw` again whenever the outbox changes, for as long as `el` stays on the page. */
export function redrawOnOutbox(el, draw) {
  const listener = () => {
    if (!el.isConnected) window.removeEventListener("wellflow:outbox", listener);
    else draw();
  };
  window.addEventListener("wellflow:outbox", listener);
}

export function tankName(tank) {
  return [tank.battery_name, tank.name || tank.number].filter(Boolean).join(" · ") + (tank.product ? ` (${tank.product})` : "");
}

/**
 * Keep an entry and try to send it now. Online, resolves with the entry's answer (sent, rejected, conflict);
 * with no connection, with the entry still waiting.
 */
export async function submit(entry) {
  const stored = await enqueue(entry);
  if (navigator.onLine) await flush();
  return (await getEntry(stored.id)) || stored;
}

/** What a form shows for an entry's answer. Returns true when the page may leave (sent or kept waiting). */
export async function answered(form, entry, names = {}) {
  if (entry.state === "sent") {
    flash("Sent to the office.");
    return true;
  }
  if (entry.state === "waiting" || entry.state === "sending") {
    flash("Saved on this phone — waiting to send.", "info");
    return true;
  }
  // The pumper is right here to fix it: show the problem on the form, not in the outbox.
  await remove(entry.id);
  showErrors(form, new ApiError(entry.problem?.status || 422, entry.problem || {}), names);
  return false;
}

/** Entries of the outbox about a well or a tank for the route's day, newest first. */
export function entriesFor(entries, key, id, day) {
  return entries.filter((e) => e[key] === id && (!day || !e.production_date || e.production_date === day)).reverse();
}

export function outboxMark(entry) {
  if (!entry) return null;
  if (entry.state === "waiting" || entry.state === "sending") return ["waiting", "Waiting to send", "info"];
  if (entry.state === "conflict" || entry.state === "rejected") return ["waiting", "To resolve", "bad"];
  return ["done", "Done", "ok"];
}

// ------------------------------------------------------------------------------------- the route's place

const PLACE_KEY = "wellflow.route-place";

/** The pumper saved at this stop ("well" or "tank", its id): the route goes on from the next unfinished one. */
export function leftStop(kind, id) {
  localStorage.setItem(PLACE_KEY, JSON.stringify({ kind, id, day: isoDate() }));
}

/** The stop the pumper last saved at today ({kind, id}), or null (a new day starts at the top). */
export function lastStop() {
  try {
    const place = JSON.parse(localStorage.getItem(PLACE_KEY));
    return place && place.day === isoDate() ? place : null;
  } catch {
    return null;
  }
}

/** Entries whose effect the kept route does not hold yet: waiting on the phone, or sent after it was fetched. */
export function unsent(entries, kept) {
  const fetched = kept?.fetched_at || "";
  return entries.filter((e) => e.state === "waiting" || e.state === "sending" || (e.state === "sent" && (e.sent_at || "") > fetched));
}
