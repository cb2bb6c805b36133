// What the pumper's gauge and run ticket forms check before an entry is kept on the phone, and how they read the
// API's answer. The limits are production's (entrypoints/schemas.py: Gauge, TankGaugeCreate, RunTicketCreate;
// console/tests/test_measure_limits.py fails when the two differ), so a typo shows beside its field at once,
// even with no connection, instead of coming back refused hours later. The API checks everything again.
// No DOM here: node's unit tests import this module as it is (console/tests/measure.test.js).

import { num } from "../../lib/ui.js";

// Each field's bounds as pydantic names them: ge/le inclusive, gt/lt exclusive; `whole` an integer;
// `places` the most decimal places; `unit` and `label` for the message.
export const GAUGE_LIMITS = {
  feet: { ge: 0, le: 60, whole: true, label: "Feet" },
  inches: { ge: 0, le: 11, whole: true, label: "Inches" },
  quarters: { ge: 0, le: 3, whole: true, label: "Quarters" },
};
export const TANK_GAUGE_LIMITS = {
  bottom_water_inches: { ge: 0, le: 720, unit: "in", label: "Bottom water" },
  temperature_f: { ge: -40, le: 250, unit: "°F", label: "The tank temperature" },
  bsw_percent: { ge: 0, lt: 100, unit: "%", label: "BS&W" },
  observed_gravity_api: { gt: 0, le: 100, unit: "°API", label: "The gravity" },
  gravity_temperature_f: { ge: -40, le: 250, unit: "°F", label: "The sample temperature" },
};
export const RUN_TICKET_LIMITS = {
  observed_gravity_api: { gt: 0, le: 100, unit: "°API", label: "The gravity" },
  observed_temperature_f: { ge: 0, le: 250, unit: "°F", label: "The sample temperature" },
  opening_temperature_f: { ge: 0, le: 250, unit: "°F", label: "The tank temperature" },
  closing_temperature_f: { ge: 0, le: 250, unit: "°F", label: "The tank temperature" },
  bsw_percent: { ge: 0, lt: 100, unit: "%", label: "BS&W" },
  price_per_bbl: { ge: 0, le: 100000, places: 4, unit: "$", label: "The price" },
};
export const TANK_GAUGE_REQUIRED = ["feet", "inches"];
export const RUN_TICKET_REQUIRED = ["observed_gravity_api", "observed_temperature_f", "bsw_percent"];

const NUMBER = /^-?(\d+\.?\d*|\.\d+)$/;

function range(rule) {
  const low = rule.ge ?? rule.gt;
  const high = rule.le ?? rule.lt;
  const unit = rule.unit === "$" ? "" : rule.unit ? ` ${rule.unit}` : "";
  const money = rule.unit === "$" ? "$" : "";
  const upper = rule.lt !== undefined ? `below ${money}${high}${unit}` : `${money}${high}${unit}`;
  const lower = rule.gt !== undefined ? `above ${money}${low}${unit}` : `${money}${low}${unit}`;
  return `${lower} to ${upper}`;
}

/**
 * The problem with one value (a form's string, "" or undefined for empty) under `rule`, or null. `required`:
 * an empty value is a problem too.
 */
export function checkValue(value, rule, { required = false } = {}) {
  const text = value === undefined || value === null ? "" : String(value).trim();
  if (text === "") return required ? "Required." : null;
  if (!NUMBER.test(text)) return rule.whole ? "Enter a whole number." : "Enter a number, like 85 or 85.5.";
  if (rule.whole && !/^\d+$/.test(text)) return "Enter a whole number.";
  const n = Number(text);
  const outside = (rule.ge !== undefined && n < rule.ge) || (rule.gt !== undefined && n <= rule.gt) || (rule.le !== undefined && n > rule.le) || (rule.lt !== undefined && n >= rule.lt);
  if (outside) {
    const shown = rule.unit === "$" ? `$${text}` : `${text}${rule.unit ? ` ${rule.unit}` : ""}`;
    return `${shown} is outside ${range(rule)}: check the reading.`;
  }
  const fraction = text.includes(".") ? text.split(".")[1].replace(/0+$/, "") : "";
  if (rule.places !== undefined && fraction.length > rule.places) return `At most ${rule.places} decimal places.`;
  return null;
}

function checkAll(body, limits, required, prefix = "body.") {
  const errors = [];
  for (const [name, rule] of Object.entries(limits)) {
    const message = checkValue(body[name], rule, { required: required.includes(name) });
    if (message) errors.push({ field: `${prefix}${name}`, message });
  }
  return errors;
}

/** Inches from the top of the tank's bottom: feet, inches and quarter-inches (null when not all whole numbers). */
export function levelInches(gauge) {
  const parts = [gauge?.feet, gauge?.inches, gauge?.quarters ?? 0];
  if (!parts.every((p) => Number.isInteger(p))) return null;
  return parts[0] * 12 + parts[1] + parts[2] / 4;
}

/** Problems of a tank gauge's body ([{field: "body.<name>", message}], the API's shape); [] when it may be kept. */
export function checkTankGauge(body) {
  const errors = checkAll(body, GAUGE_LIMITS, TANK_GAUGE_REQUIRED);
  errors.push(...checkAll(body, TANK_GAUGE_LIMITS, []));
  const gravity = body.observed_gravity_api;
  if (gravity !== undefined && gravity !== "" && !body.gravity_temperature_f && !body.temperature_f) {
    errors.push({ field: "body.gravity_temperature_f", message: "Give the sample's temperature with its gravity." });
  }
  return errors;
}

/** Problems of a run ticket's body (the two gauges, the sample, the temperatures, the price); [] when fine. */
export function checkRunTicket(body) {
  const errors = [];
  for (const side of ["opening_gauge", "closing_gauge"]) {
    errors.push(...checkAll(body[side] || {}, GAUGE_LIMITS, TANK_GAUGE_REQUIRED, `body.${side}.`));
  }
  errors.push(...checkAll(body, RUN_TICKET_LIMITS, RUN_TICKET_REQUIRED));
  const opening = levelInches(body.opening_gauge);
  const closing = levelInches(body.closing_gauge);
  if (!errors.length && opening !== null && closing !== null && closing > opening) {
    errors.push({ field: "body.closing_gauge", message: "The closing gauge is above the opening gauge: oil was taken out." });
  }
  return errors;
}

// ------------------------------------------------------------------------------------------ the API's answer

const BASIS = {
  standard: null,
  no_temperature: "Not temperature-corrected: no tank temperature was given.",
  no_gravity: "Not temperature-corrected: this tank's oil has no gravity yet (no sample, no run ticket).",
  legacy: "Not temperature-corrected: recorded before temperatures were kept.",
};

/** Why a gauge's net is not corrected to 60 °F (null when it is). */
export function basisNote(gauge) {
  if (!gauge || !gauge.net_basis || gauge.net_basis === "standard") return null;
  return BASIS[gauge.net_basis] || `Not temperature-corrected (${gauge.net_basis}).`;
}

const GRAVITY_SOURCE = { observed: "this gauge's sample", run_ticket: "the latest run ticket" };

/** Where a gauge's gravity at 60 °F came from, for reading ("40.1 °API at 60 °F, from the latest run ticket"). */
export function gravityLine(gauge) {
  if (!gauge?.api_gravity_60) return null;
  const source = GRAVITY_SOURCE[gauge.gravity_source];
  return `${num(gauge.api_gravity_60, 1)} °API at 60 °F${source ? `, from ${source}` : ""}`;
}

/** A Decimal string the API sends with its column's places ("84.00", "0.300") as read: "84", "0.3". */
export function plain(value) {
  if (value === null || value === undefined || value === "") return "";
  const text = String(value);
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}

/** 8 ft 7 2/4 in. */
export function gaugeText(gauge) {
  if (!gauge) return "";
  const quarters = Number(gauge.quarters || 0);
  return `${gauge.feet} ft ${gauge.inches}${quarters ? ` ${quarters}/4` : ""} in`;
}

/** One line of barrels for an answer: a gauge's (`barrels`, `net_bbl`) or a run ticket's (`gross_bbl`, `net_bbl`). */
export function barrelsLine(answer) {
  if (!answer) return "";
  const gross = answer.gross_bbl ?? answer.barrels;
  const parts = [`${num(gross, 2)} bbl gross`];
  if (answer.net_bbl !== undefined && answer.net_bbl !== null) parts.push(`${num(answer.net_bbl, 2)} bbl net`);
  const note = answer.net_basis && answer.net_basis !== "standard" ? " (not temperature-corrected)" : answer.net_bbl ? " at 60 °F" : "";
  return parts.join(" · ") + note;
}
