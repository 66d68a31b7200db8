import type { SolveProgress } from '../../solver/types.ts';

/** Seconds before the first progress line (short solves print none) and between two updates. */
const FIRST_AFTER = 1;
const EVERY = 0.25;

/**
 * A one-line progress display for long solves: iteration, f, KKT residual, ρ, escapes, elapsed,
 * rewritten in place on `stream` (stderr) — only when it is a terminal; stdout is never touched
 * (so `--json` output stays one clean object). `done()` erases the line.
 *
 * @example
 * ```ts
 * const line = progressLine(process.stderr);
 * solve(problem, { onProgress: line.update });
 * line.done();
 * ```
 */
export function progressLine(stream: NodeJS.WriteStream): { update: ((p: SolveProgress) => void) | undefined; done: () => void } {
  if (stream.isTTY !== true) return { update: undefined, done: () => {} };
  let shown = false;
  let last = -Infinity;
  const update = (p: SolveProgress): void => {
    if (p.seconds < FIRST_AFTER || p.seconds - last < EVERY) return;
    last = p.seconds;
    shown = true;
    stream.write(`\r\x1b[K${formatProgress(p)}`);
  };
  const done = (): void => {
    if (shown) stream.write('\r\x1b[K');
  };
  return { update, done };
}

/**
 * The text of one progress line.
 *
 * @example
 * ```ts
 * formatProgress({ iterations: 120, objective: 1.35, residual: 3e-6, dualNormRatio: null, escapes: 0, seconds: 12.5 });
 * // 'solving: iteration 120  f = 1.35000000000  KKT 3.0e-6  ρ –  escapes 0  12.5 s'
 * ```
 */
export function formatProgress(p: SolveProgress): string {
  const rho = p.dualNormRatio === null ? '–' : p.dualNormRatio.toPrecision(10);
  return `solving: iteration ${p.iterations}  f = ${p.objective.toPrecision(12)}  KKT ${p.residual.toExponential(1)}  ρ ${rho}  escapes ${p.escapes}  ${p.seconds.toFixed(1)} s`;
}
