import type { Evaluator } from './objective/evaluator.ts';

/** A uniform [0, 1) generator (seedrandom's PRNG, or any other). */
export type Uniform = () => number;

/**
 * A random starting point for the full problem: W uniform in ±a_W, H uniform in [0, a_H)
 * (UFM+) or ±a_H (plain UFM), bias 0. Every column of H is drawn independently (no
 * within-class collapse is built in). The scales are balanced, λ_W a_W² = λ_H a_H², with
 * a_W a_H = 1/√d so that the initial logits are O(1) whatever d.
 *
 * @example
 * ```ts
 * const x = randomStart(ev, seedrandom('1'));
 * ```
 */
export function randomStart(ev: Evaluator, rng: Uniform): Float64Array {
  const { lambdaW, lambdaH, nonNegative } = ev.problem;
  const tau = ev.d ** -0.25;
  const aW = tau * (lambdaH / lambdaW) ** 0.25;
  const aH = tau * (lambdaW / lambdaH) ** 0.25;
  const x = new Float64Array(ev.size);
  for (let t = 0; t < ev.hOffset; t++) x[t] = aW * (2 * rng() - 1);
  for (let t = ev.hOffset; t < ev.bOffset; t++) x[t] = nonNegative ? aH * rng() : aH * (2 * rng() - 1);
  return x;
}

