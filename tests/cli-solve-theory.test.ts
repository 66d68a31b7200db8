/**
 * `ncverify solve --theory …` (src/cli/commands/solve.ts): each theory name selects its problem
 * (THEORY.md §1, §3, §4); the certified optimum of the MSE models agrees with their closed forms.
 * Two cases run the real binary, the rest call the command in process.
 */
import { describe, expect, it, vi } from 'vitest';
import { run } from '../src/cli/commands/solve.ts';
import { isInputError } from '../src/errors.ts';
import { predictMseBias } from '../src/theory/mseBias.ts';
import { predictMseDeepLinear } from '../src/theory/mseDeepLinear.ts';
import { type CliResult, runCli } from './_helpers/cli.ts';

function solveCli(...args: string[]): Promise<CliResult> {
  return runCli(['solve', ...args], 120_000);
}

/** Runs the command in process and returns its parsed --json output. */
async function solveJson(...args: string[]): Promise<Record<string, any>> {
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    expect(await run([...args, '--json'])).toBe(0);
    return JSON.parse(String(write.mock.calls[0][0]));
  } finally {
    write.mockRestore();
  }
}

describe.concurrent('ncverify solve --theory (binary)', () => {
  it('mse-deep-linear: certified, variant ufm with the mse loss, f = f* of predictMseDeepLinear (M = 1) to the certificate gap', async () => {
    const r = await solveCli('--theory', 'mse-deep-linear', '--n', '3,12,20,40', '--lw', '3.6e-2', '--lh', '2.5e-2', '--d', '4', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect([out.variant, out.loss, out.bias, out.certified]).toEqual(['ufm', 'mse', false, true]);
    const fStar = predictMseDeepLinear({ n: [3, 12, 20, 40], lambdaW: 3.6e-2, lambdaH: 2.5e-2, layers: 1 }).objective;
    // The certificate proves 0 ≤ f − f* ≤ gap; f* from the closed form must sit inside (plus rounding ≈ 1e-15).
    expect(out.objective - fStar).toBeLessThanOrEqual(out.certificate.objectiveGap + 1e-15);
    expect(out.objective - fStar).toBeGreaterThanOrEqual(-1e-15);
  });

  it('a conflicting flag exits 2 with one error line', async () => {
    const r = await solveCli('--theory', 'mse-deep-linear', '--n', '3,4', '--lw', '1e-2', '--lh', '1e-2', '--bias');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: --bias/)]);
  });
});

describe('ncverify solve --theory (in process)', () => {
  it('mse-bias: free bias, mse loss; f = f* and b = n/N (Liu 2024) to the solver tolerance', async () => {
    const out = await solveJson('--theory', 'mse-bias', '--n', '5,10,20,40', '--lw', '3e-3', '--lh', '5e-3', '--d', '5');
    expect([out.variant, out.loss, out.bias, out.certified]).toEqual(['ufm', 'mse', true, true]);
    const p = predictMseBias({ n: [5, 10, 20, 40], lambdaW: 3e-3, lambdaH: 5e-3 });
    // Certified (KKT residual ≤ 1e-10, ρ ≤ 1 + 1e-6): f − f* is at the rounding level here (measured 1e-17).
    expect(Math.abs(out.objective - p.objective)).toBeLessThan(1e-12);
    // b is 1-strongly convex: ‖b − b*‖ ≲ KKT residual / 1 plus the ‖W h_G‖ term, measured ≈ 3e-10.
    (out.classifierBias as number[]).forEach((b, k) => expect(Math.abs(b - p.bias[k])).toBeLessThan(1e-7));
  });

  it('seli and ufm select the plain UFM with cross-entropy; ufm-plus-ce the default UFM+', async () => {
    const args = ['--n', '2,6', '--lw', '1e-2', '--lh', '1e-2', '--d', '2'];
    for (const [theory, variant] of [['seli', 'ufm'], ['ufm', 'ufm'], ['ufm-plus-ce', 'ufm+']]) {
      const out = await solveJson('--theory', theory, ...args);
      expect([out.variant, out.loss]).toEqual([variant, 'cross-entropy']);
    }
  });

  const bad: [string, string, string[]][] = [
    ['an unknown theory', '--theory', ['--theory', 'bogus']],
    ['a prototype key as theory', '--theory', ['--theory', 'constructor']],
    ['--unconstrained with --theory', '--unconstrained', ['--theory', 'ufm', '--unconstrained']],
    ['--bias with mse-deep-linear', '--bias', ['--theory', 'mse-deep-linear', '--bias']],
    ['--lb with mse-bias', '--lb', ['--theory', 'mse-bias', '--bias', '--lb', '0.1']],
  ];
  it.each(bad)('%s → InputError naming %s', async (_, flag, extra) => {
    let caught: unknown;
    try {
      await run(['--n', '3,4', '--lw', '1e-2', '--lh', '1e-2', ...extra]);
    } catch (e) {
      caught = e;
    }
    expect(isInputError(caught)).toBe(true);
    expect((caught as { parameter: string }).parameter).toBe(flag);
  });
});
