import { dot } from '../../linalg/vector.ts';
import type { Evaluator } from '../objective/evaluator.ts';

/** Why a local solve stopped. */
export type LocalStatus = 'converged' | 'max-iterations' | 'stalled' | 'deadline';

/** What a local solve returns (the iterate itself is updated in place). */
export interface LocalResult {
  /** f at the final iterate. */
  objective: number;
  /** The KKT residual (see `kktResidual`) at the final iterate, from a full gradient. */
  residual: number;
  /** Iterations (accepted steps). */
  iterations: number;
  status: LocalStatus;
}

/** Settings of a local solve. */
export interface LocalOptions {
  /** Stop when the KKT residual is at most this. */
  tolerance: number;
  /** Stop after this many iterations. */
  maxIterations: number;
  /** Stop when performance.now() passes this (ms); Infinity for none. */
  deadline: number;
}

/** Armijo constant (sufficient decrease). */
const ARMIJO = 1e-4;
/** Curvature test used only when f's change is below round-off: |φ'(α)| ≤ this · |φ'(0)|. */
const SLOPE_RATIO = 0.9;
/** Relative round-off level of one evaluation of f (a mean over N terms, each exact to ~1e-16). */
const F_NOISE = 1e-13;
/** Largest ε of the ε-active set (Bertsekas 1982). */
const EPS_ACTIVE = 1e-8;
/**
 * Below this fraction of free variables the two-loop gathers over an index list (V8: about 3×
 * slower per entry than a contiguous masked loop, but it skips the active entries, which are
 * most of H near a UFM+ solution).
 */
const GATHER_FRACTION = 0.3;
/** Iterations between two full-gradient refreshes of the frozen blocks. */
const REFRESH = 10;
/** A rescaling is applied only when it lowers f by more than this × (1 + |f|). */
const RESCALE_GAIN = 1e-3;
/**
 * Rescaling is searched only when φ'(1) (free: from ∇L at hand) exceeds this × sqrt(λ_W λ_H)‖W‖‖H‖
 * in size, or balancing alone gains more than RESCALE_GAIN: near convergence φ'(1) → 0 and no
 * trial is spent.
 */
const RESCALE_SLOPE = 0.1;
/** The zero-block trial first tries only blocks whose entries are all ≤ this × max H. */
const SHRINK_SMALL = 1e-2;

/**
 * Two-metric projected L-BFGS (Bertsekas 1982; Kim, Sra & Dhillon 2010; Schmidt's minConf_TMP)
 * for min f(x) subject to H ≥ 0 (UFM+) or unconstrained (plain UFM):
 *
 * - the ε-active set A holds the H entries with H_ji ≤ ε and ∂f/∂H_ji > 0; they take a scaled
 *   gradient step and are projected (so they land exactly on 0);
 * - on the free variables F the direction is the L-BFGS two-loop product with the stored pairs
 *   restricted to F, and a block-diagonal initial matrix (one Barzilai–Borwein scale for W and b,
 *   one for H, since ∂f/∂H is O(1/N) and ∂f/∂W is O(1));
 * - a backtracking Armijo search along the projection arc (quadratic interpolation); when the
 *   change of f is below its round-off the step is judged on slopes instead (strong-Wolfe
 *   curvature test, secant updates of the step) — needed to reach residuals ≈ 1e-10 on flat,
 *   near-threshold landscapes;
 * - frozen blocks (UFM+): a (coordinate j, class c) block of H that is entirely 0 with a
 *   non-negative gradient is first-order optimal given the rest; it is left out of every vector
 *   operation and of ∇_H (most of H near a solution) and re-examined with a full gradient every
 *   {@link REFRESH} iterations and before convergence is declared (blocks whose gradient turned
 *   negative are released). Convergence is always decided on the full gradient.
 *
 * Buffers are allocated once; iterations allocate nothing.
 */
export class ProjectedLbfgs {
  private readonly n: number;
  private readonly S: Float64Array[];
  private readonly Y: Float64Array[];
  private readonly rho: Float64Array;
  private readonly alpha: Float64Array;
  private count = 0;
  private head = 0;
  private readonly g: Float64Array;
  private readonly gNew: Float64Array;
  private readonly xNew: Float64Array;
  private readonly p: Float64Array;
  /** 1 on F (live, not ε-active), 0 on frozen and ε-active entries. */
  private readonly mask: Float64Array;
  private readonly free: Int32Array;
  private nFree = 0;
  /** true: the two-loop runs over the index list of F; false: masked contiguous loops over the live ranges. */
  private gather = false;
  /** Frozen flags of the (coordinate, class) blocks of H, row-major d×K. */
  private readonly frozen: Uint8Array;
  private anyFrozen = false;
  /** The live entries as half-open ranges [ranges[2r], ranges[2r+1]). */
  private readonly ranges: Int32Array;
  private nRanges = 0;
  private nLive = 0;
  private gammaW = 1;
  private gammaH = 1;
  /** Two K×N buffers for {@link rescale} (allocated on first use). */
  private zScratch: [Float64Array, Float64Array] | null = null;

  constructor(private readonly ev: Evaluator, private readonly memory = 5) {
    this.n = ev.size;
    this.S = Array.from({ length: memory }, () => new Float64Array(this.n));
    this.Y = Array.from({ length: memory }, () => new Float64Array(this.n));
    this.rho = new Float64Array(memory);
    this.alpha = new Float64Array(memory);
    this.g = new Float64Array(this.n);
    this.gNew = new Float64Array(this.n);
    this.xNew = new Float64Array(this.n);
    this.p = new Float64Array(this.n);
    this.mask = new Float64Array(this.n);
    this.free = new Int32Array(this.n);
    this.frozen = new Uint8Array(ev.d * ev.K);
    this.ranges = new Int32Array(2 * (ev.d * ev.K + 2));
  }

  /** Forgets the curvature pairs (after the iterate was moved by something else). */
  reset(): void {
    this.count = 0;
    this.head = 0;
    this.gammaW = 1;
    this.gammaH = 1;
  }

  /**
   * Minimises from x (updated in place) until the KKT residual ≤ tolerance or a limit.
   *
   * @example
   * ```ts
   * const r = new ProjectedLbfgs(ev).run(x, { tolerance: 1e-10, maxIterations: 5000, deadline: Infinity });
   * ```
   */
  run(x: Float64Array, opts: LocalOptions): LocalResult {
    this.reset();
    this.frozen.fill(0);
    let f = this.refresh(x);
    let residual = this.liveResidual(x);
    let sinceRefresh = 0;
    let it = 0;
    let status: LocalStatus = 'max-iterations';
    let fails = 0;
    for (;;) {
      if (residual <= opts.tolerance) {
        if (sinceRefresh === 0) { status = 'converged'; break; }
        f = this.refresh(x);
        residual = this.liveResidual(x);
        sinceRefresh = 0;
        continue;
      }
      if (it >= opts.maxIterations) break;
      if (performance.now() > opts.deadline) { status = 'deadline'; break; }
      if (sinceRefresh >= REFRESH) {
        f = this.refresh(x);
        residual = this.liveResidual(x);
        sinceRefresh = 0;
      }
      this.workingSet(x, residual);
      const useMemory = this.count > 0;
      if (!this.direction(useMemory)) {
        this.reset();
        this.direction(false);
      }
      const step = this.lineSearch(x, f, useMemory ? 1 : this.firstStep(x));
      if (step === null) {
        if (this.count > 0 && fails === 0) { fails++; this.reset(); continue; }
        status = 'stalled';
        break;
      }
      fails = 0;
      this.accept(x);
      f = step;
      residual = this.liveResidual(x);
      it++;
      sinceRefresh++;
    }
    if (status !== 'converged' && sinceRefresh > 0) {
      f = this.refresh(x);
      residual = this.liveResidual(x);
    }
    return { objective: f, residual, iterations: it, status };
  }

  /**
   * Full evaluation at x; re-decides which H blocks are frozen (all zero with ∂f ≥ 0) and rebuilds
   * the live ranges and the base mask. Returns f.
   */
  private refresh(x: Float64Array): number {
    const { ev, g, frozen, mask } = this;
    let f = ev.evaluate(x, g);
    const { K, d, N, hOffset } = ev;
    const offsets = ev.problem.layout.offsets;
    f = this.rescale(x, f);
    if (ev.problem.nonNegative) f = this.shrink(x, f);
    let any = false;
    if (ev.problem.nonNegative) {
      for (let j = 0; j < d; j++) {
        for (let c = 0; c < K; c++) {
          let freeze = 1;
          for (let t = hOffset + j * N + offsets[c]; t < hOffset + j * N + offsets[c + 1]; t++) {
            if (x[t] !== 0 || g[t] < 0) { freeze = 0; break; }
          }
          if (frozen[j * K + c] === 1 && freeze === 0) {
            // Released: the stored pairs hold stale values there (they were not updated while
            // frozen); zero them, as if the block had not moved — which it had not.
            const a = hOffset + j * N + offsets[c];
            const b = hOffset + j * N + offsets[c + 1];
            for (let i = 0; i < this.memory; i++) { this.S[i].fill(0, a, b); this.Y[i].fill(0, a, b); }
          }
          frozen[j * K + c] = freeze;
          if (freeze === 1) any = true;
        }
      }
    }
    this.anyFrozen = any;
    // Live ranges: W, then the live blocks of H (adjacent ones merged), then b.
    const ranges = this.ranges;
    let r = 0;
    let open = 0;
    let end = hOffset;
    for (let j = 0; j < d; j++) {
      for (let c = 0; c < K; c++) {
        const b = hOffset + j * N + offsets[c + 1];
        if (frozen[j * K + c] === 1) {
          if (end > open) { ranges[2 * r] = open; ranges[2 * r + 1] = end; r++; }
          open = b;
        }
        end = b;
      }
    }
    if (this.n > open) { ranges[2 * r] = open; ranges[2 * r + 1] = this.n; r++; }
    this.nRanges = r;
    mask.fill(0);
    let live = 0;
    for (let q = 0; q < r; q++) {
      mask.fill(1, ranges[2 * q], ranges[2 * q + 1]);
      live += ranges[2 * q + 1] - ranges[2 * q];
    }
    this.nLive = live;
    return f;
  }

  /**
   * Best joint rescaling (W, H) → (αW, βH): for a product t = αβ the regulariser is smallest when
   * λ_W α²‖W‖² = λ_H β²‖H‖², where it equals t·sqrt(λ_W λ_H)‖W‖‖H‖, so
   * φ(t) = L(t Z₀ + b 1ᵀ) + t sqrt(λ_W λ_H)‖W‖‖H‖ (+ λ_b‖b‖²/2), Z₀ = W H, is convex in t and costs
   * O(K N) per trial (no product). From t = 1, doublings (or halvings) while φ decreases — 3 trials
   * when t = 1 is best, the usual case near convergence — then golden section in log t; applied
   * only when it lowers f by more than RESCALE_GAIN·(1 + |f|). Moving along this
   * nearly flat "growth" direction is what L-BFGS is slowest at when the optimum is far larger (or
   * smaller) than the start (e.g. λ_W = 1e-5). Forgets the curvature pairs when it acts; f(x) and
   * ∇f(x) are re-evaluated into g.
   */
  private rescale(x: Float64Array, f: number): number {
    const { ev, g } = this;
    const { K, N, hOffset, bOffset } = ev;
    const { lambdaW, lambdaH, lambdaB } = ev.problem;
    let w2 = 0;
    for (let t = 0; t < hOffset; t++) w2 += x[t] * x[t];
    let h2 = 0;
    for (let t = hOffset; t < bOffset; t++) h2 += x[t] * x[t];
    if (!(w2 > 0 && h2 > 0)) return f;
    const b = ev.b(x);
    let biasReg = 0;
    if (b) for (let k = 0; k < K; k++) biasReg += 0.5 * lambdaB * b[k] * b[k];
    this.zScratch ??= [new Float64Array(K * N), new Float64Array(K * N)];
    const [Z0, Zt] = this.zScratch;
    for (let k = 0; k < K; k++) for (let i = 0; i < N; i++) Z0[k * N + i] = ev.Z[k * N + i] - (b ? b[k] : 0);
    const cost = Math.sqrt(lambdaW * lambdaH * w2 * h2);
    // φ'(1) = ⟨∇L(Z), Z₀⟩ + cost; the balancing gain at t = 1 is R − cost (AM–GM).
    let slope = cost;
    for (let q = 0; q < K * N; q++) slope += ev.G[q] * Z0[q];
    const balanceGain = 0.5 * (lambdaW * w2 + lambdaH * h2) - cost;
    if (Math.abs(slope) <= RESCALE_SLOPE * cost && balanceGain <= RESCALE_GAIN * (1 + Math.abs(f))) return f;
    const phi = (logT: number): number => {
      const t = 2 ** logT;
      for (let k = 0; k < K; k++) for (let i = 0; i < N; i++) Zt[k * N + i] = t * Z0[k * N + i] + (b ? b[k] : 0);
      return ev.lossOf(Zt) + t * cost + biasReg;
    };
    // φ is convex in t: walk from t = 1 by doublings (or halvings) while φ decreases, then refine.
    let bestK = 0;
    let best = phi(0);
    const up = phi(1);
    const down = up < best ? Infinity : phi(-1);
    const dir = up < best ? 1 : down < best ? -1 : 0;
    if (dir !== 0) {
      bestK = dir;
      best = dir === 1 ? up : down;
      for (let k = 2 * dir; Math.abs(k) <= 30; k += dir) {
        const v = phi(k);
        if (!(v < best)) break;
        best = v;
        bestK = k;
      }
    }
    let lo = bestK - 1;
    let hi = bestK + 1;
    const gold = (Math.sqrt(5) - 1) / 2;
    let c = hi - gold * (hi - lo);
    let e = lo + gold * (hi - lo);
    let fc = dir === 0 ? Infinity : phi(c);
    let fe = dir === 0 ? Infinity : phi(e);
    for (let it = 0; it < 8 && dir !== 0; it++) {
      if (fc < fe) { hi = e; e = c; fe = fc; c = hi - gold * (hi - lo); fc = phi(c); } else { lo = c; c = e; fc = fe; e = lo + gold * (hi - lo); fe = phi(e); }
    }
    let logT = bestK;
    if (Math.min(fc, fe) < best) { logT = fc < fe ? c : e; best = Math.min(fc, fe); }
    if (!(best < f - RESCALE_GAIN * (1 + Math.abs(f)))) return f;
    const t = 2 ** logT;
    const alpha = Math.sqrt(t * Math.sqrt((lambdaH * h2) / (lambdaW * w2)));
    const beta = t / alpha;
    for (let q = 0; q < hOffset; q++) x[q] *= alpha;
    for (let q = hOffset; q < bOffset; q++) x[q] *= beta;
    this.reset();
    return ev.evaluate(x, g);
  }

  /**
   * Zero-block trial (UFM+): blocks of H that are small and not zero, and whose removal lowers f to
   * first order (Σ ∂f/∂H_t · H_t > 0 over the block), are set to 0 together, and kept there when f
   * does not rise by more than its round-off. Near the collapse threshold a dying class decays towards 0 along an
   * almost flat (or quartic) valley and would take thousands of iterations to reach the bound;
   * this lands it there in one step. Only ever lowers f; forgets the curvature pairs when it acts.
   */
  private shrink(x: Float64Array, f: number): number {
    const { ev, g, xNew, gNew } = this;
    const { K, d, N, hOffset } = ev;
    const offsets = ev.problem.layout.offsets;
    let hMax = 0;
    for (let t = hOffset; t < ev.bOffset; t++) if (x[t] > hMax) hMax = x[t];
    for (const level of [SHRINK_SMALL, 1]) {
      xNew.set(x);
      let changed = 0;
      for (let j = 0; j < d; j++) {
        for (let c = 0; c < K; c++) {
          const a = hOffset + j * N + offsets[c];
          const b = hOffset + j * N + offsets[c + 1];
          // Candidate: not zero, small (≤ level · max H), and zeroing it lowers f to first order.
          let slope = 0;
          let ok = true;
          for (let t = a; t < b && ok; t++) {
            if (x[t] > 0) {
              slope += g[t] * x[t];
              ok = x[t] <= level * hMax;
            }
          }
          if (slope > 0 && ok) { xNew.fill(0, a, b); changed++; }
        }
      }
      if (changed === 0) continue;
      const fNew = ev.evaluate(xNew, gNew);
      // The first-order change is negative for every block; a rise within f's round-off is noise.
      if (fNew <= f + F_NOISE * (1 + Math.abs(f))) {
        x.set(xNew);
        g.set(gNew);
        this.reset();
        return fNew;
      }
    }
    return f;
  }

  /** The KKT residual over the live entries (frozen entries contribute 0: x = 0, ∂f ≥ 0 at the last refresh). */
  private liveResidual(x: Float64Array): number {
    const { ev, g, ranges } = this;
    const hOff = ev.hOffset;
    const bOff = ev.bOffset;
    const N = ev.N;
    const nonNeg = ev.problem.nonNegative;
    let r = 0;
    for (let q = 0; q < this.nRanges; q++) {
      for (let t = ranges[2 * q]; t < ranges[2 * q + 1]; t++) {
        const gt = g[t];
        let v: number;
        if (t >= hOff && t < bOff) v = N * (nonNeg && x[t] <= 0 ? Math.min(gt, 0) : gt);
        else v = gt;
        if (Math.abs(v) > r) r = Math.abs(v);
      }
    }
    return r;
  }

  /** A safe first trial step for a steepest-descent direction: move no entry by more than ~0.1. */
  private firstStep(x: Float64Array): number {
    let gmax = 0;
    let xmax = 0;
    for (let q = 0; q < this.nRanges; q++) {
      for (let t = this.ranges[2 * q]; t < this.ranges[2 * q + 1]; t++) {
        gmax = Math.max(gmax, Math.abs(this.p[t]));
        xmax = Math.max(xmax, Math.abs(x[t]));
      }
    }
    return gmax > 0 ? Math.min(1, (0.1 * Math.max(xmax, 1e-3)) / gmax) : 1;
  }

  /** Sets the mask on the live H entries (0 where ε-active) and, when F is small, its index list. */
  private workingSet(x: Float64Array, residual: number): void {
    const { ev, g, mask, free, ranges } = this;
    let active = 0;
    if (ev.problem.nonNegative) {
      const eps = Math.min(EPS_ACTIVE, residual);
      const hOff = ev.hOffset;
      const bOff = ev.bOffset;
      for (let q = 0; q < this.nRanges; q++) {
        const a = Math.max(ranges[2 * q], hOff);
        const b = Math.min(ranges[2 * q + 1], bOff);
        for (let t = a; t < b; t++) {
          const act = x[t] <= eps && g[t] > 0;
          mask[t] = act ? 0 : 1;
          if (act) active++;
        }
      }
    }
    this.nFree = this.nLive - active;
    this.gather = this.nFree < GATHER_FRACTION * this.n;
    if (this.gather) {
      let m = 0;
      for (let q = 0; q < this.nRanges; q++) {
        for (let t = ranges[2 * q]; t < ranges[2 * q + 1]; t++) if (mask[t] !== 0) free[m++] = t;
      }
    }
  }

  /**
   * p = −B⁻¹ g on F (two-loop over pairs restricted to F: p is kept zero outside F through the
   * loops, so plain dot products are restricted ones), p = −γ_H g on the ε-active entries, 0 on
   * frozen ones. Returns false when the result is not a descent direction.
   */
  private direction(useMemory: boolean): boolean {
    const { ev, g, p, mask, S, Y, rho, alpha, ranges } = this;
    const hOff = ev.hOffset;
    const bOff = ev.bOffset;
    const idx = this.free;
    const m = this.nFree;
    const gather = this.gather;
    const gw = useMemory ? this.gammaW : 1;
    const gh = useMemory ? this.gammaH : 1;
    if (gather) {
      for (let u = 0; u < m; u++) { const t = idx[u]; p[t] = -g[t]; }
    } else {
      maskedNegate(g, mask, p);
    }
    if (useMemory) {
      for (let c = 0; c < this.count; c++) {
        const i = (this.head - 1 - c + this.memory) % this.memory;
        const sy = gather ? gatherDot(S[i], Y[i], idx, m) : maskedDot(S[i], Y[i], mask);
        if (!(sy > 0)) { rho[i] = 0; alpha[i] = 0; continue; }
        rho[i] = 1 / sy;
        alpha[i] = rho[i] * (gather ? gatherDot(S[i], p, idx, m) : dot(S[i], p));
        if (gather) gatherAxpy(-alpha[i], Y[i], p, idx, m);
        else maskedAxpy(-alpha[i], Y[i], p, mask);
      }
    }
    if (gather) {
      for (let u = 0; u < m; u++) { const t = idx[u]; p[t] *= t >= hOff && t < bOff ? gh : gw; }
    } else {
      scale(p, 0, hOff, gw);
      scale(p, hOff, bOff, gh);
      scale(p, bOff, this.n, gw);
    }
    if (useMemory) {
      for (let c = this.count - 1; c >= 0; c--) {
        const i = (this.head - 1 - c + this.memory) % this.memory;
        if (rho[i] === 0) continue;
        const beta = alpha[i] - rho[i] * (gather ? gatherDot(Y[i], p, idx, m) : dot(Y[i], p));
        if (gather) gatherAxpy(beta, S[i], p, idx, m);
        else maskedAxpy(beta, S[i], p, mask);
      }
    }
    const gp = gather ? gatherDot(g, p, idx, m) : dot(g, p);
    // ε-active live entries: a scaled gradient step (the projection puts them on the bound).
    const gActive = this.gammaH;
    for (let q = 0; q < this.nRanges; q++) {
      const a = Math.max(ranges[2 * q], hOff);
      const b = Math.min(ranges[2 * q + 1], bOff);
      for (let t = a; t < b; t++) if (mask[t] === 0) p[t] = -gActive * g[t];
    }
    return gp < 0 || this.nFree === 0;
  }

  /**
   * Backtracking along x(α) = P(x + α p) over the live entries (frozen ones stay 0). On success
   * xNew, gNew hold the new point and its gradient and the new f is returned; null when no
   * acceptable step was found.
   */
  private lineSearch(x: Float64Array, f: number, alpha0: number): number | null {
    const { ev, p, xNew, gNew, g, ranges } = this;
    const hOff = ev.hOffset;
    const bOff = ev.bOffset;
    const nonNeg = ev.problem.nonNegative;
    const noise = F_NOISE * (1 + Math.abs(f));
    let alpha = alpha0;
    for (let trial = 0; trial < 40; trial++) {
      let gd = 0;
      for (let q = 0; q < this.nRanges; q++) {
        const a = ranges[2 * q];
        const b = ranges[2 * q + 1];
        for (let t = a; t < b; t++) {
          let v = x[t] + alpha * p[t];
          if (nonNeg && v < 0 && t >= hOff && t < bOff) v = 0;
          xNew[t] = v;
          gd += g[t] * (v - x[t]);
        }
      }
      const fNew = ev.evaluate(xNew, gNew, this.anyFrozen ? this.frozen : null);
      if (!Number.isFinite(fNew)) {
        alpha *= 0.1;
        continue;
      }
      if (fNew <= f + ARMIJO * Math.min(gd, 0) && (gd < 0 || fNew < f)) return fNew;
      if (gd < 0 && Math.abs(gd) < noise && fNew <= f + noise) {
        // f cannot resolve this step: decide on slopes (gd and gdNew are α·φ'(0), α·φ'(α) along the
        // step). Accept when |φ'(α)| ≤ SLOPE_RATIO |φ'(0)| (a strong-Wolfe curvature test),
        // else move α to the secant root of φ', extending as well as shortening.
        let gdNew = 0;
        for (let q = 0; q < this.nRanges; q++) {
          for (let t = ranges[2 * q]; t < ranges[2 * q + 1]; t++) gdNew += gNew[t] * (xNew[t] - x[t]);
        }
        if (Math.abs(gdNew) <= SLOPE_RATIO * Math.abs(gd)) return fNew;
        const secant = gdNew > gd ? gd / (gd - gdNew) : 4;
        alpha *= Math.min(10, Math.max(0.1, secant));
        continue;
      }
      // Minimiser of the quadratic through f, the slope gd (per unit step) and fNew, kept in
      // [1e-3, 1/2] of the step: reaches the right scale in a few trials even when the first
      // step was many orders too long.
      const curvature = fNew - f - gd;
      const t = curvature > 0 ? -gd / (2 * curvature) : 0.5;
      alpha *= Math.min(0.5, Math.max(1e-3, Number.isFinite(t) ? t : 0.5));
    }
    return null;
  }

  /**
   * Stores the pair s = xNew − x, y = gNew − g on the live entries (when sᵀy > 0, with new
   * block scales), then moves x, g to xNew, gNew there.
   */
  private accept(x: Float64Array): void {
    const { S, Y, xNew, gNew, g, ev, ranges } = this;
    const s = S[this.head];
    const y = Y[this.head];
    let syW = 0, yyW = 0, syH = 0, yyH = 0;
    const hOff = ev.hOffset;
    const bOff = ev.bOffset;
    for (let q = 0; q < this.nRanges; q++) {
      const a = ranges[2 * q];
      const b = ranges[2 * q + 1];
      for (let t = a; t < b; t++) {
        const st = xNew[t] - x[t];
        const yt = gNew[t] - g[t];
        s[t] = st;
        y[t] = yt;
        if (t >= hOff && t < bOff) { syH += st * yt; yyH += yt * yt; } else { syW += st * yt; yyW += yt * yt; }
        x[t] = xNew[t];
        g[t] = gNew[t];
      }
    }
    const sy = syW + syH;
    const yy = yyW + yyH;
    if (!(sy > 0) || !(yy > 0)) return;
    const global = sy / yy;
    this.gammaW = syW > 0 && yyW > 0 ? syW / yyW : global;
    this.gammaH = syH > 0 && yyH > 0 ? syH / yyH : global;
    this.head = (this.head + 1) % this.memory;
    this.count = Math.min(this.count + 1, this.memory);
  }
}

/** Σ a_t b_t m_t. */
function maskedDot(a: Float64Array, b: Float64Array, m: Float64Array): number {
  let s = 0;
  for (let t = 0; t < a.length; t++) s += a[t] * b[t] * m[t];
  return s;
}

/** p ← (p + c·y) ∘ m. */
function maskedAxpy(c: number, y: Float64Array, p: Float64Array, m: Float64Array): void {
  for (let t = 0; t < p.length; t++) p[t] = (p[t] + c * y[t]) * m[t];
}

/** p ← −g ∘ m. */
function maskedNegate(g: Float64Array, m: Float64Array, p: Float64Array): void {
  for (let t = 0; t < p.length; t++) p[t] = -g[t] * m[t];
}

/** p[from:to] *= c. */
function scale(p: Float64Array, from: number, to: number, c: number): void {
  if (c === 1) return;
  for (let t = from; t < to; t++) p[t] *= c;
}

/** Σ_{t ∈ idx[0:m]} a_t b_t. */
function gatherDot(a: Float64Array, b: Float64Array, idx: Int32Array, m: number): number {
  let s = 0;
  for (let u = 0; u < m; u++) {
    const t = idx[u];
    s += a[t] * b[t];
  }
  return s;
}

/** p_t += c·y_t for t ∈ idx[0:m]. */
function gatherAxpy(c: number, y: Float64Array, p: Float64Array, idx: Int32Array, m: number): void {
  for (let u = 0; u < m; u++) {
    const t = idx[u];
    p[t] += c * y[t];
  }
}
