/**
 * Planning a pumper's route (owners and managers): which wells the member visits and in what order. The route page
 * of that member then lists these wells (and their batteries' tanks); with no route planned it lists every well
 * that may still produce. Saving replaces the whole route (`PUT /api/v1/production/routes/{user_id}`).
 */

import { ApiError, del, get, getAll, put } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { badge, busy, confirmAction, flash, h, header, mount, showErrors, words } from "../../lib/ui.js";

const PLANNERS = new Set(["owner", "manager"]);
const ENDED = new Set(["plugged", "permanently_abandoned"]);

export async function routePlanPage(main, params, ctx) {
  const userId = params.userId;
  const [member, wells, leases, planned] = await Promise.all([
    get(paths.members.one(userId)),
    getAll(paths.wells.list, { sort: "name" }, 1000),
    getAll(paths.leases.list, {}, 1000),
    get(paths.route.of(userId)).catch((error) => {
      if (error instanceof ApiError && error.status === 404) return null; // no route planned yet
      throw error;
    }),
  ]);
  const mayPlan = PLANNERS.has(ctx.me.role) && ctx.can("production", "write");
  const byId = new Map(wells.map((w) => [w.id, w]));
  const leaseName = new Map(leases.map((l) => [l.id, l.name]));
  const describe = (w) => h("span.stop", h("strong", w.name), " ", h("span.sub", `${leaseName.get(w.lease_id) || "no lease"} · ${words(w.status)}`));
  // the route in visiting order, then every other well that may still produce (not on the route)
  let stops = (planned?.well_ids || []).filter((id) => byId.has(id));
  const others = () => wells.filter((w) => !stops.includes(w.id) && !ENDED.has(w.status));

  const list = h("ol.plan-stops");
  const rest = h("ul.plan-others");
  const form = h("form.card", { novalidate: true, "aria-label": `Route of ${member.full_name}` });
  const draw = () => {
    mount(
      list,
      stops.map((id, i) => {
        const w = byId.get(id);
        return h(
          "li",
          { dataset: { wellId: id } },
          describe(w),
          mayPlan
            ? h(
                "span.actions",
                h("button", { type: "button", disabled: i === 0, "aria-label": `Move ${w.name} up`, on: { click: () => move(i, -1) } }, "Up"),
                h("button", { type: "button", disabled: i === stops.length - 1, "aria-label": `Move ${w.name} down`, on: { click: () => move(i, 1) } }, "Down"),
                h("button", { type: "button", "aria-label": `Take ${w.name} off the route`, on: { click: () => drop(id) } }, "Remove"),
              )
            : null,
        );
      }),
    );
    if (!stops.length) list.append(h("li.empty", "No wells on this route yet."));
    mount(
      rest,
      others().map((w) =>
        h(
          "li",
          describe(w),
          mayPlan ? h("button", { type: "button", "aria-label": `Add ${w.name} to the route`, on: { click: () => add(w.id) } }, "Add") : null,
        ),
      ),
    );
  };
  const move = (i, by) => {
    [stops[i], stops[i + by]] = [stops[i + by], stops[i]];
    draw();
    list.querySelectorAll("li")[i + by]?.querySelector("button")?.focus();
  };
  const drop = (id) => {
    stops = stops.filter((s) => s !== id);
    draw();
  };
  const add = (id) => {
    stops = [...stops, id];
    draw();
  };

  mount(
    form,
    h("h2", "Stops, in visiting order"),
    list,
    mayPlan ? h("div.actions", h("button.primary", { type: "submit" }, "Save the route")) : null,
    h("h2", "Other wells"),
    rest,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      try {
        if (!stops.length) throw new ApiError(422, { title: "No stops", detail: "Add at least one well, or remove the route." });
        await put(paths.route.of(userId), { well_ids: stops });
        flash(`${member.full_name}'s route saved: ${stops.length} wells.`);
        ctx.navigate(`/team/${userId}/route`);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  draw();

  mount(
    main,
    header(
      `Route of ${member.full_name}`,
      planned && mayPlan
        ? confirmAction({
            label: "Remove the route",
            question: `${member.full_name} will see every well that may still produce.`,
            act: async () => {
              await del(paths.route.of(userId));
              flash("Route removed.");
              ctx.navigate(`/team/${userId}/route`);
            },
          })
        : null,
    ),
    h(
      "p",
      badge(words(member.role), "info"),
      " ",
      planned ? `${stops.length} stops, planned ${new Date(planned.assigned_at).toLocaleDateString()}.` : "No route planned: the member sees every well that may still produce.",
    ),
    mayPlan ? null : h("p.hint", "Only an owner or a manager plans routes."),
    form,
  );
}
