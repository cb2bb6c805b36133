// #/accounting/jib and #/accounting/jib/<id>: JIB runs, partner statements, issuing a run.

import { get, post } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, table, pager, badge, flash, header, failure, num, money, dateTime, useStyle, monthLabel, confirmAction } from "../../lib/ui.js";
import { setQuery } from "../../lib/router.js";
import { STYLE, PAGE, statusBadge, leases, stats, warningList, runForm, downloads, listState, statusFilter } from "./shared.js";

/** #/accounting/jib: JIB runs by month, and running a month. */
export async function jibPage(main, params, ctx) {
  useStyle(STYLE);
  const state = listState(ctx);
  const list = h("div");
  const draw = async () => {
    setQuery({ status: state.status, offset: state.offset || "" });
    const page = await get(paths.jib.runs, { status: state.status, limit: PAGE, offset: state.offset });
    mount(
      list,
      table(
        [
          { label: "Month", value: (r) => h("a", { href: `#/accounting/jib/${r.id}` }, monthLabel(r.month)) },
          { label: "Status", value: (r) => statusBadge(r.status) },
          { label: "Gross billed", num: true, value: (r) => money(r.totals.gross_billed) },
          { label: "Overhead", num: true, value: (r) => money(r.totals.overhead) },
          { label: "Costs", num: true, value: (r) => num(r.totals.costs) },
          { label: "Partners", num: true, value: (r) => num(r.totals.partners) },
          { label: "Not billed", num: true, value: (r) => num(r.totals.not_billed) },
        ],
        page.items,
        { caption: "JIB runs", empty: state.status ? "No runs with this status." : "No joint interest billing has been run yet." },
      ),
      pager(page, (offset) => {
        state.offset = offset;
        draw().catch((error) => mount(list, failure(error)));
      }),
    );
  };
  const filters = statusFilter([["", "All"], ["draft", "Draft"], ["issued", "Issued"]], state, (status) => {
    Object.assign(state, { status, offset: 0 });
    draw().catch((error) => mount(list, failure(error)));
  });
  await draw();
  mount(
    main,
    header("Joint interest billing"),
    ctx.can("accounting", "write")
      ? runForm(
          "Bill a month",
          paths.jib.runs,
          "Bills every unbilled cost dated before the month ends, plus overhead, as a draft.",
          (run) => ctx.navigate(`/accounting/jib/${run.id}`),
        )
      : null,
    h("h2", "Runs"),
    filters,
    list,
  );
}

/** #/accounting/jib/:id: a JIB run's totals, warnings, partner statements (PDF/CSV) and its issue. */
export async function jibRunPage(main, params, ctx) {
  useStyle(STYLE);
  const id = params.id;
  const [run, names] = await Promise.all([get(paths.jib.run(id)), leases(ctx)]);
  const actions = [];
  if (ctx.can("accounting", "write") && run.status === "draft") {
    actions.push(
      confirmAction({
        label: "Issue",
        question: `Issuing locks ${monthLabel(run.month)}'s JIB: its costs are marked billed and partners' balances become due.`,
        yes: `Issue ${monthLabel(run.month)}`,
        primary: true,
        act: async () => {
          await post(paths.jib.issue(id));
          flash(`${monthLabel(run.month)} issued.`);
          ctx.navigate(`/accounting/jib/${run.id}`);
        },
     }),
    );
  }
  const t = run.totals;
  mount(
    main,
    h("p.acc-back", h("a", { href: "#/accounting/jib" }, "← Joint interest billing")),
    header(h("span", `JIB · ${monthLabel(run.month)} `, statusBadge(run.status)), ...actions),
    run.status === "issued"
      ? h("p.acc-locked", badge("locked", "muted"), ` Issued ${dateTime(run.issued_at)}.`)
      : h("p.acc-locked", "Draft: nothing is billed until the run is issued."),
    stats([
      ["Gross billed", money(t.gross_billed)],
      ["Overhead", money(t.overhead)],
      ["Costs", num(t.costs)],
      ["Partners", num(t.partners)],
      ["Costs not billed", num(t.not_billed)],
    ]),
    warningList(run.warnings, names),
    h("h2", "Partner statements"),
    table(
      [
        { label: "Partner", value: (s) => s.name },
        { label: "Balance due", num: true, value: (s) => money(s.balance_due) },
        { label: "Statement", value: (s) => downloads(paths.jib.statement(id, s.partner_id), s.name, `#/accounting/jib/${id}/statements/${s.partner_id}`) },
        { label: "Prior balance", num: true, value: (s) => money(s.prior_balance) },
        { label: "Billed", num: true, value: (s) => money(s.billed) },
        { label: "Payments", num: true, value: (s) => money(s.payments) },
      ],
      run.statements || [],
      { caption: "Partner statements", empty: "No partner is billed in this run." },
    ),
  );
}
