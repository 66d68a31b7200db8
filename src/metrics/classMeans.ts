import { type Dense, zeros } from '../linalg/dense.ts';
import type { ClassLayout } from '../problem/layout.ts';

/**
 * The class means h̄_k = (1/n_k) Σ_i h_{k,i} as the columns of a d×K matrix H̄
 * (THEORY.md notation; columns of H laid out by {@link ClassLayout}).
 *
 * @example
 * ```ts
 * const Hbar = classMeans(H, classLayout([10, 40])); // d×2
 * ```
 */
export function classMeans(H: Dense, layout: ClassLayout): Dense {
  const { rows: d, cols: N, data: h } = H;
  const { K, offsets, sizes } = layout;
  const M = zeros(d, K);
  for (let r = 0; r < d; r++) {
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let i = offsets[k]; i < offsets[k + 1]; i++) s += h[r * N + i];
      M.data[r * K + k] = s / sizes[k];
    }
  }
  return M;
}

/**
 * Per class, the within-class variation sqrt( (1/n_k) Σ_i ‖h_{k,i} − h̄_k‖² ): zero exactly when
 * class k's features have collapsed to their mean (NC1).
 *
 * @example
 * ```ts
 * withinClassVariation(H, classLayout([10, 40])); // [0, 0] at a collapsed point
 * ```
 */
export function withinClassVariation(H: Dense, layout: ClassLayout): number[] {
  return withinClassVariationAbout(H, layout, classMeans(H, layout));
}

/**
 * {@link withinClassVariation} about given class means H̄ (d×K, e.g. from {@link classMeans}), so that a
 * caller that already holds H̄ does not recompute it: sqrt( (1/n_k) Σ_i ‖h_{k,i} − h̄_k‖² ) per class.
 *
 * @example
 * ```ts
 * const Hbar = classMeans(H, layout);
 * withinClassVariationAbout(H, layout, Hbar); // same as withinClassVariation(H, layout)
 * ```
 */
export function withinClassVariationAbout(H: Dense, layout: ClassLayout, Hbar: Dense): number[] {
  const { rows: d, cols: N, data: h } = H;
  const { K, offsets, sizes } = layout;
  const out = new Array<number>(K).fill(0);
  for (let r = 0; r < d; r++) {
    for (let k = 0; k < K; k++) {
      const m = Hbar.data[r * K + k];
      for (let i = offsets[k]; i < offsets[k + 1]; i++) out[k] += (h[r * N + i] - m) ** 2;
    }
  }
  return out.map((s, k) => Math.sqrt(s / sizes[k]));
}
