// The daily reading's rules on the phone, as production serves them (GET /api/v1/readings/rules, kept on the
// phone for offline use): each problem named in the pumper's words beside its field, and the plausibility
// questions (the company's daily limits, a jump far above the well's recent days, production on a well that is
// not producing) asked before anything is kept. The API checks everything again. No DOM here: node's unit tests
// import this module as it is (console/tests/reading_rules.test.js).

// The rules as the API answers them with an organization's default settings, for a phone that never reached
// the API yet (console/tests/test_reading_rules_served.py fails when the two differ).
export const DEFAULT_RULES = {
  fields: {
    oil_bbl: { min: "0", max: "99999999999.999", decimals: 3, required: true },
    gas_mcf: { min: "0", max: "99999999999.999", decimals: 3, required: true },
    water_bbl: { min: "0", max: "99999999999.999", decimals: 3, required: true },
    hours_on: { min: "0", max: "24", decimals: 2, required: true },
    tubing_pressure_psi: { min: "0", max: "30000", decimals: 2, required: false },
    casing_pressure_psi: { min: "0", max: "30000", decimals: 2, required: false },
    line_pressure_psi: { min: "0", max: "30000", decimals: 2, required: false },
    choke_size_64ths: { min: "0", max: "256", decimals: 2, required: false },
  },
  comments_max_length: 2000,
  hours_per_day: "24",
  downtime_reason_required_below_hours: "24",
  no_volume_without_hours: true,
  plausibility: {
    organization_limits: { oil_bbl: "1000", gas_mcf: "10000", water_bbl: "5000" },
    well_jump_factor: "3",
    well_min_jump: { oil_bbl: "5", gas_mcf: "50", water_bbl: "10" },
    well_min_history_days: 5,
    trailing_days: 30,
  },
  production_date: { latest: null, earliest_on_phone: null, future: false },
  correction_reason_length: { min: 3, max: 1000 },
};

// What the pumper calls each field, and its unit.
export const WORDS = {
  oil_bbl: ["Oil", "bbl"],
  gas_mcf: ["Gas", "mcf"],
  water_bbl: ["Water", "bbl"],
  hours_on: ["Hours on", "h"],
  tubing_pressure_psi: ["Tubing pressure", "psi"],
  casing_pressure_psi: ["Casing pressure", "psi"],
  line_pressure_psi: ["Line pressure", "psi"],
  choke_size_64ths: ["Choke", "/64 in"],
  downtime_reason: ["Downtime reason", ""],
  comments: ["Comments", ""],
  reason: ["Why it changes", ""],
  production_date: ["Production day", ""],
};
export const VOLUMES = ["oil_bbl", "gas_mcf", "water_bbl"];
export const VALUE_NAMES = ["oil_bbl", "gas_mcf", "water_bbl", "hours_on", "downtime_reason", "tubing_pressure_psi", "casing_pressure_psi", "comments"];

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const said = (n) => Number(n).toLocaleString("en-US", { maximumFractionDigits: 3 });

/** A field's name in the pumper's words: "Oil", "Hours on". */
export const label = (name) => (WORDS[name] || [name.replace(/_/g, " ")])[0];

function unit(name) {
  const u = (WORDS[name] || [])[1];
  return u ? ` ${u}` : "";
}

/**
 * The problems of a reading's values (strings as typed, "" or absent when blank) under `rules`:
 * {errors: [{field, message}], questions: [{field, code, message}]}. Errors refuse it; questions need "yes,
 * these are right". `recent` is the well's {days, oil_bbl, gas_mcf, water_bbl} (means of its recent days),
 * `status` its status that day; `correction` asks for the reason of the change.
 */
export function checkReading(values, rules = DEFAULT_RULES, { recent = null, status = null, correction = false, reason = "" } = {}) {
  const errors = [];
  const numbers = {};
  for (const [name, rule] of Object.entries(rules.fields)) {
    const raw = String(values[name] ?? "").trim().replace(",", ".");
    if (raw === "") {
      if (rule.required && name in WORDS) {
        const hint = name === "hours_on" ? "write 24 if the well ran all day" : "write 0 if there was none";
        errors.push({ field: name, message: `${label(name)} is empty: ${hint}.` });
      }
      continue;
    }
    if (!NUMBER.test(raw)) {
      errors.push({ field: name, message: `${label(name)}: write a number, like 12.5.` });
      continue;
    }
    const n = Number(raw);
    const places = (raw.split(".")[1] || "").replace(/0+$/, "").length; // "24.000" is 24, as the API reads it
    if (n < Number(rule.min)) errors.push({ field: name, message: `${label(name)} can't be below ${said(rule.min)}.` });
    else if (n > Number(rule.max)) errors.push({ field: name, message: `${label(name)} can't be more than ${said(rule.max)}${unit(name)}.` });
    else if (places > rule.decimals) errors.push({ field: name, message: `${label(name)} takes at most ${rule.decimals} decimals.` });
    else numbers[name] = n;
  }
  const hours = numbers.hours_on;
  if (hours !== undefined) {
    const produced = VOLUMES.filter((v) => (numbers[v] || 0) > 0);
    if (hours === 0 && produced.length && rules.no_volume_without_hours) {
      errors.push({ field: "hours_on", message: `The well was off all day (0 hours on), yet ${produced.map(label).join(", ")} is filled in: a well that was off made nothing.` });
    }
    const needReason = Number(rules.downtime_reason_required_below_hours);
    if (hours < needReason && !String(values.downtime_reason || "").trim()) {
      errors.push({ field: "downtime_reason", message: `The well was on ${said(hours)} of 24 hours: pick why it was down.` });
    }
  }
  if (String(values.comments || "").length > rules.comments_max_length) {
    errors.push({ field: "comments", message: `Comments are longer than ${rules.comments_max_length} characters.` });
  }
  if (correction) {
    const { min, max } = rules.correction_reason_length;
    const why = String(reason || "").trim();
    if (why.length < min) errors.push({ field: "reason", message: `Say why it changes (at least ${min} characters), for the office.` });
    else if (why.length > max) errors.push({ field: "reason", message: `Keep the reason under ${max} characters.` });
  }
  return { errors, questions: questions(numbers, rules, recent, status) };
}

/** The plausibility questions for the numbers that passed (see the API's domain/reading_rules.py). */
export function questions(numbers, rules = DEFAULT_RULES, recent = null, status = null) {
  const found = [];
  const p = rules.plausibility;
  for (const name of VOLUMES) {
    const value = numbers[name];
    if (value === undefined) continue;
    const limit = Number(p.organization_limits[name]);
    if (value > limit) {
      found.push({ field: name, code: "above_plausibility_limit", message: `${label(name)} ${said(value)}${unit(name)} is above your company's limit of ${said(limit)}${unit(name)} a day. Is it right?` });
      continue;
    }
    const mean = recent && recent.days >= p.well_min_history_days && recent[name] != null ? Number(recent[name]) : null;
    if (mean === null) continue;
    if (value > mean * Number(p.well_jump_factor) && value - mean >= Number(p.well_min_jump[name])) {
      const times = mean > 0 ? `${Math.round(value / mean)} times` : "far above";
      found.push({ field: name, code: "above_well_average", message: `${label(name)} ${said(value)}${unit(name)} is ${times} this well's recent average (${said(mean.toFixed(1))}${unit(name)} a day). Is it right?` });
    }
  }
  if (status && status !== "producing" && ((numbers.oil_bbl || 0) > 0 || (numbers.gas_mcf || 0) > 0)) {
    found.push({ field: "oil_bbl", code: "well_not_producing", message: `This well is ${status.replace(/_/g, " ")}, yet the reading has production. Is it right?` });
  }
  return found;
}

/** The production days the phone offers, newest first (YYYY-MM-DD), between the rules' window and `today`. */
export function productionDays(rules, today) {
  const latest = rules.production_date?.latest && rules.production_date.latest < today ? rules.production_date.latest : today;
  const back = rules.production_date?.earliest_on_phone && rules.production_date?.latest
    ? Math.round((Date.parse(rules.production_date.latest) - Date.parse(rules.production_date.earliest_on_phone)) / 86400000)
    : 7;
  const days = [];
  const d = new Date(`${latest}T12:00:00Z`);
  for (let i = 0; i <= back; i++) {
    days.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() - 1);
  }
  return days;
}

/** A Decimal string as a person writes it: "24.000" -> "24", "2.500" -> "2.5" (other values as they are). */
export function plain(value) {
  if (value === null || value === undefined) return value;
  const text = String(value);
  return /^-?\d+\.\d+$/.test(text) ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}

/** Whether a reading (the API's answer) already holds every value of a correction's body. */
export function holds(reading, body) {
  if (!reading) return false;
  return VALUE_NAMES.filter((n) => n in body).every((n) => {
    const a = body[n];
    const b = reading[n];
    if (a === null || a === undefined || a === "") return b === null || b === undefined || b === "";
    if (b === null || b === undefined) return false;
    return NUMBER.test(String(a)) ? Number(a) === Number(b) : String(a) === String(b);
  });
}

/** The values of a form that differ from the reading corrected (blank optional values become null). */
export function changes(input, reading) {
  const out = {};
  for (const name of VALUE_NAMES) {
    const value = input[name] === undefined || input[name] === "" ? null : input[name];
    if (!holds(reading, { [name]: value })) out[name] = value;
  }
  return out;
}

/** An API problem's field ("body.gas_mcf") in the pumper's words, with its message made plain. */
export function plainProblem(item) {
  const name = String(item.field || "").replace(/^body\./, "");
  const message = String(item.message || "")
    .replace(/^Field required$/i, "is empty")
    .replace(/: confirm it$/, ". Is it right?");
  const said = WORDS[name] ? label(name) : name;
  const text = message.replace(new RegExp(`^${name}\\b`), said);
  return text.startsWith(said) ? text : `${said}: ${text}`;
}
