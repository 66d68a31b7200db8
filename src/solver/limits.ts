import { InputError } from '../errors.ts';

/**
 * The one size limit of the float64 solver (src/solver), from the memory it actually allocates.
 * The search works in ⌈1.25 K⌉ coordinates whatever d (THEORY.md §1b: the certificate does not
 * depend on d), so the cost in d is a few copies of (W, H), while the L-BFGS buffers live in the
 * working dimension.
 */

/** L-BFGS memory (curvature pairs) the estimate assumes: the solver's default `memory`. */
const PAIRS = 5;

/**
 * Peak bytes of `solve` on K classes, N samples, dimension d (an upper estimate, measured in
 * docs/solver.md): in the working dimension d_w = max(⌈1.25 K⌉, ·) + 2K (the escape enlargement
 * cap when d is small) the optimiser keeps 2m pair vectors plus 8 iterates/gradients/masks of
 * (K + N)·d_w doubles; each space keeps Z and ∇L (2 K N) and the rescaling two more; in d,
 * about 7 copies of (W, H) (the padded point, its gradient, the candidate, the unpacked Dense
 * W and H, the result, the certificate's view).
 *
 * @example
 * ```ts
 * solverMemoryBytes(100, 50_000, 512); // ≈ 2.6e9
 * ```
 */
export function solverMemoryBytes(K: number, N: number, d: number): number {
  const dw = Math.min(Math.ceil(1.25 * K), d) + 2 * K;
  const working = (2 * PAIRS + 8) * (K + N) * dw;
  const logits = 8 * K * N;
  const inD = 7 * (K + N) * d;
  return 8 * (working + logits + inD);
}

/**
 * The largest {@link solverMemoryBytes} a solve may need: 8 GiB. Above it the typed arrays would
 * fail to allocate (or exhaust the machine) long after the call; the limit refuses it at once.
 * K = 100, d = 512, N = 50 000 (CIFAR-100 sized) needs ≈ 2.6 GB by this estimate.
 */
export const MAX_SOLVER_BYTES = 8 * 1024 ** 3;

/**
 * Throws an {@link InputError} naming `name` when the problem needs more than
 * {@link MAX_SOLVER_BYTES}; called by `validateProblem` and by `ncverify solve` before parsing further.
 *
 * @example
 * ```ts
 * checkSolverSize(100, 50_000, 512, '--n/--d'); // fine
 * ```
 */
export function checkSolverSize(K: number, N: number, d: number, name: string): void {
  const bytes = solverMemoryBytes(K, N, d);
  if (bytes > MAX_SOLVER_BYTES) {
    const gb = (b: number): string => `${(b / 1024 ** 3).toFixed(1)} GiB`;
    throw new InputError(
      name,
      `the problem must fit the float64 solver's memory limit of ${gb(MAX_SOLVER_BYTES)} (solverMemoryBytes in src/solver/limits.ts; use fewer samples or a smaller d)`,
      `K = ${K}, N = ${N}, d = ${d} needs about ${gb(bytes)}`,
    );
  }
}
