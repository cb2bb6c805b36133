// The pumper's outbox: every reading, tank gauge and run ticket is first kept on the phone (IndexedDB), then
// sent to the API when there is a connection. An entry's id is its Idempotency-Key (and the client-chosen
// reading_id), the same on every try, so a retry after a lost answer gets the first answer back and never
// records twice.
//
// Entry: {id, kind: "reading"|"correction"|"gauge"|"run_ticket", method, path, body, label, created_at, state,
// attempts, last_error, problem, result, sent_at, next_try_at, well_id, tank_id, production_date}. A correction
// is a PATCH of a reading from the version it saw (and `reading_id`, `base`: the values it started from).
// States: waiting -> sending -> sent (2xx) | conflict (409) | rejected (other 4xx) | waiting again (no
// connection, 429, 5xx). Conflicts and rejections stay until the pumper resends or discards them.
//
// After every change the window gets a `wellflow:outbox` event with {pending, conflicts}; other tabs hear
// about it through a BroadcastChannel. One flush at a time, across tabs too (navigator.locks).

import { api, ApiError, newId, session } from "./api.js";

const DB_NAME = "wellflow-outbox";
const STORE = "entries";
const LOCK = "wellflow-outbox-flush";
const KEEP_SENT_MS = 12 * 60 * 60 * 1000; // sent entries mark the route done until the route is fetched again
const MAX_BACKOFF_MS = 5 * 60 * 1000;

let dbPromise = null;
let started = false;
let running = null;
let rerun = false;
let timer = null;
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("wellflow-outbox") : null;

function openDb() {
  dbPromise ||= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, { keyPath: "id" });
      store.createIndex("state", "state");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return dbPromise;
}

async function run(mode, fn) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const result = fn(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/**
 * The signed-in member's entries, oldest first. A phone may be shared: each entry belongs to the member and
 * organization that recorded it, is sent only with their session, and waits on the phone while someone else
 * is signed in.
 */
export async function list() {
  const current = session.get();
  const rows = ((await run("readonly", (store) => store.getAll())) || []).filter(
    (e) => current && e.user_id === current.user_id && e.organization_id === current.organization_id,
  );
  return rows.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
}

/** One entry by id (undefined when gone). */
export async function get(id) {
  return run("readonly", (store) => store.get(id));
}

async function save(entry) {
  await run("readwrite", (store) => store.put(entry));
}

/** Counts for the connection bar: entries still to send, and entries the pumper must resolve. */
export async function counts() {
  const rows = await list();
  return {
    pending: rows.filter((e) => e.state === "waiting" || e.state === "sending").length,
    conflicts: rows.filter((e) => e.state === "conflict" || e.state === "rejected").length,
  };
}

async function changed({ broadcast = true } = {}) {
  const detail = await counts();
  window.dispatchEvent(new CustomEvent("wellflow:outbox", { detail }));
  if (broadcast) channel?.postMessage("changed");
  return detail;
}

/**
 * Keep an entry on the phone: {kind, method, path, body, label, well_id?, tank_id?, production_date?, id?}.
 * The id (a new UUID unless given) is the Idempotency-Key of every try. Starts a flush; resolves with the entry.
 */
export async function enqueue(entry) {
  const current = session.get();
  if (!current) throw new Error("Sign in to record");
  const stored = {
    method: "POST",
    ...entry,
    user_id: current.user_id,
    organization_id: current.organization_id,
    id: entry.id || newId(),
    created_at: entry.created_at || new Date().toISOString(),
    state: "waiting",
    attempts: 0,
    last_error: null,
    problem: null,
    result: null,
    sent_at: null,
    next_try_at: null,
  };
  await save(stored);
  await changed();
  flush();
  return stored;
}

/** Forget an entry (a discarded conflict, a form fixed on the spot). */
export async function remove(id) {
  await run("readwrite", (store) => store.delete(id));
  await changed();
}

/** Send an entry again as it is (same key: a request the API already took answers its first result). */
export async function retry(id) {
  const entry = await get(id);
  if (!entry) return;
  Object.assign(entry, { state: "waiting", attempts: 0, next_try_at: null, last_error: null, problem: null });
  await save(entry);
  await changed();
  return flush();
}

/** Mark an entry settled by another way (a conflict resolved with a correction): kept as sent for a while. */
export async function settle(id, result) {
  const entry = await get(id);
  if (!entry) return;
  Object.assign(entry, { state: "sent", sent_at: new Date().toISOString(), result, problem: null, last_error: null });
  await save(entry);
  await changed();
}

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const same = (a, b) => (a ?? null) === (b ?? null) || (a != null && b != null && NUMERIC.test(String(a)) && Number(a) === Number(b));

/**
 * A correction (PATCH) refused as stale whose reading already holds every value it sends: the first try went
 * through and its answer was lost (a PATCH has no Idempotency-Key; its version is its guard).
 */
export function alreadyApplied(entry, error) {
  const current = error?.status === 409 ? error.problem?.current : null;
  if (entry.method !== "PATCH" || !current || current.version !== (entry.body.version ?? 0) + 1) return false;
  return Object.entries(entry.body)
    .filter(([name]) => !["version", "reason", "confirm"].includes(name))
    .every(([name, value]) => same(value, current[name]));
}

function backoff(attempts) {
  return Math.min(MAX_BACKOFF_MS, 5000 * 2 ** Math.max(0, attempts - 1));
}

async function sendOne(entry) {
  entry.state = "sending";
  await save(entry);
  try {
    const result = await api(entry.method, entry.path, { body: entry.body, idempotencyKey: entry.id });
    Object.assign(entry, { state: "sent", sent_at: new Date().toISOString(), result, last_error: null, problem: null });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    entry.attempts += 1;
    entry.last_error = error.message;
    const retryable = error.offline || error.status === 401 || error.status === 408 || error.status === 429 || error.status >= 500;
    if (retryable) {
      entry.state = "waiting";
      entry.next_try_at = new Date(Date.now() + backoff(entry.attempts)).toISOString();
    } else if (alreadyApplied(entry, error)) {
      // a correction whose answer was lost: the reading already holds its values, so it was sent (once)
      Object.assign(entry, { state: "sent", sent_at: new Date().toISOString(), result: error.problem.current, last_error: null, problem: null });
    } else {
      entry.state = error.status === 409 ? "conflict" : "rejected";
      entry.problem = { status: error.status, ...error.problem };
    }
    await save(entry);
    return !error.offline;
  }
  await save(entry);
  return true;
}

async function flushOnce() {
  const rows = await list();
  const now = Date.now();
  for (const old of rows.filter((e) => e.state === "sent" && now - Date.parse(e.sent_at) > KEEP_SENT_MS)) {
    await run("readwrite", (store) => store.delete(old.id));
  }
  // Under the lock nobody else sends: an entry left "sending" (a tab closed mid-request) goes again, same key.
  const due = rows.filter((e) => e.state === "waiting" || e.state === "sending");
  for (const entry of due) {
    if (!navigator.onLine) break;
    const fresh = await get(entry.id); // discarded or edited since the list was read
    if (!fresh || (fresh.state !== "waiting" && fresh.state !== "sending")) continue;
    const reachable = await sendOne(fresh);
    await changed();
    if (!reachable) break; // no connection: the rest waits too
  }
}

function withLock(fn) {
  if (navigator.locks?.request) return navigator.locks.request(LOCK, fn);
  return fn();
}

async function schedule() {
  clearTimeout(timer);
  if (!navigator.onLine) return; // the "online" event starts the next flush
  const waiting = (await list()).filter((e) => e.state === "waiting");
  if (!waiting.length) return;
  timer = setTimeout(flush, backoff(Math.max(...waiting.map((e) => e.attempts))));
}

/** Send every entry waiting, once: a call during a flush makes it run again and resolves after that run. */
export function flush() {
  if (running) {
    rerun = true;
    return running;
  }
  running = (async () => {
    try {
      do {
        rerun = false;
        await withLock(flushOnce);
      } while (rerun);
    } catch (error) {
      console.error("outbox", error);
    } finally {
      running = null;
      await changed();
      await schedule();
    }
  })();
  return running;
}

/** Start sending: on start, whenever the connection returns, and on a timer while entries wait. */
export function startOutbox() {
  if (started) {
    flush(); // a member signed in again on this page: send what they left waiting
    return;
  }
  started = true;
  window.addEventListener("online", () => flush());
  channel?.addEventListener("message", () => changed({ broadcast: false }));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") flush();
  });
  flush();
}
