// The barrels a gauge or a run ticket will be, worked out on the phone before saving, with production's own
// arithmetic (services/production/.../domain/gauging.py): a level between two rows of the tank's strapping table
// on the straight line, rounded half up to 0.01 bbl; the gravity at 60 °F (API MPMS 11.1-2004 Table 5A, a glass
// hydrometer's reading corrected for the glass), each gauge's CTL (Table 6A) rounded to 5 places, and
// net = (opening × CTL(opening) − closing × CTL(closing)) × (1 − BS&W / 100) to 0.01 bbl. Decimals are exact
// (BigInt fractions), as the server's Decimal; the correlation itself is floating point on both sides. And
// the tank's expected balance (domain/tank_balance.py) with what the phone holds unsent added.
// No DOM here: node's unit tests import this module as it is (console/tests/volumes.test.js).

// ------------------------------------------------------------------------------------- exact decimals

/** A decimal string ("400.80", "-3", ".5") as an exact fraction [numerator, denominator] of BigInts. */
export function frac(text) {
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(String(text).trim());
  if (!match || (match[2] === "" && !match[3])) throw new Error(`not a decimal: ${text}`);
  const digits = (match[2] || "0") + (match[3] || "");
  const n = BigInt(digits) * (match[1] ? -1n : 1n);
  return [n, 10n ** BigInt((match[3] || "").length)];
}

const add = ([a, b], [c, d]) => [a * d + c * b, b * d];
const sub = ([a, b], [c, d]) => [a * d - c * b, b * d];
const mul = ([a, b], [c, d]) => [a * c, b * d];
const div = ([a, b], [c, d]) => (c < 0n ? [-a * d, -b * c] : [a * d, b * c]);
const cmp = (x, y) => {
  const [n] = sub(x, y);
  return n < 0n ? -1 : n > 0n ? 1 : 0;
};

/** A fraction rounded half up (away from zero on a tie, as Python's ROUND_HALF_UP) to `places`, as a string. */
export function fixed([n, d], places) {
  const scale = 10n ** BigInt(places);
  const negative = n < 0n !== d < 0n && n !== 0n;
  const num = (n < 0n ? -n : n) * scale;
  const den = d < 0n ? -d : d;
  let q = num / den;
  if ((num % den) * 2n >= den) q += 1n;
  const digits = q.toString().padStart(places + 1, "0");
  const text = places ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
  return (negative && q !== 0n ? "-" : "") + text;
}

/** A float as Python's Decimal(repr(x)) rounded half up to `places` (JS and Python print the same shortest form). */
function floatFixed(x, places) {
  const text = String(x);
  if (/e/i.test(text)) return fixed(frac(x.toFixed(20)), places);
  return fixed(frac(text), places);
}

// ------------------------------------------------------------------------------------- strapping

/** A gauge's level in inches as a fraction (feet × 12 + inches + quarters / 4), or null when not whole numbers. */
export function levelOf(gauge) {
  const parts = [gauge?.feet, gauge?.inches, gauge?.quarters ?? 0];
  if (!parts.every((p) => Number.isInteger(p) && p >= 0)) return null;
  return [BigInt(parts[0] * 12 + parts[1]) * 4n + BigInt(parts[2]), 4n];
}

/**
 * The barrels in a tank at a gauge ({feet, inches, quarters}) from its strapping table ([[level, barrels], ...]
 * as decimal strings), "123.45"; null when the table or the gauge cannot say (above the table's top: the API
 * answers that one beside the feet).
 */
export function barrelsAt(strapping, gauge) {
  const level = levelOf(gauge);
  if (!level || !Array.isArray(strapping) || strapping.length < 2) return null;
  const rows = strapping.map(([l, b]) => [frac(l), frac(b)]);
  for (let i = 0; i + 1 < rows.length; i++) {
    const [[la, ba], [lb, bb]] = [rows[i], rows[i + 1]];
    if (cmp(la, level) <= 0 && cmp(level, lb) <= 0) {
      return fixed(add(ba, div(mul(sub(bb, ba), sub(level, la)), sub(lb, la))), 2);
    }
  }
  return null;
}

// ------------------------------------------------------------------------------------- 11.1-2004

const K0 = 341.0957;
const WATER_DENSITY_60F = 999.016;
const DELTA_60_F = 0.01374979547;
const SHIFTED_BASE_F = 60.0068749;
const ITS90_TO_IPTS68 = [-0.148759, -0.267408, 1.08076, 1.269056, -4.089591, -1.871251, 7.438081, -3.536296];
const GLASS_A = 0.00001278;
const GLASS_B = 0.0000000062;

const densityFromApi = (api) => (141.5 * WATER_DENSITY_60F) / (api + 131.5);
const apiFromDensity = (density) => (141.5 * WATER_DENSITY_60F) / density - 131.5;

function ipts68(temperatureF) {
  const celsius = (temperatureF - 32) / 1.8;
  const tau = celsius / 630;
  let shift = 0.0;
  for (const coefficient of [...ITS90_TO_IPTS68].reverse()) shift = (shift + coefficient) * tau;
  return 1.8 * (celsius - shift) + 32;
}

function crudeCtl(density60, temperatureF) {
  // K1 = K2 = 0 for crude oil: the terms with them are kept as the server writes them
  const k0 = K0;
  const k1 = 0.0;
  const k2 = 0.0;
  const a = (DELTA_60_F / 2) * ((k0 / density60 + k1) / density60 + k2);
  const b = (2 * k0 + k1 * density60) / (k0 + (k1 + k2 * density60) * density60);
  const shifted = density60 * (1 + (Math.exp(a * (1 + 0.8 * a)) - 1) / (1 + a * (1 + 1.6 * a) * b));
  const alpha = (k0 / shifted + k1) / shifted + k2;
  const delta = ipts68(temperatureF) - SHIFTED_BASE_F;
  return Math.exp(-alpha * delta * (1 + 0.8 * alpha * (delta + DELTA_60_F)));
}

function densityAt60(observed, temperatureF) {
  let density = observed;
  for (let i = 0; i < 100; i++) {
    const following = observed / crudeCtl(density, temperatureF);
    if (Math.abs(following - density) < 1e-9) return following;
    density = following;
  }
  return null;
}

function rho60(gravity, sampleF, glass) {
  let observed = densityFromApi(Number(gravity));
  const t = Number(sampleF);
  if (glass) {
    const dt = t - 60.0;
    observed *= 1 - GLASS_A * dt - GLASS_B * dt * dt;
  }
  return densityAt60(observed, t);
}

/** The gravity at 60 °F of a sample (its observed gravity and temperature), "40.1". */
export function gravityAt60(gravity, sampleF, glass = true) {
  const rho = rho60(gravity, sampleF, glass);
  return rho === null ? null : floatFixed(apiFromDensity(rho), 1);
}

/**
 * A run ticket's barrels as the API will compute them: {gross, api60, ctlOpening, ctlClosing, net} (strings),
 * from {openingBbl, closingBbl, gravity, sampleF, openingF, closingF, bsw, glass}; an empty tank temperature
 * is the sample's, as the API reads it.
 */
export function ticketVolume(t) {
  const openingF = t.openingF === "" || t.openingF == null ? t.sampleF : t.openingF;
  const closingF = t.closingF === "" || t.closingF == null ? t.sampleF : t.closingF;
  const rho = rho60(t.gravity, t.sampleF, t.glass);
  if (rho === null) return null;
  const [ctlOpening, ctlClosing] = [openingF, closingF].map((f) => floatFixed(crudeCtl(rho, Number(f)), 5));
  const opening = frac(t.openingBbl);
  const closing = frac(t.closingBbl);
  const standard = sub(mul(opening, frac(ctlOpening)), mul(closing, frac(ctlClosing)));
  const factor = sub([1n, 1n], div(frac(t.bsw), [100n, 1n]));
  return {
    gross: fixed(sub(opening, closing), 2),
    api60: floatFixed(apiFromDensity(rho), 1),
    ctlOpening,
    ctlClosing,
    net: fixed(mul(standard, factor), 2),
  };
}

// ------------------------------------------------------------------------------------- tank balance

/**
 * The range a tank's gauge is expected in, and the tolerance, from the route's `balance` of the tank and its
 * `balance_rule`, with `moreOil` read and `moreTickets` taken since that the route does not hold yet (the
 * phone's unsent entries): {low, high, tolerance} as strings. A battery's only oil tank: low = high.
 */
export function balanceRange(lastBbl, balance, rule, capacity, moreOil = "0", moreTickets = "0") {
  const production = add(frac(balance.production_bbl), frac(moreOil));
  const tickets = add(frac(balance.tickets_bbl), frac(moreTickets));
  const high = sub(add(frac(lastBbl), production), tickets);
  const low = balance.shared ? sub(frac(lastBbl), tickets) : high;
  const shares = [
    frac(rule.floor_bbl),
    div(mul(frac(capacity), frac(rule.capacity_percent)), [100n, 1n]),
    div(mul(cmp(production, [0n, 1n]) > 0 ? production : [0n, 1n], frac(rule.production_percent)), [100n, 1n]),
  ];
  const tolerance = shares.reduce((a, b) => (cmp(a, b) >= 0 ? a : b));
  return { low: fixed(low, 2), high: fixed(high, 2), tolerance: fixed(tolerance, 2) };
}

/** How far `gaugeBbl` lies beyond the range and its tolerance ("0.00" when within), as the server's Balance.outside. */
export function outsideBy(gaugeBbl, range) {
  const gauge = frac(gaugeBbl);
  const low = frac(range.low);
  const high = frac(range.high);
  const tolerance = frac(range.tolerance);
  if (cmp(gauge, sub(low, tolerance)) < 0) return fixed(sub(low, gauge), 2);
  if (cmp(gauge, add(high, tolerance)) > 0) return fixed(sub(gauge, high), 2);
  return "0.00";
}

/** A sum of decimal strings, exact ("12.5" + "3" = "15.5"), to `places`. */
export function total(values, places = 2) {
  return fixed(values.reduce((sum, v) => add(sum, frac(v)), [0n, 1n]), places);
}
