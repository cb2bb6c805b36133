// #/team: members and roles, a new sign-in link for a member locked out, invitations (mailed when this WellFlow has
// a mail server, else shown once for the owner to pass on), sent again or withdrawn.

import { get, post, patch, del } from "../../lib/api.js";
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
  const notice = h("div");

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
      confirmAction({
        label: "New sign-in link",
        yes: "Yes, make the link",
        question: `${m.full_name} gets a link to choose a new password (it works once and expires soon) and is signed out everywhere else.`,
        act: async () => {
          showSignInLink(notice, m, await post(paths.members.signInLink(m.user_id)));
          await drawMembers(); // closes the question
        },
      }),
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
  const inviteNotice = h("div");
  await Promise.all([drawMembers(), drawInvitations(invitations, 0, write, inviteNotice)]);
  mount(
    main,
    header("Members"),
    notice,
    filter,
    memberList,
    h("h2", "Invitations"),
    inviteNotice,
    write ? inviteForm(inviteNotice, () => drawInvitations(invitations, 0, write, inviteNotice)) : null,
    invitations,
  );
}

const STATE_KIND = { pending: "info", accepted: "ok", expired: "muted", revoked: "muted" };
const STATE_LABEL = { pending: "pending", accepted: "accepted", expired: "expired", revoked: "withdrawn" };
const DELIVERY_LABEL = { mailed: "mailed", not_mailed: "link shown to pass on", mail_failed: "mail failed: send again", queued: "mailed by notifications" };

/** Shows what became of a link or invitation: mailed, to pass on (shown this once), or not sent. */
function showSent(notice, { delivery, email, what, link, expires }) {
  if (delivery === "mailed" || delivery === "queued") {
    mount(notice, h("p.notice", { role: "status" }, `${what} mailed to ${email}. It works once and expires ${expires}.`));
    flash(`Mailed to ${email}.`);
    return;
  }
  if (delivery === "mail_failed") {
    mount(notice, h("p.notice.warn", { role: "alert" }, `The mail server did not take the mail to ${email}; nothing was sent. Try again in a moment.`));
    return;
  }
  const box = secretBox(
    `${what} for ${email}`,
    link,
    `This WellFlow sends no mail: pass ${email} this link yourself (text or tell them). It works once and expires ${expires}.`,
  );
  mount(notice, box);
  box.focus();
}

function showSignInLink(notice, member, made) {
  showSent(notice, {
    delivery: made.delivery,
    email: member.email,
    what: "Sign-in link",
    link: made.token ? `${location.origin}/#/reset?token=${encodeURIComponent(made.token)}` : "",
    expires: dateTime(made.expires_at),
  });
}

function showInvitation(notice, invitation) {
  showSent(notice, {
    delivery: invitation.delivery,
    email: invitation.email,
    what: "Invitation",
    link: invitation.token ? `${location.origin}/#/accept?token=${encodeURIComponent(invitation.token)}` : "",
    expires: dateTime(invitation.expires_at),
  });
}

function invitationActions(invitation, notice, redraw) {
  if (invitation.state === "accepted" || invitation.state === "revoked") return "";
  const again = h("button", { type: "button", "aria-label": `Send the invitation for ${invitation.email} again` }, "Send again");
  again.addEventListener("click", () =>
    busy(again, async () => {
      try {
        showInvitation(notice, await post(paths.invitations.resend(invitation.id)));
        await redraw();
      } catch (error) {
        mount(notice, failure(error));
      }
    }),
  );
  const withdraw = confirmAction({
    label: "Withdraw",
    question: `The link sent to ${invitation.email} will no longer work.`,
    act: async () => {
      await del(paths.invitations.one(invitation.id));
      flash(`Invitation for ${invitation.email} withdrawn.`);
      await redraw();
    },
  });
  return h("div.acc-member-actions", again, withdraw);
}

/** Invitations, newest first as the API lists them (it answers a plain list: no total, so "Next" shows when a page is full). */
async function drawInvitations(box, offset, write = false, notice = null) {
  const redraw = () => drawInvitations(box, offset, write, notice);
  try {
    const rows = await get(paths.invitations.list, { limit: PAGE, offset });
    const nav =
      offset > 0 || rows.length === PAGE
        ? h(
            "nav.pager",
            { "aria-label": "Invitation pages" },
            h("button", { type: "button", disabled: offset === 0, on: { click: () => drawInvitations(box, Math.max(0, offset - PAGE), write, notice) } }, "Previous"),
            h("button", { type: "button", disabled: rows.length < PAGE, on: { click: () => drawInvitations(box, offset + PAGE, write, notice) } }, "Next"),
          )
        : null;
    mount(
      box,
      table(
        [
          { label: "Email", value: (i) => i.email },
          { label: "Role", value: (i) => roleLabel(i.role) },
          { label: "State", value: (i) => badge(STATE_LABEL[i.state] || i.state, STATE_KIND[i.state] || "info") },
          { label: "Sent", value: (i) => [dateTime(i.last_sent_at || i.created_at), i.delivery ? h("span.hint", ` · ${DELIVERY_LABEL[i.delivery]}`) : null] },
          { label: "Expires", value: (i) => (i.accepted_at ? `accepted ${dateTime(i.accepted_at)}` : dateTime(i.expires_at)) },
          ...(write && notice ? [{ label: "Change", value: (i) => invitationActions(i, notice, redraw) }] : []),
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
        showInvitation(notice, invitation);
        await refresh();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
