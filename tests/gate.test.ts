import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../src/cli/commands/gate.ts';
import { isInputError } from '../src/errors.ts';
import { compareReports } from '../src/reports/gate.ts';
import { validateVerifyReport } from '../src/reports/validateReport.ts';
import type { VerifyReport } from '../src/reports/verifyReport.ts';

const BASELINE = fileURLToPath(new URL('../fixtures/gate/baseline.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ncverify-gate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** A fresh, mutable copy of the baseline fixture. */
function baseline(): any {
  return JSON.parse(readFileSync(BASELINE, 'utf8'));
}

let counter = 0;
function writeReport(report: unknown): string {
  const path = join(dir, `report-${++counter}.json`);
  writeFileSync(path, typeof report === 'string' ? report : JSON.stringify(report));
  return path;
}

/** Runs the command as src/cli/main.ts does (an InputError is exit 2) and captures stdout. */
async function gate(report: unknown, ...extra: string[]): Promise<{ code: number; out: string; error: string }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  try {
    const code = await run(['--baseline', BASELINE, '--report', writeReport(report), ...extra]);
    return { code, out, error: '' };
  } catch (e) {
    if (isInputError(e)) return { code: 2, out, error: e.message };
    throw e;
  } finally {
    vi.restoreAllMocks();
  }
}

describe('ncverify gate', () => {
  it('an identical report passes (exit 0) and says nothing changed', async () => {
    const r = await gate(baseline());
    expect(r.code).toBe(0);
    expect(r.out).toContain('no change');
    expect(r.out).toContain('gate passed');
  });

  it('a planted regression: a passing property now fails → exit 1, named in the table', async () => {
    const b = baseline();
    b.properties[1].verdict = 'fail';
    b.properties[1].passes = 19;
    const r = await gate(b);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/property classifier-norms\s+pass\s+fail\s+regression\s+now fails/);
    expect(r.out).toContain('gate FAILED: 1 regression');
  });

  it('a property missing from the report → exit 1', async () => {
    const b = baseline();
    b.properties.splice(0, 1);
    expect((await gate(b)).code).toBe(1);
  });

  it('pass → recorded is a regression; recorded → pass is not', async () => {
    const b = baseline();
    b.properties[0].verdict = 'recorded';
    expect((await gate(b)).code).toBe(1);
    const c = baseline();
    c.properties[3].verdict = 'pass';
    expect((await gate(c)).code).toBe(0);
  });

  it('a new property that fails → exit 1; a new passing one → exit 0', async () => {
    const b = baseline();
    b.properties.push({ ...b.properties[0], id: 'brand-new', verdict: 'fail' });
    expect((await gate(b)).code).toBe(1);
    b.properties[4].verdict = 'pass';
    expect((await gate(b)).code).toBe(0);
  });

  it('certification rate: one uncertified instance more → exit 1 (no drop tolerated)', async () => {
    const b = baseline();
    b.solver.certified = 39;
    const r = await gate(b);
    expect(r.code).toBe(1);
    expect(r.out).toContain('97.50% (39/40)');
    // More instances, all certified: same rate 100 %, passes.
    const c = baseline();
    c.solver.instances = 80;
    c.solver.certified = 80;
    expect((await gate(c)).code).toBe(0);
  });

  it('largest error ratio: regression only when > ×2 AND > 0.5', async () => {
    const ratio = async (k: number, v: number): Promise<number> => {
      const b = baseline();
      b.properties[k].largestError.ratio = v;
      return (await gate(b)).code;
    };
    // property 0 has ratio 0.0021 in the baseline: ×100 is still far below the 0.5 floor.
    expect(await ratio(0, 0.21)).toBe(0);
    expect(await ratio(0, 0.51)).toBe(1);
    // property 1 has 0.3: 0.59 is above the floor but less than ×2; 0.61 is both.
    expect(await ratio(1, 0.59)).toBe(0);
    expect(await ratio(1, 0.61)).toBe(1);
  });

  it('slow-suite metrics: worse than the tolerance → 1; within → 0; suite absent → not compared (0)', async () => {
    const worse = baseline();
    worse.slowSuite.metrics[0].value = 0.08; // nc1 lower is better, tolerance 0.02
    const r = await gate(worse);
    expect(r.code).toBe(1);
    expect(r.out).toContain('slow suite nc1-final');
    const within = baseline();
    within.slowSuite.metrics[1].value = 0.905; // accuracy higher is better, tolerance 0.01
    expect((await gate(within)).code).toBe(0);
    const absent = baseline();
    delete absent.slowSuite;
    const a = await gate(absent, '--all');
    expect(a.code).toBe(0);
    expect(a.out).toContain('the slow suite did not run');
    const missing = baseline();
    missing.slowSuite.metrics.pop();
    expect((await gate(missing)).code).toBe(1);
  });

  it('--json prints one object with the regressions', async () => {
    const b = baseline();
    b.solver.certified = 0;
    const r = await gate(b, '--json');
    expect(r.code).toBe(1);
    const parsed = JSON.parse(r.out);
    expect(parsed.ok).toBe(false);
    expect(parsed.regressions.map((x: { item: string }) => x.item)).toEqual(['solver certification rate']);
  });

  it('malformed reports exit 2 naming the missing field; unreadable files and bad JSON too', async () => {
    const b = baseline();
    delete b.solver.certified;
    const r = await gate(b);
    expect(r.code).toBe(2);
    expect(r.error).toContain('report.solver.certified is a required field');
    const c = baseline();
    c.properties[2].largestError = { value: 1, tolerance: 0, ratio: null };
    expect((await gate(c)).error).toContain('report.properties[2].largestError.ratio must be a number');
    expect((await gate('{"tool": "ncverify",')).error).toContain('is not valid JSON');
    const code = await run(['--baseline', join(dir, 'nope.json'), '--report', BASELINE]).catch((e) => (isInputError(e) ? 2 : -1));
    expect(code).toBe(2);
  });
});

describe('compareReports', () => {
  it('flags a changed theory/budget as context, not as a regression', () => {
    const b = validateVerifyReport(baseline(), 'b');
    const c = validateVerifyReport({ ...baseline(), budget: { seed: 7, runsPerProperty: 20, scale: 1 } }, 'c') as VerifyReport;
    const result = compareReports(b, c);
    expect(result.ok).toBe(true);
    expect(result.rows[0]).toMatchObject({ item: 'budget', verdict: 'changed' });
  });
});
