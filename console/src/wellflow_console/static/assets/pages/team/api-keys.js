// #/api-keys: API keys, the secret shown once.

import { get, post, del } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, values, showErrors, busy, table, badge, flash, header, dateTime, useStyle, confirmAction } from "../../lib/ui.js";
import { STYLE, ROLES, roleLabel, secretBox } from "./members.js";

/** The key as far as it may be shown after creation: its prefix and id, never the secret. */
const maskedKey = (id) => `wfk_${String(id).replace(/-/g, "").slice(0, 8)}…_••••••••`;

/** #/api-keys: the organization's API keys; the owner creates (secret shown once) and revokes them. */
export async function apiKeysPage(main, params, ctx) {
  useStyle(STYLE);
  const write = ctx.can("api_keys", "write");
  const keys = await get(paths.apiKeys.list);
  const notice = h("div");
  const reload = () => ctx.navigate("/api-keys");
  const form = h(
    "form.card.acc-run",
    { novalidate: true },
    h("h2", "Create a key"),
    field("name", "Name", { required: true, hint: "What uses it, e.g. \"Purchaser portal sync\"" }),
    field("role", "Role", { kind: "select", required: true, value: "auditor", options: ROLES, hint: "The key can do what this role can." }),
    h("button.primary", { type: "submit" }, "Create key"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      try {
        const created = await post(paths.apiKeys.list, values(form));
        form.querySelector("input[name=name]").value = "";
        const box = secretBox(
          `API key "${created.name}"`,
          created.key,
          "Copy it now and keep it somewhere safe: WellFlow stores only a hash of it. Send it as 'Authorization: Bearer <key>'.",
        );
        mount(notice, box);
        box.focus();
        const fresh = await get(paths.apiKeys.list);
        mount(list, keyTable(fresh));
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  const keyTable = (rows) =>
    table(
      [
        { label: "Name", value: (k) => k.name },
        { label: "Key", value: (k) => h("code", maskedKey(k.id)) },
        { label: "Role", value: (k) => roleLabel(k.role) },
        { label: "Created", value: (k) => dateTime(k.created_at) },
        { label: "Last used", value: (k) => (k.last_used_at ? dateTime(k.last_used_at) : "never") },
        { label: "State", value: (k) => (k.revoked_at ? badge(`revoked ${dateTime(k.revoked_at)}`, "muted") : badge("active", "ok")) },
        {
          label: write ? "Revoke" : "",
          value: (k) =>
            write && !k.revoked_at
              ? confirmAction({ label: "Revoke", question: `Anything using "${k.name}" stops working at once.`, act: async () => {
                  await del(paths.apiKeys.one(k.id));
                  flash(`"${k.name}" revoked.`);
                  reload();
                } })
              : "",
        },
      ],
      rows,
      { caption: "API keys", empty: "No API keys yet." },
    );
  const list = h("div", keyTable(keys));
  mount(main, header("API keys"), notice, write ? form : null, h("h2", "Keys"), list);
}
