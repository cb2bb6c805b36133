// The WellFlow console: sign in, the page table, the navigation a member's role allows, the connection bar.
// Pages live in pages/<area>/*.js and are loaded when first opened; lib/ holds what they share.

import { api, ApiError, session } from "./lib/api.js";
import { paths } from "./lib/paths.js";
import { route, render, navigate, current } from "./lib/router.js";
import { h, mount, values, showErrors, busy, useStyle, isoDate } from "./lib/ui.js";

const PROFILE_KEY = "wellflow.profile";
const PUBLIC = new Set(["/signin", "/signup", "/accept", "/forgot", "/reset"]); // the pages a person sees before signing in
const main = document.getElementById("view");
const nav = document.getElementById("nav");
const sessionBox = document.getElementById("session");
const connection = document.getElementById("connection");
// index.html's sign-in form and the field being typed in when the view that replaces it is drawn (see signin)
let signinShell = document.getElementById("signin-shell");
// the form as index.html writes it (the one definition of the sign-in form), for the sign-in pages after the first
const signinTemplate = signinShell.cloneNode(true);
for (const input of signinTemplate.querySelectorAll("input")) input.value = ""; // what was typed so far stays out
let typingIn = null;

// ------------------------------------------------------------------------------------------------ the pages

// One folder per area, named after what the route needs (production, wells, compliance, accounting, team;
// account for the pages before signing in); one module per page or pair of list and item pages.
const page = (path) => () => import(`./pages/${path}.js`);
const welcome = page("account/welcome");
const theRoute = page("production/route");

route("/", { title: "Start", view: "start", page: async () => ({ start }) });
route("/signin", { title: "Sign in", view: "signin", page: async () => ({ signin }) });
route("/signup", { title: "Start WellFlow", page: welcome, view: "signupPage" });
route("/accept", { title: "Join your company", page: welcome, view: "acceptPage" });
route("/forgot", { title: "Forgot password", page: page("account/password"), view: "forgotPage" });
route("/reset", { title: "Choose a new password", page: page("account/password"), view: "resetPage" });
// production: the pumper's round (works offline), then the office's production pages
route("/route", { title: "Today's route", need: ["production", "write"], page: theRoute, view: "routePage" });
route("/record/:wellId", { title: "Record a reading", need: ["production", "write"], page: page("production/reading"), view: "readingPage" });
route("/gauge/:tankId", { title: "Gauge a tank", need: ["production", "write"], page: page("production/tanks"), view: "gaugePage" });
route("/run-ticket", { title: "Run ticket", need: ["production", "write"], page: page("production/tickets"), view: "runTicketPage" });
route("/outbox", { title: "Waiting to send", need: ["production", "write"], page: page("production/outbox"), view: "outboxPage" });
route("/dashboard", { title: "Dashboard", need: ["production", "read"], page: page("production/dashboard"), view: "dashboardPage" });
route("/alerts", { title: "Alerts", need: ["production", "read"], page: page("production/alerts"), view: "alertsPage" });
route("/tank-watch", { title: "Tank watch", need: ["production", "read"], page: page("production/watch"), view: "watchPage" });
route("/lease-month", { title: "Readings by lease and month", need: ["production", "read"], page: page("production/lease-month"), view: "leaseMonthPage" });
// wells
route("/wells", { title: "Wells", need: ["wells", "read"], page: page("wells/wells"), view: "wellsPage" });
route("/wells/:id", { title: "Well", need: ["wells", "read"], page: page("wells/wells"), view: "wellPage" });
route("/leases", { title: "Leases", need: ["wells", "read"], page: page("wells/leases"), view: "leasesPage" });
route("/leases/:id", { title: "Lease", need: ["wells", "read"], page: page("wells/leases"), view: "leasePage" });
// compliance
route("/compliance/form-pr", { title: "Form PR", need: ["compliance", "read"], page: page("compliance/form-pr"), view: "formPrPage" });
route("/compliance/submissions", { title: "RRC submissions", need: ["compliance", "read"], page: page("compliance/submissions"), view: "submissionsPage" });
route("/compliance/severance", { title: "Severance tax", need: ["compliance", "read"], page: page("compliance/severance"), view: "severancePage" });
route("/compliance/calendar", { title: "Filing calendar", need: ["compliance", "read"], page: page("compliance/calendar"), view: "calendarPage" });
// accounting
route("/accounting/revenue", { title: "Revenue distribution", need: ["accounting", "read"], page: page("accounting/revenue"), view: "revenuePage" });
route("/accounting/revenue/:id", { title: "Revenue run", need: ["accounting", "read"], page: page("accounting/revenue"), view: "revenueRunPage" });
route("/accounting/jib", { title: "Joint interest billing", need: ["accounting", "read"], page: page("accounting/jib"), view: "jibPage" });
route("/accounting/jib/:id", { title: "JIB run", need: ["accounting", "read"], page: page("accounting/jib"), view: "jibRunPage" });
route("/accounting/late-payments", { title: "Late payments", need: ["accounting", "read"], page: page("accounting/owner-law"), view: "latePaymentsPage" });
route("/accounting/information-requests", { title: "Information requests", need: ["accounting", "read"], page: page("accounting/owner-law"), view: "informationRequestsPage" });
route("/accounting/escheat", { title: "Unclaimed property", need: ["accounting", "read"], page: page("accounting/owner-law"), view: "escheatPage" });
route("/accounting/1099", { title: "1099s", need: ["accounting", "read"], page: page("accounting/tax1099"), view: "tax1099Page" });
route("/accounting/payments", { title: "Payments", need: ["accounting", "read"], page: page("accounting/payments"), view: "paymentsPage" });
route("/accounting/payments/:id", { title: "Payment run", need: ["accounting", "read"], page: page("accounting/payments"), view: "paymentRunPage" });
route("/accounting/afes", { title: "AFEs", need: ["accounting", "read"], page: page("accounting/afes"), view: "afesPage" });
route("/accounting/afes/:id", { title: "AFE", need: ["accounting", "read"], page: page("accounting/afes"), view: "afePage" });
route("/accounting/reconciliation", { title: "Reconciliation", need: ["accounting", "read"], page: page("accounting/reconciliation"), view: "reconciliationPage" });
route("/accounting/purchaser-statements", { title: "Purchaser statements", need: ["accounting", "read"], page: page("accounting/reconciliation"), view: "statementsPage" });
// team: members, a pumper's planned route, API keys
route("/team", { title: "Members", need: ["members", "read"], page: page("team/members"), view: "teamPage" });
route("/team/:userId/route", { title: "Pumper's route", need: ["members", "read"], page: page("team/route-plan"), view: "routePlanPage" });
route("/organization", { title: "Organization", need: ["organization", "read"], page: page("team/organization"), view: "organizationPage" });
route("/accounting/revenue/:id/statements/:partnerId", { title: "Owner statement", need: ["accounting", "read"], page: page("accounting/statement"), view: "ownerStatementPage" });
route("/accounting/jib/:id/statements/:partnerId", { title: "JIB statement", need: ["accounting", "read"], page: page("accounting/statement"), view: "jibStatementPage" });
route("/api-keys", { title: "API keys", need: ["api_keys", "read"], page: page("team/api-keys"), view: "apiKeysPage" });
// notifications: every member's own (the bell in the header opens the list)
route("/notifications", { title: "Notifications", page: page("notifications/notifications"), view: "notificationsPage" });
route("/notifications/preferences", { title: "Notification preferences", page: page("notifications/notifications"), view: "preferencesPage" });

// What the navigation offers, in order; an entry shows only when the member's role grants what it needs.
const MENU = [
  ["Route", "/route", ["production", "write"]],
  ["Dashboard", "/dashboard", ["production", "read"]],
  ["Alerts", "/alerts", ["production", "read"]],
  ["Readings", "/lease-month", ["production", "read"]],
  ["Tank watch", "/tank-watch", ["production", "read"]],
  ["Wells", "/wells", ["wells", "read"]],
  ["Leases", "/leases", ["wells", "read"]],
  ["Form PR", "/compliance/form-pr", ["compliance", "read"]],
  ["Submissions", "/compliance/submissions", ["compliance", "read"]],
  ["Tax", "/compliance/severance", ["compliance", "read"]],
  ["Calendar", "/compliance/calendar", ["compliance", "read"]],
  ["Revenue", "/accounting/revenue", ["accounting", "read"]],
  ["JIB", "/accounting/jib", ["accounting", "read"]],
  ["Payments", "/accounting/payments", ["accounting", "read"]],
  ["AFEs", "/accounting/afes", ["accounting", "read"]],
  ["Late payments", "/accounting/late-payments", ["accounting", "read"]],
  ["Owner requests", "/accounting/information-requests", ["accounting", "read"]],
  ["Unclaimed", "/accounting/escheat", ["accounting", "read"]],
  ["1099s", "/accounting/1099", ["accounting", "read"]],
  ["Reconciliation", "/accounting/reconciliation", ["accounting", "read"]],
  ["Members", "/team", ["members", "read"]],
  ["API keys", "/api-keys", ["api_keys", "read"]],
  ["Organization", "/organization", ["organization", "write"]],
];

// ---------------------------------------------------------------------------------------------- the member

/** Who is signed in: /api/v1/me, kept for offline starts (the pumper opens the route with no signal). */
async function loadProfile() {
  try {
    const me = await api("GET", paths.me);
    localStorage.setItem(PROFILE_KEY, JSON.stringify(me));
    return me;
  } catch (error) {
    const kept = keptProfile();
    if (error instanceof ApiError && error.offline && kept) return kept;
    throw error;
  }
}

function keptProfile() {
  try {
    return JSON.parse(localStorage.getItem(PROFILE_KEY));
  } catch {
    return null;
  }
}

function context(me) {
  const can = (resource, action) => Boolean(me?.permissions?.[resource]?.includes(action));
  return { me, can, navigate, signedIn };
}

let ctx = context(null);

function drawChrome() {
  const me = ctx.me;
  nav.replaceChildren();
  sessionBox.replaceChildren();
  bellLink.remove();
  if (!me) return;
  const { path } = current();
  nav.append(
    h(
      "ul",
      MENU.filter(([, , need]) => ctx.can(...need)).map(([label, href]) =>
        h("li", h("a", { href: "#" + href, "aria-current": path === href || path.startsWith(href + "/") ? "page" : null }, label)),
      ),
    ),
  );
  const org = (me.organizations || []).find((o) => o.organization_id === me.organization_id);
  sessionBox.append(
    h(
      "span.who",
      { title: `${me.full_name || me.email || "API key"}, ${me.role}${org ? ` at ${org.name}` : ""}` },
      h("span.name", me.full_name || me.email || "API key"),
      h("span.role", ` · ${me.role}`),
      org ? h("span.org", ` · ${org.name}`) : null,
    ),
    h("button.link", { type: "button", on: { click: signOut } }, "Sign out"),
  );
  // in the top bar itself, not in the folded session box: a pumper on a phone sees it without opening the menu
  document.querySelector(".menu-toggle").before(bellLink);
  countUnread();
  const toggle = document.querySelector(".menu-toggle");
  toggle.hidden = false;
}

// ------------------------------------------------------------------------------------------------ the bell

const bellCount = h("span.bell-count", { hidden: true });
/** The bell in the top bar: the member's unread notifications, a link to the list. */
const bellLink = h("a.bell", { href: "#/notifications", title: "Notifications", "aria-label": "Notifications" }, bellIcon(), bellCount);

/** A bell drawn in SVG (an emoji would need a font the phone may not have). */
function bellIcon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  for (const [name, value] of Object.entries({ viewBox: "0 0 24 24", width: "18", height: "18", "aria-hidden": "true" })) svg.setAttribute(name, value);
  const path = document.createElementNS(ns, "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute("d", "M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6v-5a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z");
  svg.append(path);
  return svg;
}

/** Ask for the unread count (quietly: no connection or no notifications service leaves the bell as it was). */
async function countUnread() {
  if (!ctx.me || !session.get()) return;
  try {
    const { unread } = await api("GET", paths.notifications.unreadCount);
    bellCount.textContent = unread > 99 ? "99+" : String(unread);
    bellCount.hidden = !unread;
    bellCount.setAttribute("aria-label", `${unread} unread`);
  } catch {
    /* the bell waits for the next count */
  }
}
window.addEventListener("wellflow:notifications", countUnread);
setInterval(countUnread, 60_000);

async function signOut() {
  const waiting = window.__wellflowOutbox;
  if (waiting && (waiting.pending || waiting.conflicts)) {
    const kept = `${waiting.pending + waiting.conflicts} of your entries are not sent yet.`;
    // They stay on this phone, yours alone, and go when you sign in again.
    if (!confirm(`${kept} They stay on this phone and are sent when you sign in again. Sign out now?`)) return;
  }
  const current = session.get();
  try {
    if (current?.refresh_token) await api("POST", paths.auth.signout, { body: { refresh_token: current.refresh_token } });
  } catch {
    /* signing out locally is what matters */
  }
  session.clear();
  localStorage.removeItem(PROFILE_KEY);
  ctx = context(null);
  drawChrome();
  navigate("/signin");
}

// ---------------------------------------------------------------------------------------------- two pages

function start() {
  if (!ctx.me) return navigate("/signin");
  // A pumper starts on the route; everybody else on the dashboard (or the first page their role has).
  if (ctx.me.role === "pumper") return navigate("/route");
  const first = MENU.find(([, href, need]) => href !== "/route" && ctx.can(...need));
  return navigate(first ? first[1] : "/route");
}

/** A session from sign-in, sign-up or an accepted invitation: keep it, load the member, go to their start page. */
async function signedIn(tokens, email) {
  session.set(tokens);
  if (tokens.permissions) {
    // The session answer already says who and what (role, permissions): start now, fill in the name after
    // (one round trip less for a pumper on a slow connection).
    const { user_id, organization_id, role, organizations, permissions } = tokens;
    const profile = { kind: "user", user_id, organization_id, role, organizations, permissions, email };
    localStorage.setItem(PROFILE_KEY, JSON.stringify(profile)); // kept until /me answers: the phone may lose signal
    ctx = context(profile);
    loadProfile()
      .then((me) => {
        ctx = context(me);
        drawChrome();
      })
      .catch((error) => console.warn("profile not loaded", error));
  } else {
    ctx = context(await loadProfile());
  }
  await startOutboxIfRecording();
  drawChrome();
  navigate("/");
}

/** Before a view replaces index.html's sign-in form: which of its fields has the focus, and the caret. */
function noteTyping() {
  const active = document.activeElement;
  if (!signinShell || !signinShell.contains(active) || !active.name) return;
  typingIn = { name: active.name, start: active.selectionStart ?? null, end: active.selectionEnd ?? null };
}

/** The sign-in form index.html carries (a first visit types into it before the scripts arrive), once; else a new one. */
function signinForm() {
  const form = signinShell || signinTemplate.cloneNode(true); // the page's own form first, then copies of it
  signinShell = null;
  form.removeAttribute("id");
  form.querySelector("button[type=submit]").disabled = false;
  return form;
}

function signin(view) {
  const form = signinForm();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    await busy(button, async () => {
      try {
        const credentials = values(form);
        // One round trip: the session and, for a pumper, today's route (kept on the phone and drawn at once)
        const answer = await api("POST", paths.auth.console, { query: { route: isoDate() }, body: credentials });
        if (answer.route) {
          const { keepRoute } = await import("./pages/production/field.js");
          keepRoute(answer.session.user_id, answer.route);
        }
        await signedIn(answer.session, credentials.email);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  // The page's own form left the page when the view was drawn: the field being typed in gets its focus and
  // caret back (nothing typed is lost: no key event runs between its removal and this).
  const typing = typingIn;
  typingIn = null;
  mount(view, form);
  const input = (typing && form.elements.namedItem(typing.name)) || form.querySelector("input");
  input.focus();
  if (typing && typing.start !== null) {
    try {
      input.setSelectionRange(typing.start, typing.end);
    } catch {
      /* email inputs have no selection API; focus keeps the caret where it was */
    }
  }
  // The route's modules come with the page (index.html preloads them) and the service worker takes the other
  // pages: nothing more is fetched while the member types, so the sign-in request finds a free connection (a
  // browser opens six per server; on a field connection each is busy for seconds).
  useStyle("/assets/styles/pumper.css");
}

// ----------------------------------------------------------------------------------------------- the shell

function showConnection() {
  const online = navigator.onLine;
  document.body.classList.toggle("offline", !online);
  const parts = [];
  if (!online) parts.push("Offline: readings are kept on this phone and sent when the connection returns.");
  const waiting = window.__wellflowOutbox;
  if (waiting && (waiting.pending || waiting.conflicts)) {
    const link = h("a", { href: "#/outbox" }, `${waiting.pending} waiting to send${waiting.conflicts ? `, ${waiting.conflicts} to resolve` : ""}`);
    parts.push(link);
  }
  mount(connection, parts.map((p, i) => [i ? " · " : "", p]));
  connection.hidden = parts.length === 0;
}

/** A member who records production gets the offline outbox: entries kept in IndexedDB, sent when online. */
async function startOutboxIfRecording() {
  if (!ctx.me || !ctx.can("production", "write")) return;
  try {
    const { startOutbox } = await import("./lib/outbox.js");
    startOutbox();
    if (ctx.can("documents", "write")) (await import("./lib/photos.js")).startPhotos(); // photos of readings
  } catch (error) {
    console.error("the offline outbox did not start", error);
  }
}

async function boot() {
  document.querySelector(".menu-toggle").addEventListener("click", (event) => {
    const open = document.body.classList.toggle("nav-open");
    event.currentTarget.setAttribute("aria-expanded", String(open));
  });
  nav.addEventListener("click", (event) => {
    if (event.target.closest("a")) {
      document.body.classList.remove("nav-open");
      document.querySelector(".menu-toggle").setAttribute("aria-expanded", "false");
    }
  });
  window.addEventListener("online", showConnection);
  window.addEventListener("offline", showConnection);
  window.addEventListener("wellflow:outbox", (event) => {
    window.__wellflowOutbox = event.detail;
    showConnection();
  });
  window.addEventListener("wellflow:signed-out", () => {
    ctx = context(null);
    drawChrome();
    if (current().path !== "/signin") navigate("/signin");
  });
  window.addEventListener("hashchange", async () => {
    if (!ctx.me && !PUBLIC.has(current().path)) return navigate("/signin");
    noteTyping();
    drawChrome();
    await render(main, ctx);
    // the new page for a screen reader, unless the page put the focus on a field of its own (the sign-in form
    // being typed into on a first visit)
    if (!main.contains(document.activeElement)) main.focus({ preventScroll: true });
  });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((error) => console.warn("service worker", error));
  }
  const signedIn = session.get();
  const kept = keptProfile();
  if (signedIn && kept && kept.user_id === signedIn.user_id && kept.organization_id === signedIn.organization_id) {
    // A returning member starts at once from the profile kept last time (the pumper's phone may have no signal);
    // the fresh profile replaces it when it arrives, and an expired session signs out then.
    ctx = context(kept);
    loadProfile()
      .then((me) => {
        ctx = context(me);
        drawChrome();
      })
      .catch((error) => console.warn("profile not refreshed", error));
  } else if (signedIn) {
    try {
      ctx = context(await loadProfile());
    } catch (error) {
      // A refused session has signed out already (api.js on 401); with no connection the session stays for later.
      console.warn("profile not loaded", error);
    }
  }
  await startOutboxIfRecording();
  showConnection();
  drawChrome();
  if (!ctx.me && !PUBLIC.has(current().path)) navigate("/signin");
  else {
    noteTyping();
    await render(main, ctx);
  }
}

boot();
