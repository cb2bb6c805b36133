// #/accounting/payments and #/accounting/payments/<id>: payment runs (money out): paying a finalized revenue
// run, reviewing who is paid what by ACH or check, approving, writing the ACH file and checks, marking it sent.

import { get, post, download, newId } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, busy, table, pager, flash, header, failure, num, money, dateTime, useStyle, words, monthLabel, confirmAction, field, values, showErrors, isoDate } from "../../lib/ui.js";
import { setQuery } from "../../lib/router.js";
import { STYLE, PAGE, statusBadge, stats, listState, statusFilter } from "./shared.js";

/** #/accounting/payments: payment runs, and (for accounting:write) paying a finalized revenue run. */
export async function paymentsPage(main, params, ctx) {
  useStyle(STYLE);
  const state = listState(ctx);
  const list = h("div");
  // two runs may share a pay date (a late month paid with the current one): name the month each run pays
  const months = new Map((await get(paths.revenue.runs, { status: "finalized", limit: 24 })).items.map((r) => [r.id, r.month]));
  const pays = (r) => (!r.distribution_run_id ? "JIB credits" : months.has(r.distribution_run_id) ? `${monthLabel(months.get(r.distribution_run_id))} revenue` : "Revenue run");
  const draw = async () => {
    setQuery({ status: state.status, offset: state.offset || "" });
    const page = await get(paths.payments.runs, { status: state.status, limit: PAGE, offset: state.offset });
    mount(
      list,
      table(
        [
          { label: "Pay date", value: (r) => h("a", { href: `#/accounting/payments/${r.id}` }, r.pay_date) },
          { label: "Pays", value: pays },
          { label: "Status", value: (r) => statusBadge(r.status) },
          { label: "ACH", num: true, value: (r) => money(r.totals.ach_total) },
          { label: "Checks", num: true, value: (r) => money(r.totals.check_total) },
          { label: "Payments", num: true, value: (r) => num(r.totals.payments) },
          { label: "Held", num: true, value: (r) => num(r.totals.held) },
          { label: "Interest", num: true, value: (r) => money(r.totals.interest) },
          { label: "Built", value: (r) => dateTime(r.created_at) },
        ],
        page.items,
        { caption: "Payment runs", empty: state.status ? "No runs with this status." : "No payment run yet." },
      ),
      pager(page, (offset) => {
        state.offset = offset;
        draw().catch((error) => mount(list, failure(error)));
      }),
    );
  };
  const filters = statusFilter(
    [["", "All"], ["draft", "Draft"], ["approved", "Approved"], ["files_generated", "Files written"], ["sent", "Sent"], ["cancelled", "Cancelled"]],
    state,
    (status) => {
      Object.assign(state, { status, offset: 0 });
      draw().catch((error) => mount(list, failure(error)));
    },
  );
  await draw();
  mount(main, header("Payments"), ctx.can("accounting", "write") ? await payForm(ctx) : null, h("h2", "Runs"), filters, list);
}

/** "Pay a revenue run": a finalized revenue run, the pay date, JIB credits or not. */
async function payForm(ctx) {
  const finalized = await get(paths.revenue.runs, { status: "finalized", limit: 24 });
  const options = [["", "JIB credits only"], ...finalized.items.map((r) => [r.id, `${monthLabel(r.month)} revenue`])];
  const form = h(
    "form.card.acc-run",
    { novalidate: true },
    h("h2", "Pay owners"),
    field("distribution_run_id", "Revenue run", { kind: "select", options, value: options.length > 1 ? options[1][0] : "" }),
    field("pay_date", "Pay date", { kind: "date", required: true, value: isoDate(), hint: "The ACH effective date and the checks' date." }),
    field("include_jib_credits", "Refund JIB credits", { kind: "checkbox", value: true }),
    h("button.primary", { type: "submit" }, "Build payment run"),
  );
  const key = newId(); // a retried submit answers the first run
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      try {
        const body = values(form);
        const run = await post(paths.payments.runs, {
          id: key,
          distribution_run_id: body.distribution_run_id || null,
          pay_date: body.pay_date,
          include_jib_credits: Boolean(body.include_jib_credits),
        });
        flash("Payment run built as a draft: review it, then approve.");
        ctx.navigate(`/accounting/payments/${run.id}`);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

function step(label, question, yes, act, primary = true) {
  return confirmAction({ label, question, yes, primary, act });
}

function runActions(run, ctx) {
  if (!ctx.can("accounting", "write")) return [];
  const id = run.id;
  const again = (text) => {
    flash(text);
    ctx.navigate(`/accounting/payments/${id}`);
  };
  const actions = [];
  if (run.status === "draft") {
    const who = run.first_approved_by ? "A second person's approval completes it." : "Approval fixes the payments and moves JIB and suspense balances.";
    const approved = (after) => (after.status === "draft" ? "Approved once: a second person must approve." : `Run ${words(after.status)}.`);
    actions.push(step("Approve", who, "Approve the payments", async () => again(approved(await post(paths.payments.approve(id))))));
    actions.push(step("Cancel", "Cancelling drops this draft; nothing was paid.", "Cancel the run", async () => again((await post(paths.payments.cancel(id))) && "Run cancelled."), false));
  }
  if (run.status === "approved") {
    actions.push(step("Write files", "Writes the ACH file and numbers the checks (once).", "Write the files", async () => again((await post(paths.payments.files(id))) && "ACH file and checks written.")));
  }
  if (run.status === "approved" || run.status === "files_generated") {
    actions.push(step("Mark sent", "Marks every payment sent: the ACH file is with the bank, the checks are in the mail.", "Mark sent", async () => again((await post(paths.payments.send(id))) && "Run sent.")));
  }
  return actions;
}

function fileButtons(run) {
  const button = (label, path, name) =>
    h("button", {
      type: "button",
      on: { click: (event) => busy(event.currentTarget, async () => {
        try { await download(path, name); } catch (error) { flash(error.message || "The file could not be downloaded.", "bad"); }
      }) },
    }, label);
  if (!["files_generated", "sent"].includes(run.status)) return null;
  return h("p.acc-downloads",
    run.has_ach_file ? button("Download ACH file", paths.payments.achFile(run.id), "ach.txt") : "No ACH payments in this run. ",
    " ",
    run.totals.check_payments ? button("Print checks (PDF)", `${paths.payments.checks(run.id)}?format=pdf`, "checks.pdf") : null,
  );
}

/** #/accounting/payments/:id: a run's totals, warnings, approval, files and its payments. */
export async function paymentRunPage(main, params, ctx) {
  useStyle(STYLE);
  const run = await get(paths.payments.run(params.id));
  const query = { status: ctx.query.get("status") || "", method: ctx.query.get("method") || "", offset: Number(ctx.query.get("offset")) || 0 };
  const list = h("div");
  const draw = async () => {
    setQuery({ status: query.status, method: query.method, offset: query.offset || "" });
    const page = await get(paths.payments.payments(run.id), { status: query.status, method: query.method, limit: PAGE, offset: query.offset });
    mount(
      list,
      table(
        [
          { label: "Payee", value: (p) => `${p.name}${p.owner_number ? ` (${p.owner_number})` : ""}` },
          { label: "How", value: (p) => (p.method === "ach" ? `ACH ****${p.account_last4 || ""}` : p.check_number ? `Check ${p.check_number}` : "Check") + (p.prenote ? " · prenote" : "") },
          { label: "Status", value: (p) => h("span", statusBadge(p.status), p.hold_reason ? h("small", ` ${p.hold_reason}`) : null) },
          { label: "Gross", num: true, value: (p) => money(p.gross) },
          { label: "Taxes", num: true, value: (p) => money(p.tax) },
          { label: "Netted (JIB)", num: true, value: (p) => money(p.netted) },
          { label: "Interest", num: true, value: (p) => money(p.interest) },
          { label: "Net paid", num: true, value: (p) => money(p.net) },
        ],
        page.items,
        { caption: "Payments", empty: "No payment with these filters." },
      ),
      pager(page, (offset) => {
        query.offset = offset;
        draw().catch((error) => mount(list, failure(error)));
      }),
    );
  };
  const filters = statusFilter([["", "All"], ["pending", "To pay"], ["held", "Held"], ["sent", "Sent"], ["void", "Void"]], query, (status) => {
    Object.assign(query, { status, offset: 0 });
    draw().catch((error) => mount(list, failure(error)));
  });
  await draw();
  const t = run.totals;
  mount(
    main,
    h("p.acc-back", h("a", { href: "#/accounting/payments" }, "← Payments")),
    header(h("span", `Payments · ${run.pay_date} `, statusBadge(run.status)), ...runActions(run, ctx)),
    run.first_approved_by && run.status === "draft" ? h("p.acc-locked", "Approved once: waiting for a second person.") : null,
    run.approved_at ? h("p.acc-locked", `Approved ${dateTime(run.approved_at)}${run.sent_at ? `, sent ${dateTime(run.sent_at)}` : ""}.`) : null,
    stats([
      ["ACH", `${money(t.ach_total)} (${num(t.ach_payments)})`],
      ["Checks", `${money(t.check_total)} (${num(t.check_payments)})`],
      ["Held", num(t.held)],
      ["Late interest", money(t.interest)],
      ["JIB netted", money(t.netted)],
      ["Prenotes", num(t.prenotes)],
    ]),
    run.warnings.length ? h("ul.problems", run.warnings.map((w) => h("li", w.message))) : null,
    !t.payments && !t.held ? h("p.acc-locked", "Nobody is paid in this run: no owner is owed and no JIB credit is due.") : null,
    fileButtons(run),
    h("h2", "Payments"),
    filters,
    list,
  );
}
