// #/notifications: the member's own notifications (the bell's list), read and unread, each linking to the page
// it is about; #/notifications/preferences: which kinds reach them on which channels, quiet hours, the daily
// digest, the mobile number for SMS. Every member has both pages, whatever their role.

import { get, post, patch } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, values, showErrors, clearErrors, busy, badge, flash, header } from "../../lib/ui.js";
import { PAGE, pages } from "../../lib/lists.js";
import { moment } from "../../lib/format.js";

const KINDS = {
  production_alert: "Production alerts",
  filing_deadline: "Filing deadlines approaching",
  filing_missed: "Filing deadlines missed",
  filing_rejected: "Form PR rejected by the RRC",
  afe_overrun: "AFE overruns",
  document_expiring: "Documents expiring",
  owner_payment_late: "Owner payments late",
  payment_run_approved: "Payment runs approved",
  reconciliation_item: "Reconciliation differences",
};
const CHANNELS = [
  ["in_app", "In WellFlow"],
  ["email", "Email"],
  ["sms", "SMS"],
];
const SEVERITY = { info: "info", warning: "warn", critical: "bad" };

/** Tell the bell in the header to count again (app.js listens). */
const recount = () => window.dispatchEvent(new Event("wellflow:notifications"));

/** #/notifications?unread=true&offset=50 */
export async function notificationsPage(main, params, ctx) {
  const unreadOnly = ctx.query.get("unread") === "true";
  const offset = Number(ctx.query.get("offset") || 0);
  const go = (next) => ctx.navigate("/notifications", { unread: unreadOnly ? "true" : undefined, offset: next || undefined });
  const found = await get(paths.notifications.list, { unread: unreadOnly ? "true" : undefined, limit: PAGE, offset });
  const list = h(
    "ul.notifications",
    found.items.map((n) => item(n)),
  );
  const markAll = h("button", { type: "button", disabled: !found.unread }, "Mark all read");
  markAll.addEventListener("click", () =>
    busy(markAll, async () => {
      await post(paths.notifications.read, {});
      flash("Everything marked read.");
      recount();
      go(0);
    }),
  );
  const tabs = h(
    "nav.tabs",
    { "aria-label": "Which notifications" },
    h("a", { href: "#/notifications", "aria-current": unreadOnly ? null : "page" }, "All"),
    h("a", { href: "#/notifications?unread=true", "aria-current": unreadOnly ? "page" : null }, `Unread (${found.unread})`),
  );
  mount(
    main,
    header("Notifications", markAll, h("a.button", { href: "#/notifications/preferences" }, "Preferences")),
    tabs,
    found.items.length ? list : h("p.empty", unreadOnly ? "Nothing unread." : "No notifications yet."),
    pages({ ...found, count: found.items.length }, go),
  );
}

function item(n) {
  const unread = !n.read_at;
  const toggle = h("button.link", { type: "button" }, unread ? "Mark read" : "Mark unread");
  const row = h(
    unread ? "li.notification.unread" : "li.notification",
    h("div.line", badge(KINDS[n.kind] || n.kind, SEVERITY[n.severity] || "info"), h("span.when", moment(n.created_at))),
    h("h2", n.link ? h("a", { href: `#/${n.link}` }, n.title) : n.title),
    h("p.body", n.body),
    toggle,
  );
  toggle.addEventListener("click", () =>
    busy(toggle, async () => {
      await post(paths.notifications.read, { ids: [n.id], read: unread });
      row.replaceWith(item({ ...n, read_at: unread ? new Date().toISOString() : null }));
      recount();
    }),
  );
  return row;
}

/** #/notifications/preferences */
export async function preferencesPage(main) {
  const prefs = await get(paths.notifications.preferences);
  const kinds = Object.keys(prefs.channels);
  const grid = h(
    "table.channels",
    h("caption", "What reaches you, and how"),
    h("thead", h("tr", h("th", { scope: "col" }, "Kind"), CHANNELS.map(([, label]) => h("th", { scope: "col" }, label)))),
    h(
      "tbody",
      kinds.map((kind) =>
        h(
          "tr",
          h("th", { scope: "row" }, KINDS[kind] || kind),
          CHANNELS.map(([channel, label]) =>
            h(
              "td",
              h("input", {
                type: "checkbox",
                name: `${kind}.${channel}`,
                checked: prefs.channels[kind].includes(channel),
                "aria-label": `${KINDS[kind] || kind} by ${label}`,
              }),
            ),
          ),
        ),
      ),
    ),
  );
  const hhmm = (t) => (t ? String(t).slice(0, 5) : "");
  const form = h(
    "form.card",
    { novalidate: true },
    kinds.length ? grid : h("p", "Your role receives no notifications."),
    h("h2", "Quiet hours"),
    h("p.hint", "No email or SMS between these times; they wait until the quiet hours end. The bell still counts."),
    field("quiet_start", "From", { kind: "time", value: hhmm(prefs.quiet_start) }),
    field("quiet_end", "Until", { kind: "time", value: hhmm(prefs.quiet_end) }),
    field("time_zone", "Time zone", { value: prefs.time_zone, hint: "e.g. America/Chicago (Central), America/Denver (El Paso)" }),
    h("h2", "Daily digest"),
    field("digest", "One mail a day listing what happened, instead of a mail for each", { kind: "checkbox", value: prefs.digest }),
    field("digest_hour", "Sent at (hour, 0–23)", { kind: "integer", value: String(prefs.digest_hour) }),
    h("h2", "SMS"),
    field("sms_number", "Mobile number", { kind: "tel", value: prefs.sms_number || "", hint: "With the country code, e.g. +14325550123. Leave empty for no SMS." }),
    h("div.actions", h("button.primary", { type: "submit" }, "Save preferences")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      try {
        await patch(paths.notifications.preferences, body(form, kinds));
        clearErrors(form);
        flash("Preferences saved.");
      } catch (error) {
        showErrors(form, error, { "body.channels": kinds[0] ? `${kinds[0]}.email` : undefined });
      }
    });
  });
  const digestNow = h("button", { type: "button" }, "Send my digest now");
  digestNow.addEventListener("click", () =>
    busy(digestNow, async () => {
      const sent = await post(paths.notifications.digest, {});
      flash(sent.notifications ? `Digest of ${sent.notifications} sent to your email.` : "Nothing is waiting for a digest.");
    }),
  );
  mount(main, header("Notification preferences", h("a.button", { href: "#/notifications" }, "Notifications"), digestNow), form);
}

/** The PATCH body: every kind's channels, the quiet hours (both or neither), digest and SMS number. */
export function body(form, kinds) {
  const read = values(form);
  const channels = {};
  for (const kind of kinds) channels[kind] = CHANNELS.map(([c]) => c).filter((c) => form.elements[`${kind}.${c}`]?.checked);
  return {
    channels,
    quiet_start: read.quiet_start || null,
    quiet_end: read.quiet_end || null,
    time_zone: read.time_zone || "America/Chicago",
    digest: Boolean(read.digest),
    digest_hour: Number.parseInt(read.digest_hour ?? "7", 10),
    sms_number: read.sms_number || null,
  };
}
