import seedrandom from 'seedrandom';
import { InputError } from '../errors.ts';
import type { Dense } from '../linalg/dense.ts';
import type { Loss } from '../loss/loss.ts';
import { mse } from '../loss/mse.ts';
import { type ClassLayout, classLayout } from '../problem/layout.ts';
import { validateDimension, validateRegulariser } from '../problem/validate.ts';
import { type LbfgsOptions, type LbfgsResult, type LbfgsStatus, minimiseLbfgs } from './deepLinear/_internals/lbfgs.ts';
import { productDirections, pruneCandidate, residualPairs, revivalCandidate } from './deepLinear/_internals/revive.ts';
import { DeepLinearModel } from './deepLinear/_internals/model.ts';

/**
 * The bias-free deep-linear unconstrained-feature model (Dang et al., "Neural Collapse in Deep Linear
 * Networks: From Balanced to Imbalanced Data", ICML 2023, arXiv 2301.00437; THEORY.md §4(a)):
 *
 *     min (1/(2N)) ‖W_M ⋯ W_1 H − Y‖_F² + (λ_W/2) Σ_j ‖W_j‖_F² + (λ_H/2) ‖H‖_F²
 *
 * with H ∈ R^{d×N} free, W_1 … W_{M−1} ∈ R^{d×d}, W_M ∈ R^{K×d} (all widths d).
 *
 * @example
 * ```ts
 * const p: DeepLinearProblem = { n: [5, 20, 40], lambdaW: 1e-2, lambdaH: 1e-2, layers: 2, d: 3 };
 * ```
 */
export interface DeepLinearProblem {
  /** n = (n_1, …, n_K), positive integers, K ≥ 2. */
  readonly n: readonly number[];
  /** λ_W > 0 (the same on every layer). */
  readonly lambdaW: number;
  /** λ_H > 0. */
  readonly lambdaH: number;
  /** M ≥ 1, the number of weight matrices (M = 1 is the plain MSE UFM). */
  readonly layers: number;
  /** d: the feature dimension and the width of every hidden layer (default K; THEORY.md §4 assumes ≥ K). */
  readonly d?: number;
  /** The data-fit term (default {@link mse}). */
  readonly loss?: Loss;
}

/** Settings of {@link solveDeepLinear}. */
export interface DeepLinearOptions {
  /** Seed of the random starts (seedrandom); start s uses the seed `${seed}/${s}`. Default 0. */
  readonly seed?: string | number;
  /** Number of random starts (default 8). */
  readonly starts?: number;
  /** Residual (N-scaled gradient, see DeepLinearModel.residual) each start must reach. Default 1e-10. */
  readonly tolerance?: number;
  /** L-BFGS iterations per start. Default 20 000. */
  readonly maxIterations?: number;
  /** L-BFGS memory. Default 10. */
  readonly memory?: number;
  /** Accepted revival/pruning moves per start (M ≥ 2; see deepLinear/_internals/revive.ts). Default 2K. */
  readonly maxRevivals?: number;
}

/** One start's outcome. */
export interface DeepLinearStart {
  readonly seed: string;
  readonly objective: number;
  readonly residual: number;
  readonly iterations: number;
  readonly status: LbfgsStatus;
  /** Revival or pruning moves that lowered f (each followed by a local solve). */
  readonly revivals: number;
}

/**
 * The best point over the starts, and how the starts' objectives spread. No certificate of global
 * optimality exists for M ≥ 2 (the landscape has spurious local minima, docs/theory-mse-L.md §4):
 * `agreeing` says how many starts reached the best value (within {@link agreementTolerance}), i.e.
 * how reproducible the best is.
 */
export interface DeepLinearResult {
  readonly layout: ClassLayout;
  readonly layers: number;
  readonly d: number;
  readonly lambdaW: number;
  readonly lambdaH: number;
  /** W_1 … W_M of the best start. */
  readonly weights: Dense[];
  /** W = W_M ⋯ W_1 (K×d). */
  readonly W: Dense;
  /** H (d×N), columns grouped by class. */
  readonly H: Dense;
  readonly objective: number;
  readonly residual: number;
  /** Index of the best start in `starts`. */
  readonly best: number;
  readonly starts: readonly DeepLinearStart[];
  /** Objectives over the starts: best, worst, median; `agreeing` starts within `agreementTolerance` of the best. */
  readonly spread: { readonly best: number; readonly worst: number; readonly median: number; readonly agreeing: number; readonly agreementTolerance: number };
  readonly seconds: number;
}

/**
 * Tolerance for two starts to count as reaching the same value: 1e-9 relative, and never below the
 * rounding of the objective's evaluation, (N·K + (M d + N) d) ε (|f| + 1).
 */
function agreementTolerance(f: number, K: number, N: number, d: number, M: number): number {
  return Math.max(1e-9 * Math.abs(f), (N * K + (M * d + N) * d) * 2 ** -52 * (Math.abs(f) + 1));
}

function validateLayerCount(M: unknown): number {
  if (typeof M !== 'number' || !Number.isInteger(M) || M < 1 || M > 100) {
    throw new InputError('layers', 'the number of weight matrices M must be an integer in [1, 100]', `got ${String(M)}`);
  }
  return M;
}

function countOption(v: number | undefined, name: string, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new InputError(name, `must be an integer ≥ ${min}`, `got ${String(v)}`);
  return v;
}

/** A standard normal draw from a uniform generator (Box–Muller; 1 − u keeps the log finite). */
function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/**
 * A random start: every entry of W_j Gaussian with standard deviation c_W/√d, every entry of H with
 * c_H (balanced scales of {@link localSolve}; for λ_W = λ_H products keep O(1) scale). Every column
 * of H is drawn independently: no collapse is built in.
 */
function randomStart(model: DeepLinearModel, rng: () => number): Float64Array {
  const x = new Float64Array(model.size);
  const wScale = (model.lambdaH / model.lambdaW) ** 0.25 / Math.sqrt(model.d);
  const hScale = (model.lambdaW / model.lambdaH) ** 0.25;
  const hOff = model.offsets[model.layers];
  for (let t = 0; t < hOff; t++) x[t] = wScale * gaussian(rng);
  for (let t = hOff; t < model.size; t++) x[t] = hScale * gaussian(rng);
  return x;
}

/** L-BFGS iterations a move's trial local solve may take before it is judged. */
const MOVE_ITERATIONS = 500;

/**
 * L-BFGS on x in place, in balanced variables: W_j = c_W W̃_j, H = c_H H̃ with c_W = (λ_H/λ_W)^{1/4},
 * c_H = (λ_W/λ_H)^{1/4}, so that both regularisers read sqrt(λ_W λ_H)/2 ‖·‖² (measured: up to 30×
 * fewer iterations when λ_W/λ_H is far from 1). The residual is that of the original variables.
 */
function localSolve(model: DeepLinearModel, x: Float64Array, o: LbfgsOptions): LbfgsResult {
  const hOff = model.offsets[model.layers];
  const cW = (model.lambdaH / model.lambdaW) ** 0.25;
  const cH = (model.lambdaW / model.lambdaH) ** 0.25;
  const scale = (t: number) => (t < hOff ? cW : cH);
  const xs = new Float64Array(model.size);
  const gs = new Float64Array(model.size);
  const fg = (v: Float64Array, g: Float64Array): number => {
    for (let t = 0; t < v.length; t++) xs[t] = scale(t) * v[t];
    const f = model.evaluate(xs, g);
    for (let t = 0; t < v.length; t++) g[t] *= scale(t);
    return f;
  };
  const residual = (_: Float64Array, g: Float64Array): number => {
    for (let t = 0; t < g.length; t++) gs[t] = g[t] / scale(t);
    return model.residual(gs);
  };
  for (let t = 0; t < x.length; t++) x[t] /= scale(t);
  const r = minimiseLbfgs(fg, x, { ...o, residual });
  for (let t = 0; t < x.length; t++) x[t] *= scale(t);
  return r;
}

/**
 * A local solve, then (M ≥ 2) global moves between the local minima of THEORY.md §4(a) (x = 0 and
 * the root are both local minima of each direction's scalar problem): revivals (for each singular
 * pair of the residual, a finite rank-one path through every layer with its scale chosen by the
 * objective) and prunings (remove one singular direction of W from the output layer), each followed
 * by a local solve and accepted when it ends lower by more than the agreement tolerance. Repeats
 * until no move helps.
 */
function localSolveWithRevivals(model: DeepLinearModel, x: Float64Array, o: LbfgsOptions, maxRevivals: number): Omit<DeepLinearStart, 'seed'> {
  let r = localSolve(model, x, o);
  let iterations = r.iterations;
  let revivals = 0;
  const g = new Float64Array(model.size);
  while (model.layers >= 2 && revivals < maxRevivals) {
    const tol = agreementTolerance(r.objective, model.K, model.N, model.d, model.layers);
    let improved = false;
    const candidates: (() => Float64Array | null)[] = [
      ...residualPairs(model, x, g).map((pair) => () => revivalCandidate(model, x, pair, g)),
      ...productDirections(model, x).map((u) => () => pruneCandidate(model, x, u)),
    ];
    for (const candidate of candidates) {
      const y = candidate();
      if (y === null) continue;
      // A move is judged after a short local solve: some land near degenerate saddles where L-BFGS
      // crawls (measured: 3000 iterations at residual 1e-8, f far above the incumbent).
      const r2 = localSolve(model, y, { ...o, maxIterations: Math.min(o.maxIterations, MOVE_ITERATIONS) });
      iterations += r2.iterations;
      if (r2.objective < r.objective - tol) {
        x.set(y);
        r = r2.status === 'converged' ? r2 : localSolve(model, x, o);
        iterations += r === r2 ? 0 : r.iterations;
        revivals++;
        improved = true;
        break;
      }
    }
    if (!improved) break;
  }
  return { objective: r.objective, residual: r.residual, iterations, status: r.status, revivals };
}

/**
 * Minimises the deep-linear MSE model (THEORY.md §4(a)) with L-BFGS from `starts` seeded random
 * points and returns the best, with every start's value so that the caller can judge whether the
 * best is reproducible (there is no certificate for M ≥ 2; for M = 1 use the certified UFM solver
 * `solve` with the {@link mse} loss and `nonNegative: false`). Deterministic for a seed.
 *
 * @throws {@link InputError} for an invalid problem or option
 * @example
 * ```ts
 * const r = solveDeepLinear({ n: [2, 4, 6], lambdaW: 0.02, lambdaH: 0.02, layers: 2 }, { seed: 1, starts: 4 });
 * r.objective; // ≈ 0.3516… (the closed form of predictMseDeepLinear)
 * r.spread.agreeing; // how many of the 4 starts reached it
 * ```
 */
export function solveDeepLinear(problem: DeepLinearProblem, options: DeepLinearOptions = {}): DeepLinearResult {
  const t0 = performance.now();
  const layout = classLayout(problem.n);
  const lambdaW = validateRegulariser(problem.lambdaW, 'lambdaW');
  const lambdaH = validateRegulariser(problem.lambdaH, 'lambdaH');
  const layers = validateLayerCount(problem.layers);
  const d = problem.d === undefined ? layout.K : validateDimension(problem.d, layout.K, false, 'd');
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' && typeof seed !== 'string') throw new InputError('seed', 'must be a number or a string', `got ${String(seed)}`);
  const starts = countOption(options.starts, 'starts', 8, 1);
  const maxIterations = countOption(options.maxIterations, 'maxIterations', 20_000, 0);
  const memory = countOption(options.memory, 'memory', 10, 1);
  const maxRevivals = countOption(options.maxRevivals, 'maxRevivals', 2 * layout.K, 0);
  const tolerance = options.tolerance ?? 1e-10;
  if (typeof tolerance !== 'number' || !(tolerance > 0) || !Number.isFinite(tolerance)) {
    throw new InputError('tolerance', 'must be a finite number > 0', `got ${String(tolerance)}`);
  }
  const model = new DeepLinearModel(layout, layers, d, lambdaW, lambdaH, problem.loss ?? mse);
  const runs: DeepLinearStart[] = [];
  let bestX: Float64Array | null = null;
  let best = -1;
  for (let s = 0; s < starts; s++) {
    const startSeed = `${String(seed)}/${s}`;
    const x = randomStart(model, seedrandom(startSeed));
    const r = localSolveWithRevivals(model, x, { tolerance, maxIterations, memory, residual: (_, g) => model.residual(g) }, maxRevivals);
    runs.push({ seed: startSeed, ...r });
    if (best < 0 || r.objective < runs[best].objective) {
      best = s;
      bestX = x;
    }
  }
  const x = bestX as Float64Array;
  const values = runs.map((r) => r.objective).sort((a, b) => a - b);
  const fBest = values[0];
  const agreementTol = agreementTolerance(fBest, layout.K, layout.N, d, layers);
  const copy = (m: Dense): Dense => ({ rows: m.rows, cols: m.cols, data: Float64Array.from(m.data) });
  return {
    layout, layers, d, lambdaW, lambdaH,
    weights: Array.from({ length: layers }, (_, j) => copy(model.layer(x, j))),
    W: model.products(x)[layers - 1],
    H: copy(model.features(x)),
    objective: runs[best].objective,
    residual: runs[best].residual,
    best,
    starts: runs,
    spread: {
      best: fBest,
      worst: values[values.length - 1],
      median: values[Math.floor((values.length - 1) / 2)],
      agreeing: values.filter((v) => v - fBest <= agreementTol).length,
      agreementTolerance: agreementTol,
    },
    seconds: (performance.now() - t0) / 1000,
  };
}
