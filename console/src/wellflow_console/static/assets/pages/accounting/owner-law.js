// #/accounting/late-payments, #/accounting/information-requests, #/accounting/escheat: Texas owner-payment law
// (Nat. Res. Code 91.402/91.403 late payments and interest, 91.504 information requests, Property Code escheat).

import { get, post, download, newId } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, table, pager, badge, flash, header, failure, num, money, useStyle, monthLabel, field, values, showErrors, busy, isoDate, words } from "../../lib/ui.js";
import { setQuery } from "../../lib/router.js";
import { STYLE, PAGE, leases, partners } from "./shared.js";

const STATUS_KIND = { late: "bad", paid_late: "warn", pending: "info", paid: "ok", withheld: "muted", accumulating: "muted", settled: "muted" };
const ownerName = (names, id) => names.get(id)?.name || String(id).slice(0, 8);

function onSubmit(form, act) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      try {
        await act(values(form));
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

/** #/accounting/late-payments: the late-payment clock, late items first, with the 91.403 interest. */
export async function latePaymentsPage(main, params, ctx) {
  useStyle(STYLE);
  const state = {
    late: ctx.query.get("late") !== "0",
    asOf: ctx.query.get("as_of") || isoDate(),
    owner: ctx.query.get("owner") || "",
    offset: Number(ctx.query.get("offset")) || 0,
  };
  const [names, leaseNames] = await Promise.all([partners(), leases(ctx)]);
  const list = h("div");
  const draw = async () => {
    setQuery({ late: state.late ? "" : "0", as_of: state.asOf, owner: state.owner, offset: state.offset || "" });
    const query = { late_only: state.late, as_of: state.asOf, partner_id: state.owner || undefined, sort: "-days_late", limit: PAGE, offset: state.offset };
    const page = await get(paths.latePayments.list, query);
    mount(
      list,
      h("p", `${num(page.totals.late_items)} items unpaid past due: ${money(page.totals.unpaid_late)} owed; interest ${money(page.totals.interest)} as of ${page.as_of}.`),
      table(
        [
          { label: "Owner", value: (r) => ownerName(names, r.partner_id) },
          { label: "Lease", value: (r) => r.lease || leaseNames.get(r.lease_id) || String(r.lease_id).slice(0, 8) },
          { label: "Sales month", value: (r) => monthLabel(r.sale_month, "short") },
          { label: "Product", value: (r) => r.product },
          { label: "Due", value: (r) => r.due_date },
          { label: "Status", value: (r) => badge(words(r.status), STATUS_KIND[r.status] || "info") },
          { label: "Days late", num: true, value: (r) => num(r.days_late) },
          { label: "Unpaid", num: true, value: (r) => money(r.unpaid) },
          { label: "Paid", num: true, value: (r) => money(r.paid) },
          { label: "Interest", num: true, value: (r) => (r.interest === null ? "rate unknown" : money(r.interest)) },
        ],
        page.items,
        { caption: "Late-payment clock", empty: state.late ? "Nothing is late." : "No finalized revenue yet." },
      ),
      pager(page, (offset) => {
        state.offset = offset;
        draw().catch((error) => mount(list, failure(error)));
      }),
    );
  };
  const owners = [["", "Every owner"], ...[...names.values()].map((p) => [p.id, p.name])];
  const filters = h(
    "form.filters.acc-filters",
    { role: "search" },
    field("late", "Show", { kind: "select", value: state.late ? "1" : "0", options: [["1", "Late only"], ["0", "Everything"]] }),
    field("as_of", "As of", { kind: "date", value: state.asOf }),
    field("owner", "Owner", { kind: "select", value: state.owner, options: owners }),
  );
  filters.addEventListener("change", () => {
    const v = values(filters);
    Object.assign(state, { late: v.late !== "0", asOf: v.as_of || isoDate(), owner: v.owner || "", offset: 0 });
    draw().catch((error) => mount(list, failure(error)));
  });
  filters.addEventListener("submit", (event) => event.preventDefault());
  const check = ctx.can("accounting", "write")
    ? h(
        "button",
        {
          type: "button",
          on: {
            click: (event) =>
              busy(event.currentTarget, async () => {
                const result = await post(paths.latePayments.check);
                flash(`${result.announced} newly late items announced.`);
              }),
          },
        },
        "Run today's check",
      )
    : null;
  await draw();
  mount(
    main,
    header("Late payments", check),
    h("p.hint", "Texas Natural Resources Code 91.402: 120 days after the month of first sale, then 60 days (oil) or 90 days (gas) after the month of sale. Late proceeds earn 91.403 interest: the New York Fed's rate plus two points."),
    filters,
    list,
  );
}

/** #/accounting/information-requests: owners' 91.504 requests, their 60-day deadline, the answer. */
export async function informationRequestsPage(main, params, ctx) {
  useStyle(STYLE);
  const names = await partners();
  const state = { show: ctx.query.get("show") || "open", offset: Number(ctx.query.get("offset")) || 0 };
  const list = h("div");
  const draw = async () => {
    setQuery({ show: state.show, offset: state.offset || "" });
    const query = { open_only: state.show === "open", overdue: state.show === "overdue", limit: PAGE, offset: state.offset };
    const page = await get(paths.informationRequests.list, query);
    const answered = (r) =>
      r.answered_on
        ? `sent ${r.answered_on}`
        : ctx.can("accounting", "write")
          ? h("button.link", { type: "button", on: { click: () => markAnswered(r) } }, "Mark answered today")
          : "open";
    mount(
      list,
      table(
        [
          { label: "Owner", value: (r) => ownerName(names, r.partner_id) },
          { label: "Asked", value: (r) => `${words(r.kind)}: ${r.asked}` },
          { label: "Received", value: (r) => r.received_on },
          { label: "Due", value: (r) => (r.overdue ? badge(`overdue since ${r.due_on}`, "bad") : r.due_on) },
          { label: "Answer", value: (r) => answerLinks(r) },
          { label: "Answered", value: answered },
        ],
        page.items,
        { caption: "Information requests", empty: "No requests." },
      ),
      pager(page, (offset) => {
        state.offset = offset;
        draw().catch((error) => mount(list, failure(error)));
      }),
    );
  };
  const markAnswered = async (r) => {
    await post(paths.informationRequests.answered(r.id), { answered_on: isoDate() });
    flash("Answer recorded.");
    await draw();
  };
  const answerLinks = (r) =>
    h(
      "span.acc-downloads",
      ["pdf", "csv"].map((format) =>
        h("button.link", { type: "button", on: { click: () => download(`${paths.informationRequests.answer(r.id)}?format=${format}`, `answer.${format}`) } }, format.toUpperCase()),
      ),
    );
  const filters = h("form.filters.acc-filters", { role: "search" }, field("show", "Show", { kind: "select", value: state.show, options: [["open", "Open"], ["overdue", "Overdue"], ["all", "All"]] }));
  filters.addEventListener("change", () => {
    Object.assign(state, { show: values(filters).show, offset: 0 });
    draw().catch((error) => mount(list, failure(error)));
  });
  const kinds = [["deductions", "Deductions (91.504(a))"], ["heating_value", "Heating value (91.504(b))"], ["lease_identification", "Lease identification (91.504(c))"], ["payment_information", "Payment information (91.507)"]];
  const form = ctx.can("accounting", "write")
    ? onSubmit(
        h(
          "form.card",
          { novalidate: true },
          h("h2", "Record a request"),
          field("partner_id", "Owner", { kind: "select", required: true, options: [...names.values()].map((p) => [p.id, p.name]) }),
          field("kind", "What is asked", { kind: "select", options: kinds }),
          field("received_on", "Received (certified mail)", { kind: "date", required: true, value: isoDate() }),
          field("asked", "The request in the owner's words", { required: true }),
          h("button.primary", { type: "submit" }, "Record"),
        ),
        async (body) => {
          const saved = await post(paths.informationRequests.list, { id: newId(), ...body });
          flash(`Recorded: answer by ${saved.due_on}.`);
          await draw();
        },
      )
    : null;
  await draw();
  mount(main, header("Information requests"), h("p.hint", "Texas Natural Resources Code 91.504: the answer goes by certified mail by the 60th day after the request is received."), form, filters, list);
}

/** #/accounting/escheat: suspense presumed abandoned, due-diligence letters, the yearly report. */
export async function escheatPage(main, params, ctx) {
  useStyle(STYLE);
  const asOf = ctx.query.get("as_of") || isoDate();
  const [candidates, letters, reports] = await Promise.all([
    get(paths.escheat.candidates, { as_of: asOf }),
    get(paths.escheat.letters),
    get(paths.escheat.reports),
  ]);
  const year = Number(asOf.slice(0, 4));
  const lettersForm = ctx.can("accounting", "write")
    ? onSubmit(
        h("form.card", { novalidate: true }, h("h2", "Record letters"), field("report_year", "Report year", { kind: "number", value: String(year) }), field("sent_on", "Mailed on", { kind: "date", value: isoDate() }), h("button.primary", { type: "submit" }, "Record letters")),
        async (body) => {
          const done = await post(paths.escheat.letters, { report_year: Number(body.report_year), sent_on: body.sent_on });
          flash(`${done.sent} letters recorded.`);
          ctx.navigate("/accounting/escheat");
        },
      )
    : null;
  const reportForm = ctx.can("accounting", "write")
    ? onSubmit(
        h("form.card", { novalidate: true }, h("h2", "File the report"), field("report_year", "Report year", { kind: "number", value: String(year) }), field("holder_tax_id", "Operator EIN (9 digits)", { required: true }), h("button.primary", { type: "submit" }, "Build report")),
        async (body) => {
          const report = await post(paths.escheat.reports, { report_year: Number(body.report_year), holder_tax_id: body.holder_tax_id });
          flash(`Report ${report.report_year}: ${money(report.total)} released from suspense.`);
          ctx.navigate("/accounting/escheat");
        },
      )
    : null;
  mount(
    main,
    header("Unclaimed property"),
    h("p.hint", "Property Code 75.101: mineral proceeds unclaimed for more than three years are presumed abandoned; letters by May 1 for more than $250 (74.1011), the report by July 1 (74.101)."),
    table(
      [
        { label: "Owner", value: (c) => `${c.name} (${c.owner_number || "no number"})` },
        { label: "Amount", num: true, value: (c) => money(c.amount) },
        { label: "Last activity", value: (c) => c.last_activity },
        { label: "Presumed abandoned", value: (c) => c.presumed_abandoned_on },
        { label: "Report", value: (c) => String(c.report_year) },
        { label: "Letter", value: (c) => (c.letter_sent_on ? `mailed ${c.letter_sent_on}` : c.letter_required ? badge(`due by ${c.letter_due_by}`, "warn") : "not required") },
        { label: "Reportable", value: (c) => (c.reportable ? badge("yes", "bad") : "not yet") },
        { label: "Problems", value: (c) => c.problems.join("; ") },
      ],
      candidates.items,
      { caption: "Owners with suspense", empty: "No suspense is held." },
    ),
    lettersForm,
    h("h2", "Letters"),
    table(
      [
        { label: "Year", value: (l) => String(l.report_year) },
        { label: "Owner", value: (l) => String(l.partner_id).slice(0, 8) },
        { label: "Amount", num: true, value: (l) => money(l.amount) },
        { label: "Mailed", value: (l) => l.sent_on },
        { label: "Claimed", value: (l) => l.claimed_on || "" },
      ],
      letters.items,
      { caption: "Due-diligence letters", empty: "No letters yet." },
    ),
    reportForm,
    h("h2", "Reports"),
    table(
      [
        { label: "Year", value: (r) => String(r.report_year) },
        { label: "Total", num: true, value: (r) => money(r.total) },
        { label: "Owners", num: true, value: (r) => num(r.items.length) },
        { label: "File", value: (r) => h("button.link", { type: "button", on: { click: () => download(paths.escheat.file(r.id), `unclaimed-property-${r.report_year}.txt`) } }, "NAUPA file") },
      ],
      reports,
      { caption: "Reports filed", empty: "No report yet." },
    ),
  );
}
