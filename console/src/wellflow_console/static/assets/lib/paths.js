// Every path of the public REST API the console calls, in one place, by area (the service that answers it).
// Pages import these instead of writing "/api/v1/..." themselves: `get(paths.wells.one(id))`. Each segment
// taken from data is URL-encoded here. The API's own reference is the gateway's /docs.

const V1 = "/api/v1";
const at = (...parts) => [V1, ...parts.map((part, i) => (i === 0 ? part : encodeURIComponent(part)))].join("/");

export const paths = {
  // identity: sessions, the member, the team
  auth: {
    prefix: `${V1}/auth/`, // a 401 under it is a refused credential, not an expired session
    signin: `${V1}/auth/signin`,
    signup: `${V1}/auth/signup`,
    signout: `${V1}/auth/signout`,
    refresh: `${V1}/auth/refresh`,
    // the console's own sign-in at the gateway: the session and, for a pumper, the day's route in one answer
    console: "/console/session",
    passwordReset: `${V1}/auth/password-reset`,
    passwordResetConfirm: `${V1}/auth/password-reset/confirm`,
  },
  me: `${V1}/me`,
  organization: `${V1}/organizations/current`, // the profile statements print (owner edits)
  members: {
    list: `${V1}/members`,
    one: (userId) => at("members", userId),
    deactivate: (userId) => `${at("members", userId)}/deactivate`,
    signInLink: (userId) => `${at("members", userId)}/sign-in-link`,
  },
  invitations: {
    list: `${V1}/invitations`,
    one: (id) => at("invitations", id),
    resend: (id) => `${at("invitations", id)}/resend`,
    accept: `${V1}/invitations/accept`,
  },
  apiKeys: {
    list: `${V1}/api-keys`,
    one: (id) => at("api-keys", id),
  },

  // notifications: the member's own (the bell) and their preferences
  notifications: {
    list: `${V1}/notifications`,
    unreadCount: `${V1}/notifications/unread-count`,
    read: `${V1}/notifications/read`,
    preferences: `${V1}/notifications/preferences`,
    digest: `${V1}/notifications/digest`,
  },

  // wells: the registry
  wells: {
    list: `${V1}/wells`,
    one: (id) => at("wells", id),
    statusHistory: (id) => `${at("wells", id)}/status-history`,
    tests: (id) => `${at("wells", id)}/tests`,
  },
  leases: {
    list: `${V1}/leases`,
    one: (id) => at("leases", id),
  },

  // production: readings, tanks, the route, alerts, series, forecasts
  readings: {
    list: `${V1}/readings`,
    one: (id) => at("readings", id),
    downtimeReasons: `${V1}/readings/downtime-reasons`,
    rules: `${V1}/readings/rules`,
    history: (id) => `${at("readings", id)}/history`,
  },
  tankGauges: `${V1}/tank-gauges`,
  runTickets: `${V1}/run-tickets`,
  route: {
    mine: `${V1}/production/route`,
    of: (userId) => at("production", "routes", userId),
  },
  alerts: {
    list: `${V1}/production-alerts`,
    acknowledge: (id) => `${at("production-alerts", id)}/acknowledge`,
  },
  // a well's or a lease's production: `${base}/daily`, `${base}/monthly`
  production: {
    well: (id) => at("production", "wells", id),
    lease: (id) => at("production", "leases", id),
    organization: `${V1}/production/organization`, // the whole company: every lease summed
    daily: (base) => `${base}/daily`,
    monthly: (base) => `${base}/monthly`,
  },
  forecasts: {
    well: (id) => at("forecasts", "wells", id),
  },
  // what a manager watches: each tank's balance and its alarms, the haulers, deferred dollars, refused loads
  oversight: {
    tankBalance: (id) => `${at("production", "tanks", id)}/balance`,
    tankAlarms: `${V1}/production/tank-alarms`,
    haulerWatch: `${V1}/production/hauler-watch`,
    deferred: `${V1}/production/deferred`,
    deferredWeekly: `${V1}/production/deferred/weekly`,
    refusedLoads: `${V1}/production/refused-loads`,
  },

  // compliance: Form PR, submissions, severance tax, the filing calendar
  compliance: {
    leases: `${V1}/compliance/leases`,
    submissions: `${V1}/compliance/submissions`,
    retrySubmission: (id) => `${at("compliance", "submissions", id)}/retry`,
    confirmSubmission: (id) => `${at("compliance", "submissions", id)}/confirmation`,
    submissionPackage: (id, name) => `${at("compliance", "submissions", id)}/package/${encodeURIComponent(name)}`,
    portal: `${V1}/compliance/portal`,
  },
  formPr: {
    month: (period) => at("form-pr", period),
    submit: (period) => `${at("form-pr", period)}/submit`,
    export: (period, format) => `${at("form-pr", period)}/export.${encodeURIComponent(format)}`,
    adjustments: (period) => `${at("form-pr", period)}/adjustments`,
    voidAdjustment: (period, id) => `${at("form-pr", period, "adjustments", id)}/void`,
  },
  severanceTax: {
    list: `${V1}/severance-tax`,
    reliefs: `${V1}/severance-tax/reliefs`,
    prices: (leaseId, period) => `${at("severance-tax", "leases", leaseId, period)}/prices`,
    summary: (period) => `${at("severance-tax", "months", period)}/summary`,
  },
  filingCalendar: {
    list: `${V1}/filing-calendar`,
    paid: (id) => `${at("filing-calendar", id)}/paid`,
    scope: `${V1}/filing-calendar/scope`,
    audit: `${V1}/filing-calendar/audit`,
    filedOutside: (id) => `${at("filing-calendar", id)}/filed-outside`,
    undoOutside: (id) => `${at("filing-calendar", id)}/filed-outside/undo`,
  },

  // accounting: revenue, JIB, AFEs
  partners: `${V1}/partners`,
  prices: `${V1}/prices`,
  suspense: `${V1}/suspense`,
  revenue: {
    runs: `${V1}/revenue/runs`,
    run: (id) => at("revenue", "runs", id),
    statements: (id) => `${at("revenue", "runs", id)}/statements`,
    statement: (id, partnerId) => at("revenue", "runs", id, "statements", partnerId),
    finalize: (id) => `${at("revenue", "runs", id)}/finalize`,
  },
  jib: {
    runs: `${V1}/jib/runs`,
    run: (id) => at("jib", "runs", id),
    statements: (id) => `${at("jib", "runs", id)}/statements`,
    statement: (id, partnerId) => at("jib", "runs", id, "statements", partnerId),
    issue: (id) => `${at("jib", "runs", id)}/issue`,
  },
  // Texas owner-payment law: late payments, 91.504 requests, escheat
  latePayments: {
    list: `${V1}/late-payments`,
    check: `${V1}/late-payments/check`,
    rates: `${V1}/late-interest-rates`,
  },
  informationRequests: {
    list: `${V1}/information-requests`,
    one: (id) => at("information-requests", id),
    answer: (id) => `${at("information-requests", id)}/answer`,
    answered: (id) => `${at("information-requests", id)}/answered`,
  },
  escheat: {
    candidates: `${V1}/escheat/candidates`,
    letters: `${V1}/escheat/letters`,
    reports: `${V1}/escheat/reports`,
    file: (id) => `${at("escheat", "reports", id)}/file`,
  },
  tax1099: {
    list: `${V1}/tax/1099`, // ?year=
    owner: (partnerId) => at("tax", "1099", "owners", partnerId), // ?year=&format=
    copies: `${V1}/tax/1099/recipient-copies.pdf`, // ?year=
    filings: `${V1}/tax/1099/filings`, // ?year= (GET); {year, kind, test} (POST)
    file: (id) => `${at("tax", "1099", "filings", id)}/file`,
    settings: `${V1}/tax/1099/settings`,
  },
  payments: {
    runs: `${V1}/payments/runs`,
    run: (id) => at("payments", "runs", id),
    payments: (id) => `${at("payments", "runs", id)}/payments`,
    approve: (id) => `${at("payments", "runs", id)}/approve`,
    cancel: (id) => `${at("payments", "runs", id)}/cancel`,
    files: (id) => `${at("payments", "runs", id)}/files`,
    send: (id) => `${at("payments", "runs", id)}/send`,
    achFile: (id) => `${at("payments", "runs", id)}/ach-file`,
    checks: (id) => `${at("payments", "runs", id)}/checks`,
    settings: `${V1}/payments/settings`,
  },
  // documents: files linked to leases, wells, AFEs, readings ...
  documents: {
    list: `${V1}/documents`,
    one: (id) => at("documents", id),
    content: (id) => `${at("documents", id)}/content`,
    thumbnail: (id) => `${at("documents", id)}/thumbnail`,
  },
  afes: {
    list: `${V1}/afes`,
    one: (id) => at("afes", id),
    estimateVsActual: (id) => `${at("afes", id)}/estimate-vs-actual`,
    transitions: (id) => `${at("afes", id)}/transitions`,
    elections: (id) => `${at("afes", id)}/elections`,
  },
  // accounting: purchaser statements in and the reconciliation (docs/reconciliation.md)
  purchaserStatements: {
    maps: `${V1}/purchaser-statements/column-maps`,
    imports: `${V1}/purchaser-statements/imports`,
    unmapped: `${V1}/purchaser-statements/unmapped-properties`,
    propertyMap: `${V1}/purchaser-statements/property-map`,
  },
  reconciliation: {
    items: `${V1}/reconciliation/items`,
    resolve: (id) => `${at("reconciliation", "items", id)}/resolve`,
  },
};
