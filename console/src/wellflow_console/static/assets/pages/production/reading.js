// #/record/<well>: the daily reading form, kept on the phone first and then sent (lib/outbox.js).

import { ApiError, get, newId } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, values, showErrors, clearErrors, busy, header, failure, isoDate, useStyle } from "../../lib/ui.js";
import { remove, get as getEntry } from "../../lib/outbox.js";
import { STYLE, cachedRoute, downtimeReasons, submit, answered, leftStop } from "./field.js";

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
    h("div.actions", h("button.primary.big", { type: "submit" }, "Save reading · next stop"), h("a.button", { href: "#/route" }, "Back to the route")),
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
      if (await answered(form, entry)) {
        leftStop("well", well.well_id); // the route goes on from the next stop after this well
        return ctx.navigate("/route");
      }
      if (entry.problem?.code === "confirmation_required") askConfirm();
    });
  });
  mount(main, header(well.name), form);
}
