// #/route: today's route on the phone: wells by lease, the batteries' tanks, what is done, what waits
// on the phone to send. Drawn from the kept route at once (it opens offline), then from the API's answer.

import { h, mount, badge, header, failure, num, isoDate, dateTime, useStyle, words } from "../../lib/ui.js";
import { list } from "../../lib/outbox.js";
import { STYLE, cachedRoute, startOfDay, loadRoute, redrawOnOutbox, entriesFor, outboxMark } from "./field.js";

export async function routePage(main, params, ctx) {
  useStyle(STYLE);
  const view = h("section.pumper");
  let kept = cachedRoute(ctx.me);
  const draw = async () => drawRoute(view, kept, await list());
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

function drawRoute(view, kept, entries) {
  const route = kept.route;
  const wellRows = route.wells.map((well) => {
    const mark = outboxMark(entriesFor(entries, "well_id", well.well_id, route.date)[0]);
    const [state, text, kind] = mark && !(well.done && mark[0] === "done") ? mark : well.done ? ["done", "Done", "ok"] : ["todo", "To do", "muted"];
    return { well, state, text, kind };
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
          rows.map(({ well, state, text, kind }) =>
            h(
              `li.route-item.${state}`,
              { dataset: { wellId: well.well_id } },
              h(
                "a",
                { href: `#/record/${well.well_id}` },
                h("span", h("span.name", well.name), h("span.sub", `API ${well.api_number || ""}${well.status && well.status !== "producing" ? ` · ${words(well.status)}` : ""}`)),
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
}
