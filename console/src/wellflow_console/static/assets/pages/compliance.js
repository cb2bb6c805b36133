/**
 * Texas compliance: the month's Form PR (one row per lease with its figures and its problems, the office's
 * adjustments, submitting to the RRC, exports), the RRC submissions queue, the severance tax per lease and
 * month (with the prices it is computed from) and the filing calendar (what is due, overdue or due soon).
 * Reading needs the compliance read permission; every change needs compliance write (hidden otherwise).
 */

import { api, getAll, download, newId } from "../lib/api.js";
import { paths } from "../lib/paths.js";
import {
  h,
  mount,
  field,
  values,
  showErrors,
  clearErrors,
  busy,
  table,
  pager,
  badge,
  flash,
  header,
  num,
  money,
  isoDate,
  lastMonth,
  monthLabel,
  words,
  dateTime,
  useStyle,
} from "../lib/ui.js";
import { FILING_OBLIGATIONS, FLARE_AUTHORITIES, GAS_DISPOSITION_CODES, LIQUID_DISPOSITION_CODES } from "../lib/codes.js";

const CSS = "/assets/pages/compliance.css";
const PAGE = 50;

// The Form PR's codes as Python declares them (wellflow_texas.form_pr), "00 pipeline".
const coded = (pairs) => pairs.map(([code, description]) => [code, `${code} ${description}`]);
const LIQUID_CODES = coded(LIQUID_DISPOSITION_CODES);
const GAS_CODES = coded(GAS_DISPOSITION_CODES);
const AUTHORITIES = [["", "None"], ...coded(FLARE_AUTHORITIES)];
const STATE_KIND = {
  draft: "info",
  submitted: "info",
  queued: "info",
  in_flight: "info",
  accepted: "ok",
  paid: "ok",
  open: "info",
  rejected: "bad",
  failed: "bad",
};
const OBLIGATION_LABEL = { form_pr: "Form PR", oil_tax: "Oil and condensate tax", gas_tax: "Gas tax" };
const OBLIGATIONS = [["", "All"], ...FILING_OBLIGATIONS.map((o) => [o, OBLIGATION_LABEL[o] || words(o)])];

// ------------------------------------------------------------------------------------------------ helpers

/** The page's month as YYYY-MM: ?month= when valid, else last month (the month the office files now). */
function monthOf(query) {
  const asked = query.get("month") || "";
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(asked) ? asked : lastMonth().slice(0, 7);
}

function state(text) {
  return badge(String(text).replace("_", " "), STATE_KIND[text] || "muted");
}

function offsetOf(query) {
  const n = Number.parseInt(query.get("offset") || "0", 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** A "month" filter bar: the month input, optional extra fields, and a Show button (keyboard users). */
function monthFilter(period, onShow, ...extra) {
  const form = h(
    "form.filters",
    { "aria-label": "Choose the month" },
    field("month", "Month", { kind: "month", value: period }),
    extra,
    h("button", { type: "submit" }, "Show"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = values(form);
    if (/^\d{4}-\d{2}$/.test(v.month || "")) onShow(v);
  });
  return form;
}

function problemList(issues) {
  return h(
    "ul.problems",
    issues.map((issue) =>
      h(`li.issue-${issue.severity}`, h("strong", issue.severity === "error" ? "Error: " : "Warning: "), issue.message),
    ),
  );
}

function dispositions(list) {
  if (!list.length) return "—";
  return h(
    "ul.codes",
    list.map((d) => h("li", { title: d.description }, `${d.code}${d.authority ? " " + d.authority : ""}: ${num(d.volume)}`)),
  );
}

/** A whole page re-render after a change, keeping the query. */
function again(page, main, params, ctx) {
  return () => page(main, params, ctx);
}

// ---------------------------------------------------------------------------------------------- Form PR

export async function formPrPage(main, params, ctx) {
  useStyle(CSS);
  const period = monthOf(ctx.query);
  const withErrors = ctx.query.get("with_errors") === "true";
  const offset = offsetOf(ctx.query);
  const canWrite = ctx.can("compliance", "write");
  const reload = again(formPrPage, main, params, ctx);
  const show = (v) => ctx.navigate("/compliance/form-pr", { month: v.month, with_errors: v.with_errors ? "true" : "" });
  const picker = monthFilter(
    period,
    show,
    field("with_errors", "Only leases with errors", { kind: "checkbox", value: withErrors }),
  );

  let report;
  try {
    report = await api("GET", paths.formPr.month(period), {
      query: { limit: PAGE, offset, with_errors: withErrors ? "true" : undefined },
    });
  } catch (error) {
    if (error.status !== 404) throw error;
    mount(
      main,
      header(`Form PR · ${monthLabel(period)}`),
      picker,
      h("p.empty", "There is no Form PR for this month yet: it is drafted as soon as production data for the month arrives."),
    );
    return;
  }

  const general = [...report.errors, ...report.warnings].filter((issue) => !issue.lease_id);
  const leases = await getAll(paths.compliance.leases);
  const sections = [
    header(`Form PR · ${monthLabel(period)}`, ...exportButtons(period)),
    picker,
    summary(report),
    general.length
      ? h("section.card.report-problems", { "aria-label": "Problems with the whole report" }, h("h2", "Report problems"), problemList(general))
      : null,
    canWrite ? submitBox(report, period, reload) : null,
    linesTable(report, (next) => ctx.navigate("/compliance/form-pr", { month: period, with_errors: withErrors ? "true" : "", offset: next })),
    versionsTable(report, period),
    h("section.adjustments", { "aria-label": "Adjustments" }, h("h2", "Adjustments"), h("div.adjustment-list", h("p.loading", "Loading…"))),
    canWrite ? adjustmentForm(period, leases.length ? leases : report.lines.map((l) => ({ id: l.lease_id, name: l.lease_name })), reload) : null,
  ];
  mount(main, sections);
  const names = Object.fromEntries(leases.map((l) => [l.id, l.name]));
  for (const line of report.lines) names[line.lease_id] = line.lease_name;
  await drawAdjustments(main.querySelector(".adjustment-list"), period, names, canWrite, reload, false);
}

function exportButtons(period, version) {
  return ["pdf", "csv", "json"].map((fmt) =>
    h(
      "button",
      {
        type: "button",
        on: {
          click: (event) =>
            busy(event.currentTarget, async () => {
              const suffix = version ? `?version=${version}` : "";
              try {
                await download(paths.formPr.export(period, fmt) + suffix, `form-pr-${period}${version ? "-v" + version : ""}.${fmt}`);
              } catch (error) {
                flash(error.message, "bad");
              }
            }),
        },
      },
      `${version ? "" : "Export "}${fmt.toUpperCase()}`,
    ),
  );
}

function summary(report) {
  const t = report.totals;
  const stat = (label, value) => h("div.stat", h("div.value", value), h("div.label", label));
  return [
    h(
      "dl.kv.report-state",
      h("dt", "State"),
      h(
        "dd",
        state(report.state),
        report.current_version ? ` version ${report.current_version}` : " not filed yet",
        report.amendment_needed ? [" ", badge("amendment needed", "warn")] : null,
        report.changed_since_submitted && !report.amendment_needed ? [" ", badge("changed since filed", "warn")] : null,
      ),
      h("dt", "Due"),
      h("dd", report.due_date),
      h("dt", "Operator"),
      h("dd", report.operator.rrc_operator_number || h("span.badge.badge-bad", "no RRC operator number"), report.operator.name ? ` · ${report.operator.name}` : ""),
    ),
    h(
      "div.stats",
      stat("Leases", num(t.leases)),
      stat("Oil/condensate produced (BBL)", num(t.liquid_production)),
      stat("Disposed of (BBL)", num(t.liquid_disposed)),
      stat("Gas produced (MCF)", num(t.gas_production)),
      stat("Gas disposed of (MCF)", num(t.gas_disposed)),
      h("div.stat", { class: t.errors ? "stat-bad" : "" }, h("div.value", num(t.errors)), h("div.label", "Errors (block filing)")),
      stat("Warnings", num(t.warnings)),
    ),
  ];
}

function submitBox(report, period, reload) {
  const box = h("section.card.submit-box", { "aria-label": "Submit to the RRC" });
  const fileable = ["draft", "rejected"].includes(report.state) || report.amendment_needed;
  if (!fileable) {
    box.append(h("p", report.state === "submitted" ? "This version is waiting for the RRC's answer." : "Filed: nothing changed since."));
    return box;
  }
  const label = report.amendment_needed ? "File an amendment" : "Submit to the RRC";
  if (!report.ready_to_submit) {
    box.append(
      h("button.primary", { type: "button", disabled: true }, label),
      h("p.hint", `Correct the ${report.totals.errors} error${report.totals.errors === 1 ? "" : "s"} below before filing.`),
    );
    return box;
  }
  const button = h("button.primary", { type: "button" }, label);
  button.addEventListener("click", () =>
    busy(button, async () => {
      const what = report.amendment_needed ? `an amended Form PR for ${monthLabel(period)}` : `the Form PR for ${monthLabel(period)}`;
      if (!window.confirm(`File ${what} with the RRC? The version filed is frozen; later changes need an amendment.`)) return;
      try {
        const version = await api("POST", paths.formPr.submit(period));
        flash(`Version ${version.version} queued for the RRC.`);
        await reload();
      } catch (error) {
        showErrors(box, error);
      }
    }),
  );
  box.append(button, h("p.hint", "The report is queued and sent to the RRC portal; its answer shows on the submissions page."));
  return box;
}

const LINE_COLUMNS = ["Lease", "Beginning stock", "Production", "Dispositions", "Ending stock", "Gas produced", "Gas dispositions", "Checks"];

function linesTable(report, go) {
  if (!report.lines.length) return h("p.empty", "No lease lines for this month with these filters.");
  const bodies = report.lines.map((line) => {
    const errors = line.issues.filter((i) => i.severity === "error").length;
    const warnings = line.issues.length - errors;
    const cell = (i, content, isNum) => h("td", { class: isNum ? "num" : "", dataset: { label: LINE_COLUMNS[i] } }, content);
    const ident = line.identifier ? `${words(line.identifier_kind)} ${line.identifier}` : "no identifier";
    const rows = [
      h(
        "tr.line",
        { class: errors ? "problem" : "" },
        h(
          "th",
          { scope: "row", dataset: { label: "Lease" } },
          h("a", { href: `#/leases/${line.lease_id}` }, line.lease_name),
          h("span.sub", `District ${line.rrc_district} · ${ident} · ${words(line.liquid_product)} / ${words(line.gas_product)}`),
        ),
        cell(1, num(line.beginning_stock), true),
        cell(2, num(line.liquid_production), true),
        cell(3, dispositions(line.liquid_dispositions)),
        cell(4, num(line.ending_stock), true),
        cell(5, num(line.gas_production), true),
        cell(6, dispositions(line.gas_dispositions)),
        cell(
          7,
          errors ? badge(`${errors} error${errors === 1 ? "" : "s"}`, "bad") : warnings ? null : badge("ok", "ok"),
          warnings ? [" ", badge(`${warnings} warning${warnings === 1 ? "" : "s"}`, "warn")] : null,
        ),
      ),
    ];
    if (line.issues.length || line.remarks.length) {
      rows.push(
        h(
          "tr.issues",
          { class: errors ? "problem" : "" },
          h(
            "td",
            { colSpan: LINE_COLUMNS.length },
            line.issues.length ? problemList(line.issues) : null,
            line.remarks.length ? h("p.remarks", "Remarks: ", line.remarks.join("; ")) : null,
          ),
        ),
      );
    }
    return h("tbody", { dataset: { leaseId: line.lease_id }, "aria-label": line.lease_name }, rows);
  });
  return [
    h(
      "div.table-wrap.form-pr-lines",
      { tabindex: 0, role: "region", "aria-label": "Lease lines" },
      h(
        "table",
        h("caption", `Lease lines (${report.lines_total})`),
        h("thead", h("tr", LINE_COLUMNS.map((c, i) => h("th", { scope: "col", class: [1, 2, 4, 5].includes(i) ? "num" : "" }, c)))),
        bodies,
      ),
    ),
    pager({ total: report.lines_total, limit: report.limit, offset: report.offset }, go),
  ];
}

function versionsTable(report, period) {
  if (!report.versions.length) return null;
  return h(
    "section.versions",
    { "aria-label": "Versions filed" },
    h("h2", "Versions filed"),
    table(
      [
        { label: "Version", value: (v) => `${v.version} (${v.kind})` },
        { label: "State", value: (v) => state(v.state) },
        { label: "Submitted", value: (v) => dateTime(v.submitted_at) },
        { label: "Confirmation", value: (v) => v.confirmation_number || "—" },
        { label: "Answer", value: (v) => (v.reasons.length ? problemList(v.reasons.map((m) => ({ severity: "error", message: m }))) : dateTime(v.decided_at)) },
        { label: "Exports", value: (v) => h("div.actions", exportButtons(period, v.version)) },
      ],
      report.versions,
      { caption: "Versions filed" },
    ),
    h("p", h("a", { href: `#/compliance/submissions?period=${period}` }, "Submissions for this month")),
  );
}

async function drawAdjustments(box, period, names, canWrite, reload, includeVoided, offset = 0) {
  let page;
  try {
    page = await api("GET", paths.formPr.adjustments(period), {
      query: { include_voided: includeVoided ? "true" : undefined, limit: PAGE, offset },
    });
  } catch (error) {
    mount(box, h("p.form-error", { role: "alert" }, error.message));
    return;
  }
  const redraw = (voided, next = 0) => drawAdjustments(box, period, names, canWrite, reload, voided, next);
  const toggle = field("include_voided", "Show voided adjustments", { kind: "checkbox", value: includeVoided });
  toggle.querySelector("input").addEventListener("change", (event) => redraw(event.target.checked));
  const columns = [
    { label: "Lease", value: (a) => names[a.lease_id] || a.lease_id },
    { label: "Product", value: (a) => a.product },
    { label: "Code", value: (a) => [a.code || "—", a.authority ? ` ${a.authority}` : ""] },
    { label: "Volume", num: true, value: (a) => (a.product === "remark" ? "" : num(a.volume, 2)) },
    { label: "Remark", value: (a) => a.remark || "" },
    { label: "Why", value: (a) => a.reason },
    { label: "Added", value: (a) => dateTime(a.created_at) },
    {
      label: "State",
      value: (a) =>
        a.voided_at
          ? [badge("voided", "muted"), h("span.sub", `${dateTime(a.voided_at)}: ${a.void_reason || ""}`)]
          : canWrite
            ? voidControl(a, period, reload)
            : badge("in effect", "ok"),
    },
  ];
  mount(
    box,
    toggle,
    table(columns, page.items, { empty: "No adjustments for this month.", caption: "Adjustments" }),
    pager(page, (next) => redraw(includeVoided, next)),
  );
}

function voidControl(adjustment, period, reload) {
  const holder = h("div.void");
  const open = h("button", { type: "button", "aria-label": `Void adjustment: ${adjustment.reason}` }, "Void");
  open.addEventListener("click", () => {
    const form = h(
      "form.void-form",
      { novalidate: true },
      field("reason", "Why void it", { required: true }),
      h(
        "div.actions",
        h("button.danger", { type: "submit" }, "Void adjustment"),
        h("button", { type: "button", on: { click: () => mount(holder, open) } }, "Cancel"),
      ),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      busy(form.querySelector("button[type=submit]"), async () => {
        try {
          await api("POST", paths.formPr.voidAdjustment(period, adjustment.id), { body: values(form) });
          flash("Adjustment voided.");
          await reload();
        } catch (error) {
          showErrors(form, error);
        }
      });
    });
    mount(holder, form);
    form.querySelector("input").focus();
  });
  return mount(holder, open);
}

function adjustmentForm(period, leases, reload) {
  let key = newId();
  const codeField = field("code", "Disposition code", { kind: "select", options: LIQUID_CODES });
  const form = h(
    "form.card.adjustment-form",
    { novalidate: true, "aria-label": "Add an adjustment" },
    h("h2", "Add an adjustment"),
    h(
      "div.grid",
      h("div.wide", field("lease_id", "Lease", { kind: "select", required: true, options: leases.map((l) => [l.id, l.name]) })),
      field("product", "Product", {
        kind: "select",
        required: true,
        options: [
          ["liquid", "Oil or condensate"],
          ["gas", "Gas"],
          ["remark", "Remark only"],
        ],
      }),
      codeField,
      field("volume", "Volume (BBL or MCF)", { kind: "decimal", hint: "Negative takes some back." }),
      field("authority", "Authority (gas 10/11)", { kind: "select", options: AUTHORITIES }),
      h("div.wide", field("remark", "Remark")),
      h("div.wide", field("reason", "Why", { kind: "textarea", required: true, hint: "Kept with the adjustment." })),
    ),
    h("button.primary", { type: "submit" }, "Add adjustment"),
  );
  const product = form.elements.product;
  const code = form.elements.code;
  product.addEventListener("change", () => {
    const list = product.value === "gas" ? GAS_CODES : LIQUID_CODES;
    code.replaceChildren(...list.map(([v, text]) => h("option", { value: v }, text)));
    code.disabled = product.value === "remark";
    form.elements.volume.disabled = product.value === "remark";
    form.elements.authority.disabled = product.value !== "gas";
  });
  form.elements.authority.disabled = true;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form.querySelector("button[type=submit]"), async () => {
      clearErrors(form);
      try {
        await api("POST", paths.formPr.adjustments(period), { body: values(form), idempotencyKey: key });
        key = newId();
        flash("Adjustment added; the lease's line is rebuilt.");
        await reload();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

// ------------------------------------------------------------------------------------------- submissions

const SUBMISSION_STATES = [
  ["", "All"],
  ["queued", "Queued"],
  ["in_flight", "Sending"],
  ["accepted", "Accepted"],
  ["rejected", "Rejected"],
  ["failed", "Failed"],
];

export async function submissionsPage(main, params, ctx) {
  useStyle(CSS);
  const q = ctx.query;
  const filters = { state: q.get("state") || "", period: /^\d{4}-\d{2}$/.test(q.get("period") || "") ? q.get("period") : "" };
  const offset = offsetOf(q);
  const canWrite = ctx.can("compliance", "write");
  const reload = again(submissionsPage, main, params, ctx);
  const [page, portal] = await Promise.all([
    api("GET", paths.compliance.submissions, { query: { ...filters, limit: PAGE, offset } }),
    api("GET", paths.compliance.portal).catch(() => null),
  ]);

  const form = h(
    "form.filters",
    { "aria-label": "Filter submissions" },
    field("state", "State", { kind: "select", options: SUBMISSION_STATES, value: filters.state }),
    field("period", "Month", { kind: "month", value: filters.period }),
    h("button", { type: "submit" }, "Filter"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.navigate("/compliance/submissions", values(form));
  });

  const columns = [
    { label: "Month", value: (s) => h("a", { href: `#/compliance/form-pr?month=${s.period.slice(0, 7)}` }, monthLabel(s.period.slice(0, 7))) },
    { label: "Version", num: true, value: (s) => s.report_version },
    { label: "State", value: (s) => state(s.state) },
    { label: "Attempts", num: true, value: (s) => s.attempts },
    { label: "Answer", value: (s) => submissionAnswer(s) },
    { label: "Queued", value: (s) => dateTime(s.created_at) },
    { label: "", value: (s) => (canWrite && s.state === "failed" ? retryButton(s, reload) : null) },
  ];
  mount(
    main,
    header("RRC submissions"),
    portal ? portalStatus(portal) : null,
    form,
    table(columns, page.items, {
      empty: filters.state || filters.period ? "No submissions match these filters." : "Nothing filed with the RRC yet.",
      caption: `Submissions (${page.total})`,
    }),
    pager(page, (next) => ctx.navigate("/compliance/submissions", { ...filters, offset: next })),
  );
}

function submissionAnswer(s) {
  if (s.state === "accepted") {
    return h("span.answer", "Confirmation ", h("strong.confirmation", s.confirmation_number || "—"), h("span.sub", dateTime(s.accepted_at)));
  }
  if (s.state === "rejected") {
    return problemList((s.reasons || []).map((message) => ({ severity: "error", message })));
  }
  if (s.state === "failed") {
    return h("span.answer", "Gave up: ", s.last_error || "no answer", h("span.sub", `Last try ${dateTime(s.last_attempt_at)}`));
  }
  if (s.state === "in_flight") return "Being sent now";
  if (s.attempts > 0) {
    return h(
      "span.answer",
      `Retrying: ${s.last_error || "the portal did not answer"}`,
      h("span.sub", `Next attempt ${dateTime(s.next_attempt_at)}`),
    );
  }
  return s.next_attempt_at ? `Waiting to send (${dateTime(s.next_attempt_at)})` : "Waiting to send";
}

function retryButton(submission, reload) {
  const button = h("button", { type: "button", "aria-label": `Retry the ${submission.period.slice(0, 7)} submission` }, "Retry");
  button.addEventListener("click", () =>
    busy(button, async () => {
      try {
        await api("POST", paths.compliance.retrySubmission(submission.id));
        flash("Queued again.");
        await reload();
      } catch (error) {
        flash(error.message, "bad");
      }
    }),
  );
  return button;
}

function portalStatus(portal) {
  const breaker = portal.breaker || {};
  const queue = portal.queue || {};
  const down = breaker.state && breaker.state !== "closed";
  return h(
    "section.card.portal",
    { "aria-label": "RRC portal" },
    h(
      "p",
      "RRC portal: ",
      down ? badge(breaker.state === "open" ? "not answering" : "trying again", "warn") : badge("answering", "ok"),
      down && breaker.retry_after_seconds ? ` next try in ${Math.ceil(breaker.retry_after_seconds)} s` : "",
    ),
    h(
      "p.sub",
      `Queued ${queue.queued || 0} · sending ${queue.in_flight || 0} · accepted ${queue.accepted || 0} · rejected ${queue.rejected || 0} · failed ${queue.failed || 0}`,
    ),
  );
}

// ---------------------------------------------------------------------------------------- severance tax

export async function severancePage(main, params, ctx) {
  useStyle(CSS);
  const period = monthOf(ctx.query);
  const canWrite = ctx.can("compliance", "write");
  const reload = again(severancePage, main, params, ctx);
  const [taxes, leases] = await Promise.all([
    getAll(paths.severanceTax.list, { month: period }),
    getAll(paths.compliance.leases),
  ]);
  const granted = await api("GET", paths.severanceTax.reliefs);
  const reliefsOf = (leaseId) => granted.filter((r) => r.lease_id === leaseId);
  const byLease = Object.fromEntries(taxes.map((t) => [t.lease_id, t]));
  const totals = taxes.filter((t) => t.total_tax !== null);
  mount(
    main,
    header(`Severance tax · ${monthLabel(period)}`),
    monthFilter(period, (v) => ctx.navigate("/compliance/severance", { month: v.month })),
    h(
      "p.hint",
      "Oil 4.6% (at least 4.6¢/BBL), condensate 4.6%, gas 7.5% of market value; taxable volumes are what the Form PR shows sold. Enter the month's prices per lease: the tax is computed at once and again whenever the volumes change.",
    ),
    totals.length
      ? table(
          [
            { label: "Lease", value: (t) => leaseName(leases, t.lease_id) },
            { label: "Tax", num: true, value: (t) => money(t.total_tax) },
            { label: "Regulatory fees", num: true, value: (t) => money(t.total_regulatory_fees) },
          ],
          totals,
          { caption: "Computed this month" },
        )
      : null,
    leases.length
      ? leases.map((lease) => leaseTax(lease, byLease[lease.id], reliefsOf(lease.id), period, canWrite, reload))
      : h("p.empty", "No leases yet."),
  );
}

function leaseName(leases, id) {
  return leases.find((l) => l.id === id)?.name || id;
}

function leaseTax(lease, tax, reliefs, period, canWrite, reload) {
  const liquid = lease.lease_type === "gas" ? "condensate" : "oil";
  const lines = tax?.lines || [];
  return h(
    "section.card.lease-tax",
    { dataset: { leaseId: lease.id }, "aria-label": lease.name },
    h("h2", lease.name, " ", h("span.sub", `${lease.lease_type} lease · district ${lease.rrc_district}`)),
    lines.length
      ? [
          table(
            [
              { label: "Product", value: (l) => l.product },
              { label: "Taxable volume", num: true, value: (l) => num(l.volume) },
              { label: "Gross value", num: true, value: (l) => money(l.gross_value) },
              { label: "Marketing costs", num: true, value: (l) => money(l.marketing_costs) },
              { label: "Market value", num: true, value: (l) => money(l.market_value) },
              { label: "Rate", num: true, value: (l) => rate(l.rate) },
              { label: "Tax", num: true, value: (l) => [money(l.tax), l.minimum_applied ? h("span.sub", "per-barrel floor") : null] },
              { label: "Fee", num: true, value: (l) => money(l.regulatory_fee) },
              { label: "Relief", value: (l) => l.relief || "—" },
            ],
            lines,
            { caption: `Tax ${period} (revision ${tax.revision})` },
          ),
          h("p.tax-total", "Total tax ", h("strong", money(tax.total_tax)), " · regulatory fees ", h("strong", money(tax.total_regulatory_fees))),
        ]
      : h("p.empty", "No prices entered for this month: the tax is computed when they are."),
    reliefs.length
      ? h(
          "p.reliefs",
          "Reliefs: ",
          reliefs.map((r, i) => [i ? "; " : "", `${r.name} from ${r.effective_from}${r.effective_to ? ` to ${r.effective_to}` : ""}`]),
        )
      : null,
    canWrite ? pricesForm(lease, liquid, period, reload) : null,
  );
}

function rate(value) {
  if (value === null || value === undefined || value === "") return "";
  // the API's rate is a fraction (0.046); shown as a percentage without float arithmetic on money
  const n = Number(value) * 100;
  return `${Number.isFinite(n) ? n.toFixed(2).replace(/\.?0+$/, "") : value}%`;
}

const PRICE_NAMES = {
  "body.liquid": "liquid_price",
  "body.liquid.price": "liquid_price",
  "body.liquid.gross_value": "liquid_gross_value",
  "body.liquid.marketing_costs": "liquid_price",
  "body.gas": "gas_price",
  "body.gas.price": "gas_price",
  "body.gas.gross_value": "gas_gross_value",
  "body.gas.marketing_costs": "gas_marketing_costs",
};

function pricesForm(lease, liquid, period, reload) {
  const form = h(
    "form.prices",
    { novalidate: true, "aria-label": `Prices for ${lease.name}` },
    h("h3", "Prices for the month"),
    h(
      "div.grid",
      field("liquid_price", `${liquid === "oil" ? "Oil" : "Condensate"} price ($/BBL)`, { kind: "decimal" }),
      field("liquid_gross_value", `or ${liquid} receipts ($)`, { kind: "decimal" }),
      field("gas_price", "Gas price ($/MCF)", { kind: "decimal" }),
      field("gas_gross_value", "or gas receipts ($)", { kind: "decimal" }),
      field("gas_marketing_costs", "Gas marketing costs ($)", { kind: "decimal" }),
    ),
    h("button.primary", { type: "submit" }, "Save prices and compute"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = values(form);
    const product = (price, gross, costs) => {
      if (v[price] === undefined && v[gross] === undefined) return undefined;
      const out = {};
      if (v[price] !== undefined) out.price = v[price];
      if (v[gross] !== undefined) out.gross_value = v[gross];
      if (costs && v[costs] !== undefined) out.marketing_costs = v[costs];
      return out;
    };
    const body = { liquid: product("liquid_price", "liquid_gross_value"), gas: product("gas_price", "gas_gross_value", "gas_marketing_costs") };
    busy(form.querySelector("button[type=submit]"), async () => {
      try {
        await api("PUT", paths.severanceTax.prices(lease.id, period), { body: JSON.parse(JSON.stringify(body)) });
        flash(`Tax computed for ${lease.name}.`);
        await reload();
      } catch (error) {
        showErrors(form, error, PRICE_NAMES);
      }
    });
  });
  return form;
}

// ------------------------------------------------------------------------------------------ filing calendar

function addDays(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return isoDate(d);
}

export async function calendarPage(main, params, ctx) {
  useStyle(CSS);
  const q = ctx.query;
  const filters = {
    due_from: q.get("due_from") || addDays(-30),
    due_to: q.get("due_to") || addDays(90),
    obligation: q.get("obligation") || "",
    pending_only: q.get("pending_only") === "true" ? "true" : "",
  };
  const offset = offsetOf(q);
  const canWrite = ctx.can("compliance", "write");
  const reload = again(calendarPage, main, params, ctx);
  const [page, overdue, soon] = await Promise.all([
    api("GET", paths.filingCalendar.list, { query: { ...filters, limit: PAGE, offset } }),
    api("GET", paths.filingCalendar.list, { query: { pending_only: "true", due_to: addDays(-1), limit: 1 } }),
    api("GET", paths.filingCalendar.list, { query: { pending_only: "true", due_from: addDays(0), due_to: addDays(7), limit: 1 } }),
  ]);

  const form = h(
    "form.filters",
    { "aria-label": "Filter the calendar" },
    field("due_from", "Due from", { kind: "date", value: filters.due_from }),
    field("due_to", "Due to", { kind: "date", value: filters.due_to }),
    field("obligation", "Filing", { kind: "select", options: OBLIGATIONS, value: filters.obligation }),
    field("pending_only", "Only what is still to do", { kind: "checkbox", value: Boolean(filters.pending_only) }),
    h("button", { type: "submit" }, "Show"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = values(form);
    ctx.navigate("/compliance/calendar", { ...v, pending_only: v.pending_only ? "true" : "" });
  });
  const showOverdue = h(
    "button.link",
    { type: "button", on: { click: () => ctx.navigate("/compliance/calendar", { due_from: "2000-01-01", due_to: addDays(-1), pending_only: "true" }) } },
    "Show them",
  );

  const columns = [
    { label: "Due", value: (o) => h("strong.nowrap", o.due_date) },
    { label: "Filing", value: (o) => o.description },
    { label: "Production month", value: (o) => monthLabel(o.period.slice(0, 7)) },
    { label: "State", value: (o) => obligationState(o) },
    { label: "Amount so far", num: true, value: (o) => (o.amount ? [money(o.amount.total), h("span.sub", `${o.amount.lease_lines} lease lines priced`)] : "") },
    { label: "", value: (o) => obligationAction(o, canWrite, reload) },
  ];
  mount(
    main,
    header("Filing calendar"),
    h(
      "div.stats",
      h("div.stat", { class: overdue.total ? "stat-bad" : "" }, h("div.value", num(overdue.total)), h("div.label", "Overdue "), overdue.total ? showOverdue : null),
      h("div.stat", h("div.value", num(soon.total)), h("div.label", "Due in the next 7 days")),
    ),
    form,
    table(columns, page.items, { empty: "Nothing due in these dates.", caption: `Due dates (${page.total})` }),
    pager(page, (next) => ctx.navigate("/compliance/calendar", { ...filters, offset: next })),
  );
}

function obligationState(o) {
  const done = !["open", "rejected"].includes(o.state);
  const parts = [state(o.state)];
  if (!done && o.overdue) parts.push(" ", badge(`overdue ${-o.days_left} d`, "bad"));
  else if (!done && o.days_left <= 7) parts.push(" ", badge(o.days_left === 0 ? "due today" : `due in ${o.days_left} d`, "warn"));
  else if (!done) parts.push(h("span.sub", `${o.days_left} days left`));
  if (o.done_at) parts.push(h("span.sub", `${dateTime(o.done_at)}${o.note ? ": " + o.note : ""}`));
  return parts;
}

function obligationAction(o, canWrite, reload) {
  if (o.obligation === "form_pr") {
    return h("a", { href: `#/compliance/form-pr?month=${o.period.slice(0, 7)}` }, "Open Form PR");
  }
  if (!canWrite || o.state !== "open") return null;
  const button = h("button.nowrap", { type: "button", "aria-label": `Mark ${o.description} for ${o.period.slice(0, 7)} paid` }, "Mark paid");
  button.addEventListener("click", () =>
    busy(button, async () => {
      const note = window.prompt("Payment note (optional, e.g. the Comptroller's confirmation):", "");
      if (note === null) return;
      try {
        await api("POST", paths.filingCalendar.paid(o.id), { body: note ? { note } : {} });
        flash("Marked paid.");
        await reload();
      } catch (error) {
        flash(error.message, "bad");
      }
    }),
  );
  return button;
}
