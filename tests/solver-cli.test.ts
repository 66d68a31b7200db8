/**
 * End-to-end tests of `ncverify solve`: the real binary in a child process (node bin/ncverify.js).
 */
import { describe, expect, it } from 'vitest';
import { optimalObjective, predictUfmPlus } from '../src/theory/ufmPlusCe.ts';
import { type CliResult, runCli } from './_helpers/cli.ts';

function solveCli(...args: string[]): Promise<CliResult> {
  return runCli(['solve', ...args]);
}

describe('ncverify solve', () => {
  it('--json: one object; certified (exit 0); per-class figures match the closed form', async () => {
    const n = [10, 10, 40, 40];
    const r = await solveCli('--n', n.join(','), '--lw', '5e-3', '--lh', '5e-3', '--d', '8', '--seed', '4', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(r.stdout);
    expect(out.certified).toBe(true);
    expect(out.certificate.dualNormRatio).toBeLessThanOrEqual(1 + 1e-6);
    expect(out.kktResidual).toBeLessThanOrEqual(1e-10);
    expect(Math.abs(out.objective - optimalObjective(n, 5e-3, 5e-3))).toBeLessThan(1e-9);
    for (const key of ['escapes', 'restarts', 'iterations']) expect(typeof out[key]).toBe('number');
    expect(typeof out.timings.seconds).toBe('number'); // wall clock kept apart (determinism)
    // Class-mean and classifier norms: f − f* ≤ δ = 1e-9 bounds ‖Δh̄_k‖ ≤ sqrt(2δ/(λ_H n_k)) ≤ 1.5e-4 and
    // ‖Δw_k‖ ≤ sqrt(2δ/λ_W) ≈ 6.4e-4 (src/runner/tolerance.ts); 2e-3 covers both.
    const p = predictUfmPlus({ n, lambdaW: 5e-3, lambdaH: 5e-3 });
    out.classes.forEach((c: { featureNorm: number; classifierNorm: number; withinClassVariation: number }, k: number) => {
      expect(Math.abs(c.featureNorm - p.classes[k].featureNorm)).toBeLessThan(2e-3);
      expect(Math.abs(c.classifierNorm - p.classes[k].classifierNorm)).toBeLessThan(2e-3);
      expect(c.withinClassVariation).toBeLessThan(2e-3);
    });
    expect(out.classMeanGram).toHaveLength(4);
    expect(out.classMeanGram[2][3]).toBeCloseTo(0, 6); // alive class means are orthogonal
  });

  it('the default output is a table; d defaults to K', async () => {
    const r = await solveCli('--n', '20,40', '--lw', '1e-2', '--lh', '1e-2');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/kktResidual/);
    expect(r.stdout).toMatch(/certified\s+yes/);
    expect(r.stdout).toMatch(/d = 2\b/);
  });

  it('exit 1 with the reason when no certificate can be found (d < K, outside the theorem)', async () => {
    const r = await solveCli('--n', '5,10,20,40,80', '--lw', '1e-2', '--lh', '1e-2', '--d', '3', '--json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).certified).toBe(false);
    expect(r.stderr).toMatch(/^not certified: /);
  });

  it.each([
    [['--n', '10,0', '--lw', '1e-2', '--lh', '1e-2'], /--n/],
    [['--n', '10,20', '--lw', '-1', '--lh', '1e-2'], /--lw/],
    [['--n', '10,20', '--lw', '1e-2', '--lh', '1e-2', '--d', '0'], /--d/],
    [['--n', '10,20', '--lw', '1e-2'], /--lh/],
    [['--n', '10,20', '--lw', '1e-2', '--lh', '1e-2', '--lb', '1'], /--lb/],
    [['--n', '10,20', '--lw', '1e-2', '--lh', '1e-2', '--frobnicate'], /--frobnicate/],
  ])('usage error %j → exit 2, one line', async (args, pattern) => {
    const r = await solveCli(...args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
  });
});
