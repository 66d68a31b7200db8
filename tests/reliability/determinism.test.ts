/**
 * Determinism across processes: the same command with the same seed gives byte-identical JSON
 * once the wall-clock figures are set aside — `timings` in the verify report (src/reports/
 * verifyReport.ts) and in `solve --json` (src/cli/commands/solve.ts moves the solver's `seconds`
 * there). Each command runs twice, as two separate `node bin/ncverify.js` processes started
 * together, so nothing (a module-level cache, a memo, a counter) can carry from one run to the other.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ncverify-determinism-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run { code: number; stdout: string; stderr: string }

function cli(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/ncverify.js', ...args], { cwd: ROOT, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

/** The JSON text without its wall-clock field: re-serialised, so equal strings mean identical bytes elsewhere. */
function withoutTimings(text: string): { rest: string; timings: unknown } {
  const { timings, ...rest } = JSON.parse(text) as Record<string, unknown>;
  return { rest: JSON.stringify(rest, null, 2), timings };
}

/** Every number anywhere in a value (to show that the timing field is all there is of the clock). */
function numbersIn(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.flatMap(numbersIn);
  if (v !== null && typeof v === 'object') return Object.values(v).flatMap(numbersIn);
  return [];
}

describe('the same command and seed in two processes: byte-identical JSON outside the timings', () => {
  it('ncverify solve --n 10,10,40,40 --lw 5e-3 --lh 5e-3 --d 8 --seed 3 --json', async () => {
    const args = ['solve', '--n', '10,10,40,40', '--lw', '5e-3', '--lh', '5e-3', '--d', '8', '--seed', '3', '--json'];
    const [a, b] = await Promise.all([cli(args), cli(args)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const [x, y] = [withoutTimings(a.stdout), withoutTimings(b.stdout)];
    expect(x.rest).toBe(y.rest);
    // the solver ran: a certified optimum with a search behind it, and its time kept apart
    const parsed = JSON.parse(a.stdout) as { certified: boolean; iterations: number; timings: { seconds: number }; seconds?: number };
    expect(parsed.certified).toBe(true);
    expect(parsed.iterations).toBeGreaterThan(0);
    expect(parsed.seconds).toBeUndefined();
    expect(numbersIn(x.timings).every((s) => s > 0)).toBe(true);
  });

  it('ncverify verify --runs 0.05 --out <tmp> (every claim, seed fixed by default)', async () => {
    const outs = [join(dir, 'a', 'verify.json'), join(dir, 'b', 'verify.json')];
    const runs = await Promise.all(outs.map((out) => cli(['verify', '--runs', '0.05', '--out', out])));
    for (const r of runs) expect(r.code, r.stderr.split('\n').filter((l) => /FAIL|error/.test(l)).join('\n')).toBe(0);
    const [x, y] = outs.map((out) => withoutTimings(readFileSync(out, 'utf8')));
    expect(x.rest).toBe(y.rest);
    const report = JSON.parse(x.rest) as { summary: { properties: number; instances: number }; solver: { instances: number } };
    expect(report.summary.properties).toBeGreaterThan(10);
    expect(report.solver.instances).toBeGreaterThan(0);
    // the two runs' timings are real clocks: they are what differs, and they are all the clock there is
    expect(numbersIn(x.timings).length).toBeGreaterThan(report.summary.properties);
  });
});
