/**
 * A compact unconstrained L-BFGS (Nocedal 1980; two-loop recursion, Nocedal & Wright Alg. 7.4) for
 * the deep-linear MSE model (src/solver/deepLinear.ts). The UFM solver's ProjectedLbfgs is bound to
 * its UFM evaluator (one W, one H), so this module has its own. Buffers are allocated once.
 *
 * Line search: backtracking Armijo. Near a minimiser f changes by less than its own rounding
 * (‖∇f‖²/μ ≪ ε|f|), so a step is also accepted when f is unchanged to {@link F_NOISE} relative and
 * the residual decreases — otherwise residuals of 1e-10 are out of reach. It stops at the residual
 * tolerance, at the iteration limit, or when no step is accepted even from a fresh memory (stalled:
 * the rounding floor).
 */

import { dot } from '../../../linalg/vector.ts';
import { type TwoLoopOps, twoLoop } from '../../lbfgs/twoLoop.ts';

/** f(x), writing ∇f(x) into g. */
export type ObjectiveWithGradient = (x: Float64Array, g: Float64Array) => number;

/** Why a run stopped. */
export type LbfgsStatus = 'converged' | 'max-iterations' | 'stalled';

/** Settings of {@link minimiseLbfgs}. */
export interface LbfgsOptions {
  /** Stop when residual(x, ∇f) ≤ this. */
  readonly tolerance: number;
  readonly maxIterations: number;
  /** Curvature pairs kept. */
  readonly memory: number;
  /** The stopping residual (a scaled gradient norm). */
  readonly residual: (x: Float64Array, g: Float64Array) => number;
}

/** What a run returns (x is updated in place). */
export interface LbfgsResult {
  objective: number;
  residual: number;
  iterations: number;
  status: LbfgsStatus;
}

/** Armijo constant. */
const ARMIJO = 1e-4;
/** Relative change of f below which it counts as unchanged (rounding of a mean of N squares). */
const F_NOISE = 1e-13;
/** Backtracking halvings before a step is given up. */
const MAX_HALVINGS = 50;

/**
 * Minimises f from x (in place) with L-BFGS.
 *
 * @example
 * ```ts
 * const x = Float64Array.of(3, -1);
 * minimiseLbfgs((v, g) => { g[0] = 2 * v[0]; g[1] = 2 * v[1]; return v[0] ** 2 + v[1] ** 2; }, x,
 *   { tolerance: 1e-12, maxIterations: 100, memory: 5, residual: (_, g) => Math.max(...g.map(Math.abs)) });
 * // x ≈ (0, 0)
 * ```
 */
export function minimiseLbfgs(fg: ObjectiveWithGradient, x: Float64Array, o: LbfgsOptions): LbfgsResult {
  const n = x.length;
  const S = Array.from({ length: o.memory }, () => new Float64Array(n));
  const Y = Array.from({ length: o.memory }, () => new Float64Array(n));
  const rho = new Float64Array(o.memory);
  const alpha = new Float64Array(o.memory);
  let count = 0;
  let head = 0;
  const g = new Float64Array(n);
  const gNew = new Float64Array(n);
  const xNew = new Float64Array(n);
  const p = new Float64Array(n);
  let f = fg(x, g);
  let residual = o.residual(x, g);
  let it = 0;
  let status: LbfgsStatus = 'max-iterations';
  for (;;) {
    if (residual <= o.tolerance) { status = 'converged'; break; }
    if (it >= o.maxIterations) { status = 'max-iterations'; break; }
    // Two-loop recursion: p = −H_k g (H₀ = γ I).
    for (let i = 0; i < n; i++) p[i] = -g[i];
    const gNorm = Math.sqrt(dot(g, g));
    const last = (head - 1 + o.memory) % o.memory;
    const gamma = count > 0 ? dot(S[last], Y[last]) / dot(Y[last], Y[last]) : 1 / Math.max(1, gNorm);
    twoLoop(p, { S, Y, rho, alpha, head, count }, plainOps(gamma));
    let slope = dot(g, p);
    if (!(slope < 0)) {
      for (let i = 0; i < n; i++) p[i] = -g[i] / Math.max(1, gNorm);
      slope = dot(g, p);
      count = 0;
    }
    let step = 1;
    let accepted = false;
    for (let h = 0; h < MAX_HALVINGS; h++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * p[i];
      const fNew = fg(xNew, gNew);
      const armijo = fNew <= f + ARMIJO * step * slope;
      const flat = Math.abs(fNew - f) <= F_NOISE * Math.abs(f) && o.residual(xNew, gNew) < residual;
      if (Number.isFinite(fNew) && (armijo || flat)) {
        const s = S[head];
        const y = Y[head];
        for (let i = 0; i < n; i++) { s[i] = xNew[i] - x[i]; y[i] = gNew[i] - g[i]; }
        const sy = dot(s, y);
        if (sy > 1e-300 * Math.max(1, dot(y, y))) {
          head = (head + 1) % o.memory;
          count = Math.min(count + 1, o.memory);
        }
        x.set(xNew);
        g.set(gNew);
        f = fNew;
        residual = o.residual(x, g);
        accepted = true;
        break;
      }
      step /= 2;
    }
    it++;
    if (!accepted) {
      if (count === 0) { status = 'stalled'; break; }
      count = 0; // retry from a fresh memory (a scaled gradient step)
    }
  }
  return { objective: f, residual, iterations: it, status };
}

/** Unrestricted vector operations with H₀ = γ I. */
function plainOps(gamma: number): TwoLoopOps {
  return {
    curvature: dot,
    dot,
    axpy: (c, y, p) => { for (let i = 0; i < p.length; i++) p[i] += c * y[i]; },
    initial: (p) => { for (let i = 0; i < p.length; i++) p[i] *= gamma; },
  };
}
