import { InputError } from '../errors.ts';

/**
 * Settings of {@link ./solve.ts | solveTfjs}. The tfjs stage only has to reach the basin of a
 * minimiser in float32; certificates are always float64 (see `solveMixedPrecision`).
 *
 * @example
 * ```ts
 * const o: TfSolveOptions = { seed: 1, starts: 4, maxIterations: 1500 };
 * ```
 */
export interface TfSolveOptions {
  /** Seed of the random starts (seedrandom). Default 0. */
  readonly seed?: string | number;
  /**
   * Random starts per instance, solved side by side in the batch dimension; the lowest float32 f
   * is kept. The UFM+ landscape has spurious stationary points (THEORY.md §2), so several cheap
   * starts raise the chance that the basin found is the global one. Odd-numbered starts (1, 3, …)
   * take the class-balanced warm-up (`balancedWarmup`), even ones do not: each helps where the
   * other fails. Default 4 (measured on n = (5,10,20,40,80), λ = 1e-2, seeds 0–2: the pair of
   * starts 0–1 reached f* for 2 seeds of 3, starts 0–3 for all 3).
   */
  readonly starts?: number;
  /** Adam iterations at most. Default 2000. */
  readonly maxIterations?: number;
  /**
   * Peak Adam step in units of each block's scale (λ_H/λ_W)^{±1/4}. Default 0.03 (measured: 0.1–0.2
   * converge faster but kill small classes more often; 0.01 is slower and no better).
   */
  readonly learningRate?: number;
  /** Final step as a fraction of the peak (cosine decay). Default 1e-3. */
  readonly finalFraction?: number;
  /** Stop when every float32 KKT residual is at most this. Default 1e-5. */
  readonly tolerance?: number;
  /** Stop when no instance's best f improved by this (relative) over a check window. Default 1e-6. */
  readonly stallTolerance?: number;
  /**
   * Fraction of `maxIterations` spent on a class-balanced warm-up: the sample weights blend
   * linearly from 1/(K n_k) (every class weighs 1/K) into the objective's 1/N; afterwards the
   * objective is f itself (a continuation). Applies to odd-numbered starts. Default 0.3.
   * Measured (4 seeds each, 2000 iterations, fraction of runs at f*): without it Adam, like L-BFGS
   * (THEORY.md §2), lets small classes die early — n = (5,10,20,40,80) 0/4 → 4/4, a long tail of 8
   * classes 0/4 → 4/4, (10,10,40,40) d = 8 3/4 → 4/4; but with it, classes at the collapse threshold
   * (n = (10,10,40,40), T = 0.999 n_1 or 1.001 n_1) go 4/4 → 1/4 (a large class dies instead),
   * hence one start of each kind.
   */
  readonly balancedWarmup?: number;
  /** Iterations between device read-backs. Default 100. */
  readonly checkEvery?: number;
  /**
   * 'batched': instances of one family share tensors (one op chain for all); 'sequential': one
   * after another; 'auto' (default): batched on tfjs-node(-gpu); on wasm only instances with
   * N·d ≤ {@link SMALL_INSTANCE_ELEMENTS}; on cpu never. Measured (reports/bench/backends.md):
   * the wasm backend's matMul is 3–8× slower per instance with a batch dimension > 1 (it leaves
   * XNNPACK), so batching pays there only while per-op overhead dominates (16 small instances:
   * 3.6× faster batched); the pure-JS cpu backend's broadcasting element-wise ops make batched
   * Adam slower (16 small instances: 0.39 vs 0.59 solves/s).
   */
  readonly batching?: 'auto' | 'batched' | 'sequential';
  /** Most tfjs memory one batch may use (bytes, estimated); larger families are split. Default 1 GiB. */
  readonly memoryBudgetBytes?: number;
  /**
   * Feature coordinates the tfjs stage works in: min(d, this); the answer is zero-padded to d,
   * which is exact (Z, ‖W‖, ‖H‖ unchanged). Default d. Fewer coordinates are cheaper (2K suffice
   * for an optimum) but measured worse at finding the global basin — spare coordinates let dead
   * classes come back (THEORY.md §2): e.g. n = (3, 30, 300), 6 seeds: 2/6 near f* in d = 12, 0/6 in 6.
   */
  readonly workingDimension?: number;
}

function fractionIn01(v: number | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new InputError(name, 'must be a number in [0, 1]', `got ${String(v)}`);
  return v;
}

/** Largest N·d for which 'auto' batching batches on the wasm backend (see `batching`). */
export const SMALL_INSTANCE_ELEMENTS = 16_384;

/** {@link TfSolveOptions} with every default filled in. */
export type TfSettings = { readonly [K in Exclude<keyof TfSolveOptions, 'workingDimension'>]-?: Exclude<TfSolveOptions[K], undefined> } & {
  readonly seed: string;
  /** undefined: d. */
  readonly workingDimension: number | undefined;
};

/**
 * Defaults and range checks of {@link TfSolveOptions}.
 *
 * @throws {@link InputError} naming the bad option
 * @example
 * ```ts
 * validateTfOptions({ starts: 0 }); // throws "starts: must be an integer ≥ 1 (got 0)"
 * ```
 */
export function validateTfOptions(o: TfSolveOptions = {}): TfSettings {
  const positive = (v: number | undefined, name: string, fallback: number): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new InputError(name, 'must be a finite number > 0', `got ${String(v)}`);
    return v;
  };
  const count = (v: number | undefined, name: string, fallback: number): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new InputError(name, 'must be an integer ≥ 1', `got ${String(v)}`);
    return v;
  };
  const seed = o.seed ?? 0;
  if (typeof seed !== 'number' && typeof seed !== 'string') throw new InputError('seed', 'must be a number or a string', `got ${String(seed)}`);
  const batching = o.batching ?? 'auto';
  if (batching !== 'auto' && batching !== 'batched' && batching !== 'sequential') {
    throw new InputError('batching', "must be 'auto', 'batched' or 'sequential'", `got ${String(batching)}`);
  }
  const finalFraction = positive(o.finalFraction, 'finalFraction', 1e-3);
  if (finalFraction > 1) throw new InputError('finalFraction', 'must be in (0, 1]', `got ${finalFraction}`);
  return {
    seed: String(seed),
    starts: count(o.starts, 'starts', 4),
    maxIterations: count(o.maxIterations, 'maxIterations', 2000),
    learningRate: positive(o.learningRate, 'learningRate', 0.03),
    finalFraction,
    tolerance: positive(o.tolerance, 'tolerance', 1e-5),
    stallTolerance: positive(o.stallTolerance, 'stallTolerance', 1e-6),
    checkEvery: count(o.checkEvery, 'checkEvery', 100),
    balancedWarmup: fractionIn01(o.balancedWarmup, 'balancedWarmup', 0.3),
    batching,
    memoryBudgetBytes: positive(o.memoryBudgetBytes, 'memoryBudgetBytes', 2 ** 30),
    workingDimension: o.workingDimension === undefined ? undefined : count(o.workingDimension, 'workingDimension', 1),
  };
}
