// #/accounting/revenue and #/accounting/revenue/<id>: revenue runs; a run's owner lines, finalizing it,
// owner statements (PDF, CSV); the suspense ledger.

import { get, post } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, busy, table, pager, badge, flash, header, failure, num, money, dateTime, useStyle, words, monthLabel, confirmAction } from "../../lib/ui.js";
import { volumeDetail, price } from "../../lib/format.js";
import { setQuery } from "../../lib/router.js";
import { STYLE, PAGE, statusBadge, leases, partners, shortId, stats, warningList, runForm, downloads, listState, statusFilter } from "./shared.js";

/** #/accounting/revenue: distribution runs by month, and (for accounting:write) running a month. */
export async function revenuePage(main, params, ctx) {
  useStyle(STYLE);
  const state = listState(ctx);
  const list = h("div");
  const draw = async () => {
    setQuery({ status: state.status, offset: state.offset || "" });
    const page = await get(paths.revenue.runs, { status: state.status, limit: PAGE, offset: state.offset });
    mount(
      list,
      table(
        [
          { label: "Month", value: (r) => h("a", { href: `#/accounting/revenue/${r.id}` }, monthLabel(r.month)) },
          { label: "Status", value: (r) => statusBadge(r.status) },
          { label: "Gross value", num: true, value: (r) => money(r.totals.gross_value) },
          { label: "Net distributed", num: true, value: (r) => money(r.totals.net_distributed) },
          { label: "Paid", num: true, value: (r) => money(r.totals.paid) },
          { label: "Held", num: true, value: (r) => money(r.totals.held_in_suspense) },
          { label: "Owners", num: true, value: (r) => num(r.totals.owners) },
          { label: "Computed", value: (r) => dateTime(r.created_at) },
        ],
        page.items,
        { caption: "Distribution runs", empty: state.status ? "No runs with this status." : "No distribution has been run yet." },
      ),
      pager(page, (offset) => {
        state.offset = offset;
        draw().catch((error) => mount(list, failure(error)));
      }),
    );
  };
  const filters = statusFilter(
    [["", "All"], ["draft", "Draft"], ["finalized", "Finalized"]],
    state,
    (status) => {
      Object.assign(state, { status, offset: 0 });
      draw().catch((error) => mount(list, failure(error)));
    },
  );
  await draw();
  mount(
    main,
    header("Revenue distribution"),
    ctx.can("accounting", "write")
      ? runForm(
          "Run a month",
          paths.revenue.runs,
          "Values the month's sales and splits them among the owners as a draft; running it again replaces the draft.",
          (run) => ctx.navigate(`/accounting/revenue/${run.id}`),
        )
      : null,
    h("h2", "Runs"),
    filters,
    list,
  );
}

/** #/accounting/revenue/:id: a run's totals, warnings, owner settlements with statements, sales, suspense. */
export async function revenueRunPage(main, params, ctx) {
  useStyle(STYLE);
  const id = params.id;
  const [run, names] = await Promise.all([get(paths.revenue.run(id)), leases(ctx)]);
  const t = run.totals;
  const write = ctx.can("accounting", "write");
  const owners = h("div");
  const drawOwners = async (offset) => {
    const page = await get(paths.revenue.statements(id), { limit: PAGE, offset });
    mount(
      owners,
      table(
        [
          { label: "Owner", value: (s) => s.name },
          { label: "Paid", num: true, value: (s) => money(s.paid) },
          { label: "Statement", value: (s) => downloads(paths.revenue.statement(id, s.partner_id), s.name, `#/accounting/revenue/${id}/statements/${s.partner_id}`) },
          { label: "Earned", num: true, value: (s) => money(s.earned) },
          { label: "Held for title", num: true, value: (s) => money(s.title_held) },
          { label: "Released", num: true, value: (s) => money(s.released_title) },
          { label: "Brought forward", num: true, value: (s) => money(s.prior_minimum) },
          { label: "Decision", value: (s) => words(s.reason) },
        ],
        page.items,
        { caption: "Owner settlements", empty: "No owner has a share in this run." },
      ),
      pager(page, (next) => drawOwners(next).catch((error) => mount(owners, failure(error)))),
    );
  };
  await drawOwners(0);

  const actions = [];
  if (write && run.status === "draft") {
    actions.push(
      h(
        "button",
        {
          type: "button",
          on: {
            click: (event) =>
              busy(event.currentTarget, async () => {
                try {
                  await post(paths.revenue.runs, { month: run.month });
                  flash("Run again with the latest volumes and prices.");
                  ctx.navigate(`/accounting/revenue/${run.id}`);
                } catch (error) {
                  flash(error.message, "bad");
                }
              }),
          },
        },
        "Run again",
      ),
      confirmAction({
        label: "Finalize",
        question: `Finalizing locks ${monthLabel(run.month)}: owners are paid or held as shown, suspense moves, and the month's prices can no longer change.`,
        yes: `Finalize ${monthLabel(run.month)}`,
        primary: true,
        act: async () => {
          await post(paths.revenue.finalize(id));
          flash(`${monthLabel(run.month)} finalized.`);
          ctx.navigate(`/accounting/revenue/${run.id}`);
        },
     }),
    );
  }

  const locked =
    run.status === "finalized"
      ? h("p.acc-locked", badge("locked", "muted"), ` Finalized ${dateTime(run.finalized_at)}. The month is locked: late corrections appear as adjustments in a later run.`)
      : h("p.acc-locked", "Draft: nothing is paid or held until the run is finalized.");

  mount(
    main,
    h("p.acc-back", h("a", { href: "#/accounting/revenue" }, "← Revenue distribution")),
    header(h("span", `Revenue · ${monthLabel(run.month)} `, statusBadge(run.status)), ...actions),
    locked,
    stats([
      ["Gross value", money(t.gross_value)],
      ["Severance tax", money(t.severance_tax)],
      ["Deductions", money(t.deductions)],
      ["Net distributed", money(t.net_distributed)],
      ["Paid", money(t.paid)],
      ["Held in suspense", money(t.held_in_suspense)],
      ["Released from suspense", money(t.released_from_suspense)],
      ["Adjustments", money(t.adjustments)],
      ["Owners", num(t.owners)],
    ]),
    warningList(run.warnings, names),
    h("h2", "Owners"),
    owners,
    h("h2", "Valued sales"),
    table(
      [
        { label: "Lease", value: (s) => names.get(s.lease_id) || shortId(s.lease_id) },
        { label: "Product", value: (s) => words(s.product) },
        { label: "Volume", num: true, value: (s) => volumeDetail(s.volume) },
        { label: "Price", num: true, value: (s) => price(s.price) },
        { label: "Gross", num: true, value: (s) => money(s.gross_value) },
        { label: "Tax", num: true, value: (s) => money(s.severance_tax) },
        { label: "Deductions", num: true, value: (s) => money(s.deductions) },
        { label: "Note", value: (s) => (s.is_adjustment ? s.explanation || "adjustment" : words(s.price_source)) },
      ],
      run.sales || [],
      { caption: "Valued sales", empty: "No sales were valued for this month." },
    ),
    await suspenseCard(names),
  );
}

/** The suspense ledger (balances from finalized runs), first page. */
async function suspenseCard(names) {
  try {
    const [page, people] = await Promise.all([get(paths.suspense, { limit: PAGE }), partners()]);
    return h(
      "section.acc-suspense",
      h("h2", "Suspense balances"),
      table(
        [
          { label: "Owner", value: (s) => people.get(s.partner_id)?.name || shortId(s.partner_id) },
          { label: "Reason", value: (s) => words(s.reason) },
          { label: "Lease", value: (s) => (s.lease_id ? names.get(s.lease_id) || shortId(s.lease_id) : "") },
          { label: "Since", value: (s) => monthLabel(s.since) },
          { label: "Balance", num: true, value: (s) => money(s.balance) },
        ],
        page.items,
        { caption: "Suspense balances", empty: "Nothing is held in suspense." },
      ),
      page.total > page.items.length ? h("p.hint", `First ${page.items.length} of ${page.total} balances.`) : null,
    );
  } catch (error) {
    return failure(error);
  }
}
