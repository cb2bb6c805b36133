// Small hand-drawn SVG charts for production: lines over dates (daily and monthly volumes, the dashed decline
// forecast) and grouped bars (one month against another). They draw the numbers they are given and compute
// nothing else; the page beside each chart shows the API's own figures in a table for reading and for screen
// readers. The SVG scales with its box (viewBox); pass `width` near the box's width so the text stays legible.
// Dates read as lib/format.js writes them: month ticks "Dec 2026" (never "Dec 26"), days "Dec 7".

import { day as dayText, month as monthText } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAY_MS = 86_400_000;

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, v);
  for (const child of children.flat()) if (child != null) el.append(child instanceof Node ? child : String(child));
  return el;
}

/** A Date from a Date or "YYYY-MM-DD" (a calendar day, read in local time so it never shifts a day). */
export function toDate(x) {
  if (x instanceof Date) return x;
  const [y, m, d = 1] = String(x).slice(0, 10).split("-").map(Number);
  return new Date(y, m - 1, d);
}

/** Ticks from 0 to at least `max`, about `count` of them, at 1, 2 or 5 times a power of ten. */
export function niceTicks(max, count = 5) {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].find((f) => f * power >= raw) * power;
  const ticks = [];
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/**
 * Date ticks between two times: days (weekly/fortnightly) for short spans of daily figures, month starts
 * labelled month and year for long spans and for monthly figures (`unit` "month").
 */
function dateTicks(min, max, count, unit = "day") {
  const days = (max - min) / DAY_MS;
  const ticks = [];
  if (unit === "day" && days <= 120) {
    const step = [1, 2, 7, 14, 28].find((d) => days / d <= count) || 28;
    for (let t = min; t <= max; t += step * DAY_MS) {
      const d = new Date(t);
      ticks.push({ t, label: `${MONTHS[d.getMonth()]} ${d.getDate()}` });
    }
    return ticks;
  }
  const months = Math.round(days / 30.44) + 1;
  const step = [1, 2, 3, 6, 12, 24].find((m) => months / m <= count) || 24;
  const start = new Date(min);
  let d = new Date(start.getFullYear(), start.getMonth() + (start.getDate() > 1 ? 1 : 0), 1);
  while (d.getMonth() % Math.min(step, 12)) d = new Date(d.getFullYear(), d.getMonth() + 1, 1);
  for (; d.getTime() <= max; d = new Date(d.getFullYear(), d.getMonth() + step, 1)) {
    ticks.push({ t: d.getTime(), label: monthText(d) });
  }
  return ticks;
}

function formatValue(v) {
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: v >= 100 ? 0 : 2 }).format(v);
}

function frame({ width, height, title, summary }) {
  const svg = s("svg", {
    class: "chart",
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": summary,
    preserveAspectRatio: "xMidYMid meet",
  });
  svg.style.maxWidth = `${width}px`;
  svg.append(s("title", {}, title));
  return svg;
}

function yAxis(svg, box, ticks, y, yLabel) {
  for (const v of ticks) {
    svg.append(s("line", { class: "axis", x1: box.left, x2: box.right, y1: y(v), y2: y(v), "stroke-opacity": v ? 0.5 : 1 }));
    svg.append(s("text", { x: box.left - 6, y: y(v) + 4, "text-anchor": "end" }, formatValue(v)));
  }
  if (yLabel) svg.append(s("text", { x: 4, y: box.top - 8 }, yLabel));
}

/**
 * lineChart({series: [{name, className, points: [{x: Date|"YYYY-MM-DD", y: number|null}]}], height, width,
 * yLabel, title, unit, partial}): an <svg class="chart" role="img"> with date ticks along x, nice value ticks
 * along y and a line per series (a null y breaks the line). `unit` "month" labels months ("Dec 2026");
 * `partial` {from: x, note} draws the points from `from` on as not yet complete (dashed, a hollow dot) and
 * says so. The aria-label sums up what is drawn, with its first and last dates.
 */
export function lineChart({ series, height = 240, width = 640, yLabel = "", title = "Production", unit = "day", partial = null }) {
  const all = series.flatMap((sr) => sr.points.filter((p) => p.y != null && Number.isFinite(p.y)));
  const times = all.map((p) => toDate(p.x).getTime());
  const first = Math.min(...times);
  const last = Math.max(...times);
  const when = unit === "month" ? monthText : dayText;
  const summary = all.length
    ? `${title}: ${series.map((sr) => sr.name).join(", ")} from ${when(new Date(first))} to ${when(new Date(last))}` +
      (partial?.note ? `; ${partial.note}` : "")
    : `${title}: no figures`;
  const svg = frame({ width, height, title, summary });
  if (!all.length) {
    svg.append(s("text", { x: width / 2, y: height / 2, "text-anchor": "middle" }, "No production recorded"));
    return svg;
  }
  const box = { left: 48, right: width - 12, top: 24, bottom: height - 26 };
  const ticks = niceTicks(Math.max(...all.map((p) => p.y)), height < 200 ? 3 : 5);
  const top = ticks[ticks.length - 1];
  const span = Math.max(last - first, DAY_MS);
  const x = (t) => box.left + ((t - first) / span) * (box.right - box.left);
  const y = (v) => box.bottom - (v / top) * (box.bottom - box.top);
  yAxis(svg, box, ticks, y, yLabel);
  for (const tick of dateTicks(first, last, Math.max(2, Math.floor((box.right - box.left) / 80)), unit)) {
    svg.append(s("line", { class: "axis", x1: x(tick.t), x2: x(tick.t), y1: box.bottom, y2: box.bottom + 4 }));
    // a label near an edge is anchored inside the chart, so "Dec 2026" is never cut to "Dec 20"
    const anchor = x(tick.t) > box.right - 30 ? "end" : x(tick.t) < box.left + 30 ? "start" : "middle";
    svg.append(s("text", { x: x(tick.t), y: box.bottom + 17, "text-anchor": anchor }, tick.label));
  }
  const partialFrom = partial ? toDate(partial.from).getTime() : Infinity;
  for (const sr of series) drawLine(svg, sr, (p) => x(toDate(p.x).getTime()), y, partialFrom, partial?.note);
  return svg;
}

/** One series' line: solid up to `partialFrom`, dashed to the points from it on (each marked by a hollow dot). */
function drawLine(svg, sr, px, py, partialFrom, note) {
  let solid = "";
  let dashed = "";
  let pen = "M";
  let previous = null;
  for (const p of sr.points) {
    if (p.y == null || !Number.isFinite(p.y)) {
      pen = "M";
      previous = null;
      continue;
    }
    const at = `${px(p).toFixed(1)},${py(p.y).toFixed(1)}`;
    if (toDate(p.x).getTime() >= partialFrom) {
      dashed += previous ? `M${previous} L${at} ` : `M${at} `;
      svg.append(s("circle", { class: `${sr.className} partial-point`, cx: px(p).toFixed(1), cy: py(p.y).toFixed(1), r: 4 }, s("title", {}, `${sr.name}: ${note || "not complete"}`)));
    } else {
      solid += `${pen}${at} `;
      pen = "L";
    }
    previous = at;
  }
  if (solid) svg.append(s("path", { class: sr.className, d: solid.trim() }, s("title", {}, sr.name)));
  if (dashed) svg.append(s("path", { class: `${sr.className} partial`, d: dashed.trim() }, s("title", {}, `${sr.name}: ${note || "not complete"}`)));
}

/**
 * barChart({groups: [{label, description, values: [{name, className, y, text}]}], height, width, yLabel, title}):
 * grouped bars, one group per label (a month), one bar per series, each bar titled with its figure; a group's
 * `description` (its dates in full) replaces the short label in what screen readers hear.
 */
export function barChart({ groups, height = 200, width = 480, yLabel = "", title = "Totals" }) {
  const values = groups.flatMap((g) => g.values.map((v) => v.y).filter((v) => Number.isFinite(v)));
  const summary = groups
    .map((g) => `${g.description || g.label}: ${g.values.map((v) => `${v.name} ${v.text ?? formatValue(v.y)}`).join(", ")}`)
    .join("; ");
  const svg = frame({ width, height, title, summary: `${title}. ${summary}` });
  const box = { left: 56, right: width - 12, top: 24, bottom: height - 26 };
  const ticks = niceTicks(Math.max(0, ...values), 4);
  const top = ticks[ticks.length - 1];
  const y = (v) => box.bottom - (v / top) * (box.bottom - box.top);
  yAxis(svg, box, ticks, y, yLabel);
  const groupWidth = (box.right - box.left) / Math.max(1, groups.length);
  groups.forEach((g, i) => {
    const left = box.left + i * groupWidth + groupWidth * 0.1;
    const barWidth = (groupWidth * 0.8) / Math.max(1, g.values.length);
    g.values.forEach((v, j) => {
      const value = Number.isFinite(v.y) ? v.y : 0;
      const bar = s("rect", {
        class: v.className,
        x: (left + j * barWidth).toFixed(1),
        y: y(value).toFixed(1),
        width: Math.max(1, barWidth - 2).toFixed(1),
        height: Math.max(0, box.bottom - y(value)).toFixed(1),
      });
      bar.append(s("title", {}, `${g.description || g.label} ${v.name}: ${v.text ?? formatValue(value)}`));
      svg.append(bar);
    });
    svg.append(s("text", { x: left + groupWidth * 0.4, y: box.bottom + 17, "text-anchor": "middle" }, g.label));
  });
  return svg;
}

/** The legend under a chart: [[label, "oil"|"gas"|"water"|"forecast"]]. */
export function legend(entries) {
  const box = document.createElement("p");
  box.className = "legend";
  box.setAttribute("aria-hidden", "true");
  for (const [label, kind] of entries) {
    const item = document.createElement("span");
    item.className = kind;
    item.textContent = label;
    box.append(item);
  }
  return box;
}
