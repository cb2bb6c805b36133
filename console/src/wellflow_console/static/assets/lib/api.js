// The console's one door to WellFlow: the same public REST API and tokens as any other client.
//
// api(method, path, {query, body, headers, idempotencyKey, raw}) resolves with the parsed JSON body (or the
// Response when `raw`), and rejects with an ApiError carrying the RFC 9457 problem: `status`, `title`, `detail`,
// `errors` ([{field, message}]) and `type`. A network failure rejects with an ApiError of status 0 (`offline`).
// An expired access token is refreshed once with the refresh token, then the request is sent again.

import { paths } from "./paths.js";

const SESSION_KEY = "wellflow.session";

export class ApiError extends Error {
  constructor(status, problem = {}) {
    super(problem.detail || problem.title || (status === 0 ? "No connection" : `HTTP ${status}`));
    this.status = status;
    this.problem = problem;
    this.type = problem.type || "";
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
  get offline() {
    return this.status === 0;
  }
  /** The problem's slug: https://wellflow.dev/problems/<slug> -> <slug>. */
  get slug() {
    return this.type.split("/").pop();
  }
}

export const session = {
  get() {
    try {
      return JSON.parse(localStorage.getItem(SESSION_KEY)) || null;
    } catch {
      return null;
    }
  },
  set(value) {
    localStorage.setItem(SESSION_KEY, JSON.stringify(value));
  },
  clear() {
    localStorage.removeItem(SESSION_KEY);
  },
};

/** A fresh key for Idempotency-Key headers and client-chosen ids (a UUID v4). */
export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function buildUrl(path, query) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v === undefined || v === null || v === "") continue;
    if (Array.isArray(v)) v.forEach((item) => url.searchParams.append(k, item));
    else url.searchParams.set(k, v);
  }
  return url.pathname + url.search;
}

let refreshing = null;

// "renewed", "refused" (the refresh token is no longer valid: sign out) or "unavailable" (throttled, the
// network or the server: keep the session and let the user try again; never sign someone out for that).
async function refreshTokens() {
  const current = session.get();
  if (!current?.refresh_token) return "refused";
  refreshing ||= (async () => {
    try {
      const response = await fetch(paths.auth.refresh, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: current.refresh_token }),
      });
      if (response.status === 400 || response.status === 401 || response.status === 403) return "refused";
      if (!response.ok) return "unavailable";
      const tokens = await response.json();
      session.set({ ...current, ...tokens });
      return "renewed";
    } catch {
      return "unavailable";
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export async function api(method, path, options = {}) {
  const { query, body, headers = {}, idempotencyKey, raw = false, retried = false } = options;
  const current = session.get();
  const sent = { Accept: "application/json, application/problem+json", ...headers };
  if (current?.access_token) sent.Authorization = `Bearer ${current.access_token}`;
  if (idempotencyKey) sent["Idempotency-Key"] = idempotencyKey;
  let payload;
  if (body !== undefined) {
    if (body instanceof FormData || body instanceof Blob || typeof body === "string") payload = body;
    else {
      payload = JSON.stringify(body);
      sent["Content-Type"] = "application/json";
    }
  }
  let response;
  try {
    response = await fetch(buildUrl(path, query), { method, headers: sent, body: payload });
  } catch {
    throw new ApiError(0, { title: "No connection", detail: "WellFlow could not be reached." });
  }
  if (response.status === 401 && !retried && current?.refresh_token) {
    const renewal = await refreshTokens();
    if (renewal === "renewed") return api(method, path, { ...options, retried: true });
    if (renewal === "unavailable") {
      throw new ApiError(503, {
        title: "Session not renewed",
        detail: "WellFlow could not renew your session just now; you are still signed in. Try again in a moment.",
      });
    }
  }
  if (response.status === 401 && !path.startsWith(paths.auth.prefix) && path !== paths.auth.console) {
    session.clear();
    window.dispatchEvent(new CustomEvent("wellflow:signed-out"));
  }
  if (!response.ok) {
    let problem = {};
    try {
      problem = await response.json();
    } catch {
      problem = { title: response.statusText };
    }
    throw new ApiError(response.status, problem);
  }
  if (raw) return response;
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") || "";
  return type.includes("json") ? response.json() : response.text();
}

export const get = (path, query) => api("GET", path, { query });
export const post = (path, body, options = {}) => api("POST", path, { ...options, body });
export const put = (path, body, options = {}) => api("PUT", path, { ...options, body });
export const patch = (path, body, options = {}) => api("PATCH", path, { ...options, body });
export const del = (path, options = {}) => api("DELETE", path, options);

/** Every item of a paginated list endpoint ({items, total, limit, offset}), up to `max` items. */
export async function getAll(path, query = {}, max = 2000) {
  const items = [];
  for (;;) {
    const page = await get(path, { ...query, offset: items.length, limit: 200 });
    const rows = Array.isArray(page) ? page : page.items || [];
    items.push(...rows);
    const total = Array.isArray(page) ? rows.length : page.total;
    if (rows.length === 0 || items.length >= total || items.length >= max) return items;
  }
}

/** Download a file the API answers (PDF, CSV) with the session's token, saved under its own name. */
export async function download(path, fallbackName) {
  const response = await api("GET", path, { raw: true, headers: { Accept: "*/*" } });
  const blob = await response.blob();
  const disposition = response.headers.get("Content-Disposition") || "";
  const match = /filename="?([^";]+)"?/.exec(disposition);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = match ? match[1] : fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
