/**
 * The owner's pages: the organization's members (roles, deactivation) and invitations (#/team), and API keys
 * (#/api-keys: list, create with the secret shown once, revoke). Reading needs members:read / api_keys:read;
 * changing anything needs the matching write permission (the owner's), and is not shown without it.
 */

import { get, post, patch, del } from "../lib/api.js";
import { paths } from "../lib/paths.js";
import { h, mount, field, values, showErrors, busy, table, pager, badge, flash, header, failure, dateTime, useStyle, confirmAction } from "../lib/ui.js";
import { setQuery } from "../lib/router.js";
import { ROLES as ROLE_CODES } from "../lib/codes.js";

const STYLE = "/assets/pages/accounting.css";
const PAGE = 50;
const ROLE_LABEL = { owner: "Owner", manager: "Manager", pumper: "Pumper", accountant: "Accountant", auditor: "Auditor" };
const ROLES = ROLE_CODES.map((role) => [role, ROLE_LABEL[role] || role]);
const roleLabel = (role) => ROLES.find(([value]) => value === role)?.[1] || role;

/** A button that asks once more in the page before doing something that cannot be undone. */
/** A one-time secret: shown with a copy button and the warning that it will not be shown again. */
function secretBox(title, secret, explanation) {
  const code = h("code", secret);
  const copy = h("button.primary", { type: "button" }, "Copy");
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(secret);
      flash("Copied.");
    } catch {
      // No clipboard (an insecure origin, a refused permission): select it for the member to copy.
      const range = document.createRange();
      range.selectNodeContents(code);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      flash("Select and copy the text shown.", "warn");
    }
  });
  const done = h("button", { type: "button" }, "I have saved it");
  const box = h(
    "section.acc-secret",
    { role: "alert", tabindex: -1 },
    h("h2", title),
    h("p", h("strong", "You will not see this again."), " ", explanation),
    code,
    h("div.actions", copy, done),
  );
  done.addEventListener("click", () => box.remove());
  return box;
}

// --------------------------------------------------------------------------------------------- members

/** #/team: members with their roles, and invitations. */
export async function teamPage(main, params, ctx) {
  useStyle(STYLE);
  const write = ctx.can("members", "write");
  const state = { status: ctx.query.get("status") || "active", offset: Number(ctx.query.get("offset")) || 0 };
  const reload = () => ctx.navigate("/team", { status: state.status === "active" ? "" : state.status });
  const memberList = h("div");

  const actions = (m) => {
    if (!write || m.user_id === ctx.me.user_id) return m.user_id === ctx.me.user_id ? h("span.hint", "you") : "";
    if (m.status !== "active") return "";
    const form = h(
      "form.acc-inline",
      { novalidate: true, "aria-label": `Role of ${m.full_name}` },
      field("role", `Role of ${m.full_name}`, { kind: "select", value: m.role, options: ROLES }),
      h("button", { type: "submit" }, "Change role"),
    );
    form.querySelector("label").classList.add("visually-hidden");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      await busy(form.querySelector("button"), async () => {
        try {
          await patch(paths.members.one(m.user_id), { role: values(form).role });
          flash(`${m.full_name} is now ${roleLabel(values(form).role).toLowerCase()}.`);
          reload();
        } catch (error) {
          showErrors(form, error);
        }
      });
    });
    return h(
      "div.acc-member-actions",
      form,
      confirmAction({ label: "Deactivate", question: `${m.full_name} will no longer be able to sign in to this organization.`, act: async () => {
        await post(paths.members.deactivate(m.user_id));
        flash(`${m.full_name} deactivated.`);
        reload();
      } }),
    );
  };

  const drawMembers = async () => {
    setQuery({ status: state.status === "active" ? "" : state.status, offset: state.offset || "" });
    const page = await get(paths.members.list, { status: state.status, limit: PAGE, offset: state.offset });
    mount(
      memberList,
      table(
        [
          { label: "Name", value: (m) => m.full_name },
          { label: "Email", value: (m) => m.email },
          { label: "Role", value: (m) => roleLabel(m.role) },
          { label: "Status", value: (m) => badge(m.status, m.status === "active" ? "ok" : "muted") },
          { label: "Joined", value: (m) => dateTime(m.joined_at) },
          { label: "Route", value: (m) => (m.status === "active" ? h("a", { href: `#/team/${m.user_id}/route`, "aria-label": `Route of ${m.full_name}` }, "Route") : "") },
          { label: write ? "Change" : "", value: actions },
        ],
        page.items,
        { caption: "Members", empty: state.status === "active" ? "No active members." : "No deactivated members." },
      ),
      pager(page, (offset) => {
        state.offset = offset;
        drawMembers().catch((error) => mount(memberList, failure(error)));
      }),
    );
  };
  const filter = h(
    "form.filters.acc-filters",
    { role: "search" },
    field("status", "Show", { kind: "select", value: state.status, options: [["active", "Active members"], ["deactivated", "Deactivated members"]] }),
  );
  filter.addEventListener("change", () => {
    Object.assign(state, { status: values(filter).status, offset: 0 });
    drawMembers().catch((error) => mount(memberList, failure(error)));
  });
  filter.addEventListener("submit", (event) => event.preventDefault());

  const invitations = h("div");
  const notice = h("div");
  await Promise.all([drawMembers(), drawInvitations(invitations, 0)]);
  mount(
    main,
    header("Members"),
    filter,
    memberList,
    h("h2", "Invitations"),
    notice,
    write ? inviteForm(notice, () => drawInvitations(invitations, 0)) : null,
    invitations,
  );
}

function invitationState(inv) {
  if (inv.accepted_at) return badge("accepted", "ok");
  if (new Date(inv.expires_at) < new Date()) return badge("expired", "muted");
  return badge("pending", "info");
}

/** Invitations, newest first as the API lists them (it answers a plain list: no total, so "Next" shows when a page is full). */
async function drawInvitations(box, offset) {
  try {
    const rows = await get(paths.invitations.list, { limit: PAGE, offset });
    const nav =
      offset > 0 || rows.length === PAGE
        ? h(
            "nav.pager",
            { "aria-label": "Invitation pages" },
            h("button", { type: "button", disabled: offset === 0, on: { click: () => drawInvitations(box, Math.max(0, offset - PAGE)) } }, "Previous"),
            h("button", { type: "button", disabled: rows.length < PAGE, on: { click: () => drawInvitations(box, offset + PAGE) } }, "Next"),
          )
        : null;
    mount(
      box,
      table(
        [
          { label: "Email", value: (i) => i.email },
          { label: "Role", value: (i) => roleLabel(i.role) },
          { label: "State", value: invitationState },
          { label: "Sent", value: (i) => dateTime(i.created_at) },
          { label: "Expires", value: (i) => (i.accepted_at ? `accepted ${dateTime(i.accepted_at)}` : dateTime(i.expires_at)) },
        ],
        rows,
        { caption: "Invitations", empty: "No invitations sent yet." },
      ),
      nav,
    );
  } catch (error) {
    mount(box, failure(error));
  }
}

function inviteForm(notice, refresh) {
  const form = h(
    "form.card.acc-run",
    { novalidate: true },
    h("h3", "Invite someone"),
    field("email", "Email", { kind: "email", required: true }),
    field("role", "Role", { kind: "select", required: true, value: "pumper", options: ROLES }),
    h("button.primary", { type: "submit" }, "Send invitation"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      try {
        const invitation = await post(paths.invitations.list, values(form));
        form.querySelector("input[name=email]").value = "";
        flash(`Invitation for ${invitation.email} created.`);
        const box = secretBox(
          `Invitation for ${invitation.email}`,
          `${location.origin}/#/accept?token=${encodeURIComponent(invitation.token)}`,
          `Send ${invitation.email} this link to join as ${roleLabel(invitation.role).toLowerCase()}; it works once and expires ${dateTime(invitation.expires_at)}.`,
        );
        mount(notice, box);
        box.focus();
        await refresh();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

// --------------------------------------------------------------------------------------------- API keys

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
