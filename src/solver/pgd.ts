import seedrandom from 'seedrandom';
import { InputError } from '../errors.ts';
import { type Dense, zeros } from '../linalg/dense.ts';
import { Evaluator } from './objective/evaluator.ts';
import { unpack } from './objective/point.ts';
import { type SolverProblem, validateProblem } from './problem.ts';
import { randomStart } from './start.ts';

/** Settings of the projected-gradient baseline. */
export interface PgdOptions {
  /** Seed of the random start (same start as {@link solve} with the same seed and working d). */
  readonly seed?: string | number;
  /**
   * The fixed step η. Default: the largest η = 2^−m (m ≥ −10) whose first 50 steps decrease f
   * monotonically from the start (the probe's time is not counted in `seconds`).
   */
  readonly stepSize?: number;
  /** Stop after this many iterations (default 100 000). */
  readonly maxIterations?: number;
  /** Stop after this many seconds (default 60). */
  readonly maxSeconds?: number;
  /** Stop when the KKT residual is at most this (default 1e-10). */
  readonly tolerance?: number;
  /** Stop as soon as f ≤ targetObjective (used to time the baseline against ncverify). */
  readonly targetObjective?: number;
}

/** What the baseline returns. */
export interface PgdResult {
  W: Dense;
  H: Dense;
  b: number[] | null;
  objective: number;
  kktResidual: number;
  iterations: number;
  stepSize: number;
  /** Wall time of the main run (probe excluded). */
  seconds: number;
  /** Seconds at which f first reached targetObjective (null if never). */
  secondsToTarget: number | null;
  status: 'converged' | 'target' | 'max-iterations' | 'time' | 'diverged';
}

/**
 * The papers' method as a baseline: projected gradient descent with a fixed step,
 * W ← W − η ∇_W f, H ← max(0, H − η ∇_H f) (UFM+; no projection for the plain UFM),
 * b ← b − η ∇_b f, from the same kind of random start as {@link solve}, in the full dimension d.
 * No certificate, no escape: it stops where gradient descent stops.
 *
 * @example
 * ```ts
 * const r = projectedGradientDescent({ n: [10, 10, 40, 40], lambdaW: 5e-3, lambdaH: 5e-3, d: 8 }, { seed: 1 });
 * ```
 */
export function projectedGradientDescent(problem: SolverProblem, options: PgdOptions = {}): PgdResult {
  const p = validateProblem(problem);
  const maxIterations = options.maxIterations ?? 100_000;
  const maxSeconds = options.maxSeconds ?? 60;
  const tolerance = options.tolerance ?? 1e-10;
  if (!(Number.isInteger(maxIterations) && maxIterations >= 0)) throw new InputError('maxIterations', 'must be an integer ≥ 0', `got ${maxIterations}`);
  if (!(maxSeconds > 0)) throw new InputError('maxSeconds', 'must be a number > 0', `got ${maxSeconds}`);
  if (options.stepSize !== undefined && !(options.stepSize > 0 && Number.isFinite(options.stepSize))) {
    throw new InputError('stepSize', 'must be a finite number > 0', `got ${options.stepSize}`);
  }
  const ev = new Evaluator(p, p.d);
  const start = randomStart(ev, seedrandom(String(options.seed ?? 0)));
  const eta = options.stepSize ?? probeStep(ev, start);
  const x = new Float64Array(start);
  const g = new Float64Array(ev.size);
  const target = options.targetObjective ?? -Infinity;
  const t0 = performance.now();
  let f = ev.evaluate(x, g);
  let secondsToTarget: number | null = f <= target ? 0 : null;
  let it = 0;
  let status: PgdResult['status'] = 'max-iterations';
  while (true) {
    if (ev.residual(x, g) <= tolerance) { status = 'converged'; break; }
    if (secondsToTarget !== null) { status = 'target'; break; }
    if (it >= maxIterations) { status = 'max-iterations'; break; }
    if ((it & 15) === 0 && performance.now() - t0 > maxSeconds * 1000) { status = 'time'; break; }
    step(ev, x, g, eta);
    f = ev.evaluate(x, g);
    it++;
    if (!Number.isFinite(f)) { status = 'diverged'; break; }
    if (f <= target) secondsToTarget = (performance.now() - t0) / 1000;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { ...unpack(ev, x), objective: f, kktResidual: ev.residual(x, g), iterations: it, stepSize: eta, seconds, secondsToTarget, status };
}

/** One projected gradient step in place. */
function step(ev: Evaluator, x: Float64Array, g: Float64Array, eta: number): void {
  const nonNeg = ev.problem.nonNegative;
  for (let t = 0; t < ev.size; t++) {
    let v = x[t] - eta * g[t];
    if (nonNeg && t >= ev.hOffset && t < ev.bOffset && v < 0) v = 0;
    x[t] = v;
  }
}

/** The largest η = 2^−m, m = −10 … 40, whose first 50 steps decrease f monotonically. */
function probeStep(ev: Evaluator, start: Float64Array): number {
  const x = new Float64Array(ev.size);
  const g = new Float64Array(ev.size);
  for (let m = -10; m <= 40; m++) {
    const eta = 2 ** -m;
    x.set(start);
    let f = ev.evaluate(x, g);
    let ok = true;
    for (let it = 0; it < 50 && ok; it++) {
      step(ev, x, g, eta);
      const fNew = ev.evaluate(x, g);
      ok = Number.isFinite(fNew) && fNew <= f;
      f = fNew;
    }
    if (ok) return eta;
  }
  return 2 ** -40;
}

