// #/gauge/<tank> and #/run-ticket: a tank gauged in feet, inches and quarters; a run ticket's opening
// and closing gauges. Both kept on the phone first and then sent (lib/outbox.js).

import { ApiError } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, values, showErrors, clearErrors, busy, header, isoDate, useStyle } from "../../lib/ui.js";
import { remove, get as getEntry } from "../../lib/outbox.js";
import { STYLE, cachedRoute, localInput, instant, tankName, submit, answered } from "./field.js";

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
