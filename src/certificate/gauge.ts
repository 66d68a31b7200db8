/**
 * Dual norms of the gauges of THEORY.md §1b, evaluated at a K×N matrix G (in the certificate,
 * G = −∇L(Z)):
 *
 * - UFM+ (H ≥ 0): atoms u vᵀ with ‖u‖ = 1, v ≥ 0, ‖v‖ = 1, dual Ω°(G) = max_{v ≥ 0, ‖v‖ = 1} ‖G v‖;
 * - plain UFM (H free): atoms u vᵀ with unit u, v, gauge = nuclear norm, dual = spectral norm ‖G‖₂.
 */
import { norm } from '../linalg/vector.ts';
import type { Dense } from '../linalg/dense.ts';
import { symmetricTopEigenpair } from '../linalg/symmetricEigen.ts';
import type { ClassLayout } from '../problem/layout.ts';
import { columnGram, reduceByClass, residualGram, rowGram } from './_internals/classReduction.ts';
import { maxOrthantRayleigh, type OrthantRayleigh } from './orthantRayleigh.ts';

/** Bounds on Ω°(G) with the atom that attains the lower one. */
export interface NonnegativeDualNorm {
  /** ‖G v‖ at the returned atom: a value of Ω°(G) that is attained, so a lower bound of it. */
  lower: number;
  /** A proven upper bound of Ω°(G) (up to rounding): min(Ω°(G_c) upper + ‖E‖₂, ‖G‖₂). */
  upper: number;
  /** true when upper − lower ≤ 1e-9 · upper: `lower` is Ω°(G) to 9 digits. */
  exact: boolean;
  /** true when ‖E‖_F ≤ 1e-8 ‖G‖_F: the columns of G are equal within each class to that tolerance. */
  collapsed: boolean;
  /** The atom's left factor u = G v / ‖G v‖ (length K, unit). */
  u: Float64Array;
  /** The atom's right factor v ≥ 0 (length N, unit); for a collapsed G, v_i = β_k / sqrt(n_k) on class k. */
  v: Float64Array;
  /** β_k = ‖v restricted to class k‖ (length K, ≥ 0, unit): the class weights of the atom. */
  classWeights: Float64Array;
  /** The K×K search: its method, cost and exactness (on the class-averaged matrix G_c). */
  search: Pick<OrthantRayleigh, 'method' | 'nodes' | 'exact'>;
  /** ‖E‖₂ bound used (E = G − G_c, the within-class deviation). */
  residualNorm: number;
}

/** Options of {@link nonnegativeDualNorm}. */
export interface DualNormOptions {
  /** Decision mode: settle only whether Ω°(G) exceeds this (see maxOrthantRayleigh's `level`). */
  level?: number;
  /** Eigenproblem budget of the K×K search (default: maxOrthantRayleigh's). */
  nodeBudget?: number;
}

/** Below this relative size the residual E is bounded by ‖E‖_F instead of its spectral norm. */
const NEGLIGIBLE_RESIDUAL = 1e-12;
const EXACT_RELATIVE = 1e-9;
const COLLAPSED_RELATIVE = 1e-8;
const POWER_STEPS = 100;

/**
 * Ω°(G) = max_{v ≥ 0, ‖v‖ = 1} ‖G v‖ (THEORY.md §1b), with a proof of how close the answer is.
 *
 * Write G = G_c + E (class averages plus within-class deviations). For v constant within classes,
 * E v = 0, and max over such v of ‖G v‖ is Ω°(G_c) = max_{β ≥ 0, ‖β‖ = 1} ‖G̃ β‖, solved by
 * {@link maxOrthantRayleigh}. So Ω°(G_c) ≤ Ω°(G) ≤ Ω°(G_c) + ‖E‖₂, and also Ω°(G) ≤ ‖G‖₂. When E is
 * not negligible, projected power iterations v ← (Gᵀ G v)₊ (monotone, see orthantAscent) improve the
 * lower bound from the collapsed atom. Exact (to 1e-9) whenever the candidate is collapsed and the
 * K×K search is exact; otherwise `lower` and `upper` bracket Ω°(G).
 *
 * @example
 * ```ts
 * // Z = 0, K = 2, n = (1, 1): G's columns are ±(1/2, −1/2)/2, so Ω°(G) = ‖g_1‖ = 1/(2√2)
 * const G = fromRows([[0.25, -0.25], [-0.25, 0.25]]);
 * nonnegativeDualNorm(G, classLayout([1, 1])).lower; // 0.35355…
 * ```
 */
export function nonnegativeDualNorm(G: Dense, layout: ClassLayout, options: DualNormOptions = {}): NonnegativeDualNorm {
  const { K } = layout;
  const reduction = reduceByClass(G, layout);
  const M = columnGram(reduction.Gtilde, K);
  const level = options.level === undefined ? undefined : options.level * options.level;
  const search = maxOrthantRayleigh(M, K, { level, nodeBudget: options.nodeBudget });
  const collapsedUpper = Math.sqrt(Math.max(0, search.upper));
  const v = expandClassWeights(search.beta, layout);
  let lower = norm(multiply(G, v));
  let residualNorm = reduction.residualFrobenius;
  let spectral = Infinity;
  if (residualNorm > NEGLIGIBLE_RESIDUAL * Math.max(lower, Number.MIN_VALUE)) {
    const EEt = residualGram(G, layout);
    residualNorm = Math.sqrt(Math.max(0, symmetricTopEigenpair(EEt, K).values[K - 1]));
    const GGt = rowGram(reduction.Gtilde, K, K);
    for (let i = 0; i < K * K; i++) GGt[i] += EEt[i];
    spectral = Math.sqrt(Math.max(0, symmetricTopEigenpair(GGt, K).values[K - 1]));
    lower = Math.max(lower, projectedPower(G, v));
  }
  const upper = Math.max(lower, Math.min(collapsedUpper + residualNorm, spectral));
  const Gv = multiply(G, v);
  const GvNorm = norm(Gv);
  const u = GvNorm > 0 ? Gv.map((x) => x / GvNorm) : unit(K, 0);
  return {
    lower,
    upper,
    exact: upper - lower <= EXACT_RELATIVE * upper,
    collapsed: reduction.residualFrobenius <= COLLAPSED_RELATIVE * reduction.gradientFrobenius,
    u,
    v,
    classWeights: classWeightsOf(v, layout),
    search: { method: search.method, nodes: search.nodes, exact: search.exact },
    residualNorm,
  };
}

/** The spectral norm ‖G‖₂ with its singular pair (u, v): the dual of the nuclear norm (plain UFM). */
export interface SpectralDualNorm {
  /** ‖G‖₂ = sqrt(λ_max(G Gᵀ)), exact up to rounding. */
  value: number;
  /** Top left singular vector (K, unit). */
  u: Float64Array;
  /** Top right singular vector v = Gᵀu/‖Gᵀu‖ (N, unit; sign-free). */
  v: Float64Array;
}

/**
 * ‖G‖₂ via the top eigenpair of G Gᵀ (K×K, O(K² N)): the dual norm of the nuclear-norm gauge of the
 * plain UFM (THEORY.md §1b, last paragraph).
 *
 * @example
 * ```ts
 * spectralDualNorm(fromRows([[3, 0], [0, -4]])).value; // 4
 * ```
 */
export function spectralDualNorm(G: Dense): SpectralDualNorm {
  const { rows: K, cols: N } = G;
  const ws = symmetricTopEigenpair(rowGram(G.data, K, N), K);
  const value = Math.sqrt(Math.max(0, ws.values[K - 1]));
  const u = Float64Array.from(ws.top);
  const Gtu = new Float64Array(N);
  for (let r = 0; r < K; r++) for (let i = 0; i < N; i++) Gtu[i] += G.data[r * N + i] * u[r];
  const len = norm(Gtu);
  const v = len > 0 ? Gtu.map((x) => x / len) : unit(N, 0);
  return { value, u, v };
}

/** v_i = β_k / sqrt(n_k) for the columns i of class k (so ‖v‖ = ‖β‖). */
export function expandClassWeights(beta: ArrayLike<number>, layout: ClassLayout): Float64Array {
  const v = new Float64Array(layout.N);
  for (let k = 0; k < layout.K; k++) v.fill(beta[k] / Math.sqrt(layout.sizes[k]), layout.offsets[k], layout.offsets[k + 1]);
  return v;
}

function classWeightsOf(v: Float64Array, layout: ClassLayout): Float64Array {
  const beta = new Float64Array(layout.K);
  for (let k = 0; k < layout.K; k++) {
    let s = 0;
    for (let i = layout.offsets[k]; i < layout.offsets[k + 1]; i++) s += v[i] * v[i];
    beta[k] = Math.sqrt(s);
  }
  return beta;
}

/** Projected power iterations v ← (Gᵀ G v)₊ / ‖·‖ in place (monotone in ‖G v‖); returns ‖G v‖. */
function projectedPower(G: Dense, v: Float64Array): number {
  const { rows: K, cols: N, data: g } = G;
  const next = new Float64Array(N);
  let value = norm(multiply(G, v));
  for (let step = 0; step < POWER_STEPS; step++) {
    const Gv = multiply(G, v);
    next.fill(0);
    for (let r = 0; r < K; r++) for (let i = 0; i < N; i++) next[i] += g[r * N + i] * Gv[r];
    let len = 0;
    for (let i = 0; i < N; i++) {
      next[i] = Math.max(0, next[i]);
      len += next[i] * next[i];
    }
    if (len === 0) break;
    len = Math.sqrt(len);
    for (let i = 0; i < N; i++) next[i] /= len;
    const candidate = norm(multiply(G, next));
    if (candidate <= value * (1 + 1e-15)) {
      if (candidate > value) {
        v.set(next);
        value = candidate;
      }
      break;
    }
    v.set(next);
    value = candidate;
  }
  return value;
}

function multiply(G: Dense, v: Float64Array): Float64Array {
  const { rows: K, cols: N, data: g } = G;
  const out = new Float64Array(K);
  for (let r = 0; r < K; r++) {
    let s = 0;
    for (let i = 0; i < N; i++) s += g[r * N + i] * v[i];
    out[r] = s;
  }
  return out;
}

function unit(n: number, i: number): Float64Array {
  const e = new Float64Array(n);
  e[i] = 1;
  return e;
}
