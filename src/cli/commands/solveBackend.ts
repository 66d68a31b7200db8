import type { SolverProblem } from '../../solver/problem.ts';
import { solve } from '../../solver/solver.ts';
import type { SolveOptions, SolveResult } from '../../solver/types.ts';
import { solveMixedPrecision } from '../../solver-tfjs/mixed.ts';
import { loadSolveBackend, type SolveBackend } from '../../optima/backend.ts';
import type { SolveRoute } from '../../optima/ledger.ts';

export { type SolveBackend, SOLVE_BACKENDS, solveBackend } from '../../optima/backend.ts';

export type { SolveRoute } from '../../optima/ledger.ts';

/** A solve with the backend that ran it. */
export interface RoutedSolve {
  readonly result: SolveResult;
  /** `cpu-float64` or the tfjs backend that ran the float32 stage (tf.getBackend()). */
  readonly backend: string;
  /** The device in words (tfjs: the loader's description; float64: CPU threads). */
  readonly adapter: string;
  readonly route: SolveRoute;
  /** Seconds of the float32 stage (0 for cpu-float64). */
  readonly tfjsSeconds: number;
}

/**
 * Multiply-adds per evaluation (K·N·⌈1.25 K⌉) from which `auto` would take a tfjs stage first. Measured
 * here for wasm (docs/solver.md, "Backends"): the float32 Adam stage on wasm never paid on this
 * 2-core machine — the warm-started float64 solve still needs most of its iterations to reach the
 * 1e-10 residual — so `auto` runs the float64 solver alone unless a GPU backend (tensorflow with
 * tfjs-node-gpu, or webgpu) is what loads; then the tfjs stage from this size on.
 */
export const AUTO_TFJS_MIN_WORK = 50_000_000;

/** Whether an evaluation costs at least {@link AUTO_TFJS_MIN_WORK} (then `auto` tries for a GPU backend). */
function largeEnough(p: SolverProblem): boolean {
  const K = p.n.length;
  const N = p.n.reduce((a, b) => a + b, 0);
  return K * N * Math.ceil(1.25 * K) >= AUTO_TFJS_MIN_WORK;
}

/**
 * Solves on the chosen backend; every verdict is the float64 certificate's.
 *
 * @example
 * ```ts
 * const { result, backend, route } = await solveRouted(problem, { seed: 1 }, 'wasm');
 * ```
 */
export async function solveRouted(problem: SolverProblem, options: SolveOptions, backend: SolveBackend): Promise<RoutedSolve> {
  if (backend !== 'cpu-float64' && (backend !== 'auto' || largeEnough(problem))) {
    const loaded = await loadSolveBackend(backend);
    if (backend !== 'auto' || loaded.device.startsWith('gpu')) {
      const { seed, ...solver } = options;
      const [m] = await solveMixedPrecision([problem], { tfjs: seed === undefined ? {} : { seed }, solver: { ...solver, ...(seed === undefined ? {} : { seed }) } }, loaded);
      return { result: m.float64, backend: m.backend, adapter: m.device, route: m.route, tfjsSeconds: m.seconds.tfjs };
    }
  }
  const result = solve(problem, options);
  return { result, backend: 'cpu-float64', adapter: 'cpu (float64, JavaScript)', route: 'float64', tfjsSeconds: 0 };
}
