// How the console writes figures for people, in one place. The API sends volumes, money and fractions as
// Decimal strings; these functions round them as text (half up, exactly: never through a binary float), so a
// shown figure is the API's figure rounded, and the console does no arithmetic on money.
//
//   volume("1234.567")        "1,235"        summaries: whole from 100 up, one decimal below
//   volumeDetail("1234.5")    "1,234.500"    detail pages and exports: three decimals
//   money("-13197.405")       "-$13,197.41"  dollars and cents
//   percent("0.18750000")     "18.75%"       a decimal fraction (interests, tax rates) as a percentage
//   day("2026-12-07")         "Dec 7, 2026"  the one date style; month("2026-12-01") "Dec 2026"
//   apiNumber("42227312340000") "42-227-31234"
//   words("lease_operating")  "lease operating"
//   wellName("Whitfield 10", "10") "Whitfield 10" (the number once)

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

const blank = (value) => value === null || value === undefined || value === "";

/** A Decimal text split into sign, whole digits and fraction digits; null when it is not a number. */
function parts(value) {
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : String(value).trim();
  const found = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!found || (!found[2] && !found[3])) {
    if (typeof value === "number" && /e/i.test(text)) return parts(value.toFixed(20));
    return null;
  }
  return { negative: found[1] === "-", whole: found[2].replace(/^0+(?=\d)/, "") || "0", frac: found[3] || "" };
}

/** Round a Decimal text to `places` fraction digits, half away from zero: {negative, whole, frac}. */
function rounded(value, places) {
  const p = parts(value);
  if (!p) return null;
  const digits = (p.whole + p.frac.padEnd(places, "0").slice(0, places)).split("").map(Number);
  if (Number(p.frac[places] || 0) >= 5) {
    let i = digits.length - 1;
    while (i >= 0 && digits[i] === 9) digits[i--] = 0;
    if (i < 0) digits.unshift(1);
    else digits[i] += 1;
  }
  const all = digits.join("");
  const whole = all.slice(0, all.length - places).replace(/^0+(?=\d)/, "") || "0";
  const frac = places ? all.slice(all.length - places) : "";
  const zero = /^0*$/.test(whole + frac);
  return { negative: p.negative && !zero, whole, frac };
}

const group = (whole) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** A Decimal text (or number) grouped, with exactly `places` fraction digits; "" for nothing. */
export function decimal(value, places = 0) {
  if (blank(value)) return "";
  const r = rounded(value, places);
  if (!r) return String(value);
  return `${r.negative ? "-" : ""}${group(r.whole)}${places ? `.${r.frac}` : ""}`;
}

/** A volume on a summary (tiles, lists, charts): whole barrels or mcf from 100 up, one decimal below. */
export function volume(value) {
  if (blank(value)) return "";
  const p = parts(value);
  if (!p) return String(value);
  const one = rounded(value, 1);
  if (one.whole.length >= 3 || one.frac === "0") return decimal(value, 0);
  return decimal(value, 1);
}

/** A volume in detail (a reading, a statement line, an export): three decimals. */
export const volumeDetail = (value) => decimal(value, 3);

/** A volume with its unit spelled: "1,235 bbl". */
export const volumeWith = (value, unit) => (blank(value) ? "" : `${volume(value)} ${unit}`);

/** A rate per day with its unit: "412.3 bbl/day". */
export const perDay = (value, unit) => (blank(value) ? "" : `${volume(value)} ${unit}/day`);

/** Money: a dollar sign, grouping and cents ("-$1,234.50"). */
export function money(value) {
  if (blank(value)) return "";
  const r = rounded(value, 2);
  if (!r) return String(value);
  return `${r.negative ? "-" : ""}$${group(r.whole)}.${r.frac}`;
}

/** A price per unit: dollars and cents and the unit ("$72.35/bbl"). */
export const price = (value, unit) => (blank(value) ? "" : `${money(value)}${unit ? `/${unit}` : ""}`);

/** Shift a Decimal text two places right (a fraction as a percent), exactly. */
function timesHundred(value) {
  const p = parts(value);
  if (!p) return null;
  const frac = p.frac.padEnd(2, "0");
  const whole = (p.whole + frac.slice(0, 2)).replace(/^0+(?=\d)/, "") || "0";
  return `${p.negative ? "-" : ""}${whole}.${frac.slice(2) || "0"}`;
}

/** Trailing zeros of the fraction off: "18.7500" -> "18.75", "20.00" -> "20". */
function trimmed(text) {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/**
 * A decimal fraction as people read it: "0.18750000" -> "18.75%", "0.046" -> "4.6%". Up to `places`
 * fraction digits of the percent (6 keeps an interest of eight decimals exact), trailing zeros dropped.
 */
export function percent(value, places = 6) {
  if (blank(value)) return "";
  const shifted = timesHundred(value);
  if (shifted === null) return String(value);
  return `${trimmed(decimal(shifted, places))}%`;
}

/** A figure that is a percent already ("10.00" -> "10%", "12.5" -> "12.5%"). */
export function percentOf(value, places = 2) {
  if (blank(value)) return "";
  const p = parts(value);
  return p ? `${trimmed(decimal(value, places))}%` : String(value);
}

/** A whole count grouped: 1234 -> "1,234". */
export const count = (value) => decimal(value, 0);

/** A Date, or the year, month and day of "YYYY-MM-DD..." (a calendar day, read where the user is). */
function calendar(value) {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : { y: value.getFullYear(), m: value.getMonth(), d: value.getDate() };
  const found = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(String(value ?? "").slice(0, 10));
  return found ? { y: Number(found[1]), m: Number(found[2]) - 1, d: Number(found[3] || 1) } : null;
}

/** The one date style: "Dec 7, 2026" (a day from the API's "2026-12-07", or a Date). */
export function day(value) {
  if (blank(value)) return "";
  const c = calendar(value);
  return c ? `${MONTHS[c.m]} ${c.d}, ${c.y}` : String(value);
}

/** A month: "Dec 2026" ("December 2026" with `long`), from "2026-12", "2026-12-01" or a Date. */
export function month(value, { long = false } = {}) {
  if (blank(value)) return "";
  const c = calendar(value);
  return c ? `${(long ? LONG_MONTHS : MONTHS)[c.m]} ${c.y}` : String(value);
}

/** A moment (an ISO timestamp): "Dec 7, 2026, 2:05 PM" in the user's time zone. */
export function moment(value) {
  if (blank(value)) return "";
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const hours = d.getHours() % 12 || 12;
  const minutes = String(d.getMinutes()).padStart(2, "0");
  return `${day(d)}, ${hours}:${minutes} ${d.getHours() < 12 ? "AM" : "PM"}`;
}

/** A span of days in one style: "Dec 1–6, 2026", or "Nov 28 – Dec 3, 2026". */
export function days(first, last) {
  const [a, b] = [calendar(first), calendar(last)];
  if (!a || !b) return "";
  if (a.y === b.y && a.m === b.m) return a.d === b.d ? day(first) : `${MONTHS[a.m]} ${a.d}–${b.d}, ${a.y}`;
  const left = a.y === b.y ? `${MONTHS[a.m]} ${a.d}` : day(first);
  return `${left} – ${day(last)}`;
}

/**
 * An API number dashed: state-county-unique, then sidetrack and event codes when they are not zero
 * ("42227312340000" -> "42-227-31234", "4250120130030000" ... 14 digits -> "42-501-20130-03").
 */
export function apiNumber(value) {
  if (blank(value)) return "";
  const digits = String(value).replace(/\D/g, "");
  if (![10, 12, 14].includes(digits.length)) return String(value);
  const groups = [digits.slice(0, 2), digits.slice(2, 5), digits.slice(5, 10), digits.slice(10, 12), digits.slice(12, 14)].filter(Boolean);
  while (groups.length > 3 && /^0+$/.test(groups.at(-1))) groups.pop();
  return groups.join("-");
}

/** Words an API code stands for ("lease_operating" -> "lease operating"); `labels` names the exceptions. */
export function words(value, labels = {}) {
  if (blank(value)) return "";
  return labels[value] ?? String(value).replace(/_/g, " ");
}

/** An API code as a label that starts a sentence: "shut_in" -> "Shut in". */
export function label(value, labels = {}) {
  const text = words(value, labels);
  return text ? text[0].toUpperCase() + text.slice(1) : "";
}

/**
 * A well's name with its number once: the number is added when the name does not already end with it, and a
 * number written twice ("Whitfield 10 10", as a name joined to its number) is shown once.
 */
export function wellName(name, number) {
  const text = String(name ?? "").trim().replace(/\s+/g, " ");
  const doubled = /^(.*\S)\s+(\S+)\s+\2$/i.exec(text);
  const base = doubled ? `${doubled[1]} ${doubled[2]}` : text;
  const n = String(number ?? "").trim();
  if (!n) return base;
  const last = base.split(" ").at(-1);
  return last.toLowerCase() === n.toLowerCase() ? base : `${base} ${n}`.trim();
}
