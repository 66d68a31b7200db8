/**
 * End-to-end tests of `ncverify predict`: the real binary in a child process (node bin/ncverify.js).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { predictUfmPlus } from '../src/theory/ufmPlusCe.ts';
import { type CliResult, ROOT, runCli } from './_helpers/cli.ts';

function predict(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/ncverify.js', 'predict', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function predictAsync(...args: string[]): Promise<CliResult> {
  return runCli(['predict', ...args]);
}

describe('ncverify predict', () => {
  it('--json prints one JSON object equal to predictUfmPlus (full precision)', () => {
    const r = predict('--n', '10,10,40,40', '--lw', '5e-2', '--lh', '3e-2', '--d', '6', '--json');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(r.stdout);
    const p = predictUfmPlus({ n: [10, 10, 40, 40], lambdaW: 5e-2, lambdaH: 3e-2 });
    // JSON.stringify prints the shortest round-tripping decimal, so every double comes back bit-identical
    for (const key of ['theory', 'K', 'N', 'threshold', 'objective', 'completeCollapse', 'classes', 'classifierGram', 'featureGram'] as const) {
      expect(out[key]).toEqual(p[key]);
    }
    expect(out.classes.map((c: { alive: boolean }) => c.alive)).toEqual([false, false, true, true]); // T = 20
    expect(out.d).toBe(6);
    expect(out.certificate).toHaveProperty('dualNormRatio');
    // THEORY.md §1b: ρ = 1 at the closed form (the certificate's 'exact' tolerance is 1e-9 relative)
    expect(out.certificate.exact).toBe(true);
    expect(Math.abs(out.certificate.dualNormRatio - 1)).toBeLessThanOrEqual(1e-9);
    expect(out.certificate.dualNormRatioUpper).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('the default output is a table with one row per class and the summary lines', () => {
    const r = predict('--n', '10,10,40,40', '--lw', '5e-2', '--lh', '5e-2');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(r.stdout).toContain('K = 4, N = 100');
    expect(r.stdout).toMatch(/threshold T = .* = 33\.3333/);
    expect(r.stdout).toContain('complete collapse: no');
    expect(r.stdout).toMatch(/f\* = [0-9.]+/);
    expect(r.stdout).toContain('certificate');
    const header = lines.findIndex((l) => /^k\s+n_k\s+alive\s+margin s_k/.test(l));
    expect(header).toBeGreaterThanOrEqual(0);
    const rows = lines.slice(header + 2).filter((l) => l.trim() !== '').map((l) => l.trim().split(/\s+/));
    expect(rows.map((r) => r.slice(0, 3))).toEqual([['1', '10', 'no'], ['2', '10', 'no'], ['3', '40', 'yes'], ['4', '40', 'yes']]);
    const p = predictUfmPlus({ n: [10, 10, 40, 40], lambdaW: 5e-2, lambdaH: 5e-2 });
    expect(Number(rows[2][3])).toBeCloseTo(p.classes[2].margin, 5); // 6 significant digits printed
  });

  it('--help prints the flags and exits 0', () => {
    const r = predict('--help');
    expect(r.status).toBe(0);
    for (const flag of ['--n', '--lw', '--lh', '--d', '--theory', '--json', 'ufm-plus-ce']) expect(r.stdout).toContain(flag);
  });

  const bad: [string, string, string[]][] = [
    ['missing --n', '--n', ['--lw', '1e-2', '--lh', '1e-2']],
    ['missing --lw', '--lw', ['--n', '10,40', '--lh', '1e-2']],
    ['missing --lh', '--lh', ['--n', '10,40', '--lw', '1e-2']],
    ['non-numeric --lw', '--lw', ['--n', '10,40', '--lw', 'abc', '--lh', '1e-2']],
    ['λ_H = 0', '--lh', ['--n', '10,40', '--lw', '1e-2', '--lh', '0']],
    ['K = 1', '--n', ['--n', '10', '--lw', '1e-2', '--lh', '1e-2']],
    ['n_k = 0', '--n', ['--n', '10,0', '--lw', '1e-2', '--lh', '1e-2']],
    ['non-integer n_k', '--n', ['--n', '10,2.5', '--lw', '1e-2', '--lh', '1e-2']],
    ['unknown flag', '--bogus', ['--n', '10,40', '--lw', '1e-2', '--lh', '1e-2', '--bogus', '1']],
    ['d < K', '--d', ['--n', '10,40,5', '--lw', '1e-2', '--lh', '1e-2', '--d', '2']],
    ['non-integer d', '--d', ['--n', '10,40', '--lw', '1e-2', '--lh', '1e-2', '--d', '2.5']],
    ['unknown theory', '--theory', ['--n', '10,40', '--lw', '1e-2', '--lh', '1e-2', '--theory', 'nope']],
  ];

  // concurrent tests must use the context's `expect` (vitest)
  it.concurrent.for(bad)('%s → exit 2 and one stderr line naming %s', async ([, parameter, args], { expect }) => {
    const r = await predictAsync(...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith(`error: ${parameter}:`)).toBe(true);
    expect(r.stderr).not.toMatch(/^\s+at /m); // no stack frames
  });

  it('an unknown theory lists the accepted ones', () => {
    const r = predict('--n', '10,40', '--lw', '1e-2', '--lh', '1e-2', '--theory', 'nope');
    expect(r.stderr).toContain('ufm-plus-ce');
  });
});

describe('src/cli/format/table.ts', async () => {
  const { formatNumber, formatTable } = await import('../src/cli/format/table.ts');

  it('formatTable aligns columns (right by default, left where asked) under a rule', () => {
    const t = formatTable(['k', 'name', 'x'], [['1', 'ab', '10'], ['22', 'c', '3']], { align: ['right', 'left'] });
    expect(t.split('\n')).toEqual([' k  name   x', '--  ----  --', ' 1  ab    10', '22  c      3']);
  });

  it('formatTable counts a combining mark as zero width and rejects ragged rows', () => {
    const t = formatTable(['‖h̄‖'], [['12345']]);
    expect(t.split('\n')[0]).toBe('  ‖h̄‖'); // ‖h̄‖ displays 3 columns wide (+ the combining macron)
    expect(() => formatTable(['a', 'b'], [['1']])).toThrow(RangeError);
  });

  it('formatNumber: integers, significant digits, exponents, non-finite', () => {
    expect(formatNumber(40)).toBe('40');
    expect(formatNumber(1 / 3)).toBe('0.333333');
    expect(formatNumber(0.5)).toBe('0.5');
    expect(formatNumber(2.5e-9)).toBe('2.5e-9');
    expect(formatNumber(-1.234567e20)).toBe('-1.23457e20');
    expect(formatNumber(1.234567e12)).toBe('1234567000000'); // integers below 1e15 in full (class sizes)
    expect(formatNumber(999999.95)).toBe('1e6');
    expect(formatNumber(Infinity)).toBe('inf');
    expect(formatNumber(NaN)).toBe('nan');
    expect(formatNumber(Math.PI, 12)).toBe('3.14159265359');
  });
});
