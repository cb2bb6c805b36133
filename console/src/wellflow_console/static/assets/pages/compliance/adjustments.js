// A Form PR month's adjustments: the list (voided ones on request), voiding one, and adding one with
// the RRC's disposition codes (lib/codes.js, rendered from wellflow_texas.form_pr).

import { api, newId } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, values, showErrors, clearErrors, busy, table, pager, badge, flash, num, dateTime } from "../../lib/ui.js";
import { FLARE_AUTHORITIES, GAS_DISPOSITION_CODES, LIQUID_DISPOSITION_CODES } from "../../lib/codes.js";
import { PAGE } from "./shared.js";

// The Form PR's codes as Python declares them (wellflow_texas.form_pr), "00 pipeline".
const coded = (pairs) => pairs.map(([code, description]) => [code, `${code} ${description}`]);
const LIQUID_CODES = coded(LIQUID_DISPOSITION_CODES);
const GAS_CODES = coded(GAS_DISPOSITION_CODES);
const AUTHORITIES = [["", "None"], ...coded(FLARE_AUTHORITIES)];
export async function drawAdjustments(box, period, names, canWrite, reload, includeVoided, offset = 0) {
  let page;
  try {
    page = await api("GET", paths.formPr.adjustments(period), {
      query: { include_voided: includeVoided ? "true" : undefined, limit: PAGE, offset },
    });
  } catch (error) {
    mount(box, h("p.form-error", { role: "alert" }, error.message));
    return;
  }
  const redraw = (voided, next = 0) => drawAdjustments(box, period, names, canWrite, reload, voided, next);
  const toggle = field("include_voided", "Show voided adjustments", { kind: "checkbox", value: includeVoided });
  toggle.querySelector("input").addEventListener("change", (event) => redraw(event.target.checked));
  const columns = [
    { label: "Lease", value: (a) => names[a.lease_id] || a.lease_id },
    { label: "Product", value: (a) => a.product },
    { label: "Code", value: (a) => [a.code || "—", a.authority ? ` ${a.authority}` : ""] },
    { label: "Volume", num: true, value: (a) => (a.product === "remark" ? "" : num(a.volume, 2)) },
    { label: "Remark", value: (a) => a.remark || "" },
    { label: "Why", value: (a) => a.reason },
    { label: "Added", value: (a) => dateTime(a.created_at) },
    {
      label: "State",
      value: (a) =>
        a.voided_at
          ? [badge("voided", "muted"), h("span.sub", `${dateTime(a.voided_at)}: ${a.void_reason || ""}`)]
          : canWrite
            ? voidControl(a, period, reload)
            : badge("in effect", "ok"),
    },
  ];
  mount(
    box,
    toggle,
    table(columns, page.items, { empty: "No adjustments for this month.", caption: "Adjustments" }),
    pager(page, (next) => redraw(includeVoided, next)),
  );
}

function voidControl(adjustment, period, reload) {
  const holder = h("div.void");
  const open = h("button", { type: "button", "aria-label": `Void adjustment: ${adjustment.reason}` }, "Void");
  open.addEventListener("click", () => {
    const form = h(
      "form.void-form",
      { novalidate: true },
      field("reason", "Why void it", { required: true }),
      h(
        "div.actions",
        h("button.danger", { type: "submit" }, "Void adjustment"),
        h("button", { type: "button", on: { click: () => mount(holder, open) } }, "Cancel"),
      ),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      busy(form.querySelector("button[type=submit]"), async () => {
        try {
          await api("POST", paths.formPr.voidAdjustment(period, adjustment.id), { body: values(form) });
          flash("Adjustment voided.");
          await reload();
        } catch (error) {
          showErrors(form, error);
        }
      });
    });
    mount(holder, form);
    form.querySelector("input").focus();
  });
  return mount(holder, open);
}

export function adjustmentForm(period, leases, reload) {
  let key = newId();
  const codeField = field("code", "Disposition code", { kind: "select", options: LIQUID_CODES });
  const form = h(
    "form.card.adjustment-form",
    { novalidate: true, "aria-label": "Add an adjustment" },
    h("h2", "Add an adjustment"),
    h(
      "div.grid",
      h("div.wide", field("lease_id", "Lease", { kind: "select", required: true, options: leases.map((l) => [l.id, l.name]) })),
      field("product", "Product", {
        kind: "select",
        required: true,
        options: [
          ["liquid", "Oil or condensate"],
          ["gas", "Gas"],
          ["remark", "Remark only"],
        ],
      }),
      codeField,
      field("volume", "Volume (BBL or MCF)", { kind: "decimal", hint: "Negative takes some back." }),
      field("authority", "Authority (gas 10/11)", { kind: "select", options: AUTHORITIES }),
      h("div.wide", field("remark", "Remark")),
      h("div.wide", field("reason", "Why", { kind: "textarea", required: true, hint: "Kept with the adjustment." })),
    ),
    h("button.primary", { type: "submit" }, "Add adjustment"),
  );
  const product = form.elements.product;
  const code = form.elements.code;
  product.addEventListener("change", () => {
    const list = product.value === "gas" ? GAS_CODES : LIQUID_CODES;
    code.replaceChildren(...list.map(([v, text]) => h("option", { value: v }, text)));
    code.disabled = product.value === "remark";
    form.elements.volume.disabled = product.value === "remark";
    form.elements.authority.disabled = product.value !== "gas";
  });
  form.elements.authority.disabled = true;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form.querySelector("button[type=submit]"), async () => {
      clearErrors(form);
      try {
        await api("POST", paths.formPr.adjustments(period), { body: values(form), idempotencyKey: key });
        key = newId();
        flash("Adjustment added; the lease's line is rebuilt.");
        await reload();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
