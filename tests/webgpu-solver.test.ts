/**
 * The tfjs solver (src/solver-tfjs) on the webgpu backend, against float64:
 * - f and ∇f within the float32 forward-error bound of src/solver-tfjs/roundoff.ts (the same
 *   property and tolerance as tests/solver-tfjs-gradient.test.ts on wasm and cpu);
 * - the mixed path (webgpu float32 basin → warm-started float64 solve) reaching the float64
 *   solver's certified objective (tolerance: the two certified gaps plus float64 rounding, as in
 *   tests/solver-tfjs-mixed.test.ts);
 * - batches sized against the adapter's binding limit: split when two starts do not fit one
 *   binding, refused with an InputError when one does not.
 * Without a WebGPU adapter the file prints one line and its tests count as skipped.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInputError } from '../src/errors.ts';
import type { SolverProblem } from '../src/solver/problem.ts';
import { solve } from '../src/solver/solver.ts';
import { tensorByteLimit } from '../src/tfjs/adapter.ts';
import { largestTensorBytes } from '../src/solver-tfjs/batch.ts';
import { solveMixedPrecision } from '../src/solver-tfjs/mixed.ts';
import { solveTfjs } from '../src/solver-tfjs/solve.ts';
import { checkAgainstFloat64, family } from './_helpers/tfjs-differential.ts';
import { webgpuOrSkip } from './_helpers/webgpu.ts';

const gpu = await webgpuOrSkip('tests/webgpu-solver.test.ts');

describe.skipIf(gpu === null)('tfjs solver on webgpu', () => {
  it('f and ∇f equal float64 within the float32 bound on generated instances and points', async () => {
    const { tf } = gpu!;
    let worst = 0;
    await fc.assert(
      fc.asyncProperty(family, async (sample) => {
        worst = Math.max(worst, await checkAgainstFloat64(tf, sample));
      }),
      { seed: 20240601, numRuns: 12 },
    );
    expect(worst).toBeLessThanOrEqual(1);
    // The check is not vacuous: some entry used a measurable part of its bound.
    expect(worst).toBeGreaterThan(0);
  });

  it('the mixed path reaches the float64 solver’s certified objective; results name backend and adapter', async () => {
    // One shape family (K 3, d 6, UFM+), so the six jobs (3 instances × 2 starts) share one batch:
    // lavapipe's cost is per dispatch, not per element, at these sizes.
    const problems: SolverProblem[] = [
      { n: [6, 9, 15], lambdaW: 1e-2, lambdaH: 5e-3, d: 6 },
      { n: [5, 10, 20], lambdaW: 2e-3, lambdaH: 3e-3, d: 6 },
      { n: [4, 12, 12], lambdaW: 5e-3, lambdaH: 1e-2, d: 6 },
    ];
    const before = gpu!.tf.memory().numTensors;
    const mixed = await solveMixedPrecision(problems, { tfjs: { maxIterations: 800, starts: 2 } }, gpu!);
    expect(gpu!.tf.memory().numTensors).toBe(before);
    mixed.forEach((m, i) => {
      expect(m.backend).toBe('webgpu');
      expect(m.adapter).toEqual(gpu!.adapter);
      expect(m.device).toBe(gpu!.device);
      const ref = solve(problems[i], { seed: 1 });
      expect(m.certified).toBe(true);
      expect(ref.certified).toBe(true);
      const gap = (m.certificate.objectiveGap ?? Infinity) + (ref.certificate.objectiveGap ?? Infinity);
      expect(Math.abs(m.objective - ref.objective)).toBeLessThanOrEqual(gap + 1e-13 * Math.abs(ref.objective));
    });
    // The comparison tests the webgpu stage only on the warm-start route: most must take it.
    expect(mixed.filter((m) => m.route === 'tfjs-warm-start').length).toBeGreaterThanOrEqual(2);
    expect(mixed.every((m) => m.tfjs.batchSize === 6)).toBe(true);
  });

  it('splits a batch whose tensors exceed the binding limit and refuses an instance that exceeds it alone', async () => {
    const limit = tensorByteLimit(gpu!.adapter!.limits);
    const before = gpu!.tf.memory().numTensors;
    // Splitting, cheaply: the same adapter with its binding limit lowered to what one start of
    // this instance needs (the real 128 MiB would take a minute of lavapipe per step).
    const small: SolverProblem = { n: [20, 30], lambdaW: 1e-3, lambdaH: 1e-3, d: 8 };
    const one = largestTensorBytes(1, 2, 8, 50);
    const lowered = { ...gpu!, adapter: { ...gpu!.adapter!, limits: { maxStorageBufferBindingSize: one, maxBufferSize: one } } };
    const quick = { starts: 3, maxIterations: 2, checkEvery: 1, batching: 'batched' as const };
    const split = await solveTfjs([small], quick, lowered);
    expect(split[0].batchSize).toBe(1);
    const together = await solveTfjs([small], quick, gpu!);
    expect(together[0].batchSize).toBe(3);
    expect(gpu!.tf.memory().numTensors).toBe(before);
    // Refusal, with the real limit: K = 2, d = 1024 and N one row over what one binding holds;
    // refused while planning, before any tensor is made.
    const d = 1024;
    const N = Math.floor(limit / (4 * d)) + 1;
    const tooBig: SolverProblem = { n: [N - 64, 64], lambdaW: 1e-3, lambdaH: 1e-3, d };
    const e = await solveTfjs([small, tooBig], { starts: 1, maxIterations: 1 }, gpu!).catch((x: unknown) => x);
    expect(isInputError(e)).toBe(true);
    expect((e as Error).message).toMatch(new RegExp(`^problems\\[1\\]: must fit one WebGPU storage binding on this adapter: at most ${limit} bytes`));
    expect((e as Error).message).toContain(`shape [${N}, ${d}] takes ${4 * N * d} bytes`);
    expect(gpu!.tf.memory().numTensors).toBe(before);
  });
});
