/**
 * The tfjs (float32) UFM / UFM+ solver: objective and gradient written once on tfjs ops, batched
 * over many instances, for tfjs-node-gpu / tfjs-node / wasm / cpu; and the mixed-precision path
 * (float32 basin → float64 solve warm-started there, with its certificate). See docs/gpu.md.
 *
 * @example
 * ```ts
 * import { loadTfjs } from '../tfjs/backend.ts';
 * import { solveMixedPrecision } from './index.ts';
 * const env = await loadTfjs();
 * const [r] = await solveMixedPrecision([{ n: [10, 10, 40, 40], lambdaW: 5e-3, lambdaH: 5e-3, d: 8 }], {}, env);
 * console.log(r.backend, r.route, r.certified);
 * ```
 */
export { solveTfjs, type TfSolveResult } from './solve.ts';
export { solveMixedPrecision, type MixedPrecisionOptions, type MixedPrecisionResult } from './mixed.ts';
export { SMALL_INSTANCE_ELEMENTS, type TfSolveOptions, validateTfOptions } from './options.ts';
export { batchBytes, disposeBatch, packBatch, type TfBatch, validateTfProblem } from './batch.ts';
export { evaluateBatch, kktResidualBatch, type TfEvaluation, type TfPoint } from './objective.ts';
export { projectedAdam, type AdamOptions, type AdamRun } from './adam.ts';
export { disposePoint, randomStartBatch } from './start.ts';
export { FLOAT32_UNIT_ROUNDOFF, float32ErrorBounds, type Float32ErrorBounds, gamma32 } from './roundoff.ts';
