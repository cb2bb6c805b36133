// #/team: members and roles, invitations (the page shows the link to send).

import { get, post, patch } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, values, showErrors, busy, table, pager, badge, flash, header, failure, dateTime, useStyle, confirmAction } from "../../lib/ui.js";
import { setQuery } from "../../lib/router.js";
import { ROLES as ROLE_CODES } from "../../lib/codes.js";

export const STYLE = "/assets/styles/accounting.css";
const PAGE = 50;
const ROLE_LABEL = { owner: "Owner", manager: "Manager", pumper: "Pumper", accountant: "Accountant", auditor: "Auditor" };
export const ROLES = ROLE_CODES.map((role) => [role, ROLE_LABEL[role] || role]);
export const roleLabel = (role) => ROLES.find(([value]) => value === role)?.[1] || role;

/** A button that asks once more in the page before doing something that cannot be undone. */
/** A one-time secret: shown with a copy button and the warning that it will not be shown again. */
export function secretBox(title, secret, explanation) {
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
