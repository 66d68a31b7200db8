/**
 * `ncverify solve --backend …` end to end (the real binary): a tfjs backend runs a float32 stage
 * and then the float64 solver from its point; the float64 certificate decides. Both answers are
 * certified global minima, so they agree up to their proven gaps (below).
 */
import { describe, expect, it } from 'vitest';
import { type CliResult, runCli } from './_helpers/cli.ts';

const ARGS = ['--n', '20,40,80,160', '--lw', '1e-3', '--lh', '1e-3', '--d', '8', '--seed', '2', '--json'];

function solveCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(['solve', ...args], 120_000, env);
}

describe('ncverify solve --backend', () => {
  it('wasm certifies the same optimum as cpu-float64 and says which backend, adapter and route ran', async () => {
    const [cpu, wasm] = [await solveCli(ARGS), await solveCli([...ARGS, '--backend', 'wasm'])];
    expect(cpu.status).toBe(0);
    expect(wasm.status).toBe(0);
    const a = JSON.parse(cpu.stdout);
    const b = JSON.parse(wasm.stdout);
    expect(a.backend).toBe('cpu-float64');
    expect(a.route).toBe('float64');
    expect(b.backend).toBe('wasm');
    expect(b.adapter).toMatch(/wasm/);
    expect(['tfjs-warm-start', 'tfjs-escape', 'float64-restart']).toContain(b.route);
    expect(a.certified && b.certified).toBe(true);
    // f* ≤ f_i ≤ f* + gap_i (each certificate's proven gap), so |f_a − f_b| ≤ max(gap_a, gap_b).
    const gap = Math.max(a.certificate.objectiveGap, b.certificate.objectiveGap);
    expect(Math.abs(a.objective - b.objective)).toBeLessThanOrEqual(gap);
    // The acceptance figure (#15): the same optimum to 1e-12 relative.
    expect(Math.abs(a.objective - b.objective)).toBeLessThanOrEqual(1e-12 * Math.abs(a.objective));
    expect(b.timings.tfjsSeconds).toBeGreaterThan(0);
  });

  it('NCVERIFY_BACKEND selects the backend when --backend is absent; a bad name exits 2 naming the flag or the variable', async () => {
    const viaEnv = await solveCli(ARGS, { NCVERIFY_BACKEND: 'cpu-float64' });
    expect(viaEnv.status).toBe(0);
    expect(JSON.parse(viaEnv.stdout).backend).toBe('cpu-float64');
    const badFlag = await solveCli([...ARGS, '--backend', 'gpu9']);
    expect(badFlag.status).toBe(2);
    expect(badFlag.stderr).toMatch(/--backend: must be one of cpu-float64, webgpu, tensorflow, wasm, cpu, auto/);
    expect(badFlag.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const badEnv = await solveCli(ARGS, { NCVERIFY_BACKEND: 'nope' });
    expect(badEnv.status).toBe(2);
    expect(badEnv.stderr).toMatch(/NCVERIFY_BACKEND: must be one of/);
  });

  it('auto on a small instance runs the float64 solver alone (no tfjs stage)', async () => {
    const r = await solveCli([...ARGS, '--backend', 'auto']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.backend).toBe('cpu-float64');
    expect(out.timings.tfjsSeconds).toBeUndefined();
  });
});
