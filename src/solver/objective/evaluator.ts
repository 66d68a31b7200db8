import type { Dense } from '../../linalg/dense.ts';
import type { ValidatedProblem } from '../problem.ts';
import { classBlocks } from './blocks.ts';
import { type BlockState, blockwiseLoss, PASS, runBlock } from './blockState.ts';
import type { ObjectivePool } from './pool.ts';

/**
 * The objective f and its gradient on one flat variable vector
 * x = [W (K×d, row-major) | H (d×N, row-major) | b (K, only with a bias)],
 * allocation-free after construction. `d` here is the working dimension (it may differ from
 * the problem's d during a solve).
 *
 * The columns are split into a fixed partition of class blocks (blocks.ts); each evaluation is a
 * pass over the blocks — on the calling thread, or shared with the workers of an
 * {@link ObjectivePool} — and the blocks' partial sums are added in block order, so f and ∇f are
 * bit-identical whatever the number of threads.
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
  private readonly state: BlockState;
  private readonly blocks: number;
  private readonly blockwise: boolean;
  /** The pool's handle of the shared state, or -1 (single thread). */
  private readonly handle: number;

  /**
   * @param pool - workers to share the blocks with (null: this thread only; same results)
   */
  constructor(readonly problem: ValidatedProblem, d: number, private readonly pool: ObjectivePool | null = null) {
    const { K, N } = problem.layout;
    this.K = K;
    this.N = N;
    this.d = d;
    this.hOffset = K * d;
    this.bOffset = K * d + d * N;
    this.size = this.bOffset + (problem.bias ? K : 0);
    const bounds = classBlocks(problem.layout.offsets);
    this.blocks = bounds.length - 1;
    this.blockwise = blockwiseLoss(problem.loss);
    const alloc = pool === null ? (n: number) => new Float64Array(n) : (n: number) => pool.float64(n);
    const ints = pool === null ? (n: number) => new Int32Array(n) : (n: number) => pool.int32(n);
    const B = this.blocks;
    this.state = {
      K, d, N, bias: problem.bias, lambdaH: problem.lambdaH,
      offsets: Int32Array.from(problem.layout.offsets), labels: problem.layout.labels, bounds,
      x: pool === null ? new Float64Array(0) : alloc(this.size),
      gH: pool === null ? new Float64Array(0) : alloc(d * N),
      frozen: pool === null ? new Uint8Array(0) : pool.uint8(d * K),
      Z: alloc(K * N), G: alloc(K * N),
      lists: ints(K * d), counts: ints(K), scratch: ints(B * d),
      partialW: alloc(B * K * d), partialB: alloc(B * K), partialLoss: alloc(B), partialRegH: alloc(B),
    };
    this.Z = this.state.Z;
    this.G = this.state.G;
    this.handle = pool === null ? -1 : pool.attach(this.state);
  }

  /** Releases the workers' view of this evaluator's buffers (no effect without a pool). */
  dispose(): void {
    if (this.pool !== null) this.pool.detach(this.handle);
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
    this.bind(x, g, frozen);
    this.evaluations++;
    const fz = frozen === null ? 0 : PASS.frozen;
    let value: number;
    if (this.blockwise) {
      this.pass(PASS.forward | PASS.loss | fz | (g ? PASS.lossGradient | PASS.backward : 0));
      value = this.blockLoss();
    } else {
      this.pass(PASS.forward | fz);
      value = this.wholeLoss(g !== undefined);
      if (g) this.pass(PASS.backward | fz);
    }
    if (g) this.gather(x, g, frozen);
    return value + this.regulariser(x);
  }

  /**
   * f(x) as {@link evaluate} gives it (bit-identical), with ∇L(Z) in {@link G} but without the
   * products of ∇f: {@link finishGradient} then completes ∇f at this x when it is wanted (a
   * rejected line-search trial never pays for them).
   */
  value(x: Float64Array, frozen: Uint8Array | null = null): number {
    this.bind(x, undefined, frozen);
    this.evaluations++;
    const fz = frozen === null ? 0 : PASS.frozen;
    let value: number;
    if (this.blockwise) {
      this.pass(PASS.forward | PASS.loss | PASS.lossGradient | fz);
      value = this.blockLoss();
    } else {
      this.pass(PASS.forward | fz);
      value = this.wholeLoss(true);
    }
    return value + this.regulariser(x);
  }

  /**
   * ∇f at the x of the last {@link value} call (same x, same `frozen`) into g — bit-identical to
   * what {@link evaluate}(x, g, frozen) writes.
   */
  finishGradient(x: Float64Array, g: Float64Array, frozen: Uint8Array | null = null): void {
    this.bind(x, g, frozen, false);
    this.pass(PASS.backward | (frozen === null ? 0 : PASS.frozen));
    this.gather(x, g, frozen);
  }

  /**
   * ∂f/∂H on the blocks flagged in `frozen` into g, from ∇L(Z) of the last evaluation, which must
   * have been at this x with a gradient and those blocks skipped: g is then what a full
   * {@link evaluate}(x, g) writes, to the bit (each entry of ∇_H is computed by the same
   * operations whichever blocks are computed with it), without evaluating Z or the loss again.
   */
  completeFrozen(x: Float64Array, g: Float64Array, frozen: Uint8Array): void {
    const { K, d, N, hOffset, state: s } = this;
    this.bind(x, g, frozen);
    this.pass(PASS.frozenOnly);
    if (this.pool === null) return;
    const { offsets } = this.problem.layout;
    for (let j = 0; j < d; j++) {
      for (let c = 0; c < K; c++) {
        if (frozen[j * K + c] !== 1) continue;
        g.set(s.gH.subarray(j * N + offsets[c], j * N + offsets[c + 1]), hOffset + j * N + offsets[c]);
      }
    }
  }

  /** The blocks' loss sums added in block order, over N. */
  private blockLoss(): number {
    let total = 0;
    for (let q = 0; q < this.blocks; q++) total += this.state.partialLoss[q];
    return total / this.N;
  }

  /** A loss other than the built-in cross-entropy, on all of Z (∇L into G when asked). */
  private wholeLoss(gradient: boolean): number {
    const { K, N } = this;
    const { layout, loss } = this.problem;
    return loss.evaluate({ rows: K, cols: N, data: this.Z }, layout, gradient ? { rows: K, cols: N, data: this.G } : undefined);
  }

  /** (λ_W‖W‖² + λ_H‖H‖² + λ_b‖b‖²)/2, ‖H‖² from the blocks' partials of the last forward pass. */
  private regulariser(x: Float64Array): number {
    const { hOffset, bOffset, state: s } = this;
    const { lambdaW, lambdaH, lambdaB } = this.problem;
    let regW = 0;
    for (let t = 0; t < hOffset; t++) regW += x[t] * x[t];
    let regH = 0;
    for (let q = 0; q < this.blocks; q++) regH += s.partialRegH[q];
    let regB = 0;
    for (let t = bOffset; t < this.size; t++) regB += x[t] * x[t];
    return 0.5 * (lambdaW * regW + lambdaH * regH + lambdaB * regB);
  }

  /**
   * Points the block state at x and g (copies into the shared buffers with a pool; `copyX` false:
   * the shared copy already holds x, from the evaluation this call completes).
   */
  private bind(x: Float64Array, g: Float64Array | undefined, frozen: Uint8Array | null, copyX = true): void {
    const s = this.state;
    if (this.pool === null) {
      s.x = x;
      if (g) s.gH = g.subarray(this.hOffset, this.bOffset);
      if (frozen !== null) s.frozen = frozen;
      return;
    }
    if (copyX) s.x.set(x.subarray(0, this.size));
    if (frozen !== null) s.frozen.set(frozen);
  }

  /** Runs one pass over every block (here, or shared with the pool's workers). */
  private pass(flags: number): void {
    if (this.pool !== null) { this.pool.run(this.handle, flags, this.blocks); return; }
    for (let q = 0; q < this.blocks; q++) runBlock(this.state, q, flags);
  }

  /** ∇_W = λ_W W + Σ_q P_q and ∇_b = λ_b b + Σ_q p_q in block order; ∇_H copied out of the shared buffer with a pool. */
  private gather(x: Float64Array, g: Float64Array, frozen: Uint8Array | null): void {
    const { K, d, N, hOffset, bOffset, state: s } = this;
    const { lambdaW, lambdaB, layout } = this.problem;
    const kd = K * d;
    for (let t = 0; t < kd; t++) {
      let v = lambdaW * x[t];
      for (let q = 0; q < this.blocks; q++) v += s.partialW[q * kd + t];
      g[t] = v;
    }
    for (let k = 0; k < (this.problem.bias ? K : 0); k++) {
      let v = lambdaB * x[bOffset + k];
      for (let q = 0; q < this.blocks; q++) v += s.partialB[q * K + k];
      g[bOffset + k] = v;
    }
    if (this.pool === null) return;
    const { offsets } = layout;
    for (let j = 0; j < d; j++) {
      for (let c = 0; c < K; c++) {
        if (frozen !== null && frozen[j * K + c] === 1) continue;
        g.set(s.gH.subarray(j * N + offsets[c], j * N + offsets[c + 1]), hOffset + j * N + offsets[c]);
      }
    }
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
