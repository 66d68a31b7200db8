import { normalise } from '../linalg/vector.ts';
import type { ClassLayout } from '../problem/layout.ts';
import type { Evaluator } from './objective/evaluator.ts';

/**
 * A rank-one escape direction u vᵀ (‖u‖ = ‖v‖ = 1; v ≥ 0 for UFM+) with its ratio
 * ‖G v‖ / sqrt(λ_W λ_H), G = −∇L(Z) (THEORY.md §1b): adding δ u to a column of W and ε v to
 * the matching row of H lowers f to second order exactly when ratio > 1.
 */
export interface EscapeAtom {
  readonly u: Float64Array;
  readonly v: Float64Array;
  readonly ratio: number;
  /** The classes v is supported on. */
  readonly classes: number[];
}

/** What placing one atom did. */
export interface Placement {
  /** The coordinate (column of W, row of H) used. */
  coordinate: number;
  /** True if the coordinate was free (its column of W and row of H were zero). */
  free: boolean;
  /** s = δ ε, the chosen scale of the rank-one change of Z; 0 when no decrease was found. */
  scale: number;
  /** f before minus f after (≥ 0); when `predicted`, the model's decrease a s/2 (below round-off). */
  decrease: number;
  /** true when the step came from the quadratic model because the decrease is below f's round-off. */
  predicted?: boolean;
}

/** Power-iteration sweeps used to polish an atom on its class. */
const POLISH_SWEEPS = 30;
/** Mass below which a class's share of v is ignored when splitting. */
const MIN_SHARE = 1e-6;

/**
 * Splits an atom whose v spans several classes into one atom per class (THEORY.md §2: dead
 * classes sharing one witness must end on different, orthogonal coordinates), each polished
 * by alternating u ← G v/‖G v‖, v ← P(Gᵀ u)/‖·‖ restricted to its class (P = positive part
 * for UFM+). Only pieces with ratio > 1 are kept, best first; when none is, the polished
 * unsplit atom is returned alone. `G` (K×N) is ∇L(Z) (the sign is flipped here).
 *
 * @example
 * ```ts
 * const atoms = splitAtom(cert.atom.u, cert.atom.v, ev.G, layout, true, Math.sqrt(lw * lh));
 * ```
 */
export function splitAtom(
  u0: ArrayLike<number>, v0: ArrayLike<number>, gradL: Float64Array, layout: ClassLayout, nonNegative: boolean, scale: number,
): EscapeAtom[] {
  const { K, N, offsets } = layout;
  const mass = new Float64Array(K);
  for (let c = 0; c < K; c++) for (let i = offsets[c]; i < offsets[c + 1]; i++) mass[c] += v0[i] * v0[i];
  const classes = [...mass.keys()].filter((c) => mass[c] > MIN_SHARE);
  const pieces: EscapeAtom[] = [];
  if (nonNegative && classes.length > 1) {
    for (const c of classes) {
      const v = new Float64Array(N);
      for (let i = offsets[c]; i < offsets[c + 1]; i++) v[i] = v0[i];
      const atom = polish(v, [c], gradL, layout, nonNegative, scale);
      if (atom.ratio > 1) pieces.push(atom);
    }
    pieces.sort((a, b) => b.ratio - a.ratio);
  }
  if (pieces.length > 0) return pieces;
  const v = Float64Array.from(v0);
  const whole = polish(v, classes, gradL, layout, nonNegative, scale);
  // Polishing is an ascent on ‖G v‖; keep the given atom if it was somehow better.
  const given = atomRatio(Float64Array.from(u0), Float64Array.from(v0), gradL, K, N, scale);
  return [given.ratio > whole.ratio ? { ...given, classes } : whole];
}

/**
 * One atom per class c, restricted to class c's columns (from v uniform on the class, polished as
 * in {@link splitAtom}), kept when its ratio exceeds `minRatio`. At a point where several classes
 * are dead, the certificate's maximising atom often covers only one of them (their gradient columns
 * are negatively correlated); these atoms let one escape revive all of them.
 *
 * @example
 * ```ts
 * const extra = classAtoms(ev.G, layout, true, Math.sqrt(lw * lh), 1 + 1e-6);
 * ```
 */
export function classAtoms(gradL: Float64Array, layout: ClassLayout, nonNegative: boolean, scale: number, minRatio: number): EscapeAtom[] {
  const { N, offsets, sizes } = layout;
  const out: EscapeAtom[] = [];
  for (let c = 0; c < layout.K; c++) {
    const v = new Float64Array(N);
    v.fill(1 / Math.sqrt(sizes[c]), offsets[c], offsets[c + 1]);
    const atom = polish(v, [c], gradL, layout, nonNegative, scale);
    if (atom.ratio > minRatio) out.push(atom);
  }
  return out.sort((a, b) => b.ratio - a.ratio);
}

/**
 * The atoms of one escape: the certificate's atom split by class, plus the per-class atoms of
 * {@link classAtoms} (UFM+ only), at most one per class (the larger ratio), best first.
 *
 * @example
 * ```ts
 * const atoms = escapeAtoms(cert.atom.u, cert.atom.v, ev.G, layout, true, mu, 1 + 1e-6);
 * ```
 */
export function escapeAtoms(
  u0: ArrayLike<number>, v0: ArrayLike<number>, gradL: Float64Array, layout: ClassLayout, nonNegative: boolean, scale: number, minRatio: number,
): EscapeAtom[] {
  const atoms = splitAtom(u0, v0, gradL, layout, nonNegative, scale);
  if (!nonNegative) return atoms;
  const byClass = new Map<number, EscapeAtom>();
  const multi: EscapeAtom[] = [];
  for (const a of [...atoms, ...classAtoms(gradL, layout, nonNegative, scale, minRatio)]) {
    if (a.classes.length !== 1) { multi.push(a); continue; }
    const c = a.classes[0];
    const old = byClass.get(c);
    if (old === undefined || a.ratio > old.ratio) byClass.set(c, a);
  }
  return [...multi, ...byClass.values()].sort((a, b) => b.ratio - a.ratio);
}

/** Alternating power sweeps on the classes `cs`, v updated in place. */
function polish(v: Float64Array, cs: number[], gradL: Float64Array, layout: ClassLayout, nonNegative: boolean, scale: number): EscapeAtom {
  const { K, N, offsets } = layout;
  const u = new Float64Array(K);
  normalise(v);
  const vNew = new Float64Array(N);
  for (let sweep = 0; sweep < POLISH_SWEEPS; sweep++) {
    applyGOn(gradL, v, u, K, N, cs, offsets);
    if (normalise(u) === 0) break;
    vNew.fill(0);
    for (const c of cs) {
      for (let i = offsets[c]; i < offsets[c + 1]; i++) {
        let s = 0;
        for (let k = 0; k < K; k++) s -= gradL[k * N + i] * u[k];
        vNew[i] = nonNegative ? Math.max(s, 0) : s;
      }
    }
    if (normalise(vNew) === 0) break;
    v.set(vNew);
  }
  return { ...atomRatio(u, v, gradL, K, N, scale), classes: cs };
}

/** u = G v/‖G v‖ (G = −∇L) and the ratio ‖G v‖/scale. */
function atomRatio(u: Float64Array, v: Float64Array, gradL: Float64Array, K: number, N: number, scale: number): { u: Float64Array; v: Float64Array; ratio: number } {
  const gv = new Float64Array(K);
  applyG(gradL, v, gv, K, N);
  const norm = normalise(gv);
  if (norm > 0) u.set(gv);
  return { u, v, ratio: norm / scale };
}

/** out = −∇L · v (K) for v supported on the classes cs. */
function applyGOn(gradL: Float64Array, v: Float64Array, out: Float64Array, K: number, N: number, cs: number[], offsets: readonly number[]): void {
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (const c of cs) for (let i = offsets[c]; i < offsets[c + 1]; i++) s -= gradL[k * N + i] * v[i];
    out[k] = s;
  }
}

/** out = −∇L · v (K). */
function applyG(gradL: Float64Array, v: Float64Array, out: Float64Array, K: number, N: number): void {
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let i = 0; i < N; i++) s -= gradL[k * N + i] * v[i];
    out[k] = s;
  }
}

/**
 * Per coordinate j, its share of the regulariser λ_W‖W[:, j]‖² + λ_H‖H[j, :]‖²; 0 for a free
 * coordinate.
 *
 * @example
 * ```ts
 * const usage = coordinateUsage(ev, x); // length d
 * ```
 */
export function coordinateUsage(ev: Evaluator, x: Float64Array): Float64Array {
  const { K, d, N } = ev;
  const { lambdaW, lambdaH } = ev.problem;
  const usage = new Float64Array(d);
  const W = ev.W(x);
  const H = ev.H(x);
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += lambdaW * W[k * d + j] ** 2;
    for (let i = 0; i < N; i++) s += lambdaH * H[j * N + i] ** 2;
    usage[j] = s;
  }
  return usage;
}

/**
 * Places the atom on coordinate j, W[:, j] += δ u, H[j, :] += ε v, with balanced δ, ε
 * (λ_W δ² = λ_H ε², so δ ε = s and the regulariser grows by sqrt(λ_W λ_H) s to second order)
 * and s chosen by a line search on f: a geometric grid from the scale at which the logits move
 * by 50 down by factors of 4 (stopped once f has decreased and risen again), then golden-section
 * refinement in log s around the best point.
 * Each trial costs O(K N) (Z changes by rank-one terms; no matrix product). x is changed only
 * when f decreases.
 *
 * @example
 * ```ts
 * const placed = placeAtom(ev, x, atoms[0], j, true); // j: a free coordinate
 * ```
 */
export function placeAtom(ev: Evaluator, x: Float64Array, atom: EscapeAtom, j: number, free: boolean): Placement {
  const { K, N, d } = ev;
  const { lambdaW, lambdaH } = ev.problem;
  const W = ev.W(x);
  const H = ev.H(x);
  const f0 = ev.evaluate(x);
  const Z0 = Float64Array.from(ev.Z);
  const L0 = f0 - regulariser(ev, x);
  const Zt = new Float64Array(K * N);
  const Wj = new Float64Array(K);
  for (let k = 0; k < K; k++) Wj[k] = W[k * d + j];
  const Hj = H.subarray(j * N, (j + 1) * N);
  const { u, v } = atom;
  let uW = 0;
  for (let k = 0; k < K; k++) uW += u[k] * Wj[k];
  let vH = 0;
  for (let i = 0; i < N; i++) vH += v[i] * Hj[i];
  const aW = (lambdaH / lambdaW) ** 0.25;
  const aH = (lambdaW / lambdaH) ** 0.25;
  const change = (s: number): number => {
    const delta = aW * Math.sqrt(s);
    const eps = aH * Math.sqrt(s);
    for (let k = 0; k < K; k++) {
      const uk = u[k];
      const wk = eps * Wj[k];
      const r = k * N;
      for (let i = 0; i < N; i++) Zt[r + i] = Z0[r + i] + uk * (delta * Hj[i] + s * v[i]) + wk * v[i];
    }
    const reg = lambdaW * (delta * uW + 0.5 * delta * delta) + lambdaH * (eps * vH + 0.5 * eps * eps);
    return ev.lossOf(Zt) - L0 + reg;
  };
  let umax = 0;
  for (let k = 0; k < K; k++) umax = Math.max(umax, Math.abs(u[k]));
  let vmax = 0;
  for (let i = 0; i < N; i++) vmax = Math.max(vmax, Math.abs(v[i]));
  const sMax = 50 / Math.max(umax * vmax, 1e-300);
  // Geometric grid s = sMax·4^−m, m = 0 … 25, from the largest scale down, stopped once f has
  // decreased and then got worse again (the change is unimodal in log s near the saddle); then
  // golden-section refinement in log₄ s around the best grid point.
  const noise = 1e-13 * (1 + Math.abs(f0));
  const grid: number[] = [];
  let best = 0;
  let bestM = -1;
  for (let m = 0; m <= 25; m++) {
    const df = change(sMax * 4 ** -m);
    grid.push(df);
    if (df < best) { best = df; bestM = m; } else if (bestM >= 0) break;
  }
  let bestS = bestM >= 0 ? sMax * 4 ** -bestM : 0;
  if (bestM >= 0) {
    let a = -bestM - 1;
    let b = -bestM + 1;
    const phi = (Math.sqrt(5) - 1) / 2;
    let c = b - phi * (b - a);
    let e = a + phi * (b - a);
    let fc = change(sMax * 4 ** c);
    let fe = change(sMax * 4 ** e);
    for (let it = 0; it < 10; it++) {
      if (fc < fe) {
        b = e; e = c; fe = fc; c = b - phi * (b - a); fc = change(sMax * 4 ** c);
      } else {
        a = c; c = e; fc = fe; e = a + phi * (b - a); fe = change(sMax * 4 ** e);
      }
      if (fc < best) { best = fc; bestS = sMax * 4 ** c; }
      if (fe < best) { best = fe; bestS = sMax * 4 ** e; }
    }
  }
  let predicted = false;
  if (!(best < -noise)) {
    // No decrease above round-off. On a free coordinate f(s) − f = −a s + b s² + O(s³) with
    // a = ‖G v‖ − sqrt(λ_W λ_H) = sqrt(λ_W λ_H)(ρ_atom − 1) exactly (no cross terms); when a > 0 the
    // saddle is real but shallow (a class just above the threshold): estimate b from the smallest
    // grid scale whose change is well above round-off and step to the model's minimiser a/(2b).
    const slope = free ? atom.ratio * Math.sqrt(lambdaW * lambdaH) - Math.sqrt(lambdaW * lambdaH) : 0;
    const model = slope > 0 ? modelStep(grid, sMax, slope, noise) : 0;
    if (!(model > 0)) return { coordinate: j, free, scale: 0, decrease: 0 };
    bestS = model;
    best = change(model);
    if (best > noise) return { coordinate: j, free, scale: 0, decrease: 0 };
    predicted = true;
  }
  const delta = aW * Math.sqrt(bestS);
  const eps = aH * Math.sqrt(bestS);
  for (let k = 0; k < K; k++) W[k * d + j] += delta * u[k];
  for (let i = 0; i < N; i++) Hj[i] += eps * v[i];
  return { coordinate: j, free, scale: bestS, decrease: predicted ? (slope2(atom, lambdaW, lambdaH) * bestS) / 2 : -best, predicted };
}

/** a = sqrt(λ_W λ_H)(ρ_atom − 1), the first-order decrease rate of an atom on a free coordinate. */
function slope2(atom: EscapeAtom, lambdaW: number, lambdaH: number): number {
  return Math.sqrt(lambdaW * lambdaH) * (atom.ratio - 1);
}

/**
 * The minimiser a/(2b) of −a s + b s², with b = (Δf(s) + a s)/s² read at the smallest grid scale s
 * whose change exceeds 1e4 × round-off (so b is measured, not noise); 0 when none does.
 */
function modelStep(grid: number[], sMax: number, a: number, noise: number): number {
  for (let m = grid.length - 1; m >= 0; m--) {
    const s = sMax * 4 ** -m;
    const curvature = (grid[m] + a * s) / (s * s);
    if (grid[m] + a * s > 1e4 * noise && curvature > 0) return a / (2 * curvature);
  }
  return 0;
}

/** (λ_W/2)‖W‖² + (λ_H/2)‖H‖² + (λ_b/2)‖b‖² at x. */
export function regulariser(ev: Evaluator, x: Float64Array): number {
  const { lambdaW, lambdaH, lambdaB } = ev.problem;
  let s = 0;
  for (let t = 0; t < ev.hOffset; t++) s += lambdaW * x[t] * x[t];
  for (let t = ev.hOffset; t < ev.bOffset; t++) s += lambdaH * x[t] * x[t];
  for (let t = ev.bOffset; t < ev.size; t++) s += lambdaB * x[t] * x[t];
  return 0.5 * s;
}
