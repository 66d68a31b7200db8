/**
 * The per-class scalar problems of THEORY.md §1 (derivation sketch; Dang et al., ICML 2024, proof of
 * the main theorem) as an error bound *linear* in their residual: what lets a margin, a norm or a Gram
 * entry of the solver's point be compared with a closed form to ~1e-10 relative instead of the
 * ~1e-5 of the sqrt(δ) bounds (docs/resolution.md, "Linear bounds").
 *
 * On the collapsed orthogonal structure every global minimiser has (the theorem's structural part, the
 * same assumption as the growth route of ./bounds.ts; the structure itself is checked by the claims
 * that read the structure-free block bounds), the problem splits per class and class k's margin
 * s_k* = (W h̄_k)_k − (W h̄_k)_j minimises the convex φ_k(s) = ψ(s) + c_k s over s ≥ 0, with
 * ψ(s) = log(1 + (K−1)e^{−s}) and c_k = N sqrt(λ_W λ_H (K−1)/(K n_k)) (AM–GM on the two weight decays).
 *
 * For any number x ≥ 0 (a measured margin): φ_k'(x) − φ_k'(s*) = φ_k''(ξ)(x − s*) with ξ between x and
 * s*, and φ_k'(s*) = 0 (s* > 0) or φ_k'(0) ≥ 0 with x − s* = x ≥ 0 (s* = 0); in both cases
 *     |x − s*| ≤ |φ_k'(x)| / m,   m = min ψ'' between x and s*,
 * and ψ'' = t/(1 + t)², t = (K−1)e^{−s}, rises up to s = log(K−1) and then falls, so its minimum over an
 * interval is at an end. Where s* lies is known from the growth route's proven interval
 * [s_k − Δs_k, s_k + Δs_k] (./bounds.ts), which the linear bound then shrinks by orders of magnitude.
 */
import { EPS } from '../policy.ts';

/** ψ'' at s (module comment). */
function curvature(K: number, s: number): number {
  const t = (K - 1) * Math.exp(-s);
  return t / (1 + t) ** 2;
}

/** A proven interval [lo, hi] containing s_k*. */
export interface MarginInterval {
  readonly lo: number;
  readonly hi: number;
}

/** The K scalar problems of one UFM+ instance, and the proven distance of any number to each minimiser. */
export class PerClassScalarProblems {
  /** c_k = N sqrt(λ_W λ_H (K−1)/(K n_k)). */
  readonly c: readonly number[];
  private readonly K: number;

  /**
   * @param n - the class sizes (positive integers, K ≥ 2)
   * @param reg - λ_W, λ_H > 0
   * @param intervals - for each class, a proven interval containing s_k* (the growth route of ./bounds.ts)
   * @throws RangeError when n, λ or the intervals do not have that shape
   * @example
   * ```ts
   * const p = new PerClassScalarProblems([10, 40], { lambdaW: 1e-2, lambdaH: 1e-2 }, [{ lo: 0, hi: 3 }, { lo: 1, hi: 4 }]);
   * p.distance(1, 2.2); // ≤ |2.2 − s_2*|-ish: |φ_2'(2.2)| / min ψ''
   * ```
   */
  constructor(n: readonly number[], reg: { readonly lambdaW: number; readonly lambdaH: number }, private readonly intervals: readonly MarginInterval[]) {
    this.K = n.length;
    if (this.K < 2 || n.some((nk) => !Number.isInteger(nk) || nk < 1)) throw new RangeError(`n must be K ≥ 2 positive integers, got [${n.join(', ')}]`);
    if (!(reg.lambdaW > 0 && reg.lambdaH > 0)) throw new RangeError(`λ_W and λ_H must be > 0, got ${reg.lambdaW}, ${reg.lambdaH}`);
    if (intervals.length !== this.K || intervals.some((b) => !(b.lo <= b.hi))) throw new RangeError('one interval [lo ≤ hi] per class is required');
    const N = n.reduce((a, b) => a + b, 0);
    this.c = n.map((nk) => N * Math.sqrt((reg.lambdaW * reg.lambdaH * (this.K - 1)) / (this.K * nk)));
  }

  /**
   * φ_k'(x) = c_k − t/(1 + t), t = (K−1)e^{−x}, and a bound on its rounding: t carries ≤ 3ε relative
   * (exp within one ulp, a product), t/(1 + t) ≤ 6ε absolute (it is ≤ 1), c_k ≤ 6ε relative (a product,
   * a quotient, a square root, a product), the difference ε|φ'|; doubled for safety.
   */
  derivative(k: number, x: number): { readonly value: number; readonly error: number } {
    const t = (this.K - 1) * Math.exp(-x);
    const value = this.c[k] - t / (1 + t);
    return { value, error: 2 * (6 + 6 * this.c[k] + Math.abs(value)) * EPS };
  }

  /**
   * A proven bound on |x − s_k*| for any number x: the smaller of the interval's (the farther end) and
   * the linear bound |φ_k'(x)|/m of the module comment (m over the hull of x and the interval, lowered
   * by its own rounding); for x < 0, |x| plus the bound at 0.
   */
  distance(k: number, x: number): number {
    if (x < 0) return -x + this.distance(k, 0);
    const { lo, hi } = this.intervals[k];
    const interval = Math.max(Math.abs(x - Math.max(0, lo)), Math.abs(hi - x));
    const m = Math.min(curvature(this.K, Math.min(x, Math.max(0, lo))), curvature(this.K, Math.max(x, hi))) * (1 - 16 * EPS);
    const d = this.derivative(k, x);
    return Math.min(interval, (Math.abs(d.value) + d.error) / m);
  }
}
