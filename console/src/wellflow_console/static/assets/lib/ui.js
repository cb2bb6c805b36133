// Small DOM helpers every page uses: build elements without innerHTML (no injection), forms whose inputs
// carry labels and the right keyboards, the API's field errors shown beside their fields, tables, and
// number/date formatting. Volumes and money stay strings from the API (Decimal on the server); the console
// formats them for reading (lib/format.js) and never does arithmetic on money.

import * as fmt from "./format.js";

/** h("tag.class#id", {attrs, on: {click}}, ...children): an element. Strings become text nodes. */
export function h(spec, attrs = {}, ...children) {
  if (attrs === null || typeof attrs !== "object" || attrs instanceof Node || Array.isArray(attrs)) {
    children.unshift(attrs);
    attrs = {};
  }
  const [, tag = "div", rest = ""] = /^([a-z0-9-]*)(.*)$/i.exec(spec);
  const el = document.createElement(tag || "div");
  for (const part of rest.match(/[.#][^.#]+/g) || []) {
    if (part[0] === ".") el.classList.add(part.slice(1));
    else el.id = part.slice(1);
  }
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "on") for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
    else if (key === "class") el.classList.add(...String(value).split(/\s+/).filter(Boolean));
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key in el && typeof value !== "string" && key !== "list") el[key] = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace an element's content. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// ---------------------------------------------------------------------------------------------- formatting

const numberFormats = new Map();
/** A Decimal string (or number) for reading: grouping, `digits` fraction digits; "" for null. */
export function num(value, digits = 0) {
  if (value === null || value === undefined || value === "") return "";
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  if (!numberFormats.has(digits)) {
    numberFormats.set(digits, new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }));
  }
  return numberFormats.get(digits).format(n);
}

/** Money as the API sends it (a Decimal string): "$1,234.50" (lib/format.js rounds it, half up, exactly). */
export const money = fmt.money;

/** YYYY-MM-DD of a Date in the browser's own time zone (the pumper's day, not UTC's). */
export function isoDate(date = new Date()) {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, "0");
  const d = String(date.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

/** The first day of the month before `date`, as YYYY-MM-01 (the month the office files now). */
export function lastMonth(date = new Date()) {
  return isoDate(new Date(date.getFullYear(), date.getMonth() - 1, 1));
}

/** A moment in the console's one date style ("Dec 7, 2026, 2:05 PM"). */
export const dateTime = fmt.moment;

// ---------------------------------------------------------------------------------------------------- forms

let fieldCounter = 0;

/**
 * A labelled input. `kind`: "decimal" (numeric keyboard with a decimal point), "integer" (digits only),
 * "text", "date", "month", "email", "password", "select" (with `options`: [[value, label]]), "textarea",
 * "checkbox". The input's name is `name`; the API's error for `body.<name>` is shown under it.
 */
export function field(name, label, { kind = "text", value, required, options = [], hint, attrs = {} } = {}) {
  const id = `f-${name.replace(/[^a-z0-9_-]/gi, "-")}-${++fieldCounter}`;
  let input;
  if (kind === "select") {
    input = h("select", { id, name, required }, options.map(([v, text]) => h("option", { value: v }, text)));
    if (value !== undefined && value !== null) input.value = value;
  } else if (kind === "textarea") {
    input = h("textarea", { id, name, required, rows: 3 });
    if (value) input.value = value;
  } else if (kind === "checkbox") {
    input = h("input", { id, name, type: "checkbox", checked: Boolean(value) });
  } else {
    const typed = {
      decimal: { type: "text", inputmode: "decimal", pattern: "-?[0-9]*[.,]?[0-9]*", autocomplete: "off" },
      integer: { type: "text", inputmode: "numeric", pattern: "[0-9]*", autocomplete: "off" },
      date: { type: "date" },
      month: { type: "month" },
      email: { type: "email", autocomplete: "email" },
      password: { type: "password", autocomplete: "current-password" },
      text: { type: "text" },
    }[kind] || { type: kind };
    input = h("input", { id, name, required, ...typed, ...attrs });
    if (value !== undefined && value !== null) input.value = value;
  }
  const error = h("p.field-error", { id: `${id}-error`, hidden: true, "aria-live": "polite" });
  const describedBy = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(" ");
  input.setAttribute("aria-describedby", describedBy);
  const box = h(`div.field.field-${kind}`, { dataset: { field: name } });
  if (kind === "checkbox") box.append(input, h("label", { for: id }, label));
  else box.append(h("label", { for: id }, label, required ? h("span.req", { "aria-hidden": "true" }, " *") : null), input);
  if (hint) box.append(h("p.hint", { id: `${id}-hint` }, hint));
  box.append(error);
  return box;
}

/** The form's values by input name: strings trimmed, "" left out, checkboxes as booleans, decimals with "." */
export function values(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === "checkbox") out[el.name] = el.checked;
    else {
      let v = el.value.trim();
      if (el.inputMode === "decimal") v = v.replace(",", ".");
      if (v !== "") out[el.name] = v;
    }
  }
  return out;
}

/** Clear the errors shown on a form. */
export function clearErrors(form) {
  for (const el of form.querySelectorAll(".field-error")) {
    el.hidden = true;
    el.textContent = "";
  }
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  form.querySelector(".form-error")?.remove();
}

/**
 * Show an ApiError on a form: each `errors[]` item beside the input whose name ends its `field` path
 * (`body.oil_bbl` -> `oil_bbl`, `body.readings[0].oil_bbl` -> `oil_bbl`); the rest (and the detail) in a
 * banner at the top. The first invalid input gets focus.
 */
export function showErrors(form, error, names = {}) {
  clearErrors(form);
  const unplaced = [];
  let first = null;
  for (const item of error.errors || []) {
    const path = String(item.field || "");
    const key = names[path] || path.split(".").pop().replace(/\[\d+\]$/, "");
    const box = form.querySelector(`[data-field="${CSS.escape(key)}"]`);
    if (!box) {
      unplaced.push(item);
      continue;
    }
    const message = box.querySelector(".field-error");
    message.textContent = message.textContent ? `${message.textContent} ${item.message}` : item.message;
    message.hidden = false;
    const input = box.querySelector("input, select, textarea");
    input?.setAttribute("aria-invalid", "true");
    first ||= input;
  }
  const banner = h("div.form-error", { role: "alert" }, h("strong", error.problem?.title || "Not saved"));
  if (error.problem?.detail) banner.append(h("p", error.problem.detail));
  if (unplaced.length) banner.append(h("ul", unplaced.map((e) => h("li", `${e.field}: ${e.message}`))));
  if (!first || unplaced.length || error.offline) form.prepend(banner);
  (first || banner).focus?.();
  return banner;
}

/** A submit button that shows it is busy while `fn` runs and keeps double taps from sending twice. */
export async function busy(button, fn) {
  if (button.disabled) return undefined;
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.textContent = label;
  }
}

// --------------------------------------------------------------------------------------------------- tables

/**
 * A table. `columns`: [{label, value: row => text|Node, num: bool}]. Empty rows show `empty`.
 * On a phone the table scrolls sideways inside its own box.
 */
export function table(columns, rows, { empty = "Nothing here yet.", caption } = {}) {
  if (!rows.length) return h("p.empty", empty);
  return h(
    "div.table-wrap",
    { tabindex: 0, role: "region", "aria-label": caption || "Table" },
    h(
      "table",
      caption ? h("caption", caption) : null,
      h("thead", h("tr", columns.map((c) => h("th", { scope: "col", class: c.num ? "num" : "" }, c.label)))),
      h("tbody", rows.map((row) => h("tr", columns.map((c) => h("td", { class: c.num ? "num" : "" }, c.value(row)))))),
    ),
  );
}

/** Offset pagination under a table: calls `go(offset)`. */
export function pager({ total, limit, offset }, go) {
  if (total <= limit) return null;
  const last = Math.floor((total - 1) / limit) * limit;
  return h(
    "nav.pager",
    { "aria-label": "Pages" },
    h("button", { type: "button", disabled: offset === 0, on: { click: () => go(Math.max(0, offset - limit)) } }, "Previous"),
    h("span", `${offset + 1}–${Math.min(total, offset + limit)} of ${total}`),
    h("button", { type: "button", disabled: offset >= last, on: { click: () => go(offset + limit) } }, "Next"),
  );
}

/** A status badge: `kind` picks the colour (ok, warn, bad, info, muted). */
export function badge(text, kind = "info") {
  return h(`span.badge.badge-${kind}`, text);
}

/** A short message at the top of the view, read out by screen readers. */
export function flash(text, kind = "ok") {
  const region = document.getElementById("flash") || document.body.appendChild(h("div#flash", { role: "status", "aria-live": "polite" }));
  const note = h(`div.flash.flash-${kind}`, text);
  region.append(note);
  setTimeout(() => note.remove(), 5000);
}

/** The view's heading block. */
export function header(title, ...actions) {
  return h("div.page-head", h("h1", title), actions.length ? h("div.actions", actions) : null);
}

/** What a page shows when its data could not be loaded. */
export function failure(error) {
  if (error?.status === 403) return notAllowed();
  return h(
    "div.form-error",
    { role: "alert" },
    h("strong", error?.offline ? "No connection" : error?.problem?.title || "Something went wrong"),
    h("p", error?.offline ? "This page needs a connection. Your recorded readings are kept and sent later." : error?.message || ""),
  );
}

export function notAllowed() {
  return h(
    "section.not-allowed",
    { role: "alert" },
    h("h1", "Not allowed"),
    h("p", "Your role in this organization does not give you this page. Ask the owner if you need it."),
    h("p", h("a", { href: "#/" }, "Back to your start page")),
  );
}

/** Load a page area's own stylesheet once (pages/<area>.css), so the phone's first page stays small. */
export function useStyle(href) {
  if (document.querySelector(`link[href="${href}"]`)) return;
  document.head.append(h("link", { rel: "stylesheet", href }));
}

/** An API code for reading: "shut_in" -> "shut in". */
export const words = (value) => fmt.words(value);

/** "2026-10" or "2026-10-01" -> "October 2026" (`month: "short"` -> "Oct 2026"); anything else as given. */
export function monthLabel(value, month = "long") {
  return fmt.month(value, { long: month !== "short" });
}

/**
 * A button that asks before it acts: the button opens a question with "yes" and "Cancel" in place (no browser
 * dialog); "yes" runs `act` (busy while it runs) and shows its failure in the question.
 */
export function confirmAction({ label, question, yes = `Yes, ${label.toLowerCase()}`, primary = false, act }) {
  const opener = h(primary ? "button.primary" : "button", { type: "button" }, primary ? `${label}…` : label);
  const accept = h("button.danger", { type: "button" }, yes);
  const cancel = h("button", { type: "button" }, "Cancel");
  const box = h("div.confirm", { hidden: true, role: "group", "aria-label": label }, h("p", question), h("div.actions", accept, cancel));
  opener.addEventListener("click", () => {
    opener.hidden = true;
    box.hidden = false;
    accept.focus();
  });
  cancel.addEventListener("click", () => {
    opener.hidden = false;
    box.hidden = true;
    opener.focus();
  });
  accept.addEventListener("click", () =>
    busy(accept, async () => {
      try {
        await act();
      } catch (error) {
        box.querySelector(".form-error")?.remove();
        box.prepend(failure(error));
      }
    }),
  );
  return h("div.confirm-step", opener, box);
}
