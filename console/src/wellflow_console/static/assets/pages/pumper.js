// The pumper's pages, made for a phone in the field with or without signal: today's route (wells by lease,
// the batteries' tanks, what is done, what waits on the phone to send), the daily reading form, the tank
// gauge, the run ticket, and the outbox where entries the API refused are resolved. Every form goes through
// lib/outbox.js: kept on the phone first, then sent; the last route fetched is kept so the page opens offline.

import { ApiError, get, newId, patch } from "../lib/api.js";
import { paths } from "../lib/paths.js";
import { h, mount, field, values, showErrors, clearErrors, busy, badge, flash, header, failure, num, isoDate, dateTime, useStyle, words } from "../lib/ui.js";
import { enqueue, flush, list, remove, settle, get as getEntry } from "../lib/outbox.js";

const ROUTE_KEY = "wellflow.route";
const REASONS_KEY = "wellflow.downtime-reasons";
const STYLE = "/assets/pages/pumper.css";

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

const KIND_LABEL = { reading: "Reading", gauge: "Tank gauge", run_ticket: "Run ticket" };

// ---------------------------------------------------------------------------------------------- shared bits

/** The route kept on this phone for `me` ({route, fetched_at}) or null. */
function cachedRoute(me) {
  try {
    const kept = JSON.parse(localStorage.getItem(ROUTE_KEY));
    return kept && kept.user_id === me?.user_id ? kept : null;
  } catch {
    return null;
  }
}

/** A route kept from an earlier day, as today's until the API answers: the same stops, none done yet. */
function startOfDay(kept) {
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
async function loadRoute(me) {
  const day = isoDate();
  try {
    const route = await get(paths.route.mine, { date: day });
    const kept = { user_id: me?.user_id, fetched_at: new Date().toISOString(), route };
    localStorage.setItem(ROUTE_KEY, JSON.stringify(kept));
    return { ...kept, offline: false };
  } catch (error) {
    const kept = error instanceof ApiError && error.offline ? cachedRoute(me) : null;
    if (!kept) throw error;
    return { ...kept, offline: true };
  }
}

/** The org's downtime reasons ([code, label]), kept for offline use; the documented defaults otherwise. */
async function downtimeReasons() {
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
function localInput(iso) {
  const d = iso ? new Date(iso) : new Date();
  if (Number.isNaN(d.getTime())) return localNow();
  return `${isoDate(d)}T${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/** A datetime-local value as an ISO instant with the phone's zone (the API wants aware times). */
function instant(local) {
  const d = local ? new Date(local) : new Date();
  return Number.isNaN(d.getTime()) ? new Date().toISOString() : d.toISOString();
}

/** Run `draw` again whenever the outbox changes, for as long as `el` stays on the page. */
function redrawOnOutbox(el, draw) {
  const listener = () => {
    if (!el.isConnected) window.removeEventListener("wellflow:outbox", listener);
    else draw();
  };
  window.addEventListener("wellflow:outbox", listener);
}

function tankName(tank) {
  return [tank.battery_name, tank.name || tank.number].filter(Boolean).join(" · ") + (tank.product ? ` (${tank.product})` : "");
}

/**
 * Keep an entry and try to send it now. Online, resolves with the entry's answer (sent, rejected, conflict);
 * with no connection, with the entry still waiting.
 */
async function submit(entry) {
  const stored = await enqueue(entry);
  if (navigator.onLine) await flush();
  return (await getEntry(stored.id)) || stored;
}

/** What a form shows for an entry's answer. Returns true when the page may leave (sent or kept waiting). */
async function answered(form, entry, names = {}) {
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
function entriesFor(entries, key, id, day) {
  return entries.filter((e) => e[key] === id && (!day || !e.production_date || e.production_date === day)).reverse();
}

function outboxMark(entry) {
  if (!entry) return null;
  if (entry.state === "waiting" || entry.state === "sending") return ["waiting", "Waiting to send", "info"];
  if (entry.state === "conflict" || entry.state === "rejected") return ["waiting", "To resolve", "bad"];
  return ["done", "Done", "ok"];
}

// ---------------------------------------------------------------------------------------------- the route

export async function routePage(main, params, ctx) {
  useStyle(STYLE);
  const view = h("section.pumper");
  let kept = cachedRoute(ctx.me);
  const draw = async () => drawRoute(view, kept, await list());
  if (kept) {
    // A route is on the phone already (the pumper comes back to it after every well, and starts each morning
    // from yesterday's stops): show it at once, marked as updating, and redraw when the API answers (a slow
    // connection costs seconds a request). Yesterday's route starts the new day with nothing done.
    kept = { ...(kept.route.date === isoDate() ? kept : startOfDay(kept)), updating: true };
    await draw();
    mount(main, view);
    redrawOnOutbox(view, draw);
    try {
      const fresh = await loadRoute(ctx.me);
      // no connection: keep what is drawn (the day's stops), now marked as the phone's copy
      kept = fresh.offline ? { ...kept, updating: false, offline: true } : fresh;
    } catch (error) {
      kept = { ...kept, updating: false };
      console.warn("route not refreshed", error);
    }
    await draw();
    return;
  }
  try {
    kept = await loadRoute(ctx.me);
  } catch (error) {
    mount(main, header("Today's route"), failure(error));
    return;
  }
  await draw();
  mount(main, view);
  redrawOnOutbox(view, draw);
}

function drawRoute(view, kept, entries) {
  const route = kept.route;
  const wellRows = route.wells.map((well) => {
    const mark = outboxMark(entriesFor(entries, "well_id", well.well_id, route.date)[0]);
    const [state, text, kind] = mark && !(well.done && mark[0] === "done") ? mark : well.done ? ["done", "Done", "ok"] : ["todo", "To do", "muted"];
    return { well, state, text, kind };
  });
  const tankRows = route.tanks.map((tank) => {
    const mark = outboxMark(entriesFor(entries, "tank_id", tank.tank_id, route.date)[0]);
    const [state, text, kind] = mark && !(tank.gauged && mark[0] === "done") ? mark : tank.gauged ? ["done", "Gauged", "ok"] : ["todo", "Not gauged", "muted"];
    return { tank, state, text, kind };
  });
  const all = [...wellRows, ...tankRows];
  const done = all.filter((r) => r.state === "done").length;
  const waiting = all.filter((r) => r.text === "Waiting to send").length;

  const leases = new Map();
  for (const row of wellRows) {
    const name = row.well.lease_name || "No lease";
    if (!leases.has(name)) leases.set(name, []);
    leases.get(name).push(row);
  }
  const batteries = new Map();
  for (const row of tankRows) {
    const name = row.tank.battery_name || "Battery";
    if (!batteries.has(name)) batteries.set(name, []);
    batteries.get(name).push(row);
  }

  mount(
    view,
    header(
      route.date === isoDate() ? "Today's route" : `Route of ${route.date}`,
      h("a.button", { href: "#/run-ticket" }, "Record a run ticket"),
      h("a.button", { href: "#/outbox" }, "Outbox"),
    ),
    h(
      "p.progress",
      { role: "status" },
      h("strong", `${done} of ${all.length} done`),
      waiting ? ` · ${waiting} waiting to send` : "",
      h("progress", { max: all.length || 1, value: done, "aria-label": "Stops done" }),
    ),
    kept.updating ? h("p.note.updating-note", { role: "status" }, `Updating… (kept on this phone since ${dateTime(kept.fetched_at)})`) : null,
    kept.offline
      ? h("p.note.offline-note", `No connection: this is the route kept on this phone, fetched ${dateTime(kept.fetched_at)}.`)
      : null,
    route.date !== isoDate() ? h("p.note", `This route is for ${route.date}, not today.`) : null,
    wellRows.length ? null : h("p.empty", "No wells on your route today. Ask your manager to assign your route."),
    [...leases].map(([lease, rows]) =>
      h(
        "section.route-group",
        h("h2", lease),
        h(
          "ul.route-list",
          rows.map(({ well, state, text, kind }) =>
            h(
              `li.route-item.${state}`,
              { dataset: { wellId: well.well_id } },
              h(
                "a",
                { href: `#/record/${well.well_id}` },
                h("span", h("span.name", well.name), h("span.sub", `API ${well.api_number || ""}${well.status && well.status !== "producing" ? ` · ${words(well.status)}` : ""}`)),
                badge(text, kind),
              ),
            ),
          ),
        ),
      ),
    ),
    tankRows.length
      ? h(
          "section.route-group",
          h("h2", "Tanks"),
          [...batteries].map(([battery, rows]) => [
            h("h3", battery),
            h(
              "ul.route-list",
              rows.map(({ tank, state, text, kind }) =>
                h(
                  `li.route-item.${state}`,
                  { dataset: { tankId: tank.tank_id } },
                  h(
                    "a",
                    { href: `#/gauge/${tank.tank_id}` },
                    h("span", h("span.name", `Tank ${tank.name || tank.number}`), h("span.sub", [tank.product, tank.capacity_bbl ? `${num(tank.capacity_bbl)} bbl` : ""].filter(Boolean).join(" · "))),
                    badge(text, kind),
                  ),
                ),
              ),
            ),
          ]),
        )
      : null,
  );
}

// ---------------------------------------------------------------------------------------------- a reading

export async function readingPage(main, params, ctx) {
  useStyle(STYLE);
  const kept = cachedRoute(ctx.me);
  const day = kept?.route?.date && kept.route.date <= isoDate() ? kept.route.date : isoDate();
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
  const editing = ctx.query.get("entry") ? await getEntry(ctx.query.get("entry")) : null;
  const reasons = await downtimeReasons();
  const before = editing?.body || {};
  let confirmBox = null;
  // One key for this form's tries (a refused try stored nothing, so the corrected values may reuse it).
  const entryId = newId();
  const askConfirm = () => {
    confirmBox ||= field("confirm", "Yes, these are right", { kind: "checkbox" });
    if (!confirmBox.isConnected) form.querySelector(".actions").before(confirmBox);
  };

  const form = h(
    "form.card.pumper-form",
    { novalidate: true },
    h("p.sub", `${well.lease_name ? well.lease_name + " · " : ""}production day ${before.production_date || day}`),
    h(
      "div.grid-3",
      field("oil_bbl", "Oil (bbl)", { kind: "decimal", required: true, value: before.oil_bbl }),
      field("gas_mcf", "Gas (mcf)", { kind: "decimal", required: true, value: before.gas_mcf }),
      field("water_bbl", "Water (bbl)", { kind: "decimal", required: true, value: before.water_bbl }),
    ),
    field("hours_on", "Hours on", { kind: "decimal", required: true, value: before.hours_on ?? "24" }),
    h(
      "div.grid",
      field("tubing_pressure_psi", "Tubing pressure (psi)", { kind: "decimal", value: before.tubing_pressure_psi }),
      field("casing_pressure_psi", "Casing pressure (psi)", { kind: "decimal", value: before.casing_pressure_psi }),
    ),
    field("downtime_reason", "Downtime reason", {
      kind: "select",
      options: [["", "None (produced all day)"], ...reasons],
      value: before.downtime_reason || "",
      hint: "Needed when hours on is below 24.",
    }),
    field("comments", "Comments", { kind: "textarea", value: before.comments }),
    h("div.actions", h("button.primary.big", { type: "submit" }, "Save reading"), h("a.button", { href: "#/route" }, "Back to the route")),
  );
  if (editing?.problem) {
    showErrors(form, new ApiError(editing.problem.status || 422, editing.problem));
    if (editing.problem.code === "confirmation_required") askConfirm();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      clearErrors(form);
      const input = values(form);
      const confirmed = Boolean(input.confirm);
      delete input.confirm;
      const body = {
        well_id: well.well_id,
        production_date: before.production_date || day,
        measured_at: before.measured_at || new Date().toISOString(),
        ...input,
        confirm: confirmed || undefined,
      };
      if (editing) await remove(editing.id); // an edited entry goes again under a new key
      // The reading's own id is the entry's key: a retry of the same body answers the first result.
      const id = entryId;
      const entry = await submit({
        id,
        kind: "reading",
        path: paths.readings.list,
        body: { reading_id: id, ...body },
        label: `Reading · ${well.name} · ${body.production_date}`,
        well_id: well.well_id,
        production_date: body.production_date,
      });
      if (await answered(form, entry)) return ctx.navigate("/route");
      if (entry.problem?.code === "confirmation_required") askConfirm();
    });
  });
  mount(main, header(well.name), form);
}

// ---------------------------------------------------------------------------------------------- a tank gauge

function gaugeFields(prefix, label, value = {}) {
  return h(
    "fieldset.gauge",
    h("legend", label),
    h(
      "div.grid-3",
      field(`${prefix}feet`, "Feet", { kind: "integer", required: true, value: value.feet }),
      field(`${prefix}inches`, "Inches", { kind: "integer", required: true, value: value.inches }),
      field(`${prefix}quarters`, "Quarters", { kind: "integer", value: value.quarters ?? "0" }),
    ),
  );
}

function gaugeOf(input, prefix) {
  const whole = (name) => (input[prefix + name] === undefined ? undefined : /^\d+$/.test(input[prefix + name]) ? Number(input[prefix + name]) : input[prefix + name]);
  return { feet: whole("feet"), inches: whole("inches"), quarters: whole("quarters") ?? 0 };
}

export async function gaugePage(main, params, ctx) {
  useStyle(STYLE);
  const kept = cachedRoute(ctx.me);
  const tank = kept?.route?.tanks?.find((t) => t.tank_id === params.tankId) || { tank_id: params.tankId, number: "" };
  const editing = ctx.query.get("entry") ? await getEntry(ctx.query.get("entry")) : null;
  const before = editing?.body || {};
  const form = h(
    "form.card.pumper-form",
    { novalidate: true },
    gaugeFields("", "Top gauge", before),
    field("gauged_at", "Gauged at", { kind: "datetime-local", required: true, value: localInput(before.gauged_at) }),
    h(
      "div.grid",
      field("bottom_water_inches", "Bottom water (inches)", { kind: "decimal", value: before.bottom_water_inches }),
      field("temperature_f", "Temperature (°F)", { kind: "decimal", value: before.temperature_f }),
    ),
    field("comments", "Comments", { kind: "textarea", value: before.comments }),
    h("div.actions", h("button.primary.big", { type: "submit" }, "Save gauge"), h("a.button", { href: "#/route" }, "Back to the route")),
  );
  if (editing?.problem) showErrors(form, new ApiError(editing.problem.status || 422, editing.problem));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      clearErrors(form);
      const input = values(form);
      const at = instant(input.gauged_at);
      const body = {
        tank_id: tank.tank_id,
        ...gaugeOf(input, ""),
        gauged_at: at,
        gauge_date: input.gauged_at ? input.gauged_at.slice(0, 10) : isoDate(),
        bottom_water_inches: input.bottom_water_inches,
        temperature_f: input.temperature_f,
        comments: input.comments,
      };
      if (editing) await remove(editing.id);
      const entry = await submit({
        kind: "gauge",
        path: paths.tankGauges,
        body,
        label: `Tank gauge · ${tankName(tank)} · ${body.gauge_date}`,
        tank_id: tank.tank_id,
        production_date: body.gauge_date,
      });
      if (await answered(form, entry)) ctx.navigate("/route");
    });
  });
  mount(main, header(tank.battery_name ? `Gauge tank ${tank.name || tank.number}` : "Gauge a tank"), tank.battery_name ? h("p.sub", tankName(tank)) : null, form);
}

// ---------------------------------------------------------------------------------------------- a run ticket

// The API's field paths for the nested gauges, mapped to this form's inputs.
const TICKET_FIELDS = {};
for (const side of ["opening", "closing"]) {
  for (const part of ["feet", "inches", "quarters"]) TICKET_FIELDS[`body.${side}_gauge.${part}`] = `${side}_${part}`;
}

export async function runTicketPage(main, params, ctx) {
  useStyle(STYLE);
  const kept = cachedRoute(ctx.me);
  const tanks = (kept?.route?.tanks || []).filter((t) => !t.product || t.product === "oil");
  const editing = ctx.query.get("entry") ? await getEntry(ctx.query.get("entry")) : null;
  const before = editing?.body || {};
  const form = h(
    "form.card.pumper-form",
    { novalidate: true },
    h(
      "div.grid",
      field("ticket_number", "Ticket number", { required: true, value: before.ticket_number }),
      field("purchaser", "Purchaser", { required: true, value: before.purchaser }),
    ),
    tanks.length
      ? field("tank_id", "Tank", { kind: "select", required: true, options: [["", "Choose the tank"], ...tanks.map((t) => [t.tank_id, tankName(t)])], value: before.tank_id || ctx.query.get("tank") || "" })
      : field("tank_id", "Tank id", { required: true, value: before.tank_id, hint: "Open the route once with a connection to choose from your tanks." }),
    field("taken_at", "Taken at", { kind: "datetime-local", required: true, value: localInput(before.taken_at) }),
    field("disposition_code", "Taken by", { kind: "select", options: [["01", "Truck"], ["00", "Pipeline"], ["02", "Tank car"]], value: before.disposition_code || "01" }),
    h("div.grid", field("hauler", "Hauler", { value: before.hauler }), field("driver", "Driver", { value: before.driver })),
    ticketGauge("opening", "Opening gauge", before.opening_gauge),
    ticketGauge("closing", "Closing gauge", before.closing_gauge),
    h(
      "div.grid-3",
      field("observed_gravity_api", "Observed gravity (°API)", { kind: "decimal", required: true, value: before.observed_gravity_api }),
      field("observed_temperature_f", "Temperature (°F)", { kind: "decimal", required: true, value: before.observed_temperature_f }),
      field("bsw_percent", "BS&W (%)", { kind: "decimal", required: true, value: before.bsw_percent }),
    ),
    field("seal_numbers", "Seal numbers", { value: (before.seal_numbers || []).join(", "), hint: "Separate several with commas." }),
    field("comments", "Comments", { kind: "textarea", value: before.comments }),
    h("div.actions", h("button.primary.big", { type: "submit" }, "Save run ticket"), h("a.button", { href: "#/route" }, "Back to the route")),
  );
  if (editing?.problem) showErrors(form, new ApiError(editing.problem.status || 422, editing.problem), TICKET_FIELDS);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      clearErrors(form);
      const input = values(form);
      const body = {
        ticket_number: input.ticket_number,
        purchaser: input.purchaser,
        hauler: input.hauler,
        driver: input.driver,
        tank_id: input.tank_id,
        taken_at: instant(input.taken_at),
        disposition_code: input.disposition_code,
        opening_gauge: gaugeOf(input, "opening_"),
        closing_gauge: gaugeOf(input, "closing_"),
        observed_gravity_api: input.observed_gravity_api,
        observed_temperature_f: input.observed_temperature_f,
        bsw_percent: input.bsw_percent,
        seal_numbers: (input.seal_numbers || "").split(",").map((s) => s.trim()).filter(Boolean),
        comments: input.comments,
      };
      if (editing) await remove(editing.id);
      const entry = await submit({
        kind: "run_ticket",
        path: paths.runTickets,
        body,
        label: `Run ticket ${body.ticket_number || ""} · ${body.purchaser || ""}`,
        tank_id: body.tank_id,
      });
      if (await answered(form, entry, TICKET_FIELDS)) ctx.navigate("/route");
    });
  });
  mount(main, header("Run ticket"), form);
}

function ticketGauge(side, label, value = {}) {
  return h(
    "fieldset.gauge",
    h("legend", label),
    h(
      "div.grid-3",
      field(`${side}_feet`, "Feet", { kind: "integer", required: true, value: value?.feet }),
      field(`${side}_inches`, "Inches", { kind: "integer", required: true, value: value?.inches }),
      field(`${side}_quarters`, "Quarters", { kind: "integer", value: value?.quarters ?? "0" }),
    ),
  );
}

// ---------------------------------------------------------------------------------------------- the outbox

const EDIT_PATH = {
  reading: (e) => `/record/${e.well_id}`,
  gauge: (e) => `/gauge/${e.tank_id}`,
  run_ticket: () => "/run-ticket",
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
  );
}

function problemEntry(entry, ctx) {
  const problem = entry.problem || {};
  const actions = h("div.actions");
  const message = h("p.form-error-text", { role: "status" });
  const edit = EDIT_PATH[entry.kind] ? h("a.button", { href: `#${EDIT_PATH[entry.kind](entry)}?entry=${encodeURIComponent(entry.id)}` }, "Edit and resend") : null;
  const discard = h("button.danger", { type: "button", on: { click: () => askDiscard() } }, "Discard");
  const askDiscard = () =>
    mount(
      actions,
      h("span", "Discard this entry for good? It was never recorded."),
      h("button.danger", { type: "button", on: { click: () => remove(entry.id) } }, "Yes, discard it"),
      h("button", { type: "button", on: { click: () => mount(actions, buttons()) } }, "Keep it"),
    );
  // A reading the office (or another phone) recorded first: correct that one with these values.
  const replace =
    entry.kind === "reading" && problem.type?.endsWith("/duplicate-reading") && problem.reading_id
      ? h("button.primary", { type: "button", on: { click: (ev) => busy(ev.currentTarget, () => replaceReading(entry, message)) } }, "Replace the recorded reading with mine")
      : null;
  const buttons = () => [replace, edit, discard];
  mount(actions, buttons());
  return h(
    "li.outbox-item.problem",
    { dataset: { entryId: entry.id, state: entry.state } },
    h("div.row", h("span.name", entry.label || KIND_LABEL[entry.kind]), badge(entry.state === "conflict" ? "Conflict" : "Refused", "bad")),
    h("p", h("strong", problem.title || "Not recorded"), problem.detail ? ` ${problem.detail}` : ""),
    problem.errors?.length ? h("ul.problems", problem.errors.map((e) => h("li", `${String(e.field || "").replace(/^body\./, "")}: ${e.message}`))) : null,
    h("p.sub", `Recorded on this phone ${dateTime(entry.created_at)}`),
    message,
    actions,
  );
}

/** Correct the reading already recorded for that well and day with this entry's values (from its version). */
async function replaceReading(entry, message) {
  const { reading_id: readingId, version } = entry.problem;
  const names = ["oil_bbl", "gas_mcf", "water_bbl", "hours_on", "downtime_reason", "tubing_pressure_psi", "casing_pressure_psi", "comments"];
  const changes = Object.fromEntries(names.filter((n) => entry.body[n] !== undefined).map((n) => [n, entry.body[n]]));
  try {
    const result = await patch(paths.readings.one(readingId), { ...changes, version, reason: "Replaced with the pumper's reading from the field", confirm: entry.body.confirm || undefined });
    await settle(entry.id, result);
    flash("The recorded reading now has your values.");
  } catch (error) {
    message.textContent = error.status === 409 ? "The reading changed again meanwhile: open the well's reading in the office to compare." : error.message;
  }
}
