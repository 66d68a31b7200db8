/**
 * The certified plain-UFM optima (cross-entropy, H free, λ_W = λ_H = λ) along a decreasing λ path,
 * and the distances to SELI's geometry (Thrampoulidis et al. NeurIPS 2022; THEORY.md §3) that the
 * SELI claims read. Memoised: the claims that share an instance solve its path once.
 *
 * Error bounds (the block convention of src/runner/tolerance.ts): with δ ≥ f − f* from the
 * certificate's Fenchel bound (never below the objective's rounding), f(W, ·) is λ-strongly convex
 * (CE is convex in Z = W H), so ‖ΔH‖_F ≤ e_H = sqrt(2δ/λ), and likewise ‖ΔW‖_F ≤ e_W = sqrt(2δ/λ).
 * Then ‖Δ(W Wᵀ)‖_F ≤ e_W (2‖W‖_F + e_W), ‖Δ(W H)‖_F ≤ e_W ‖H‖_F + ‖W‖_F e_H + e_W e_H, and a
 * Frobenius-normalised matrix moves by ‖A/‖A‖ − B/‖B‖‖ ≤ 2‖A − B‖/‖A‖, which bounds how far a
 * measured normalised distance can be from the optimum's.
 */
import fc from 'fast-check';
import { type Dense, frobeniusSquared, matmul, transpose } from '../../src/linalg/dense.ts';
import type { Budget } from '../../src/runner/claim.ts';
import { objectiveRoundoff } from '../../src/runner/tolerance.ts';
import { instanceSeed, UncertifiedError } from '../../src/runner/solveInstance.ts';
import { budgetSizes, balancedSizes } from '../../src/generators/index.ts';
import { solve } from '../../src/solver/solver.ts';
import { seliClassifierGram, simplexEncodedLabels } from '../../src/theory/seli.ts';

/** The regularisation path λ_W = λ_H = λ (decreasing). */
export const SELI_PATH: readonly number[] = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5];

/** A SELI input: class sizes and the feature dimension (d ∈ [K, 2K]; SELI needs d ≥ K − 1). */
export interface SeliInput {
  readonly n: readonly number[];
  readonly d: number;
}

/** One certified optimum of the path with the measured distances to SELI. */
export interface PathPoint {
  readonly lambda: number;
  readonly W: Dense;
  readonly H: Dense;
  /** δ ≥ f − f*. */
  readonly gap: number;
  /** e_W = e_H = sqrt(2δ/λ). */
  readonly e: number;
  /**
   * No class is near collapse: min_k n_k > N² λ_W λ_H K/(K−1). In the plain UFM two equal classes
   * of size m merge (w_j = w_k, h̄_j = h̄_k) exactly when m ≤ N² λ_W λ_H (measured: (5,5,100,100)
   * merges between λ = 0.0106 and 0.0108, N²λ² = 4.96 and 5.14); the factor K/(K−1) (the UFM+
   * threshold) keeps a margin from it.
   */
  readonly noCollapse: boolean;
  /** W is detectably non-zero: ‖W‖_F > e_W (otherwise the geometry is undefined: complete collapse). */
  readonly nonZero: boolean;
  /** ‖W Wᵀ/‖W Wᵀ‖ − G_SELI/‖G_SELI‖‖_F, and the bound on its error. */
  readonly gramDistance: number;
  readonly gramDistanceError: number;
  /** ‖W H/‖W H‖ − Ẑ/‖Ẑ‖‖_F (W H approaching a positive multiple of Ẑ), and its error bound. */
  readonly logitDistance: number;
  readonly logitDistanceError: number;
}

const solved = new Map<string, PathPoint[]>();

function frob(A: Dense): number {
  return Math.sqrt(frobeniusSquared(A));
}

/** ‖A/‖A‖ − B/‖B‖‖_F for equally shaped data. */
function normalisedDistance(A: ArrayLike<number>, B: ArrayLike<number>): number {
  let na = 0;
  let nb = 0;
  for (let t = 0; t < A.length; t++) { na += A[t] * A[t]; nb += B[t] * B[t]; }
  na = Math.sqrt(na);
  nb = Math.sqrt(nb);
  let s = 0;
  for (let t = 0; t < A.length; t++) s += (A[t] / na - B[t] / nb) ** 2;
  return Math.sqrt(s);
}

/** Solves and certifies one λ of the path. */
function pathPoint(input: SeliInput, lambda: number): PathPoint {
  const n = input.n;
  const K = n.length;
  const N = n.reduce((a, b) => a + b, 0);
  const instance = { n, lambdaW: lambda, lambdaH: lambda, d: input.d };
  const r = solve({ ...instance, nonNegative: false }, { seed: instanceSeed(instance), maxSeconds: 600 });
  if (!r.certified) {
    throw new UncertifiedError(`the solver did not certify the plain UFM ${JSON.stringify(instance)}: ${r.reason} (ρ = ${r.certificate.dualNormRatio})`);
  }
  const gap = Math.max(r.certificate.objectiveGap ?? Infinity, objectiveRoundoff({ N, K, d: input.d }, r.objective));
  const e = Math.sqrt((2 * gap) / lambda);
  const gram = matmul(r.W, transpose(r.W));
  const Z = matmul(r.W, r.H);
  const wNorm = frob(r.W);
  const gramError = e * (2 * wNorm + e);
  const zError = e * frob(r.H) + wNorm * e + e * e;
  const seli = seliClassifierGram(n).flat();
  return {
    lambda,
    W: r.W,
    H: r.H,
    gap,
    e,
    noCollapse: Math.min(...n) > (N * N * lambda * lambda * K) / (K - 1),
    nonZero: wNorm > e,
    gramDistance: normalisedDistance(gram.data, seli),
    gramDistanceError: (2 * gramError) / frob(gram),
    logitDistance: normalisedDistance(Z.data, simplexEncodedLabels(n).data),
    logitDistanceError: (2 * zError) / frob(Z),
  };
}

/**
 * The certified optima of an input along {@link SELI_PATH} (memoised).
 *
 * @throws UncertifiedError when the solver cannot certify a point of the path
 * @example
 * ```ts
 * seliPath({ n: [10, 20, 40, 80], d: 8 }).map((p) => p.gramDistance); // ≈ 0.66, 0.19, 0.094, 0.067, 0.052
 * ```
 */
export function seliPath(input: SeliInput): PathPoint[] {
  const key = JSON.stringify([input.n, input.d]);
  let path = solved.get(key);
  if (path === undefined) {
    path = SELI_PATH.map((lambda) => pathPoint(input, lambda));
    solved.set(key, path);
  }
  return path;
}

/** Number of distinct paths solved so far (for the suite's summary line). */
export function seliPathsSolved(): number {
  return solved.size;
}

/** d ∈ [K, 2K] drawn as an offset, so that it shrinks to d = K. */
function withDimension(sizes: fc.Arbitrary<number[]>): fc.Arbitrary<SeliInput> {
  return fc.record({ n: sizes, extra: fc.nat({ max: 1000 }) }).map(({ n, extra }) => ({ n, d: n.length + (extra % (n.length + 1)) }));
}

/** Class sizes of every kind (the budget's mixture) with d ∈ [K, 2K]. */
export function seliInput(budget: Budget): fc.Arbitrary<SeliInput> {
  return withDimension(budgetSizes(budget));
}

/** Balanced class sizes with d ∈ [K, 2K]. */
export function balancedSeliInput(budget: Budget): fc.Arbitrary<SeliInput> {
  return withDimension(balancedSizes(budget === 'small' ? { minK: 2, maxK: 6, maxSize: 40 } : { minK: 2, maxK: 20, maxSize: 250 }));
}

/** Consecutive pairs (i, i + 1) of the path where both points satisfy `ok`. */
export function consecutive(path: readonly PathPoint[], ok: (p: PathPoint) => boolean): [PathPoint, PathPoint][] {
  const out: [PathPoint, PathPoint][] = [];
  for (let i = 0; i + 1 < path.length; i++) if (ok(path[i]) && ok(path[i + 1])) out.push([path[i], path[i + 1]]);
  return out;
}
