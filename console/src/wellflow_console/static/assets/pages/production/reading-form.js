// The daily reading's form, shared by the pumper's page (kept on the phone, sent by the outbox) and the office's
// correction pages (the well page, the lease-month grid): the values with the last ones under each field, the
// production day, the reason of a correction, and the rules' problems and questions beside their fields before
// anything is kept or sent (pages/production/reading-rules.js).

import { get } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, field, values, showErrors, clearErrors, num } from "../../lib/ui.js";
import { DEFAULT_RULES, checkReading, label, plain } from "./reading-rules.js";
import { day as dayText } from "../../lib/format.js";

const RULES_KEY = "wellflow.reading-rules";

/** The reading rules from the API (kept on the phone), the kept copy offline, else the defaults. */
export async function readingRules() {
  try {
    const rules = await get(paths.readings.rules);
    localStorage.setItem(RULES_KEY, JSON.stringify(rules));
    return rules;
  } catch {
    try {
      return JSON.parse(localStorage.getItem(RULES_KEY)) || DEFAULT_RULES;
    } catch {
      return DEFAULT_RULES;
    }
  }
}

function lastHint(name, last) {
  if (!last || last[name] === null || last[name] === undefined || last[name] === "") return undefined;
  const value = name === "downtime_reason" ? String(last[name]).replace(/_/g, " ") : num(last[name], name === "hours_on" ? 0 : 2);
  return `Last: ${value}${name.endsWith("_bbl") ? " bbl" : name.endsWith("_mcf") ? " mcf" : name.endsWith("_psi") ? " psi" : ""} on ${dayText(last.production_date)}`;
}

/**
 * The form: `before` the values to start from (the reading corrected, or an entry edited), `last` the well's
 * reading before (shown under each field), `days` the production days to pick from (or none), `correction`
 * {version} when it corrects a recorded reading. Returns {form, check(), askConfirm()}.
 */
export function readingForm({ before = {}, last = null, day, days = null, reasons, correction = null, actions, note = null }) {
  const f = (name, text, opts = {}) => field(name, text, { hint: lastHint(name, last), value: plain(before[name]), ...opts });
  const form = h(
    "form.card.pumper-form.reading-form",
    { novalidate: true },
    note,
    days
      ? field("production_date", "Production day", { kind: "select", options: days.map((d) => [d, dayText(d)]), value: day, hint: "The 24 hours ending at the gauge (a missed day may be entered late)." })
      : h("p.sub", `Production day ${dayText(day)}`),
    correction ? h("p.note.correcting", `Correcting the reading already sent for ${day} (version ${correction.version}).`) : null,
    h(
      "div.grid-3",
      f("oil_bbl", "Oil (bbl)", { kind: "decimal", required: true }),
      f("gas_mcf", "Gas (mcf)", { kind: "decimal", required: true }),
      f("water_bbl", "Water (bbl)", { kind: "decimal", required: true }),
    ),
    f("hours_on", "Hours on", { kind: "decimal", required: true, value: plain(before.hours_on) ?? "24" }),
    h(
      "div.grid",
      f("tubing_pressure_psi", "Tubing pressure (psi)", { kind: "decimal" }),
      f("casing_pressure_psi", "Casing pressure (psi)", { kind: "decimal" }),
    ),
    f("downtime_reason", "Downtime reason", {
      kind: "select",
      options: [["", "None (produced all day)"], ...reasons],
      value: before.downtime_reason || "",
      hint: "Required when hours on is below 24.",
    }),
    f("comments", "Comments", { kind: "textarea" }),
    correction ? field("reason", "Why it changes", { required: true, value: before.reason, hint: "For the office, e.g. \"typed 12.5 for 2.5\"." }) : null,
    h("div.actions", actions),
  );
  let confirmBox = null;
  const askConfirm = () => {
    confirmBox ||= field("confirm", "Yes, these are right", { kind: "checkbox" });
    if (!confirmBox.isConnected) form.querySelector(".actions").before(confirmBox);
  };
  /**
   * The form's values checked against `rules`: {input, confirmed} when they may go, else null (problems and
   * questions shown beside their fields, the first scrolled into view).
   */
  const check = (rules, { recent = null, status = null } = {}) => {
    clearErrors(form);
    const input = values(form);
    const confirmed = Boolean(input.confirm);
    delete input.confirm;
    const reason = input.reason;
    delete input.reason;
    const { errors, questions } = checkReading(input, rules || DEFAULT_RULES, { recent, status, correction: Boolean(correction), reason });
    if (errors.length) {
      show(form, "Not saved: check these", `${errors.length === 1 ? "One value needs" : `${errors.length} values need`} fixing (nothing was kept).`, errors);
      return null;
    }
    if (questions.length && !confirmed) {
      askConfirm();
      show(form, "Check before saving", "If the values are right, tick \"Yes, these are right\" and save again.", questions);
      return null;
    }
    return { input, reason, confirmed: confirmed || undefined };
  };
  return { form, check, askConfirm };
}

/** Problems beside their fields (a banner naming them too), the first scrolled into view. */
export function show(form, title, detail, items) {
  const banner = showErrors(form, { errors: items, problem: { title, detail } });
  if (!banner.isConnected) form.prepend(banner);
  banner.replaceChildren(h("strong", title), h("p", detail), h("ul", items.map((e) => h("li", e.message.startsWith(label(e.field)) ? e.message : `${label(e.field)}: ${e.message}`))));
  const first = form.querySelector("[aria-invalid=true]") || banner;
  first.scrollIntoView?.({ block: "center" });
}
