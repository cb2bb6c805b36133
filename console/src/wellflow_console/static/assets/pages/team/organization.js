// #/organization: the organization's profile, which every owner statement, check stub and JIB statement prints
// (Texas check stubs must show the operator's address and telephone). The owner edits it; others read it.

import { get, patch } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, values, showErrors, busy, flash, header, useStyle, badge } from "../../lib/ui.js";

const STYLE = "/assets/styles/accounting.css";
const LOGO_MAX = 64 * 1024; // identity's limit (domain/profile.py)
const LABELS = {
  legal_name: "legal name",
  mailing_address: "mailing address",
  phone: "telephone",
  rrc_operator_number: "RRC operator number",
};

function missingNotice(profile) {
  if (!profile.missing?.length) return h("p.acc-profile-ok", { role: "status" }, badge("complete", "ok"), " Statements print every contact item.");
  const names = profile.missing.map((key) => LABELS[key] || key).join(", ");
  return h("p.acc-profile-notice", { role: "status" }, badge("not set", "bad"), ` ${names}: statements say "not set" until you fill them in.`);
}

/** The logo picker: a PNG or JPEG up to 64 KB, read as a data URL and shown before saving. */
function logoPicker(current) {
  let chosen; // undefined: unchanged; null: removed; string: a new data URL
  const preview = h("img.acc-logo", { alt: "Logo preview", hidden: !current, src: current || "" });
  const input = h("input", { id: "f-logo", name: "logo_file", type: "file", accept: "image/png,image/jpeg", "aria-describedby": "f-logo-hint f-logo-error" });
  const error = h("p.field-error", { id: "f-logo-error", hidden: true, "aria-live": "polite" });
  const remove = h("button", { type: "button", hidden: !current }, "Remove logo");
  input.addEventListener("change", () => {
    error.hidden = true;
    const file = input.files?.[0];
    if (!file) return;
    if (!["image/png", "image/jpeg"].includes(file.type) || file.size > LOGO_MAX) {
      error.textContent = `Choose a PNG or JPEG of at most ${LOGO_MAX / 1024} KB (this one is ${Math.ceil(file.size / 1024)} KB, ${file.type || "unknown type"}).`;
      error.hidden = false;
      input.value = "";
      return;
    }
    const reader = new FileReader();
    reader.addEventListener("load", () => {
      chosen = reader.result;
      preview.src = chosen;
      preview.hidden = false;
      remove.hidden = false;
    });
    reader.readAsDataURL(file);
  });
  remove.addEventListener("click", () => {
    chosen = null;
    preview.hidden = true;
    remove.hidden = true;
    input.value = "";
  });
  const box = h(
    "div.field.field-file",
    { dataset: { field: "logo" } },
    h("label", { for: "f-logo" }, "Logo"),
    preview,
    input,
    remove,
    h("p.hint", { id: "f-logo-hint" }, `Printed at the top of statements. PNG or JPEG, at most ${LOGO_MAX / 1024} KB.`),
    error,
  );
  return { box, value: () => chosen };
}

const orNull = (value) => (value === undefined || value === "" ? null : value);

function body(form, logo, profile) {
  const v = values(form);
  const address = [v.line1, v.line2, v.city, v.state, v.postal_code];
  const out = {
    name: v.name,
    legal_name: orNull(v.legal_name),
    mailing_address: address.some(Boolean)
      ? { line1: v.line1 || "", line2: orNull(v.line2), city: v.city || "", state: v.state || "", postal_code: v.postal_code || "" }
      : null,
    phone: orNull(v.phone),
    email: orNull(v.email),
    rrc_operator_number: orNull(v.rrc_operator_number),
  };
  if (v.tax_id && v.tax_id !== profile.tax_id) out.tax_id = v.tax_id; // shown masked: sent only when retyped
  if (logo.value() !== undefined) out.logo = logo.value();
  return out;
}

function profileForm(profile, onSaved) {
  const address = profile.mailing_address || {};
  const logo = logoPicker(profile.logo);
  const form = h(
    "form.card.acc-profile",
    { novalidate: true, "aria-label": "Organization profile" },
    h("h2", "Company"),
    field("name", "Name in WellFlow", { required: true, value: profile.name, attrs: { autocomplete: "organization" } }),
    field("legal_name", "Legal name", { value: profile.legal_name, hint: "As on your Form P-5, e.g. Caprock Energy LLC. Printed on statements." }),
    field("rrc_operator_number", "RRC operator number", { kind: "integer", value: profile.rrc_operator_number, hint: "Six digits, from your P-5. Printed on the Form PR." }),
    field("tax_id", "Employer identification number (EIN)", { value: profile.tax_id, hint: "Optional. Nine digits; shown masked once saved." }),
    h("h2", "Owner relations contact"),
    h("p.hint", "Texas check stubs must show an address and a telephone number owners can use with questions."),
    field("line1", "Street address or P.O. box", { value: address.line1, attrs: { autocomplete: "address-line1" } }),
    field("line2", "Suite, floor (optional)", { value: address.line2, attrs: { autocomplete: "address-line2" } }),
    field("city", "City", { value: address.city, attrs: { autocomplete: "address-level2" } }),
    field("state", "State", { value: address.state, hint: "Two letters, e.g. TX", attrs: { autocomplete: "address-level1", maxlength: 2 } }),
    field("postal_code", "ZIP code", { kind: "integer", value: address.postal_code, attrs: { autocomplete: "postal-code", inputmode: "numeric", pattern: "[0-9-]*" } }),
    field("phone", "Telephone", { kind: "tel", value: profile.phone, hint: "e.g. 432-555-0142", attrs: { autocomplete: "tel" } }),
    field("email", "Email", { kind: "email", value: profile.email }),
    h("h2", "Logo"),
    logo.box,
    h("button.primary", { type: "submit" }, "Save"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      try {
        const saved = await patch(paths.organization, body(form, logo, profile));
        flash("Organization saved. Statements print it from now on.");
        onSaved(saved);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

function readOnly(profile) {
  const address = profile.mailing_address;
  const line = address ? [address.line1, address.line2, address.city, [address.state, address.postal_code].filter(Boolean).join(" ")].filter(Boolean).join(", ") : null;
  const rows = [
    ["Legal name", profile.legal_name],
    ["Mailing address", line],
    ["Telephone", profile.phone],
    ["Email", profile.email],
    ["RRC operator number", profile.rrc_operator_number],
  ];
  return h(
    "section.card",
    profile.logo ? h("img.acc-logo", { src: profile.logo, alt: `${profile.name} logo` }) : null,
    h("dl.acc-facts", rows.flatMap(([label, value]) => [h("dt", label), h("dd", value || "not set")])),
    h("p.hint", "Only the owner changes the organization's profile."),
  );
}

/** #/organization */
export async function organizationPage(main, params, ctx) {
  useStyle(STYLE);
  const draw = (profile) =>
    mount(
      main,
      header(profile.name),
      missingNotice(profile),
      ctx.can("organization", "write") ? profileForm(profile, draw) : readOnly(profile),
    );
  draw(await get(paths.organization));
}
