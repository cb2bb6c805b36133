// Just enough of a browser for the console's lib/ modules under node's test runner: localStorage, window and
// document events, navigator.onLine, an in-memory IndexedDB, a BroadcastChannel that records, timers that
// record long delays instead of waiting, and a fake API behind fetch. Installed before the module is imported.

const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

class Storage {
  #items = new Map();
  getItem(key) {
    return this.#items.has(key) ? this.#items.get(key) : null;
  }
  setItem(key, value) {
    this.#items.set(key, String(value));
  }
  removeItem(key) {
    this.#items.delete(key);
  }
  clear() {
    this.#items.clear();
  }
}

/** An IndexedDB of one database holding object stores by name; values are copied in and out, as IndexedDB does. */
class FakeIndexedDB {
  stores = new Map();
  open() {
    const request = {};
    realSetTimeout(() => {
      const fresh = this.stores.size === 0;
      request.result = this.#database();
      if (fresh) request.onupgradeneeded?.();
      request.onsuccess?.();
    }, 0);
    return request;
  }
  #database() {
    const stores = this.stores;
    return {
      createObjectStore(name) {
        stores.set(name, new Map());
        return { createIndex() {} };
      },
      transaction(name) {
        const rows = stores.get(name);
        const tx = {};
        const answer = (result) => ({ result: result === undefined ? undefined : structuredClone(result) });
        tx.objectStore = () => ({
          get: (key) => answer(rows.get(key)),
          getAll: () => answer([...rows.values()]),
          put: (value) => (rows.set(value.id, structuredClone(value)), answer(value.id)),
          delete: (key) => (rows.delete(key), answer(undefined)),
        });
        realSetTimeout(() => tx.oncomplete?.(), 0);
        return tx;
      },
    };
  }
}

class RecordingChannel {
  static posted = [];
  constructor(name) {
    this.name = name;
  }
  postMessage(message) {
    RecordingChannel.posted.push(message);
  }
  addEventListener() {}
}

/**
 * The API behind fetch: `answer(request)` gives {status, body} for each request, or throws for "no connection".
 * Every request is kept in `requests` ({method, url, headers, body}).
 */
export const server = {
  requests: [],
  answer: () => ({ status: 201, body: { ok: true } }),
};

async function fakeFetch(url, init = {}) {
  const request = { method: init.method || "GET", url, headers: { ...(init.headers || {}) }, body: init.body ? JSON.parse(init.body) : undefined };
  server.requests.push(request);
  const { status, body } = await server.answer(request); // may throw: the phone has no connection
  const headers = { "Content-Type": status >= 400 ? "application/problem+json" : "application/json" };
  return new Response(status === 204 ? null : JSON.stringify(body ?? {}), { status, headers });
}

/** Timers: short ones run (the modules' own bookkeeping), long ones (backoff) are only recorded in `delays`. */
export const timers = { delays: [] };

export const idb = new FakeIndexedDB();

export function installBrowser() {
  globalThis.localStorage = new Storage();
  globalThis.window = new EventTarget();
  globalThis.document = Object.assign(new EventTarget(), { visibilityState: "visible" });
  Object.defineProperty(globalThis, "navigator", { value: { onLine: true }, configurable: true, writable: true });
  globalThis.location = { origin: "http://console.test" };
  globalThis.indexedDB = idb;
  globalThis.BroadcastChannel = RecordingChannel;
  globalThis.fetch = fakeFetch;
  globalThis.setTimeout = (fn, ms = 0, ...args) => {
    if (ms >= 1000) {
      timers.delays.push(ms);
      return { recorded: ms };
    }
    return realSetTimeout(fn, ms, ...args);
  };
  globalThis.clearTimeout = (handle) => {
    if (handle && !handle.recorded) realClearTimeout(handle);
  };
  if (typeof globalThis.CustomEvent !== "function") {
    globalThis.CustomEvent = class extends Event {
      constructor(type, { detail } = {}) {
        super(type);
        this.detail = detail;
      }
    };
  }
  return { posted: RecordingChannel.posted };
}

/** A member signed in on this phone (the session api.js keeps). */
export function signIn(userId = "u-lee", organizationId = "org-caprock") {
  localStorage.setItem(
    "wellflow.session",
    JSON.stringify({ access_token: `token-${userId}`, user_id: userId, organization_id: organizationId }),
  );
}

/** Forget every entry, request, answer and recorded timer: each test starts on an empty phone. */
export function reset() {
  for (const rows of idb.stores.values()) rows.clear();
  server.requests.length = 0;
  server.answer = () => ({ status: 201, body: { ok: true } });
  timers.delays.length = 0;
  RecordingChannel.posted.length = 0;
  localStorage.clear();
  navigator.onLine = true;
}

export const offline = () => {
  throw new TypeError("Failed to fetch");
};
