// The purchasers, haulers and drivers a lease's run tickets named before, offered on the ticket form instead of
// typed again: production's (the route's `ticket_parties`, from the lease's recorded tickets) and this phone's
// own (what was typed here, kept for offline use and for a name production has not heard of yet), the latest
// first, each once.

const KEY = "wellflow.ticket-parties";
const KINDS = ["purchasers", "haulers", "drivers"];
const MOST = 8;

function kept() {
  try {
    return JSON.parse(localStorage.getItem(KEY)) || {};
  } catch {
    return {};
  }
}

/** The lease's choices: {purchasers, haulers, drivers}, each newest first. */
export function partiesOf(route, leaseId) {
  const fromApi = route?.ticket_parties?.[leaseId] || {};
  const fromPhone = kept()[leaseId] || {};
  const out = {};
  for (const kind of KINDS) out[kind] = [...new Set([...(fromPhone[kind] || []), ...(fromApi[kind] || [])])].slice(0, MOST);
  return out;
}

/** Remember a ticket's purchaser, hauler and driver for its lease, first in line next time. */
export function rememberParties(leaseId, body) {
  if (!leaseId) return;
  const all = kept();
  const lease = all[leaseId] || {};
  for (const [kind, value] of [["purchasers", body.purchaser], ["haulers", body.hauler], ["drivers", body.driver]]) {
    if (value) lease[kind] = [value, ...(lease[kind] || []).filter((v) => v !== value)].slice(0, MOST);
  }
  all[leaseId] = lease;
  localStorage.setItem(KEY, JSON.stringify(all));
}
