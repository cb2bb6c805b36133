// lib/api.js keeps a signed-in member signed in unless the refresh token itself is refused: an expired access
// token is renewed once and the request sent again; a refresh answered 429 (throttled), 5xx or lost to the network
// keeps the session and says so; only a refused refresh (400/401/403) signs the member out.
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";

import { installBrowser, reset, server } from "./browser.js";

installBrowser();
const { api, session } = await import("../src/wellflow_console/static/assets/lib/api.js");

const REFRESH = "/api/v1/auth/refresh";
const signedOut = [];
window.addEventListener("wellflow:signed-out", () => signedOut.push(true));

beforeEach(() => {
  reset();
  signedOut.length = 0;
  localStorage.setItem("wellflow.session", JSON.stringify({ access_token: "old", refresh_token: "r1", user_id: "u" }));
});

/** The wells list answers 401 to the old token; the refresh answers `refresh`. */
function answering(refresh) {
  server.answer = (request) => {
    if (request.url === REFRESH) return refresh();
    if (request.headers.Authorization === "Bearer new") return { status: 200, body: { items: [] } };
    return { status: 401, body: { title: "Authentication required", detail: "The access token has expired." } };
  };
}

test("an expired token is renewed once and the request sent again", async () => {
  answering(() => ({ status: 200, body: { access_token: "new", refresh_token: "r2" } }));
  assert.deepEqual(await api("GET", "/api/v1/wells"), { items: [] });
  assert.equal(session.get().access_token, "new");
  assert.equal(signedOut.length, 0);
});

for (const [what, refresh] of [
  ["throttled (429)", () => ({ status: 429, body: { title: "Too Many Requests" } })],
  ["a server error", () => ({ status: 503, body: { title: "Service Unavailable" } })],
  ["no connection", () => { throw new TypeError("Failed to fetch"); }],
]) {
  test(`a refresh that is ${what} keeps the member signed in`, async () => {
    answering(refresh);
    await assert.rejects(api("GET", "/api/v1/wells"), (error) => error.status === 503 && /still signed in/.test(error.message));
    assert.equal(session.get()?.refresh_token, "r1");
    assert.equal(signedOut.length, 0);
  });
}

test("a refused refresh token signs the member out", async () => {
  answering(() => ({ status: 401, body: { title: "Authentication required" } }));
  await assert.rejects(api("GET", "/api/v1/wells"), (error) => error.status === 401);
  assert.equal(session.get(), null);
  assert.equal(signedOut.length, 1);
});
