import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { type Dense, matmul, transpose } from '../../../linalg/dense.ts';
import type { DeepLinearModel } from './model.ts';

/**
 * Revival moves for the deep-linear model with M ≥ 2 (THEORY.md §4(a) caution): a direction with
 * zero singular value in every layer is a strict LOCAL minimum (the per-class scalar problem
 * g(x) = (1/(2N))[τ/(1 + x^M) + βx] has g′(0) > 0), so neither first- nor second-order steps leave
 * it, and random restarts often land in it again (measured: n = (5,10,20,40), λ = 5e-3, M = 3, all
 * 6 starts end with class 1 dead). A revival places a FINITE rank-one path through every layer:
 *
 *   H += a_H q_0 vᵀ,  W_j += a q_j q_{j−1}ᵀ (1 ≤ j < M),  W_M += a u q_{M−1}ᵀ,
 *
 * where (u, v) is a singular pair of the residual R = Y − Z (or −N∇L(Z) for another loss) and q_j
 * the least-used unit direction of the interface between layer j and j + 1 (q_0: between H and W_1),
 * so that the logits move by ≈ a^M a_H u vᵀ (a_H = a sqrt(λ_W/λ_H), the balanced split). The scale a is chosen on a grid by the objective
 * (a 1-D global search over the scalar problem of that direction). No closed form is used.
 */

/** Grid points per revival line search (a^{M+1} = σ t, t log-spaced in [1e-3, 2]). */
const GRID = 48;

/** The singular pairs (σ, u, v) of −N ∇L(Z) at x, σ descending (via the K×K Gram). */
export function residualPairs(model: DeepLinearModel, x: Float64Array, g: Float64Array): { sigma: number; u: Float64Array; v: Float64Array }[] {
  const { K, N } = model;
  model.evaluate(x, g);
  const P = model.products(x)[model.layers - 1];
  const Z = matmul(P, model.features(x));
  const G: Dense = { rows: K, cols: N, data: new Float64Array(K * N) };
  model.loss.evaluate(Z, model.layout, G);
  for (let t = 0; t < K * N; t++) G.data[t] *= -N;
  const gram = matmul(G, transpose(G));
  const eig = new EigenvalueDecomposition(new Matrix(Array.from({ length: K }, (_, a) => Array.from(gram.data.subarray(a * K, (a + 1) * K)))), { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const order = [...values.keys()].sort((p, q) => values[q] - values[p]);
  const out: { sigma: number; u: Float64Array; v: Float64Array }[] = [];
  for (const i of order) {
    const sigma = Math.sqrt(Math.max(values[i], 0));
    if (!(sigma > 0)) continue;
    const u = Float64Array.from(eig.eigenvectorMatrix.getColumn(i));
    const v = new Float64Array(N);
    for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) v[n] += (u[k] * G.data[k * N + n]) / sigma;
    out.push({ sigma, u, v });
  }
  return out;
}

/** The unit eigenvector of the smallest eigenvalue of a symmetric d×d matrix (rows). */
function leastDirection(S: number[][]): Float64Array {
  const eig = new EigenvalueDecomposition(new Matrix(S), { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  let j = 0;
  for (let i = 1; i < values.length; i++) if (values[i] < values[j]) j = i;
  return Float64Array.from(eig.eigenvectorMatrix.getColumn(j));
}

/** A Aᵀ or Aᵀ A as rows, added into S. */
function addGram(S: number[][], A: Dense, outer: boolean): void {
  const G = outer ? matmul(A, transpose(A)) : matmul(transpose(A), A);
  for (let a = 0; a < G.rows; a++) for (let b = 0; b < G.cols; b++) S[a][b] += G.data[a * G.cols + b];
}

/** q_0 … q_{M−1}: the least-used direction of each interface. */
function freeDirections(model: DeepLinearModel, x: Float64Array): Float64Array[] {
  const { d, layers } = model;
  const out: Float64Array[] = [];
  for (let j = 0; j < layers; j++) {
    const S = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    addGram(S, j === 0 ? model.features(x) : model.layer(x, j - 1), true); // what writes into the interface
    addGram(S, model.layer(x, j), false); // what reads from it
    out.push(leastDirection(S));
  }
  return out;
}

/** The layer scale s of a path whose logits move by z = s^M · t = s^{M+1} sqrt(λ_W/λ_H). */
function pathScale(model: DeepLinearModel, z: number): number {
  return (z * Math.sqrt(model.lambdaH / model.lambdaW)) ** (1 / (model.layers + 1));
}

/** x + the rank-one path of scale a (into y). */
function addPath(model: DeepLinearModel, x: Float64Array, y: Float64Array, a: number, u: Float64Array, v: Float64Array, q: Float64Array[]): void {
  y.set(x);
  const { d, N, layers } = model;
  const hOff = model.offsets[layers];
  // Balanced split of the path (docs/theory-mse-L.md Lemma A): min (λ_W/2) M s² + (λ_H/2) t² at fixed
  // s^M t gives λ_W s² = λ_H t², so H carries t = s sqrt(λ_W/λ_H).
  const aH = a * Math.sqrt(model.lambdaW / model.lambdaH);
  for (let r = 0; r < d; r++) for (let n = 0; n < N; n++) y[hOff + r * N + n] += aH * q[0][r] * v[n];
  for (let j = 0; j < layers; j++) {
    const out = j === layers - 1 ? u : q[j + 1];
    const off = model.offsets[j];
    for (let r = 0; r < out.length; r++) for (let c = 0; c < d; c++) y[off + r * d + c] += a * out[r] * q[j][c];
  }
}

/**
 * The best point along the revival path of one residual pair (the grid minimum over a), or null when
 * no grid point lowers f below `f0`... except that a revival must be allowed to climb: the path's
 * minimum is returned whenever its a is not the smallest grid point, and the caller keeps it only if
 * a local solve from it ends lower than before.
 */
export function revivalCandidate(
  model: DeepLinearModel, x: Float64Array, pair: { sigma: number; u: Float64Array; v: Float64Array }, g: Float64Array,
): Float64Array | null {
  const q = freeDirections(model, x);
  const y = new Float64Array(model.size);
  let bestA = 0;
  let bestF = Infinity;
  for (let i = 0; i < GRID; i++) {
    const t = 1e-3 * (2e3) ** (i / (GRID - 1));
    const a = pathScale(model, pair.sigma * t);
    addPath(model, x, y, a, pair.u, pair.v, q);
    const f = model.evaluate(y, g);
    if (f < bestF) { bestF = f; bestA = a; }
  }
  if (bestA === pathScale(model, pair.sigma * 1e-3)) return null;
  addPath(model, x, y, bestA, pair.u, pair.v, q);
  return y;
}

/**
 * The left singular vectors u_i (K-dim, σ_i > 0) of the product W = W_M ⋯ W_1, for pruning moves.
 */
export function productDirections(model: DeepLinearModel, x: Float64Array): Float64Array[] {
  const W = model.products(x)[model.layers - 1];
  const K = model.K;
  const gram = matmul(W, transpose(W));
  const eig = new EigenvalueDecomposition(new Matrix(Array.from({ length: K }, (_, a) => Array.from(gram.data.subarray(a * K, (a + 1) * K)))), { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const top = Math.max(...values);
  return [...values.keys()].filter((i) => values[i] > 1e-12 * top && top > 0).map((i) => Float64Array.from(eig.eigenvectorMatrix.getColumn(i)));
}

/**
 * The pruning move, the converse of a revival: a direction whose x = 0 (collapsed) solution beats
 * the local minimum it sits in (a root exists but loses, THEORY.md §4(a)) is cut at both ends of its
 * path — W_M ← (I − u uᵀ) W_M and H ← (I − v vᵀ) H with v ∝ Wᵀu (W = W_M ⋯ W_1) — so that no signal
 * reaches the hidden layers or the logits along it; a local solve then lets the regulariser empty the
 * rest of the path. (Cutting only W_M is not enough: the loss gradient regrows it into the root's basin.)
 */
export function pruneCandidate(model: DeepLinearModel, x: Float64Array, u: Float64Array): Float64Array {
  const y = Float64Array.from(x);
  const { d, N, layers } = model;
  const W = model.products(x)[layers - 1];
  const v = new Float64Array(d);
  for (let c = 0; c < d; c++) for (let r = 0; r < u.length; r++) v[c] += u[r] * W.data[r * d + c];
  const norm = Math.hypot(...v);
  const off = model.offsets[layers - 1];
  for (let c = 0; c < d; c++) {
    let s = 0;
    for (let r = 0; r < u.length; r++) s += u[r] * y[off + r * d + c];
    for (let r = 0; r < u.length; r++) y[off + r * d + c] -= u[r] * s;
  }
  if (norm > 0) {
    for (let c = 0; c < d; c++) v[c] /= norm;
    const hOff = model.offsets[layers];
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += v[c] * y[hOff + c * N + i];
      for (let c = 0; c < d; c++) y[hOff + c * N + i] -= v[c] * s;
    }
  }
  return y;
}
