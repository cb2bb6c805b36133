// #/compliance/form-pr?month=: each lease's figures with its problems beside it, the versions filed,
// exports, and submitting or amending the month.

import { api, getAll, download } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, showErrors, busy, table, pager, badge, flash, header, num, monthLabel, words, dateTime, useStyle } from "../../lib/ui.js";
import { CSS, PAGE, monthOf, state, offsetOf, monthFilter, problemList, dispositions, again } from "./shared.js";
import { drawAdjustments, adjustmentForm } from "./adjustments.js";

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
