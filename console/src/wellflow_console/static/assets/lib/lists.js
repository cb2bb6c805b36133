// The office's list pages share these: filters kept in the page's URL, previous/next for paged answers,
// select options from a list of codes, and a key-value list of facts.

import { h, values, words } from "./ui.js";

export const PAGE = 50;

export const options = (list, any) => [["", any], ...list.map((v) => (Array.isArray(v) ? v : [v, words(v)]))];
export function kv(pairs) {
  return h("dl.kv", pairs.filter(([, v]) => v !== null && v !== undefined && v !== "").flatMap(([k, v]) => [h("dt", k), h("dd", v)]));
}

/** A filters form whose changes are kept in the page's URL query and redraw the list. */
export function filtersForm(fields, onChange) {
  const form = h("form.filters", { role: "search" }, fields, h("button", { type: "submit" }, "Apply"));
  const apply = (event) => {
    event.preventDefault();
    onChange(values(form));
  };
  form.addEventListener("submit", apply);
  form.addEventListener("change", (event) => event.target.tagName === "SELECT" && apply(event));
  return form;
}

/** Previous/next for lists answering {items, total} or {items, has_more}. */
export function pages({ total, has_more: hasMore, offset, limit, count }, go) {
  const more = total !== undefined ? offset + limit < total : hasMore;
  if (!offset && !more) return null;
  const shown = `${offset + 1}–${offset + count}${total !== undefined ? ` of ${total}` : ""}`;
  return h(
    "nav.pager",
    { "aria-label": "Pages" },
    h("button", { type: "button", disabled: offset === 0, on: { click: () => go(Math.max(0, offset - limit)) } }, "Previous"),
    h("span", shown),
    h("button", { type: "button", disabled: !more, on: { click: () => go(offset + limit) } }, "Next"),
  );
}
