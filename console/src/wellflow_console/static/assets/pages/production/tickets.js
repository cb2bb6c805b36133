// #/run-ticket: a purchaser's run ticket: the opening and closing gauges with the tank's temperature at each, the
// sample's observed gravity and temperature, BS&W and the price per barrel when it is on the ticket. Checked on
// the phone against the API's limits (measure.js), kept on the phone first and then sent (lib/outbox.js); once
// the API answers, the page shows the ticket's gross and net barrels.
//
// Few taps: the tank comes from the gauge just saved (or is chosen once), the opening gauge and its temperature
// are that gauge (or the tank's last gauge, often the last ticket's closing), the purchaser, hauler and driver are
// the lease's last ones with the others offered (parties.js), and the gross and net barrels (volumes.js, the
// server's arithmetic) show as the gauges and the sample are typed, before anything is saved.

import { ApiError } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, values, showErrors, clearErrors, busy, header, money, num, flash, useStyle, dateTime } from "../../lib/ui.js";
import { remove, list, get as getEntry } from "../../lib/outbox.js";
import { STYLE, cachedRoute, localInput, instant, tankName, submit, answered } from "./field.js";
import { checkRunTicket, plain } from "./measure.js";
import { gaugeFields, gaugeOf, refuse, stat, liveBarrels } from "./tanks.js";
import { barrelsAt, ticketVolume } from "./volumes.js";
import { partiesOf, rememberParties } from "./parties.js";

// The API's field paths for the nested gauges, mapped to this form's inputs.
export const TICKET_FIELDS = {};
for (const side of ["opening", "closing"]) {
  for (const part of ["feet", "inches", "quarters"]) TICKET_FIELDS[`body.${side}_gauge.${part}`] = `${side}_${part}`;
}

const SAME_AS_SAMPLE = "Empty: the sample's temperature.";

function ticketSide(side, label, before) {
  const box = gaugeFields(`${side}_`, label, before[`${side}_gauge`]);
  box.append(field(`${side}_temperature_f`, "Tank temperature (°F)", { kind: "decimal", value: before[`${side}_temperature_f`], hint: SAME_AS_SAMPLE }));
  return box;
}

function ticketForm(before, tanks, ctx) {
  return h(
    "form.card.pumper-form",
    { novalidate: true },
    h(
      "div.grid",
      field("ticket_number", "Ticket number", { required: true, value: before.ticket_number }),
      field("purchaser", "Purchaser", { required: true, value: before.purchaser, attrs: { list: "ticket-purchasers", autocomplete: "off" } }),
    ),
    tanks.length
      ? field("tank_id", "Tank", { kind: "select", required: true, options: [["", "Choose the tank"], ...tanks.map((t) => [t.tank_id, tankName(t)])], value: before.tank_id || ctx.query.get("tank") || "" })
      : field("tank_id", "Tank id", { required: true, value: before.tank_id, hint: "Open the route once with a connection to choose from your tanks." }),
    field("taken_at", "Taken at", { kind: "datetime-local", required: true, value: localInput(before.taken_at) }),
    field("disposition_code", "Taken by", { kind: "select", options: [["01", "Truck"], ["00", "Pipeline"], ["02", "Tank car"]], value: before.disposition_code || "01" }),
    h(
      "div.grid",
      field("hauler", "Hauler", { value: before.hauler, attrs: { list: "ticket-haulers", autocomplete: "off" } }),
      field("driver", "Driver", { value: before.driver, attrs: { list: "ticket-drivers", autocomplete: "off" } }),
    ),
    ["purchasers", "haulers", "drivers"].map((kind) => h(`datalist#ticket-${kind}`)),
    ticketSide("opening", "Opening gauge", before),
    ticketSide("closing", "Closing gauge", before),
    h(
      "fieldset.gauge.sample",
      h("legend", "Sample"),
      h(
        "div.grid",
        field("observed_gravity_api", "Observed gravity (°API)", { kind: "decimal", required: true, value: before.observed_gravity_api }),
        field("observed_temperature_f", "Sample temperature (°F)", { kind: "decimal", required: true, value: before.observed_temperature_f }),
      ),
      field("hydrometer_correction", "Read with a glass hydrometer (corrected for the glass)", { kind: "checkbox", value: before.hydrometer_correction ?? true }),
      field("bsw_percent", "BS&W (%)", { kind: "decimal", required: true, value: before.bsw_percent }),
    ),
    h("div.ticket-preview", { role: "status", "aria-live": "polite" }),
    field("price_per_bbl", "Price per barrel ($)", { kind: "decimal", value: before.price_per_bbl, hint: "The purchaser's price per net barrel, when it is on the ticket." }),
    field("seal_numbers", "Seal numbers", { value: (before.seal_numbers || []).join(", "), hint: "Separate several with commas." }),
    field("comments", "Comments", { kind: "textarea", value: before.comments }),
    h("div.actions", h("button.primary.big", { type: "submit" }, "Save run ticket"), h("a.button", { href: "#/route" }, "Back to the route")),
  );
}

function ticketBody(input) {
  return {
    ticket_number: input.ticket_number,
    purchaser: input.purchaser,
    hauler: input.hauler,
    driver: input.driver,
    tank_id: input.tank_id,
    taken_at: instant(input.taken_at),
    disposition_code: input.disposition_code,
    opening_gauge: gaugeOf(input, "opening_"),
    closing_gauge: gaugeOf(input, "closing_"),
    opening_temperature_f: input.opening_temperature_f,
    closing_temperature_f: input.closing_temperature_f,
    observed_gravity_api: input.observed_gravity_api,
    observed_temperature_f: input.observed_temperature_f,
    hydrometer_correction: input.hydrometer_correction,
    bsw_percent: input.bsw_percent,
    price_per_bbl: input.price_per_bbl,
    seal_numbers: (input.seal_numbers || "").split(",").map((s) => s.trim()).filter(Boolean),
    comments: input.comments,
  };
}

export async function runTicketPage(main, params, ctx) {
  useStyle(STYLE);
  const kept = cachedRoute(ctx.me);
  const tanks = (kept?.route?.tanks || []).filter((t) => !t.product || t.product === "oil");
  const editing = ctx.query.get("entry") ? await getEntry(ctx.query.get("entry")) : null;
  const before = editing?.body || {};
  const form = ticketForm(before, tanks, ctx);
  if (editing?.problem) showErrors(form, new ApiError(editing.problem.status || 422, editing.problem), TICKET_FIELDS);
  const entries = await list();
  const chosen = () => tanks.find((t) => t.tank_id === form.elements.tank_id.value) || null;
  const redraw = ["opening", "closing"].map((side) => liveBarrels(form.querySelector(`[data-field="${side}_gauge"]`), `${side}_`, chosen));
  const preview = () => showPreview(form, chosen());
  const fill = () => {
    prefill(form, chosen(), kept?.route, entries, !editing);
    redraw.forEach((r) => r());
    preview();
  };
  form.elements.tank_id.addEventListener("change", fill);
  form.addEventListener("input", preview);
  fill();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      clearErrors(form);
      const body = ticketBody(values(form));
      const problems = checkRunTicket(body);
      if (problems.length) return refuse(form, problems, TICKET_FIELDS);
      if (editing) await remove(editing.id);
      rememberParties(chosen()?.lease_id, body);
      const entry = await submit({
        kind: "run_ticket",
        path: paths.runTickets,
        body,
        label: `Run ticket ${body.ticket_number || ""} · ${body.purchaser || ""}`,
        tank_id: body.tank_id,
      });
      if (entry.state === "sent") {
        flash("Sent to the office.");
        form.replaceWith(ticketSaved(entry.result, ctx));
      } else if (await answered(form, entry, TICKET_FIELDS)) ctx.navigate("/route");
    });
  });
  mount(main, header("Run ticket"), form);
}

/** A field's value, set when it is empty or still holds what the form put there itself. */
function offer(form, name, value) {
  const input = form.elements[name];
  if (!input || value === undefined || value === null) return;
  if (input.value === "" || input.dataset.offered === input.value) {
    input.value = String(value);
    input.dataset.offered = input.value;
  }
}

/** The tank's latest gauge: this phone's (a gauge or a ticket's closing, kept or sent) or the route's, newest. */
function latestGauge(tank, route, entries) {
  const candidates = [];
  if (tank.last_gauge) candidates.push({ ...tank.last_gauge, at: tank.last_gauge.gauged_at });
  for (const e of entries) {
    if (e.tank_id !== tank.tank_id || e.state === "rejected" || e.state === "conflict") continue;
    if (e.kind === "gauge") candidates.push({ ...e.body, source: "gauge", at: e.body.gauged_at });
    if (e.kind === "run_ticket") candidates.push({ ...e.body.closing_gauge, temperature_f: e.body.closing_temperature_f, source: "ticket_closing", at: e.body.taken_at });
  }
  return candidates.sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0] || null;
}

/** Fill what the lease and the tank already say: the choices and last purchaser, hauler and driver, the opening gauge. */
function prefill(form, tank, route, entries, fresh) {
  const parties = tank ? partiesOf(route, tank.lease_id) : { purchasers: [], haulers: [], drivers: [] };
  for (const kind of ["purchasers", "haulers", "drivers"]) {
    mount(form.querySelector(`#ticket-${kind}`), parties[kind].map((v) => h("option", { value: v })));
  }
  const note = form.querySelector(".opening-note") || h("p.note.opening-note", { role: "status" });
  note.remove();
  if (!tank || !fresh) return;
  offer(form, "purchaser", parties.purchasers[0]);
  offer(form, "hauler", parties.haulers[0]);
  offer(form, "driver", parties.drivers[0]);
  const last = latestGauge(tank, route, entries);
  if (!last) return;
  offer(form, "opening_feet", last.feet);
  offer(form, "opening_inches", last.inches);
  offer(form, "opening_quarters", last.quarters ?? 0);
  offer(form, "opening_temperature_f", last.temperature_f === null || last.temperature_f === undefined ? undefined : plain(last.temperature_f));
  note.textContent = `From the tank's ${last.source === "gauge" ? "gauge" : "last run ticket's closing gauge"} of ${dateTime(last.at)}: change it if the tank was gauged again.`;
  form.querySelector('[data-field="opening_gauge"] legend').after(note);
}

/** The gross and net barrels the ticket will be, as typed (the API's own arithmetic), or what is still missing. */
function showPreview(form, tank) {
  const box = form.querySelector(".ticket-preview");
  const body = ticketBody(values(form));
  const opening = tank?.strapping ? barrelsAt(tank.strapping, body.opening_gauge) : null;
  const closing = tank?.strapping ? barrelsAt(tank.strapping, body.closing_gauge) : null;
  const ready = opening !== null && closing !== null && !checkRunTicket(body).length;
  const volume = ready ? ticketVolume({ openingBbl: opening, closingBbl: closing, gravity: body.observed_gravity_api, sampleF: body.observed_temperature_f, openingF: body.opening_temperature_f, closingF: body.closing_temperature_f, bsw: body.bsw_percent, glass: body.hydrometer_correction }) : null;
  if (!volume) {
    box.dataset.ready = "";
    return mount(box, h("p.sub", tank?.strapping ? "The gross and net barrels show here once both gauges and the sample are in." : "Choose the tank to see the barrels before saving."));
  }
  box.dataset.ready = "true";
  mount(
    box,
    h("h3", "This ticket, before saving"),
    h("div.stats", stat("Gross (bbl)", num(volume.gross, 2), ".gross"), stat("Net at 60 °F (bbl)", num(volume.net, 2), ".net")),
    h("p.sub", `Gravity ${volume.api60} °API at 60 °F · less ${plain(body.bsw_percent)}% BS&W.`),
  );
}

/** The answer of a ticket the API took: gross and net barrels, the gravity at 60 °F, the temperatures it used. */
function ticketSaved(ticket, ctx) {
  return h(
    "div.card.pumper-form.saved",
    { role: "status", dataset: { ticketId: ticket.id } },
    h("h2", `Run ticket ${ticket.ticket_number} saved`),
    h(
      "div.stats",
      stat("Gross (bbl)", num(ticket.gross_bbl, 2), ".gross"),
      stat("Net at 60 °F (bbl)", num(ticket.net_bbl, 2), ".net"),
      ticket.price_per_bbl ? stat("Price per net barrel", money(ticket.price_per_bbl), ".price") : null,
    ),
    h(
      "p.sub",
      `Gravity ${num(ticket.api_gravity_60, 1)} °API at 60 °F · tank ${plain(ticket.opening_temperature_f)} °F at the opening, `,
      `${plain(ticket.closing_temperature_f)} °F at the closing · BS&W ${plain(ticket.bsw_percent)}%.`,
    ),
    h("div.actions", h("a.button.primary.big", { href: "#/route" }, "Back to the route"), h("button", { type: "button", on: { click: () => ctx.navigate("/run-ticket") } }, "Record another")),
  );
}
