// Photos the pumper takes with a reading: kept on the phone (IndexedDB) with the reading's id, then uploaded to
// the documents service when there is a connection. Each photo has its own document id, chosen here and sent as
// the upload's `id`: a retry after a lost answer gets the stored document back (200), so a photo is filed
// exactly once however often the signal drops. The reading's id is the client-chosen one the outbox sends, so
// the photo is linked to the reading even before the reading itself has reached the office.
//
// Photo: {id, user_id, organization_id, blob, file_name, title, links, state: waiting|rejected, attempts,
// last_error, created_at}. Sent photos are removed. A refusal (413 too large, 415 not a picture) stays with its
// reason until discarded.

import { api, ApiError, newId, session } from "./api.js";
import { paths } from "./paths.js";

const DB_NAME = "wellflow-photos";
const STORE = "photos";
let dbPromise = null;
let running = null;
let started = false;

function openDb() {
  dbPromise ||= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id" });
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

/** The signed-in member's photos still on the phone. */
export async function waitingPhotos() {
  const current = session.get();
  const rows = (await run("readonly", (store) => store.getAll())) || [];
  return rows.filter((p) => current && p.user_id === current.user_id && p.organization_id === current.organization_id);
}

/** Keep a photo of a reading on the phone and try to send it: {file, readingId, wellId, title}. */
export async function queuePhoto({ file, readingId, wellId, title }) {
  const current = session.get();
  if (!current || !file) return null;
  const photo = {
    id: newId(),
    user_id: current.user_id,
    organization_id: current.organization_id,
    blob: file,
    file_name: file.name || "photo.jpg",
    title: title || "Field photo",
    links: [
      { kind: "reading", id: readingId },
      { kind: "well", id: wellId },
    ],
    state: "waiting",
    attempts: 0,
    last_error: null,
    created_at: new Date().toISOString(),
  };
  await run("readwrite", (store) => store.put(photo));
  flushPhotos();
  return photo;
}

async function sendOne(photo) {
  const form = new FormData();
  form.append("id", photo.id);
  form.append("title", photo.title);
  form.append("document_type", "photo");
  form.append("links", JSON.stringify(photo.links));
  form.append("file", photo.blob, photo.file_name);
  try {
    await api("POST", paths.documents.list, { body: form });
    await run("readwrite", (store) => store.delete(photo.id));
  } catch (error) {
    const status = error instanceof ApiError ? error.status : 0;
    const retry = status === 0 || status === 429 || status >= 500 || status === 401 || status === 503;
    const kept = { ...photo, attempts: photo.attempts + 1, last_error: error.message, state: retry ? "waiting" : "rejected" };
    await run("readwrite", (store) => store.put(kept));
    if (retry) throw error; // stop this round: the connection is gone
  }
}

/** Send the waiting photos, one at a time, oldest first; one round at a time. */
export function flushPhotos() {
  running ||= (async () => {
    try {
      const photos = (await waitingPhotos()).filter((p) => p.state === "waiting");
      photos.sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
      for (const photo of photos) await sendOne(photo);
    } catch {
      // offline or the server busy: the next "online" event or visit tries again
    } finally {
      running = null;
    }
  })();
  return running;
}

/** Forget a refused photo. */
export async function discardPhoto(id) {
  await run("readwrite", (store) => store.delete(id));
}

export function startPhotos() {
  if (!started) {
    started = true;
    window.addEventListener("online", () => flushPhotos());
    document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && flushPhotos());
  }
  flushPhotos();
}
