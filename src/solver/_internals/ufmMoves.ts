import type { Evaluator } from '../objective/evaluator.ts';

/**
 * The UFM-specific moves of the local solve (src/solver/_internals/lbfgs.ts, at every refresh):
 * the best joint rescaling of (W, H) along the objective's scaling symmetry, and the zero-block
 * trial that lands a dying class of H on the bound H ≥ 0. Neither is an L-BFGS step; both only
 * ever lower f.
 */

/** Relative round-off level of one evaluation of f (a mean over N terms, each exact to ~1e-16). */
export const F_NOISE = 1e-13;
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
 * Best joint rescaling (W, H) → (αW, βH): for a product t = αβ the regulariser is smallest when
 * λ_W α²‖W‖² = λ_H β²‖H‖², where it equals t·sqrt(λ_W λ_H)‖W‖‖H‖, so
 * φ(t) = L(t Z₀ + b 1ᵀ) + t sqrt(λ_W λ_H)‖W‖‖H‖ (+ λ_b‖b‖²/2), Z₀ = W H, is convex in t and costs
 * O(K N) per trial (no product). From t = 1, doublings (or halvings) while φ decreases — 3 trials
 * when t = 1 is best, the usual case near convergence — then golden section in log t; applied
 * only when it lowers f by more than RESCALE_GAIN·(1 + |f|). Moving along this
 * nearly flat "growth" direction is what L-BFGS is slowest at when the optimum is far larger (or
 * smaller) than the start (e.g. λ_W = 1e-5). Returns the new f (f(x) and ∇f(x)
 * re-evaluated into g) when it acts — the caller then forgets its curvature pairs — else null.
 */
export function rescale(ev: Evaluator, x: Float64Array, f: number, g: Float64Array, scratch: [Float64Array, Float64Array]): number | null {
  const { K, N, hOffset, bOffset } = ev;
  const { lambdaW, lambdaH, lambdaB } = ev.problem;
  let w2 = 0;
  for (let t = 0; t < hOffset; t++) w2 += x[t] * x[t];
  let h2 = 0;
  for (let t = hOffset; t < bOffset; t++) h2 += x[t] * x[t];
  if (!(w2 > 0 && h2 > 0)) return null;
  const b = ev.b(x);
  let biasReg = 0;
  if (b) for (let k = 0; k < K; k++) biasReg += 0.5 * lambdaB * b[k] * b[k];
  const [Z0, Zt] = scratch;
  for (let k = 0; k < K; k++) for (let i = 0; i < N; i++) Z0[k * N + i] = ev.Z[k * N + i] - (b ? b[k] : 0);
  const cost = Math.sqrt(lambdaW * lambdaH * w2 * h2);
  // φ'(1) = ⟨∇L(Z), Z₀⟩ + cost; the balancing gain at t = 1 is R − cost (AM–GM).
  let slope = cost;
  for (let q = 0; q < K * N; q++) slope += ev.G[q] * Z0[q];
  const balanceGain = 0.5 * (lambdaW * w2 + lambdaH * h2) - cost;
  if (Math.abs(slope) <= RESCALE_SLOPE * cost && balanceGain <= RESCALE_GAIN * (1 + Math.abs(f))) return null;
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
  if (!(best < f - RESCALE_GAIN * (1 + Math.abs(f)))) return null;
  const t = 2 ** logT;
  const alpha = Math.sqrt(t * Math.sqrt((lambdaH * h2) / (lambdaW * w2)));
  const beta = t / alpha;
  for (let q = 0; q < hOffset; q++) x[q] *= alpha;
  for (let q = hOffset; q < bOffset; q++) x[q] *= beta;
  return ev.evaluate(x, g);
}

/**
 * Zero-block trial (UFM+): blocks of H that are small and not zero, and whose removal lowers f to
 * first order (Σ ∂f/∂H_t · H_t > 0 over the block), are set to 0 together, and kept there when f
 * does not rise by more than its round-off. Near the collapse threshold a dying class decays towards 0 along an
 * almost flat (or quartic) valley and would take thousands of iterations to reach the bound;
 * this lands it there in one step. Only ever lowers f; returns the new f (∇f in g) when it acts, else null.
 */
export function shrink(ev: Evaluator, x: Float64Array, f: number, g: Float64Array, xNew: Float64Array, gNew: Float64Array): number | null {
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
    // f alone first: most trials are rejected (∇f only for one that is kept; bit-identical to evaluating both at once).
    const fNew = ev.value(xNew);
    // The first-order change is negative for every block; a rise within f's round-off is noise.
    if (fNew <= f + F_NOISE * (1 + Math.abs(f))) {
      ev.finishGradient(xNew, gNew);
      x.set(xNew);
      g.set(gNew);
      return fNew;
    }
  }
  return null;
}
