// Hash routes (#/wells/42?status=active): every page works from a bookmark or a reload, and the service
// worker needs to cache only one document. A route names what it needs ([resource, action] from the
// permissions identity reports in /api/v1/me); a member without it sees "Not allowed", whatever the URL.

import { h, mount, notAllowed, failure } from "./ui.js";

const routes = [];

/**
 * route("/wells/:id", {title, need: ["wells", "read"], page: () => import("../pages/wells.js"), view: "wellPage"})
 * `view` names the page module's export (default "render"), called as render(main, params, ctx).
 */
export function route(pattern, options) {
  const names = [];
  const regex = new RegExp(
    "^" + pattern.replace(/:([a-z_]+)/gi, (_, name) => (names.push(name), "([^/]+)")).replace(/\//g, "\\/") + "\\/?$",
  );
  routes.push({ pattern, regex, names, ...options });
}

export function current() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, search = ""] = hash.split("?");
  return { path, query: new URLSearchParams(search) };
}

/** Go to a console path ("/wells/42", with an optional query object). */
export function navigate(path, query) {
  const search = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== "" && v != null)).toString() : "";
  const target = "#" + path + (search ? "?" + search : "");
  if (location.hash === target) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = target;
}

/** Replace the query of the current page without adding history (filters). */
export function setQuery(query) {
  const { path } = current();
  const search = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== "" && v != null)).toString();
  history.replaceState(null, "", "#" + path + (search ? "?" + search : ""));
}

let renderToken = 0;

export async function render(main, ctx) {
  const { path, query } = current();
  const token = ++renderToken;
  for (const r of routes) {
    const match = r.regex.exec(path);
    if (!match) continue;
    const params = Object.fromEntries(r.names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
    document.title = r.title ? `${r.title} · WellFlow` : "WellFlow";
    if (r.need && !ctx.can(...r.need)) {
      mount(main, notAllowed());
      return;
    }
    // Each visit draws into its own element: a page still loading when the member moves on keeps drawing into
    // an element no longer shown, never over the page they went to.
    const view = h("div.view");
    mount(main, view);
    try {
      const module = await r.page();
      if (token !== renderToken) return;
      mount(view, h("p.loading", "Loading…"));
      await module[r.view || "render"](view, params, { ...ctx, query, path, stale: () => token !== renderToken });
    } catch (error) {
      if (token !== renderToken) return;
      console.error(error);
      mount(view, failure(error));
    }
    return;
  }
  mount(main, h("section", h("h1", "Page not found"), h("p", h("a", { href: "#/" }, "Back to your start page"))));
}

export function allRoutes() {
  return routes;
}
