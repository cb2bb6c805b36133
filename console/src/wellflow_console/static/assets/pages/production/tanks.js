// #/gauge/<tank>: a tank gauged in feet, inches and quarters, with the tank's temperature (its stock is corrected
// to 60 °F with it) and, when a sample was taken, BS&W and the sample's gravity. Checked on the phone against
// the API's limits (measure.js), kept on the phone first and then sent (lib/outbox.js). Once the API answers,
// the page shows the gauge's gross and net barrels, and the tank's recent gauges when online.

import { ApiError, get } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, values, showErrors, clearErrors, busy, header, isoDate, dateTime, flash, num, useStyle } from "../../lib/ui.js";
import { remove, get as getEntry } from "../../lib/outbox.js";
import { STYLE, cachedRoute, localInput, instant, tankName, submit, answered, leftStop } from "./field.js";
import { checkTankGauge, basisNote, gravityLine, gaugeText, barrelsLine } from "./measure.js";
import { barrelsAt } from "./volumes.js";
import { expected, balanceQuestion } from "./balance.js";

/** A gauge's feet, inches and quarters; errors for `<prefix>gauge` itself (the closing above the opening) on top. */
export function gaugeFields(prefix, label, value = {}) {
  const own = prefix ? `${prefix}gauge` : null;
  return h(
    "fieldset.gauge",
    own ? { dataset: { field: own } } : {},
    h("legend", label),
    own ? h("p.field-error", { hidden: true, "aria-live": "polite" }) : null,
    h(
      "div.grid-3",
      field(`${prefix}feet`, "Feet", { kind: "integer", required: true, value: value?.feet }),
      field(`${prefix}inches`, "Inches", { kind: "integer", required: true, value: value?.inches }),
      field(`${prefix}quarters`, "Quarters", { kind: "integer", value: value?.quarters ?? "0" }),
    ),
  );
}

/**
 * Show under a gauge's fields the barrels it reads in the tank's strapping table, as it is typed ("= 172.43 bbl
 * gross"); `tank()` gives the tank (its `strapping` from the route) when known. Returns a function that redraws.
 */
export function liveBarrels(box, prefix, tank) {
  const line = h("p.gauge-barrels", { "aria-live": "polite" });
  box.append(line);
  const show = () => {
    const t = tank();
    const input = values(box);
    const bbl = t?.strapping ? barrelsAt(t.strapping, gaugeOf(input, prefix)) : null;
    line.textContent = bbl === null ? "" : `= ${num(bbl, 2)} bbl gross`;
    line.dataset.barrels = bbl ?? "";
  };
  box.addEventListener("input", show);
  show();
  return show;
}

export function gaugeOf(input, prefix) {
  const whole = (name) => (input[prefix + name] === undefined ? undefined : /^\d+$/.test(input[prefix + name]) ? Number(input[prefix + name]) : input[prefix + name]);
  return { feet: whole("feet"), inches: whole("inches"), quarters: whole("quarters") ?? 0 };
}

/** Show the phone's own check of a body: the errors beside their fields, nothing kept or sent. */
export function refuse(form, errors, names = {}) {
  showErrors(form, new ApiError(422, { title: "Check the fields marked", errors }), names);
}

/** A figure for the answer's card. */
export function stat(label, value, cls = "") {
  return h(`div.stat${cls}`, h("div.value", value), h("div.label", label));
}

/** A note under a field that says what an empty value means, shown while the field is empty. */
function emptyNote(form, name, text) {
  const note = h("p.note.empty-note", { role: "status" }, text);
  const input = form.querySelector(`[name="${name}"]`);
  const sync = () => (note.hidden = input.value.trim() !== "");
  input.addEventListener("input", sync);
  input.closest(".field").append(note);
  sync();
}

function gaugeForm(before, oil) {
  const form = h(
    "form.card.pumper-form",
    { novalidate: true },
    gaugeFields("", "Top gauge", before),
    field("gauged_at", "Gauged at", { kind: "datetime-local", required: true, value: localInput(before.gauged_at) }),
    oil
      ? field("temperature_f", "Tank temperature (°F)", { kind: "decimal", value: before.temperature_f, hint: "Needed to correct the stock to 60 °F." })
      : null,
    field("bottom_water_inches", "Bottom water (inches)", { kind: "decimal", value: before.bottom_water_inches }),
    oil
      ? h(
          "fieldset.gauge.sample",
          h("legend", "Sample (when one was taken)"),
          field("bsw_percent", "BS&W (%)", { kind: "decimal", value: before.bsw_percent }),
          h(
            "div.grid",
            field("observed_gravity_api", "Observed gravity (°API)", { kind: "decimal", value: before.observed_gravity_api }),
            field("gravity_temperature_f", "Sample temperature (°F)", { kind: "decimal", value: before.gravity_temperature_f, hint: "Empty: the tank temperature." }),
          ),
        )
      : null,
    field("comments", "Comments", { kind: "textarea", value: before.comments }),
    h("div.actions", h("button.primary.big", { type: "submit" }, "Save gauge"), h("a.button", { href: "#/route" }, "Back to the route")),
  );
  if (oil) emptyNote(form, "temperature_f", "No temperature: this stock will be saved as not temperature-corrected.");
  return form;
}

export async function gaugePage(main, params, ctx) {
  useStyle(STYLE);
  const kept = cachedRoute(ctx.me);
  const tank = kept?.route?.tanks?.find((t) => t.tank_id === params.tankId) || { tank_id: params.tankId, number: "" };
  const oil = tank.product !== "water";
  const editing = ctx.query.get("entry") ? await getEntry(ctx.query.get("entry")) : null;
  const before = editing?.body || {};
  const form = gaugeForm(before, oil);
  liveBarrels(form.querySelector("fieldset.gauge"), "", () => tank);
  const recent = h("section.recent-gauges", { "aria-label": "Recent gauges" });
  const confirmBox = field("balance_confirmed", "Yes, the gauge is right", { kind: "checkbox" });
  if (editing?.problem) showErrors(form, new ApiError(editing.problem.status || 422, editing.problem));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      clearErrors(form);
      const input = values(form);
      const body = {
        tank_id: tank.tank_id,
        ...gaugeOf(input, ""),
        gauged_at: instant(input.gauged_at),
        gauge_date: input.gauged_at ? input.gauged_at.slice(0, 10) : isoDate(),
        bottom_water_inches: input.bottom_water_inches,
        temperature_f: input.temperature_f,
        bsw_percent: input.bsw_percent,
        observed_gravity_api: input.observed_gravity_api,
        gravity_temperature_f: input.gravity_temperature_f,
        comments: input.comments,
      };
      const problems = checkTankGauge(body);
      if (problems.length) return refuse(form, problems);
      if (!(await balanced(form, kept, tank, body, confirmBox))) return;
      if (editing) await remove(editing.id);
      const entry = await submit({
        kind: "gauge",
        path: paths.tankGauges,
        body,
        label: `Tank gauge · ${tankName(tank)} · ${body.gauge_date}`,
        tank_id: tank.tank_id,
        production_date: body.gauge_date,
      });
      if (entry.state === "sent") {
        leftStop("tank", tank.tank_id);
        flash("Sent to the office.");
        form.replaceWith(gaugeSaved(entry.result, oil));
        showRecent(recent, tank.tank_id, oil);
      } else if (await answered(form, entry)) {
        leftStop("tank", tank.tank_id);
        ctx.navigate("/route");
      }
    });
  });
  mount(main, header(tank.battery_name ? `Gauge tank ${tank.name || tank.number}` : "Gauge a tank"), tank.battery_name ? h("p.sub", tankName(tank)) : null, form, recent);
  showRecent(recent, tank.tank_id, oil);
}

/** The answer of a gauge the API took: its gross and net barrels, and why the net is not corrected if it is not. */
function gaugeSaved(gauge, oil) {
  const note = oil ? basisNote(gauge) : null;
  const gravity = oil ? gravityLine(gauge) : null;
  return h(
    "div.card.pumper-form.saved",
    { role: "status", dataset: { gaugeId: gauge.id } },
    h("h2", `Gauge saved: ${gaugeText(gauge)}`),
    h(
      "div.stats",
      stat("Gross (bbl)", num(gauge.barrels, 2), ".gross"),
      oil ? stat(note ? "Net (bbl), not corrected to 60 °F" : "Net at 60 °F (bbl)", num(gauge.net_bbl, 2), ".net") : null,
    ),
    note ? h("p.note.basis-note", note) : null,
    gravity ? h("p.sub", `Gravity ${gravity}.`) : null,
    h(
      "div.actions",
      h("a.button.primary.big", { href: "#/route" }, "Next stop"),
      // a truck at the tank: this gauge is the ticket's opening gauge
      oil ? h("a.button.big", { href: `#/run-ticket?tank=${gauge.tank_id}` }, "Run ticket from this gauge") : null,
    ),
  );
}

/**
 * Ask before keeping a gauge far from the tank's expected balance (balance.js): true when it may be kept (within
 * the balance, no balance known, or the pumper said it is right).
 */
async function balanced(form, kept, tank, body, confirmBox) {
  form.querySelector(".balance-question")?.remove();
  const bbl = tank.strapping ? barrelsAt(tank.strapping, body) : null;
  const balance = bbl === null ? null : await expected(kept, tank, body.gauge_date);
  const question = balance ? balanceQuestion(bbl, balance, confirmBox) : null;
  if (!question) return true;
  if (confirmBox.querySelector("input").checked && confirmBox.dataset.barrels === bbl) return true;
  confirmBox.querySelector("input").checked = false;
  confirmBox.dataset.barrels = bbl; // a confirmation holds for the gauge it was given for
  form.querySelector(".actions").before(question);
  question.scrollIntoView({ block: "center" });
  return false;
}

/** The tank's latest gauges (a run ticket's own gauges too), gross and net; needs a connection. */
async function showRecent(box, tankId, oil) {
  if (!navigator.onLine) return mount(box, h("h2", "Recent gauges"), h("p.empty", "The tank's recent gauges need a connection."));
  try {
    const page = await get(paths.tankGauges, { tank_id: tankId, limit: 5 });
    mount(
      box,
      h("h2", "Recent gauges"),
      page.items.length
        ? h(
            "ul.gauge-list",
            page.items.map((g) =>
              h(
                "li.gauge-item",
                { dataset: { gaugeId: g.id } },
                h("div.row", h("span.name", dateTime(g.gauged_at)), h("span.sub", [gaugeText(g), SOURCE[g.source]].filter(Boolean).join(" · "))),
                h("p.barrels", oil ? barrelsLine(g) : `${barrelsLine({ barrels: g.barrels })}`),
              ),
            ),
          )
        : h("p.empty", "No gauge of this tank yet."),
    );
  } catch (error) {
    mount(box, h("h2", "Recent gauges"), h("p.empty", error.offline ? "The tank's recent gauges need a connection." : "The tank's recent gauges could not be loaded."));
  }
}

const SOURCE = { ticket_opening: "run ticket, opening", ticket_closing: "run ticket, closing" };
