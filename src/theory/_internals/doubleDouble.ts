/**
 * A few double-double (≈ 106-bit) operations (Dekker 1971; Knuth TAOCP vol. 2 §4.2.2), used where
 * the closed forms of src/theory subtract nearly equal quantities: the minority-collapse threshold
 * T and n_k − T, and the Gram entries (Σ_m b_m² − K b_j² − K b_k²)/K². Internal to src/theory.
 *
 * A value is the unevaluated sum `hi + lo` with |lo| ≤ ulp(hi)/2. Inputs must stay well inside
 * the double range (|x| < 2^995, so that Dekker's split cannot overflow); callers scale first.
 */
export interface DoubleDouble {
  readonly hi: number;
  readonly lo: number;
}

/** 2^27 + 1, Dekker's splitting constant for 53-bit doubles. */
const SPLITTER = 134_217_729;

/**
 * a + b exactly, as a double-double (Knuth's TwoSum; no condition on |a|, |b|).
 *
 * @example
 * ```ts
 * twoSum(1, 2 ** -60); // { hi: 1, lo: 2 ** -60 }
 * ```
 */
export function twoSum(a: number, b: number): DoubleDouble {
  const hi = a + b;
  const bb = hi - a;
  const lo = a - (hi - bb) + (b - bb);
  return { hi, lo };
}

/**
 * a · b exactly, as a double-double (Dekker's TwoProduct with Veltkamp splitting).
 *
 * @example
 * ```ts
 * twoProd(1 + 2 ** -30, 1 + 2 ** -30); // { hi: 1 + 2 ** -29, lo: 2 ** -60 }
 * ```
 */
export function twoProd(a: number, b: number): DoubleDouble {
  const hi = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  const lo = ah * bh - hi + ah * bl + al * bh + al * bl;
  return { hi, lo };
}

function split(a: number): [number, number] {
  const t = SPLITTER * a;
  const h = t - (t - a);
  return [h, a - h];
}

function renormalise(hi: number, lo: number): DoubleDouble {
  const s = hi + lo;
  return { hi: s, lo: lo - (s - hi) };
}

/**
 * x + y for double-doubles (the accurate addition, with both low parts propagated; relative error ≈ 2^-104).
 *
 * @example
 * ```ts
 * ddAdd({ hi: 1, lo: 0 }, { hi: 2 ** -60, lo: 0 }); // { hi: 1, lo: 2 ** -60 }
 * ```
 */
export function ddAdd(x: DoubleDouble, y: DoubleDouble): DoubleDouble {
  const s = twoSum(x.hi, y.hi);
  const t = twoSum(x.lo, y.lo);
  const u = renormalise(s.hi, s.lo + t.hi);
  return renormalise(u.hi, u.lo + t.lo);
}

/**
 * x · b for a double-double x and a double b (relative error ≈ 2^-104).
 *
 * @example
 * ```ts
 * ddMul({ hi: 3, lo: 0 }, 1 / 3); // 3 · fl(1/3), exactly
 * ```
 */
export function ddMul(x: DoubleDouble, b: number): DoubleDouble {
  const p = twoProd(x.hi, b);
  return renormalise(p.hi, p.lo + x.lo * b);
}

/**
 * x / b for a double-double x and a double b ≠ 0 (relative error ≈ 2^-104).
 *
 * @example
 * ```ts
 * ddDiv({ hi: 1, lo: 0 }, 3); // 1/3 to about 32 digits
 * ```
 */
export function ddDiv(x: DoubleDouble, b: number): DoubleDouble {
  const q1 = x.hi / b;
  const r = ddAdd(x, neg(twoProd(q1, b)));
  const q2 = r.hi / b;
  const r2 = ddAdd(r, neg(twoProd(q2, b)));
  const q3 = r2.hi / b;
  const s = renormalise(q1, q2);
  return ddAdd(s, { hi: q3, lo: 0 });
}

function neg(x: DoubleDouble): DoubleDouble {
  return { hi: -x.hi, lo: -x.lo };
}

/**
 * Σ xs accumulated in double-double (so a sum of many terms carries no accumulated rounding).
 *
 * @example
 * ```ts
 * ddSum([1, 2 ** -60, -1]).hi; // 2 ** -60
 * ```
 */
export function ddSum(xs: Iterable<number>): DoubleDouble {
  let acc: DoubleDouble = { hi: 0, lo: 0 };
  for (const x of xs) acc = ddAdd(acc, { hi: x, lo: 0 });
  return acc;
}

/**
 * Splits a positive finite double into mantissa and exponent: x = m · 2^e with m ∈ [1, 2),
 * exactly (subnormals included).
 *
 * @example
 * ```ts
 * frexp(12); // { m: 1.5, e: 3 }
 * ```
 */
export function frexp(x: number): { m: number; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  let shift = 0;
  let y = x;
  if (y < 2 ** -1022) {
    y *= 2 ** 64; // exact: lifts a subnormal into the normal range
    shift = 64;
  }
  view.setFloat64(0, y);
  const biased = (view.getUint16(0) >> 4) & 0x7ff;
  const e = biased - 1023;
  return { m: y / 2 ** e, e: e - shift };
}

/**
 * x · 2^e without intermediate overflow or underflow of the scale factor (exact unless the result
 * itself over- or underflows).
 *
 * @example
 * ```ts
 * ldexp(1.5, 3); // 12
 * ```
 */
export function ldexp(x: number, e: number): number {
  let y = x;
  let k = e;
  while (k > 1000) { y *= 2 ** 1000; k -= 1000; }
  while (k < -1000) { y *= 2 ** -1000; k += 1000; }
  return y * 2 ** k;
}
