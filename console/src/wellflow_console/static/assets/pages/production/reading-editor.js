// The office's reading editor (the well page, the lease-month grid): a recorded reading corrected with a reason
// (PATCH from its version), or a missing day entered; the same form and rules as the pumper's, sent at once.

import { ApiError, api, get, newId } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, busy, flash } from "../../lib/ui.js";
import { readingForm, readingRules, show } from "./reading-form.js";
import { changes, plainProblem } from "./reading-rules.js";
import { downtimeReasons } from "./field.js";

/**
 * An editor for `well`'s reading of `day` (`reading` when one is recorded). `done(reading)` runs after a save;
 * `cancel()` when the office closes it.
 */
export async function readingEditor({ well, day, reading = null, done, cancel }) {
  const [rules, reasons] = await Promise.all([readingRules(), downtimeReasons()]);
  const box = h("section.card.reading-editor", { "aria-label": `Reading of ${well.name} on ${day}` });
  const draw = (current) => {
    const save = h("button.primary", { type: "submit" }, current ? "Save the correction" : "Save the reading");
    const { form, check, askConfirm } = readingForm({
      before: current || {},
      day,
      reasons,
      correction: current ? { reading_id: current.reading_id, version: current.version } : null,
      note: h("h2", `${well.name} · ${day}`),
      actions: [save, h("button", { type: "button", on: { click: () => cancel?.() } }, "Close")],
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      await busy(save, async () => {
        const ok = check(rules, { status: well.status });
        if (!ok) return;
        try {
          let saved;
          if (current) {
            const changed = changes(ok.input, current);
            if (!Object.keys(changed).length) return show(form, "Nothing changed", "Change a value to correct the reading.", []);
            saved = await api("PATCH", paths.readings.one(current.reading_id), { body: { ...changed, version: current.version, reason: ok.reason, confirm: ok.confirmed } });
          } else {
            const id = newId();
            saved = await api("POST", paths.readings.list, { body: { reading_id: id, well_id: well.well_id, production_date: day, ...ok.input, confirm: ok.confirmed }, idempotencyKey: id });
          }
          flash(current ? `${well.name}'s reading of ${day} is corrected.` : `${well.name}'s reading of ${day} is recorded.`);
          done?.(saved);
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          const problem = error.problem || {};
          if (problem.type?.endsWith("/duplicate-reading") && problem.reading_id) {
            show(form, "Already recorded", `${well.name} already has a reading for ${day}: correct it instead.`, []);
            const open = h("button.primary", { type: "button" }, "Open that reading to correct it");
            open.addEventListener("click", () => busy(open, async () => draw(await get(paths.readings.one(problem.reading_id)))));
            form.querySelector(".form-error").append(open);
          } else if (problem.type?.endsWith("/version-conflict") && problem.current) {
            show(form, "Changed meanwhile", `Someone corrected ${well.name}'s reading of ${day} since it was opened: here are the current values.`, []);
            const again = h("button.primary", { type: "button" }, "Start again from the current values");
            again.addEventListener("click", () => draw(problem.current));
            form.querySelector(".form-error").append(again);
          } else {
            const items = (problem.errors || []).map((e) => ({ field: String(e.field || "").replace(/^body\./, ""), message: plainProblem(e) }));
            show(form, problem.title || "Not saved", (problem.detail || error.message || "").replace(/Well [0-9a-f-]{36}/, well.name), items);
            if (problem.code === "confirmation_required") askConfirm();
          }
        }
      });
    });
    box.replaceChildren(form);
    form.querySelector("input, select")?.focus();
    form.scrollIntoView?.({ block: "start" });
  };
  draw(reading);
  return box;
}
