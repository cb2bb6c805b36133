// #/lease-month?lease=<id>&month=YYYY-MM[&show=oil_bbl]: one lease's month of readings at a glance, every well
// by every day; a cell opens that day's reading to correct it with a reason (or to enter a missing day).

import { get } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, header, failure, useStyle, field, monthLabel, isoDate } from "../../lib/ui.js";
import { readingEditor } from "./reading-editor.js";
import { volume, wellName } from "../../lib/format.js";

const SHOWN = [
  ["oil_bbl", "Oil (bbl)"],
  ["gas_mcf", "Gas (mcf)"],
  ["water_bbl", "Water (bbl)"],
  ["hours_on", "Hours on"],
];

function monthDays(month) {
  const [y, m] = month.split("-").map(Number);
  const count = new Date(y, m, 0).getDate();
  return Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, "0")}`);
}

function shift(month, by) {
  const [y, m] = month.split("-").map(Number);
  return isoDate(new Date(y, m - 1 + by, 1)).slice(0, 7);
}

/** Every reading of the lease in the month (the list pages by cursor). */
async function monthReadings(leaseId, first, last) {
  const items = [];
  let cursor = null;
  do {
    const page = await get(paths.readings.list, { lease_id: leaseId, from: first, to: last, limit: 500, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

export async function leaseMonthPage(main, params, ctx) {
  useStyle("/assets/styles/readings.css");
  const month = /^\d{4}-\d{2}$/.test(ctx.query.get("month") || "") ? ctx.query.get("month") : isoDate().slice(0, 7);
  const shown = SHOWN.find(([k]) => k === ctx.query.get("show"))?.[0] || "oil_bbl";
  let leases;
  try {
    leases = (await get(paths.leases.list, { limit: 200, sort: "name" })).items;
  } catch (error) {
    mount(main, header("Readings by lease and month"), failure(error));
    return;
  }
  const leaseId = ctx.query.get("lease") || leases[0]?.id;
  const go = (changes) => ctx.navigate("/lease-month", { lease: leaseId, month, show: shown, ...changes });
  const chooser = h(
    "form.filters",
    field("lease", "Lease", { kind: "select", options: leases.map((l) => [l.id, l.name]), value: leaseId }),
    field("show", "Show", { kind: "select", options: SHOWN, value: shown }),
    h("div.actions", h("button", { type: "button", on: { click: () => go({ month: shift(month, -1) }) } }, "Previous month"), h("button", { type: "button", on: { click: () => go({ month: shift(month, 1) }) } }, "Next month")),
  );
  chooser.addEventListener("change", (event) => go({ [event.target.name]: event.target.value }));
  const gridBox = h("div.grid-box", { "aria-busy": "true" }, h("p.loading", "Loading readings…"));
  const editorBox = h("div.editor-box");
  mount(main, header(`Readings · ${monthLabel(month)}`), chooser, editorBox, gridBox);
  if (!leaseId) return mount(gridBox, h("p.empty", "No leases yet."));

  const days = monthDays(month);
  const load = async (focus) => {
    const [wells, readings] = await Promise.all([get(paths.wells.list, { lease_id: leaseId, limit: 200 }), monthReadings(leaseId, days[0], days.at(-1))]);
    const byCell = new Map(readings.map((r) => [`${r.well_id}|${r.production_date}`, r]));
    const open = async (well, day) => {
      const reading = byCell.get(`${well.id}|${day}`) || null;
      const target = { well_id: well.id, name: wellName(well.name, well.number), status: well.status };
      const editor = await readingEditor({
        well: target,
        day,
        reading,
        done: async () => {
          mount(editorBox);
          await load(`${well.id}|${day}`);
        },
        cancel: () => {
          mount(editorBox);
          gridBox.querySelector(`[data-cell="${CSS.escape(`${well.id}|${day}`)}"]`)?.focus();
        },
      });
      mount(editorBox, editor);
      editor.scrollIntoView?.({ block: "start" });
      editor.querySelector("input, select")?.focus();
    };
    const today = isoDate();
    mount(
      gridBox,
      h(
        "div.table-wrap.month-grid",
        { tabindex: 0, role: "region", "aria-label": "Readings by well and day" },
        h(
          "table",
          h("caption", `${SHOWN.find(([k]) => k === shown)[1]} by well and day; a cell opens its reading`),
          h("thead", h("tr", h("th", { scope: "col" }, "Well"), days.map((d) => h("th.num", { scope: "col" }, String(Number(d.slice(8))))))),
          h(
            "tbody",
            wells.items.map((well) =>
              h(
                "tr",
                h("th", { scope: "row" }, h("a", { href: `#/wells/${well.id}` }, wellName(well.name, well.number))),
                days.map((day) => {
                  const reading = byCell.get(`${well.id}|${day}`);
                  const future = day > today;
                  const text = reading ? volume(reading[shown]) : "–";
                  return h(
                    "td.num",
                    future
                      ? ""
                      : h(
                          `button.cell${reading ? "" : ".missing"}${reading && reading.version > 1 ? ".corrected" : ""}`,
                          {
                            type: "button",
                            dataset: { cell: `${well.id}|${day}` },
                            "aria-label": `${wellName(well.name, well.number)}, ${day}: ${reading ? `${text}, ${reading.version > 1 ? "corrected, " : ""}open to correct` : "no reading, open to enter one"}`,
                            on: { click: () => open(well, day) },
                          },
                          text,
                        ),
                  );
                }),
              ),
            ),
          ),
        ),
      ),
      h("p.hint", "A dash is a day with no reading; a marked cell was corrected. Corrections keep who, when and why in the reading's history."),
    );
    gridBox.removeAttribute("aria-busy");
    if (focus) gridBox.querySelector(`[data-cell="${CSS.escape(focus)}"]`)?.focus();
  };
  try {
    await load();
  } catch (error) {
    mount(gridBox, failure(error));
  }
}
