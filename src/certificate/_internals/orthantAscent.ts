/**
 * A good feasible point of max_{β ≥ 0, ‖β‖ = 1} βᵀ M β (M symmetric PSD), used as the incumbent of
 * the exact search and as the answer when no exact search is affordable.
 *
 * Ascent step: β ← (Mβ)₊ / ‖(Mβ)₊‖. This maximises the linearisation ⟨Mβ, x⟩ over the convex set
 * {x ≥ 0, ‖x‖ ≤ 1}, and since βᵀMβ is convex, βᵀMβ never decreases (the projected power method).
 * Each limit is then polished on its support S: the top eigenpair of M_SS, if its eigenvector is
 * non-negative, is the exact maximum of that face.
 */
import { MAX_MASK_K, quadraticForm, type SupportEigen } from './supportEigen.ts';

const MAX_ASCENT_STEPS = 200;
const STEP_TOLERANCE = 1e-13;

/** Projected power iterations from β (unit, ≥ 0), in place. */
function ascend(M: Float64Array, K: number, beta: Float64Array, y: Float64Array): void {
  for (let step = 0; step < MAX_ASCENT_STEPS; step++) {
    let norm = 0;
    for (let i = 0; i < K; i++) {
      let t = 0;
      for (let j = 0; j < K; j++) t += M[i * K + j] * beta[j];
      y[i] = t > 0 ? t : 0;
      norm += y[i] * y[i];
    }
    if (norm === 0) return;
    norm = Math.sqrt(norm);
    let change = 0;
    for (let i = 0; i < K; i++) {
      const next = y[i] / norm;
      change = Math.max(change, Math.abs(next - beta[i]));
      beta[i] = next;
    }
    if (change < STEP_TOLERANCE) return;
  }
}

function supportMask(beta: Float64Array, K: number): number {
  let mask = 0;
  for (let i = 0; i < K; i++) if (beta[i] > 0) mask |= 1 << i;
  return mask;
}

/** Ascent, then exact polish on the support (when masks are available), repeated while it helps. */
function ascendAndPolish(M: Float64Array, K: number, beta: Float64Array, y: Float64Array, supports: SupportEigen | null): number {
  let value = -Infinity;
  for (let round = 0; round < 4; round++) {
    ascend(M, K, beta, y);
    let current = quadraticForm(M, K, beta);
    if (supports !== null) {
      const r = supports.evaluate(supportMask(beta, K));
      if (r.nonnegative) {
        const polished = quadraticForm(M, K, supports.beta);
        if (polished >= current) {
          beta.set(supports.beta);
          current = polished;
        }
      }
    }
    if (current <= value) break;
    value = current;
  }
  return value;
}

/**
 * The best point found by ascent-and-polish from the K vertices e_k and from the positive and
 * negative parts of `extraStarts` (e.g. the top eigenvector of M). Returns its value βᵀMβ and β.
 *
 * @param supports - the per-support evaluator of M (null when K > MAX_MASK_K: no polish)
 */
export function orthantAscent(
  M: Float64Array,
  K: number,
  supports: SupportEigen | null,
  extraStarts: readonly Float64Array[] = [],
): { value: number; beta: Float64Array } {
  const y = new Float64Array(K);
  const beta = new Float64Array(K);
  const best = new Float64Array(K);
  let bestValue = -Infinity;
  const starts: Float64Array[] = [];
  for (let k = 0; k < K; k++) {
    const e = new Float64Array(K);
    e[k] = 1;
    starts.push(e);
  }
  for (const v of extraStarts) {
    for (const sign of [1, -1]) {
      const part = v.map((x) => Math.max(0, sign * x));
      const norm = Math.hypot(...part);
      if (norm > 0) starts.push(part.map((x) => x / norm));
    }
  }
  const polish = K <= MAX_MASK_K ? supports : null;
  for (const start of starts) {
    beta.set(start);
    const value = ascendAndPolish(M, K, beta, y, polish);
    if (value > bestValue) {
      bestValue = value;
      best.set(beta);
    }
  }
  return { value: bestValue, beta: best };
}
