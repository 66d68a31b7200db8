import { dot } from '../../linalg/vector.ts';
import type { Evaluator } from '../objective/evaluator.ts';
import { type TwoLoopOps, twoLoop } from '../lbfgs/twoLoop.ts';
import { F_NOISE, rescale, shrink } from './ufmMoves.ts';

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
  /** Called at every full-gradient refresh (every few iterations) with the iterations so far, f and the residual. */
  progress?: (iterations: number, objective: number, residual: number) => void;
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
  /**
   * true right after a step was accepted: the evaluator's last evaluation was at x, and g holds
   * ∇f(x) except on the frozen blocks (the next refresh then needs only those).
   */
  private atX = false;
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
    this.atX = false;
    let f = this.refresh(x, NaN);
    let residual = this.liveResidual(x);
    let sinceRefresh = 0;
    let it = 0;
    let status: LocalStatus = 'max-iterations';
    let fails = 0;
    for (;;) {
      if (residual <= opts.tolerance) {
        if (sinceRefresh === 0) { status = 'converged'; break; }
        f = this.refresh(x, f);
        residual = this.liveResidual(x);
        sinceRefresh = 0;
        continue;
      }
      if (it >= opts.maxIterations) break;
      if (performance.now() > opts.deadline) { status = 'deadline'; break; }
      if (sinceRefresh >= REFRESH) {
        f = this.refresh(x, f);
        residual = this.liveResidual(x);
        sinceRefresh = 0;
        opts.progress?.(it, f, residual);
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
      f = this.refresh(x, f);
      residual = this.liveResidual(x);
    }
    return { objective: f, residual, iterations: it, status };
  }

  /**
   * Full gradient at x; re-decides which H blocks are frozen (all zero with ∂f ≥ 0) and rebuilds
   * the live ranges and the base mask. Returns f. Right after an accepted step (f = f(x), the
   * evaluator's last evaluation at x) only ∂f/∂H on the frozen blocks is computed — the result is
   * bit-identical to a full evaluation — else x is evaluated in full.
   */
  private refresh(x: Float64Array, fx: number): number {
    const { ev, g, frozen, mask } = this;
    let f: number;
    if (this.atX) {
      if (this.anyFrozen) ev.completeFrozen(x, g, frozen);
      f = fx;
    } else {
      f = ev.evaluate(x, g);
    }
    this.atX = false;
    const { K, d, N, hOffset } = ev;
    const offsets = ev.problem.layout.offsets;
    const scaled = rescale(ev, x, f, g, this.zScratch ??= [new Float64Array(ev.K * ev.N), new Float64Array(ev.K * ev.N)]);
    if (scaled !== null) { f = scaled; this.reset(); }
    const shrunk = ev.problem.nonNegative ? shrink(ev, x, f, g, this.xNew, this.gNew) : null;
    if (shrunk !== null) { f = shrunk; this.reset(); }
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
    const initial = (v: Float64Array): void => {
      if (gather) {
        for (let u = 0; u < m; u++) { const t = idx[u]; v[t] *= t >= hOff && t < bOff ? gh : gw; }
      } else {
        scale(v, 0, hOff, gw);
        scale(v, hOff, bOff, gh);
        scale(v, bOff, this.n, gw);
      }
    };
    const ops: TwoLoopOps = gather
      ? { curvature: (a, b) => gatherDot(a, b, idx, m), dot: (a, b) => gatherDot(a, b, idx, m), axpy: (c, y, v) => gatherAxpy(c, y, v, idx, m), initial }
      : { curvature: (a, b) => maskedDot(a, b, mask), dot, axpy: (c, y, v) => maskedAxpy(c, y, v, mask), initial };
    twoLoop(p, { S, Y, rho, alpha, head: this.head, count: useMemory ? this.count : 0 }, ops);
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
    this.atX = false;
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
      // f first; the products of ∇f only when the trial is accepted or judged on slopes.
      const frozen = this.anyFrozen ? this.frozen : null;
      const fNew = ev.value(xNew, frozen);
      if (!Number.isFinite(fNew)) {
        alpha *= 0.1;
        continue;
      }
      if (fNew <= f + ARMIJO * Math.min(gd, 0) && (gd < 0 || fNew < f)) {
        ev.finishGradient(xNew, gNew, frozen);
        return fNew;
      }
      if (gd < 0 && Math.abs(gd) < noise && fNew <= f + noise) {
        ev.finishGradient(xNew, gNew, frozen);
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
    this.atX = true;
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
