import type { Dense } from '../../linalg/dense.ts';
import type { ValidatedProblem } from '../problem.ts';
import { blockSupport, gradientH, gradientW, logits } from './kernels.ts';

/**
 * The objective f and its gradient on one flat variable vector
 * x = [W (K×d, row-major) | H (d×N, row-major) | b (K, only with a bias)],
 * allocation-free after construction. `d` here is the working dimension (it may differ from
 * the problem's d during a solve).
 */
export class Evaluator {
  readonly K: number;
  readonly N: number;
  readonly d: number;
  /** Length of x. */
  readonly size: number;
  /** Offset of H in x (W starts at 0). */
  readonly hOffset: number;
  /** Offset of b in x (= size when there is no bias). */
  readonly bOffset: number;
  /** Logits of the last evaluation (K×N, row-major). */
  readonly Z: Float64Array;
  /** ∇L(Z) of the last evaluation with a gradient (K×N). */
  readonly G: Float64Array;
  /** Number of evaluations so far. */
  evaluations = 0;
  private readonly zDense: Dense;
  private readonly gDense: Dense;
  private readonly lists: Int32Array[];
  private readonly counts: Int32Array;

  constructor(readonly problem: ValidatedProblem, d: number) {
    const { K, N } = problem.layout;
    this.K = K;
    this.N = N;
    this.d = d;
    this.hOffset = K * d;
    this.bOffset = K * d + d * N;
    this.size = this.bOffset + (problem.bias ? K : 0);
    this.Z = new Float64Array(K * N);
    this.G = new Float64Array(K * N);
    this.zDense = { rows: K, cols: N, data: this.Z };
    this.gDense = { rows: K, cols: N, data: this.G };
    this.lists = Array.from({ length: K }, () => new Int32Array(d));
    this.counts = new Int32Array(K);
  }

  /** The W block of x (a view). */
  W(x: Float64Array): Float64Array {
    return x.subarray(0, this.hOffset);
  }

  /** The H block of x (a view). */
  H(x: Float64Array): Float64Array {
    return x.subarray(this.hOffset, this.bOffset);
  }

  /** The bias block of x (a view), or null. */
  b(x: Float64Array): Float64Array | null {
    return this.problem.bias ? x.subarray(this.bOffset, this.size) : null;
  }

  /**
   * f(x); when `g` is given, ∇f(x) is written into it (and ∇L(Z) into {@link G}).
   * Z = W H (+ b 1ᵀ) is left in {@link Z}. `frozen` (d×K flags, optional) marks (coordinate,
   * class) blocks of H known to be zero whose ∂f/∂H the caller does not need: they are neither
   * scanned nor written in g.
   */
  evaluate(x: Float64Array, g?: Float64Array, frozen: Uint8Array | null = null): number {
    const { K, N, d, problem } = this;
    const { lambdaW, lambdaH, lambdaB, layout, loss } = problem;
    const W = this.W(x);
    const H = this.H(x);
    const b = this.b(x);
    blockSupport(H, d, N, layout.offsets, this.lists, this.counts, frozen);
    logits(W, H, b, this.Z, K, d, N, layout.offsets, this.lists, this.counts);
    this.evaluations++;
    const value = loss.evaluate(this.zDense, layout, g ? this.gDense : undefined);
    let reg = 0;
    for (let t = 0; t < this.hOffset; t++) reg += lambdaW * W[t] * W[t];
    for (let t = 0; t < H.length; t++) reg += lambdaH * H[t] * H[t];
    if (b) for (let k = 0; k < K; k++) reg += lambdaB * b[k] * b[k];
    if (g) {
      gradientW(this.G, H, W, lambdaW, g.subarray(0, this.hOffset), K, d, N, layout.offsets, this.lists, this.counts);
      gradientH(this.G, W, H, lambdaH, g.subarray(this.hOffset, this.bOffset), K, d, N, layout.offsets, frozen);
      if (b) {
        const gb = g.subarray(this.bOffset, this.size);
        for (let k = 0; k < K; k++) {
          let s = lambdaB * b[k];
          for (let i = 0; i < N; i++) s += this.G[k * N + i];
          gb[k] = s;
        }
      }
    }
    return value + 0.5 * reg;
  }

  /** L(Z) for logits Z (K×N) held elsewhere (used by the escape line search). */
  lossOf(Z: Float64Array): number {
    this.evaluations++;
    return this.problem.loss.evaluate({ rows: this.K, cols: this.N, data: Z }, this.problem.layout);
  }

  /**
   * The first-order KKT residual at x with gradient g, in the N-independent scale of
   * {@link kktResidual}.
   */
  residual(x: Float64Array, g: Float64Array): number {
    return kktResidual(x, g, this.hOffset, this.bOffset, this.N, this.problem.nonNegative);
  }
}

/**
 * The first-order KKT residual of the UFM / UFM+ problem (ncverify's definition, used in every
 * report):
 *
 *     r = max( max_{k,j} |∂f/∂W_kj|,  max_k |∂f/∂b_k|,  max_{j,i} N |π_ji| )
 *
 * where π is the projected gradient of H: π_ji = ∂f/∂H_ji where H_ji > 0 or H is free (plain
 * UFM), and min(∂f/∂H_ji, 0) where H_ji = 0 under H ≥ 0. The factor N makes the H part
 * independent of N: ∂f/∂h_i = Wᵀ(softmax(z_i) − e_{y_i})/N + λ_H h_i is O(1/N) per column.
 * r = 0 exactly at a first-order KKT point.
 *
 * @example
 * ```ts
 * kktResidual(x, g, K * d, K * d + d * N, N, true);
 * ```
 */
export function kktResidual(x: Float64Array, g: Float64Array, hOffset: number, bOffset: number, N: number, nonNegative: boolean): number {
  let r = 0;
  for (let t = 0; t < hOffset; t++) r = Math.max(r, Math.abs(g[t]));
  for (let t = bOffset; t < g.length; t++) r = Math.max(r, Math.abs(g[t]));
  let rh = 0;
  for (let t = hOffset; t < bOffset; t++) {
    const gt = g[t];
    const p = nonNegative && x[t] <= 0 ? Math.min(gt, 0) : gt;
    rh = Math.max(rh, Math.abs(p));
  }
  return Math.max(r, N * rh);
}
