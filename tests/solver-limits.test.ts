import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.ts';
import { checkSolverSize, MAX_SOLVER_BYTES, solverMemoryBytes } from '../src/solver/limits.ts';
import { validateProblem } from '../src/solver/problem.ts';

/** Step sizes 1…10 (10 classes per level) summing to N: round(s·N/550). */
const cifar100 = (N: number): number[] => Array.from({ length: 100 }, (_, k) => Math.round(((1 + Math.floor(k / 10)) * N) / 550));

describe('the float64 solver size limit (src/solver/limits.ts)', () => {
  it('accepts K = 100, d = 512, N = 50 000 (CIFAR-100 sized) in validateProblem', () => {
    const n = cifar100(50_000);
    expect(n.reduce((a, b) => a + b, 0)).toBe(50_000);
    expect(() => validateProblem({ n, lambdaW: 1e-4, lambdaH: 1e-4, d: 512 })).not.toThrow();
    expect(solverMemoryBytes(100, 50_000, 512)).toBeLessThan(MAX_SOLVER_BYTES);
  });

  it('grows with N and d, and the working-dimension part does not grow with d beyond ⌈1.25 K⌉', () => {
    expect(solverMemoryBytes(100, 60_000, 512)).toBeGreaterThan(solverMemoryBytes(100, 50_000, 512));
    expect(solverMemoryBytes(100, 50_000, 1024)).toBeGreaterThan(solverMemoryBytes(100, 50_000, 512));
    // Doubling d adds only the copies in d (7 (K + N) d doubles), not the optimiser's buffers.
    const delta = solverMemoryBytes(100, 50_000, 1024) - solverMemoryBytes(100, 50_000, 512);
    expect(delta).toBe(8 * 7 * 50_100 * 512);
  });

  it('refuses a problem above the limit with an InputError naming the parameter, the limit and the need', () => {
    const n = [2_000_000, 2_000_000];
    expect(() => validateProblem({ n, lambdaW: 1e-3, lambdaH: 1e-3, d: 512 })).toThrow(InputError);
    try {
      checkSolverSize(100, 5_000_000, 512, '--n/--d');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const msg = (e as Error).message;
      expect(msg.startsWith('--n/--d:')).toBe(true);
      expect(msg).toContain('8.0 GiB');
      expect(msg).toContain('solverMemoryBytes');
      expect(msg).toContain('N = 5000000');
    }
  });
});
