// #/route: today's route on the phone: wells by lease, the batteries' tanks, what is done, what waits
// on the phone to send. Drawn from the kept route at once (it opens offline), then from the API's answer.
// The route keeps its place: after a save (and after a reload) it shows and focuses the next unfinished stop
// after the one last saved. With no connection it says so, and it asks the API again as soon as the
// connection returns (the "online" event, an entry the outbox managed to send, or a probe every few seconds
// while the phone believes it is online but the API could not be reached), so the note clears by itself.

import { h, mount, badge, header, failure, num, isoDate, dateTime, useStyle, words } from "../../lib/ui.js";
import { list } from "../../lib/outbox.js";
import { apiNumber, wellName } from "../../lib/format.js";
import { STYLE, cachedRoute, startOfDay, loadRoute, redrawOnOutbox, entriesFor, outboxMark, lastStop } from "./field.js";

const PROBE_MS = 3000; // how often a route drawn from the phone's copy asks the API again

export async function routePage(main, params, ctx) {
  useStyle(STYLE);
  const view = h("section.pumper");
  let kept = cachedRoute(ctx.me);
  let placed = false;
  const draw = async () => {
    const entries = await list();
    const focused = document.activeElement?.closest?.("li.route-item");
    const anchor = focused && view.contains(focused) ? { stop: stopOf(focused), top: focused.getBoundingClientRect().top } : null;
    const target = drawRoute(view, kept, entries);
    // the first drawing goes to the next stop; later ones (the API's answer, the outbox) keep the stop that has
    // the focus where it was on the screen
    if (!placed && target) setTimeout(() => goTo(view, target), 0);
    else if (anchor) keepPlace(view, anchor);
    placed = true;
  };
  const refresh = async () => {
    if (!view.isConnected || !kept?.offline) return;
    try {
      const fresh = await loadRoute(ctx.me);
      if (!fresh.offline) {
        kept = fresh;
        await draw();
      }
    } catch (error) {
      console.warn("route not refreshed", error);
    }
  };
  watchConnection(view, refresh, () => kept?.offline);
  if (kept) {
    // A route is on the phone already (the pumper comes back to it after every well, and starts each morning
    // from yesterday's stops): show it at once, marked as updating, and redraw when the API answers (a slow
    // connection costs seconds a request). Yesterday's route starts the new day with nothing done.
    kept = { ...(kept.route.date === isoDate() ? kept : startOfDay(kept)), updating: true };
    await draw();
    mount(main, view);
    redrawOnOutbox(view, draw);
    try {
      const fresh = await loadRoute(ctx.me);
      // no connection: keep what is drawn (the day's stops), now marked as the phone's copy
      kept = fresh.offline ? { ...kept, updating: false, offline: true } : fresh;
    } catch (error) {
      kept = { ...kept, updating: false };
      console.warn("route not refreshed", error);
    }
    await draw();
    return;
  }
  try {
    kept = await loadRoute(ctx.me);
  } catch (error) {
    mount(main, header("Today's route"), failure(error));
    return;
  }
  await draw();
  mount(main, view);
  redrawOnOutbox(view, draw);
}

/** Ask the API again when the connection returns, while the route drawn is the phone's copy. */
function watchConnection(view, refresh, offline) {
  const online = () => refresh();
  const outbox = (event) => {
    if (event.detail && !event.detail.pending) refresh(); // something went out, or nothing waits: try now
  };
  window.addEventListener("online", online);
  window.addEventListener("wellflow:outbox", outbox);
  const timer = setInterval(() => {
    if (!view.isConnected) {
      clearInterval(timer);
      window.removeEventListener("online", online);
      window.removeEventListener("wellflow:outbox", outbox);
    } else if (offline() && navigator.onLine) refresh();
  }, PROBE_MS);
}

const stopOf = (li) => (li.dataset.wellId ? `li.route-item[data-well-id="${li.dataset.wellId}"]` : `li.route-item[data-tank-id="${li.dataset.tankId}"]`);

/** Show the stop and put the focus on it (a screen reader and a gloved thumb both start there). */
function goTo(view, stop) {
  const item = view.querySelector(stop);
  if (!item) return;
  item.querySelector("a")?.focus({ preventScroll: true });
  item.scrollIntoView({ block: "center" });
}

/** After a redraw, the stop that had the focus has it again, at the same height on the screen. */
function keepPlace(view, anchor) {
  const item = view.querySelector(anchor.stop);
  if (!item) return;
  item.querySelector("a")?.focus({ preventScroll: true });
  window.scrollBy(0, item.getBoundingClientRect().top - anchor.top);
}

/** A well recorded at 0 hours on is down for the day, not "done". */
function isDown(well, entry) {
  if (entry && entry.state !== "conflict" && entry.state !== "rejected") return Number(entry.body?.hours_on) === 0;
  return well.done && well.hours_on !== null && well.hours_on !== undefined && Number(well.hours_on) === 0;
}

/** The first stop to do after the one last saved (in the route's order, from the top again), as a selector. */
function nextStop(view) {
  const place = lastStop();
  const items = [...view.querySelectorAll("li.route-item")];
  const at = place ? items.findIndex((li) => (place.kind === "well" ? li.dataset.wellId : li.dataset.tankId) === place.id) : -1;
  if (at < 0 && !place) return null; // a new day (or nothing saved yet): the route starts at the top
  const next = [...items.slice(at + 1), ...items.slice(0, at + 1)].find((li) => li.classList.contains("todo"));
  return next ? stopOf(next) : null;
}

function drawRoute(view, kept, entries) {
  const route = kept.route;
  const wellRows = route.wells.map((well) => {
    const entry = entriesFor(entries, "well_id", well.well_id, route.date)[0];
    const mark = outboxMark(entry);
    let [state, text, kind] = mark && !(well.done && mark[0] === "done") ? mark : well.done ? ["done", "Done", "ok"] : ["todo", "To do", "muted"];
    const down = state === "done" && isDown(well, mark && !(well.done && mark[0] === "done") ? entry : null);
    if (down) [text, kind] = ["Down", "warn"];
    return { well, state, text, kind, down };
  });
  const tankRows = route.tanks.map((tank) => {
    const mark = outboxMark(entriesFor(entries, "tank_id", tank.tank_id, route.date)[0]);
    const [state, text, kind] = mark && !(tank.gauged && mark[0] === "done") ? mark : tank.gauged ? ["done", "Gauged", "ok"] : ["todo", "Not gauged", "muted"];
    return { tank, state, text, kind };
  });
  const all = [...wellRows, ...tankRows];
  const done = all.filter((r) => r.state === "done").length;
  const waiting = all.filter((r) => r.text === "Waiting to send").length;

  const leases = new Map();
  for (const row of wellRows) {
    const name = row.well.lease_name || "No lease";
    if (!leases.has(name)) leases.set(name, []);
    leases.get(name).push(row);
  }
  const batteries = new Map();
  for (const row of tankRows) {
    const name = row.tank.battery_name || "Battery";
    if (!batteries.has(name)) batteries.set(name, []);
    batteries.get(name).push(row);
  }

  mount(
    view,
    header(
      route.date === isoDate() ? "Today's route" : `Route of ${route.date}`,
      h("a.button", { href: "#/run-ticket" }, "Record a run ticket"),
      h("a.button", { href: "#/outbox" }, "Outbox"),
    ),
    h(
      "p.progress",
      { role: "status" },
      h("strong", `${done} of ${all.length} done`),
      waiting ? ` · ${waiting} waiting to send` : "",
      h("progress", { max: all.length || 1, value: done, "aria-label": "Stops done" }),
    ),
    kept.updating ? h("p.note.updating-note", { role: "status" }, `Updating… (kept on this phone since ${dateTime(kept.fetched_at)})`) : null,
    kept.offline
      ? h("p.note.offline-note", `No connection: this is the route kept on this phone, fetched ${dateTime(kept.fetched_at)}.`)
      : null,
    route.date !== isoDate() ? h("p.note", `This route is for ${route.date}, not today.`) : null,
    wellRows.length ? null : h("p.empty", "No wells on your route today. Ask your manager to assign your route."),
    [...leases].map(([lease, rows]) =>
      h(
        "section.route-group",
        h("h2", lease),
        h(
          "ul.route-list",
          rows.map(({ well, state, text, kind, down }) =>
            h(
              `li.route-item.${state}${down ? ".down" : ""}`,
              { dataset: { wellId: well.well_id } },
              h(
                "a",
                { href: `#/record/${well.well_id}` },
                h("span", h("span.name", wellName(well.name)), h("span.sub", `API ${apiNumber(well.api_number)}${well.status && well.status !== "producing" ? ` · ${words(well.status)}` : ""}`)),
                badge(text, kind),
              ),
            ),
          ),
        ),
      ),
    ),
    tankRows.length
      ? h(
          "section.route-group",
          h("h2", "Tanks"),
          [...batteries].map(([battery, rows]) => [
            h("h3", battery),
            h(
              "ul.route-list",
              rows.map(({ tank, state, text, kind }) =>
                h(
                  `li.route-item.${state}`,
                  { dataset: { tankId: tank.tank_id } },
                  h(
                    "a",
                    { href: `#/gauge/${tank.tank_id}` },
                    h("span", h("span.name", `Tank ${tank.name || tank.number}`), h("span.sub", [tank.product, tank.capacity_bbl ? `${num(tank.capacity_bbl)} bbl` : ""].filter(Boolean).join(" · "))),
                    badge(text, kind),
                  ),
                ),
              ),
            ),
          ]),
        )
      : null,
  );
  const next = nextStop(view);
  if (next) {
    const item = view.querySelector(next);
    item.classList.add("next");
    item.querySelector("a").setAttribute("aria-current", "step");
    item.querySelector(".badge").textContent = "Next stop";
  }
  return next;
}
