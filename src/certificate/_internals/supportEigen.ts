/**
 * The per-support step of the orthant problem max_{β ≥ 0, ‖β‖ = 1} βᵀ M β (THEORY.md §1b):
 * for a support S (a bitmask over the K indices), the top eigenpair of the principal sub-matrix M_SS
 * and whether its eigenvector can be taken non-negative. Also the graph of positive off-diagonal
 * entries of M, whose connected components split the problem exactly (see {@link positiveComponents}).
 */
import { symmetricEigen, symmetricEigenWorkspace, symmetricTopEigenpair, type SymmetricEigenWorkspace } from '../../linalg/symmetricEigen.ts';

/** Largest K handled with 32-bit support masks. */
export const MAX_MASK_K = 30;

/**
 * An eigen-vector entry ≥ −SIGN_TOLERANCE (unit vector) counts as non-negative and is clipped to 0.
 * Clipping entries of size ε moves βᵀMβ by O(ε²) (β is a stationary point of the Rayleigh quotient),
 * far below the 1e-12 exactness tolerance.
 */
export const SIGN_TOLERANCE = 1e-9;

/**
 * The top eigenvalue counts as degenerate when λ₁ − λ₂ ≤ DEGENERACY_GAP · λ₁: then the computed
 * eigenvector is only one vector of an eigenspace, and its signs say nothing (eigenvector error ≈
 * 1e-16/gap, so above this gap the sign test at SIGN_TOLERANCE is reliable).
 */
export const DEGENERACY_GAP = 1e-6;

/** The outcome of {@link SupportEigen.evaluate}. */
export interface SupportResult {
  /** λ_max(M_SS). */
  lambda: number;
  /** true when a non-negative unit vector of S attains λ_max(M_SS) (then `beta` holds it, zero off S). */
  nonnegative: boolean;
  /** true when the top eigenvalue is degenerate and no non-negative vector was found in its eigenspace. */
  unresolved: boolean;
}

/** Evaluates supports of one K×K matrix, reusing buffers. */
export class SupportEigen {
  private readonly workspaces: SymmetricEigenWorkspace[] = [];
  private readonly sub: Float64Array;
  private readonly index: Int32Array;
  private readonly scratch: Float64Array;
  /** The non-negative maximiser on the last evaluated support, when `nonnegative` (length K, zero off S). */
  readonly beta: Float64Array;
  /** Number of eigen-decompositions done. */
  evaluations = 0;

  constructor(
    private readonly M: Float64Array,
    private readonly K: number,
  ) {
    this.sub = new Float64Array(K * K);
    this.index = new Int32Array(K);
    this.scratch = new Float64Array(K);
    this.beta = new Float64Array(K);
    for (let s = 0; s <= K; s++) this.workspaces.push(symmetricEigenWorkspace(Math.max(s, 1)));
  }

  /** λ_max(M_SS) and, if it exists, a non-negative unit top eigenvector (in `this.beta`). */
  evaluate(mask: number): SupportResult {
    const s = this.gather(mask);
    this.evaluations++;
    const ws = symmetricTopEigenpair(this.sub, s, this.workspaces[s]);
    const lambda = ws.values[s - 1];
    const gapSmall = s > 1 && lambda - ws.values[s - 2] <= DEGENERACY_GAP * Math.abs(lambda);
    if (this.takeVector(ws.top, s)) return { lambda, nonnegative: true, unresolved: false };
    if (!gapSmall) return { lambda, nonnegative: false, unresolved: false };
    symmetricEigen(this.sub, s, ws);
    const found = this.searchEigenspace(ws, s, lambda);
    return { lambda, nonnegative: found, unresolved: !found };
  }

  /** Copies M_SS into `sub` and the indices of S into `index`; returns |S|. */
  private gather(mask: number): number {
    let s = 0;
    for (let i = 0; i < this.K; i++) if ((mask >>> i) & 1) this.index[s++] = i;
    const { M, K, sub, index } = this;
    for (let a = 0; a < s; a++) {
      const ra = index[a] * K;
      for (let b = 0; b < s; b++) sub[a * s + b] = M[ra + index[b]];
    }
    return s;
  }

  /** Writes the unit vector v (length s) into beta (sign chosen so its sum is ≥ 0) if it is one-signed. */
  private takeVector(v: Float64Array, s: number): boolean {
    let sum = 0;
    for (let a = 0; a < s; a++) sum += v[a];
    const sign = sum >= 0 ? 1 : -1;
    for (let a = 0; a < s; a++) if (sign * v[a] < -SIGN_TOLERANCE) return false;
    const x = this.scratch;
    for (let a = 0; a < s; a++) x[a] = Math.max(0, sign * v[a]);
    return this.scatter(x, s);
  }

  /**
   * Degenerate top eigenvalue: look for a non-negative vector in the top eigenspace E by alternating
   * projections (x ← P_E(x₊), normalised), started from P_E(1). A heuristic: failure is reported as
   * `unresolved`, never as "no such vector".
   */
  private searchEigenspace(ws: SymmetricEigenWorkspace, s: number, lambda: number): boolean {
    const V = ws.vectors;
    let m = 0;
    while (m < s && lambda - ws.values[s - 1 - m] <= DEGENERACY_GAP * Math.abs(lambda)) m++;
    const x = new Float64Array(s).fill(1);
    const c = new Float64Array(m);
    for (let iter = 0; iter < 500; iter++) {
      for (let q = 0; q < m; q++) {
        let t = 0;
        for (let a = 0; a < s; a++) t += V[a * s + s - 1 - q] * Math.max(0, x[a]);
        c[q] = t;
      }
      let norm = 0;
      for (let a = 0; a < s; a++) {
        let t = 0;
        for (let q = 0; q < m; q++) t += V[a * s + s - 1 - q] * c[q];
        x[a] = t;
        norm += t * t;
      }
      if (norm === 0) return false;
      norm = Math.sqrt(norm);
      let min = Infinity;
      for (let a = 0; a < s; a++) {
        x[a] /= norm;
        min = Math.min(min, x[a]);
      }
      if (min >= -SIGN_TOLERANCE) {
        for (let a = 0; a < s; a++) x[a] = Math.max(0, x[a]);
        return this.scatter(x, s);
      }
    }
    return false;
  }

  /** beta ← x (on the support, renormalised), zero elsewhere. */
  private scatter(x: Float64Array, s: number): boolean {
    let norm = 0;
    for (let a = 0; a < s; a++) norm += x[a] * x[a];
    if (norm === 0) return false;
    norm = Math.sqrt(norm);
    this.beta.fill(0);
    for (let a = 0; a < s; a++) this.beta[this.index[a]] = x[a] / norm;
    return true;
  }
}

/** βᵀMβ. */
export function quadraticForm(M: ArrayLike<number>, K: number, beta: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < K; i++) {
    if (beta[i] === 0) continue;
    let row = 0;
    for (let j = 0; j < K; j++) row += M[i * K + j] * beta[j];
    total += beta[i] * row;
  }
  return total;
}

/**
 * adjacency[i] = bitmask of the j ≠ i with M_ij > 0 (the positive graph G⁺ of M).
 */
export function positiveAdjacency(M: Float64Array, K: number): Int32Array {
  const adjacency = new Int32Array(K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) if (i !== j && M[i * K + j] > 0) adjacency[i] |= 1 << j;
  return adjacency;
}

/**
 * The connected components of G⁺ restricted to `mask`.
 *
 * Why they split the problem exactly: if S = S₁ ∪ S₂ with every M_ij ≤ 0 across (i ∈ S₁, j ∈ S₂),
 * then for β ≥ 0 on S, βᵀMβ ≤ β₁ᵀM β₁ + β₂ᵀM β₂ ≤ max(m₁, m₂)(‖β₁‖² + ‖β₂‖²), with m_i the maximum
 * on S_i; so the maximum over S is the larger of the maxima over S₁ and S₂.
 */
export function positiveComponents(mask: number, adjacency: Int32Array, out: number[] = []): number[] {
  out.length = 0;
  let rest = mask;
  while (rest !== 0) {
    const seed = rest & -rest;
    let component = seed;
    let frontier = seed;
    while (frontier !== 0) {
      const bit = frontier & -frontier;
      frontier ^= bit;
      const i = 31 - Math.clz32(bit);
      const fresh = adjacency[i] & mask & ~component;
      component |= fresh;
      frontier |= fresh;
    }
    out.push(component);
    rest &= ~component;
  }
  return out;
}
