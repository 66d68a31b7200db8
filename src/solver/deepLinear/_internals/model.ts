import { type Dense, matmul, zeros } from '../../../linalg/dense.ts';
import type { Loss } from '../../../loss/loss.ts';
import type { ClassLayout } from '../../../problem/layout.ts';

/** Work matrices of one evaluation. */
interface Buffers {
  P: Dense[];
  Z: Dense;
  G: Dense;
  gH: Dense;
  B: Dense[];
  gW: Dense[];
}

/** out = Aᵀ B (A: r×p, B: r×q, out: p×q). */
function transposeTimes(A: Dense, B: Dense, out: Dense): void {
  const { rows: r, cols: p } = A;
  const q = B.cols;
  const o = out.data;
  o.fill(0);
  for (let i = 0; i < r; i++) {
    for (let a = 0; a < p; a++) {
      const v = A.data[i * p + a];
      if (v === 0) continue;
      for (let b = 0; b < q; b++) o[a * q + b] += v * B.data[i * q + b];
    }
  }
}

/** out = A Bᵀ (A: p×r, B: q×r, out: p×q). */
function timesTranspose(A: Dense, B: Dense, out: Dense): void {
  const { rows: p, cols: r } = A;
  const q = B.rows;
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < q; b++) {
      let s = 0;
      for (let i = 0; i < r; i++) s += A.data[a * r + i] * B.data[b * r + i];
      out.data[a * q + b] = s;
    }
  }
}

/**
 * The deep-linear unconstrained-feature objective on one flat vector
 * x = [W_1 | W_2 | … | W_M | H] (each row-major):
 *
 *     f = L(W_M ⋯ W_1 H) + (λ_W/2) Σ_j ‖W_j‖_F² + (λ_H/2) ‖H‖_F²
 *
 * (Dang et al. ICML 2023, THEORY.md §4(a)). Shapes: H is d×N, W_1 … W_{M−1} are d×d, W_M is K×d
 * (every width d). Gradient by the chain rule on the prefix products P_j = W_j ⋯ W_1:
 * with B_M = ∇L(Z) Hᵀ, ∇W_j = B_j P_{j−1}ᵀ + λ_W W_j and B_{j−1} = W_jᵀ B_j; ∇H = P_Mᵀ ∇L(Z) + λ_H H.
 */
export class DeepLinearModel {
  /** Row count of each W_j. */
  readonly rows: number[];
  /** Offset of each W_j in x; offsets[M] is the offset of H. */
  readonly offsets: number[];
  /** Length of x. */
  readonly size: number;
  readonly K: number;
  readonly N: number;

  constructor(
    readonly layout: ClassLayout,
    readonly layers: number,
    readonly d: number,
    readonly lambdaW: number,
    readonly lambdaH: number,
    readonly loss: Loss,
  ) {
    this.K = layout.K;
    this.N = layout.N;
    this.rows = Array.from({ length: layers }, (_, j) => (j === layers - 1 ? layout.K : d));
    this.offsets = [0];
    for (const r of this.rows) this.offsets.push(this.offsets[this.offsets.length - 1] + r * d);
    this.size = this.offsets[layers] + d * layout.N;
  }

  /** W_j (0-based j) as a Dense view into x. */
  layer(x: Float64Array, j: number): Dense {
    return { rows: this.rows[j], cols: this.d, data: x.subarray(this.offsets[j], this.offsets[j + 1]) };
  }

  /** H (d×N) as a Dense view into x. */
  features(x: Float64Array): Dense {
    return { rows: this.d, cols: this.N, data: x.subarray(this.offsets[this.layers], this.size) };
  }

  /** The prefix products P_1 … P_M (P_M = W_M ⋯ W_1, K×d), fresh matrices. */
  products(x: Float64Array): Dense[] {
    const out: Dense[] = [];
    let P: Dense | null = null;
    for (let j = 0; j < this.layers; j++) {
      const Wj = this.layer(x, j);
      P = P === null ? { rows: Wj.rows, cols: Wj.cols, data: Float64Array.from(Wj.data) } : matmul(Wj, P);
      out.push(P);
    }
    return out;
  }

  /** f(x); writes ∇f(x) into g. Allocation-free after the first call. */
  evaluate(x: Float64Array, g: Float64Array): number {
    const { layers, lambdaW, lambdaH, K, N, d } = this;
    const buf = this.buffers();
    const P = buf.P;
    for (let j = 0; j < layers; j++) {
      const Wj = this.layer(x, j);
      if (j === 0) P[0].data.set(Wj.data);
      else matmul(Wj, P[j - 1], P[j]);
    }
    const H = this.features(x);
    matmul(P[layers - 1], H, buf.Z);
    const value = this.loss.evaluate(buf.Z, this.layout, buf.G);
    const hOff = this.offsets[layers];
    let regW = 0;
    for (let t = 0; t < hOff; t++) regW += x[t] * x[t];
    let regH = 0;
    for (let t = hOff; t < this.size; t++) regH += x[t] * x[t];
    // ∇H = P_Mᵀ G + λ_H H.
    transposeTimes(P[layers - 1], buf.G, buf.gH);
    for (let t = 0; t < d * N; t++) g[hOff + t] = buf.gH.data[t] + lambdaH * x[hOff + t];
    // Backward through the layers: B_M = G Hᵀ (K×d), B_{j−1} = W_jᵀ B_j (d×d).
    timesTranspose(buf.G, H, buf.B[layers - 1]);
    for (let j = layers - 1; j >= 0; j--) {
      const Wj = this.layer(x, j);
      const Bj = buf.B[j];
      const off = this.offsets[j];
      if (j === 0) {
        for (let t = 0; t < Bj.data.length; t++) g[off + t] = Bj.data[t] + lambdaW * Wj.data[t];
      } else {
        const gW = buf.gW[j];
        timesTranspose(Bj, P[j - 1], gW);
        for (let t = 0; t < gW.data.length; t++) g[off + t] = gW.data[t] + lambdaW * Wj.data[t];
        transposeTimes(Wj, Bj, buf.B[j - 1]);
      }
    }
    return value + 0.5 * (lambdaW * regW + lambdaH * regH);
  }

  private scratch: Buffers | null = null;

  private buffers(): Buffers {
    if (this.scratch === null) {
      const { K, N, d } = this;
      this.scratch = {
        P: this.rows.map((r) => zeros(r, d)),
        Z: zeros(K, N),
        G: zeros(K, N),
        gH: zeros(d, N),
        B: this.rows.map((r) => zeros(r, d)),
        gW: this.rows.map((r) => zeros(r, d)),
      };
    }
    return this.scratch;
  }

  /**
   * The stopping residual, in the N-independent scale of the UFM solver's KKT residual:
   * max( max |∂f/∂W_j|, N · max |∂f/∂H| ) (∂f/∂h_i is O(1/N) per column).
   */
  residual(g: Float64Array): number {
    let r = 0;
    const hOff = this.offsets[this.layers];
    for (let t = 0; t < hOff; t++) r = Math.max(r, Math.abs(g[t]));
    let rh = 0;
    for (let t = hOff; t < this.size; t++) rh = Math.max(rh, Math.abs(g[t]));
    return Math.max(r, this.N * rh);
  }
}
