// The offline outbox's state machine (lib/outbox.js), under node's test runner with a fake browser and API:
// waiting -> sending -> sent (2xx) | conflict (409) | rejected (other 4xx) | waiting again (no connection, 401,
// 408, 429, 5xx, with a growing backoff); the same Idempotency-Key on every try; one member's entries never sent
// with another's session; nothing dropped but sent entries older than 12 hours.
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";

import { idb, installBrowser, offline, reset, server, signIn, timers } from "./browser.js";

const { posted } = installBrowser();
const outbox = await import("../src/wellflow_console/static/assets/lib/outbox.js");

const READINGS = "/api/v1/readings";
const reading = (wellId = "well-1", extra = {}) => ({
  kind: "reading",
  path: READINGS,
  body: { well_id: wellId, production_date: "2026-12-06", oil_bbl: "12.5" },
  label: `Reading of ${wellId}`,
  well_id: wellId,
  ...extra,
});
/** Keep entries on the phone without the flush enqueue starts (recorded in a dead zone); then back online. */
async function keep(...entries) {
  navigator.onLine = false;
  const kept = [];
  for (const entry of entries) kept.push(await outbox.enqueue(entry));
  await outbox.flush();
  navigator.onLine = true;
  return kept;
}
const states = async () => (await outbox.list()).map((e) => e.state);
const sentTo = (path) => server.requests.filter((r) => r.url === path);

beforeEach(() => {
  reset();
  signIn();
});

test("an entry is kept, then sent once with its id as the Idempotency-Key and the member's token", async () => {
  const heard = [];
  window.addEventListener("wellflow:outbox", (event) => heard.push(event.detail));
  const entry = await outbox.enqueue(reading());
  assert.equal(entry.state, "waiting");
  await outbox.flush();
  const [request] = sentTo(READINGS);
  assert.equal(sentTo(READINGS).length, 1);
  assert.equal(request.method, "POST");
  assert.equal(request.headers["Idempotency-Key"], entry.id);
  assert.equal(request.headers.Authorization, "Bearer token-u-lee");
  assert.deepEqual(request.body, entry.body);
  const [stored] = await outbox.list();
  assert.equal(stored.state, "sent");
  assert.deepEqual(stored.result, { ok: true });
  assert.ok(stored.sent_at);
  assert.deepEqual(await outbox.counts(), { pending: 0, conflicts: 0 });
  assert.deepEqual(heard.at(-1), { pending: 0, conflicts: 0 });
  assert.ok(heard.some((c) => c.pending === 1), "the connection bar heard of the waiting entry");
  assert.ok(posted.includes("changed"), "other tabs hear of every change");
});

test("with no connection entries wait, the rest is not tried, and each is sent once with the same key when it returns", async () => {
  const [first, second] = await keep(reading("well-1"), reading("well-2"));
  server.answer = offline;
  await outbox.flush();
  assert.deepEqual(await states(), ["waiting", "waiting"]);
  const waited = await outbox.get(first.id);
  assert.equal(waited.attempts, 1);
  assert.equal(waited.last_error, "WellFlow could not be reached.");
  assert.ok(Date.parse(waited.next_try_at) > Date.now(), "the next try is later");
  assert.equal((await outbox.get(second.id)).attempts, 0, "not tried: the connection is gone for it too");
  assert.equal(server.requests.length, 1);
  assert.ok(timers.delays.length > 0, "a backoff timer waits to try again");

  server.answer = () => ({ status: 201, body: { ok: true } });
  server.requests.length = 0;
  await outbox.flush();
  assert.deepEqual(await states(), ["sent", "sent"]);
  assert.deepEqual(
    server.requests.map((r) => r.headers["Idempotency-Key"]),
    [first.id, second.id],
    "each entry once, oldest first, with the key of its first try",
  );
});

test("nothing is sent while the phone says it is offline", async () => {
  navigator.onLine = false;
  await outbox.enqueue(reading());
  await outbox.flush();
  assert.equal(server.requests.length, 0);
  assert.deepEqual(await states(), ["waiting"]);
  assert.deepEqual(timers.delays, [], "the online event, not a timer, starts the next flush");
  assert.deepEqual(await outbox.counts(), { pending: 1, conflicts: 0 });
});

for (const status of [408, 429, 500, 502, 503]) {
  test(`an answer ${status} leaves the entry waiting with a growing backoff, and the next entry is still tried`, async () => {
    server.answer = (request) =>
      request.body.well_id === "well-1" ? { status, body: { title: "Try later" } } : { status: 201, body: {} };
    const [failing] = await keep(reading("well-1"), reading("well-2"));
    await outbox.flush();
    assert.deepEqual(await states(), ["waiting", "sent"]);
    const entry = await outbox.get(failing.id);
    assert.equal(entry.attempts, 1);
    assert.equal(entry.problem, null, "a retryable answer is not shown as a problem");
    const firstDelay = Date.parse(entry.next_try_at) - Date.now();
    assert.ok(firstDelay > 3000 && firstDelay <= 5000, `first backoff about 5 s, got ${firstDelay}`);
    assert.equal(timers.delays.at(-1), 5000);

    await outbox.flush();
    await outbox.flush();
    const again = await outbox.get(failing.id);
    assert.equal(again.attempts, 3);
    assert.equal(again.state, "waiting");
    assert.equal(timers.delays.at(-1), 20_000, "5 s, 10 s, 20 s: doubled on each failure");
  });
}

test("the backoff stops growing at five minutes", async () => {
  const [entry] = await keep(reading());
  server.answer = () => ({ status: 503, body: {} });
  for (let i = 0; i < 10; i++) await outbox.flush();
  assert.equal((await outbox.get(entry.id)).attempts, 10);
  assert.equal(timers.delays.at(-1), 5 * 60 * 1000);
});

test("a 401 keeps the entry waiting for the member's next session (the session is over)", async () => {
  let signedOut = false;
  window.addEventListener("wellflow:signed-out", () => (signedOut = true), { once: true });
  server.answer = () => ({ status: 401, body: { title: "Unauthorized" } });
  const entry = await outbox.enqueue(reading());
  await outbox.flush();
  assert.ok(signedOut);
  signIn(); // the same member signs in again
  const kept = await outbox.get(entry.id);
  assert.equal(kept.state, "waiting");
  server.answer = () => ({ status: 201, body: {} });
  await outbox.flush();
  assert.deepEqual(await states(), ["sent"]);
  assert.equal(server.requests.at(-1).headers["Idempotency-Key"], entry.id);
});

test("a 409 is a conflict: kept with its problem, not resent by a flush, resent as it is by retry", async () => {
  server.answer = () => ({ status: 409, body: { title: "Conflict", type: "https://wellflow.dev/problems/duplicate-reading", detail: "A reading exists" } });
  const entry = await outbox.enqueue(reading());
  await outbox.flush();
  const conflict = await outbox.get(entry.id);
  assert.equal(conflict.state, "conflict");
  assert.equal(conflict.problem.status, 409);
  assert.equal(conflict.problem.type, "https://wellflow.dev/problems/duplicate-reading");
  assert.equal(conflict.last_error, "A reading exists");
  assert.deepEqual(await outbox.counts(), { pending: 0, conflicts: 1 });

  const tries = server.requests.length;
  await outbox.flush();
  assert.equal(server.requests.length, tries, "a conflict waits for the pumper, not for the network");

  server.answer = () => ({ status: 200, body: { replayed: true } });
  await outbox.retry(entry.id);
  const resent = await outbox.get(entry.id);
  assert.equal(resent.state, "sent");
  assert.equal(server.requests.at(-1).headers["Idempotency-Key"], entry.id);
  assert.deepEqual(resent.result, { replayed: true });
});

for (const status of [400, 403, 404, 422]) {
  test(`an answer ${status} is a refusal: rejected with the problem's field errors, and the queue goes on`, async () => {
    server.answer = (request) =>
      request.body.well_id === "bad"
        ? { status, body: { title: "Unprocessable", errors: [{ field: "body.oil_bbl", message: "too large" }] } }
        : { status: 201, body: {} };
    const refused = await outbox.enqueue(reading("bad"));
    await outbox.enqueue(reading("good"));
    await outbox.flush();
    assert.deepEqual(await states(), ["rejected", "sent"]);
    const entry = await outbox.get(refused.id);
    assert.equal(entry.problem.status, status);
    assert.deepEqual(entry.problem.errors, [{ field: "body.oil_bbl", message: "too large" }]);
    assert.deepEqual(await outbox.counts(), { pending: 0, conflicts: 1 });
    const tries = server.requests.length;
    await outbox.flush();
    assert.equal(server.requests.length, tries, "a refusal is not sent again on its own");
  });
}

test("a resolved conflict is settled as sent, a discarded one is gone", async () => {
  server.answer = () => ({ status: 409, body: { title: "Conflict" } });
  const kept = await outbox.enqueue(reading("well-1"));
  const dropped = await outbox.enqueue(reading("well-2"));
  await outbox.flush();
  assert.deepEqual(await states(), ["conflict", "conflict"]);
  await outbox.settle(kept.id, { id: "reading-9", version: 2 });
  await outbox.remove(dropped.id);
  const [settled, ...rest] = await outbox.list();
  assert.deepEqual(rest, []);
  assert.equal(settled.state, "sent");
  assert.deepEqual(settled.result, { id: "reading-9", version: 2 });
  assert.equal(settled.problem, null);
  assert.deepEqual(await outbox.counts(), { pending: 0, conflicts: 0 });
});

test("a shared phone: an entry is sent only with the session of the member and organization that recorded it", async () => {
  signIn("u-lee", "org-caprock");
  const lees = await outbox.enqueue(reading("well-1"));
  navigator.onLine = false; // recorded in a dead zone
  await outbox.flush();
  signIn("u-sam", "org-caprock"); // someone else signs in on the same phone
  navigator.onLine = true;
  assert.deepEqual(await outbox.list(), [], "Sam sees none of Lee's entries");
  await outbox.flush();
  assert.equal(server.requests.length, 0, "nothing of Lee's is sent with Sam's token");
  signIn("u-lee", "org-other"); // Lee in another company
  await outbox.flush();
  assert.equal(server.requests.length, 0);
  signIn("u-lee", "org-caprock");
  await outbox.flush();
  assert.equal(server.requests.length, 1);
  assert.equal(server.requests[0].headers.Authorization, "Bearer token-u-lee");
  assert.equal((await outbox.get(lees.id)).state, "sent");
});

test("recording needs a session", async () => {
  localStorage.clear();
  await assert.rejects(outbox.enqueue(reading()), /Sign in to record/);
});

test("an entry left sending (a tab closed mid-request) is sent again with the same key", async () => {
  const entry = await outbox.enqueue({ ...reading(), id: "0b6f3c1e-0000-4000-8000-000000000001" });
  navigator.onLine = false;
  await outbox.flush();
  const [rows] = idb.stores.values();
  rows.set(entry.id, { ...rows.get(entry.id), state: "sending" });
  navigator.onLine = true;
  await outbox.flush();
  assert.deepEqual(await states(), ["sent"]);
  assert.deepEqual(server.requests.map((r) => r.headers["Idempotency-Key"]), [entry.id]);
});

test("sent entries are kept 12 hours to mark the route, then forgotten; nothing else is dropped", async () => {
  const [old, recent, conflict] = await keep(reading("well-1"), reading("well-2"), reading("well-3"));
  server.answer = (request) => (request.body.well_id === "well-3" ? { status: 409, body: {} } : { status: 201, body: {} });
  await outbox.flush();
  const [rows] = idb.stores.values();
  const hoursAgo = (h) => new Date(Date.now() - h * 3600_000).toISOString();
  rows.set(old.id, { ...rows.get(old.id), sent_at: hoursAgo(13) });
  rows.set(recent.id, { ...rows.get(recent.id), sent_at: hoursAgo(11) });
  rows.set(conflict.id, { ...rows.get(conflict.id), created_at: hoursAgo(48) });
  await outbox.flush();
  const left = await outbox.list();
  assert.deepEqual(left.map((e) => e.id).sort(), [recent.id, conflict.id].sort());
  assert.equal((await outbox.get(conflict.id)).state, "conflict", "a conflict stays however old");
});

test("two flushes at once send each entry once, and a flush asked during one runs again for the newcomer", async () => {
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  server.answer = async (request) => {
    if (request.body.well_id === "well-1") await gate;
    return { status: 201, body: {} };
  };
  const first = await outbox.enqueue(reading("well-1")); // starts a flush that waits at the gate
  const both = Promise.all([outbox.flush(), outbox.flush()]);
  const late = await outbox.enqueue(reading("well-2")); // asks for a flush while one runs
  release();
  await both;
  await outbox.flush();
  assert.deepEqual(await states(), ["sent", "sent"]);
  const keys = server.requests.map((r) => r.headers["Idempotency-Key"]);
  assert.deepEqual(keys.sort(), [first.id, late.id].sort(), `each entry sent exactly once, got ${keys}`);
});

test("a correction refused as stale whose reading already holds its values was sent once (its answer was lost)", () => {
  const entry = { method: "PATCH", body: { oil_bbl: "2.5", version: 2, reason: "typo" } };
  const stale = (current) => ({ status: 409, problem: { current } });
  assert.equal(outbox.alreadyApplied(entry, stale({ version: 3, oil_bbl: "2.500" })), true);
  assert.equal(outbox.alreadyApplied(entry, stale({ version: 3, oil_bbl: "12.500" })), false); // another change
  assert.equal(outbox.alreadyApplied(entry, stale({ version: 4, oil_bbl: "2.500" })), false); // corrected again since
  assert.equal(outbox.alreadyApplied({ ...entry, method: "POST" }, stale({ version: 3, oil_bbl: "2.5" })), false);
});
