/**
 * The suite's power (issue #4): deliberately wrong theories fed through the "bring your own theory"
 * interface must each be caught — by the claims that read what they got wrong — while the shipped
 * theory, loaded the same way, passes. A suite that cannot fail is worth nothing.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { UFM_PLUS_CLAIMS } from '../properties/index.ts';
import { loadTheory } from '../src/runner/loadTheory.ts';
import { runSuite } from '../src/runner/suite.ts';
import { Optima } from '../src/optima/optima.ts';
import { DEFAULT_SEED } from '../src/runner/settings.ts';

const theoryClaims = UFM_PLUS_CLAIMS.filter((c) => c.usesTheory);
/** One optimum layer for every theory: the same seed and claims generate the same instances, solved once. */
const optima = new Optima();

function failedClaims(file: string): Promise<string[]> {
  return loadTheory(file).then((theory) => {
    const report = runSuite(theoryClaims, { theory, seed: DEFAULT_SEED, scale: 0.3, budget: 'small', optima });
    return report.properties.filter((p) => p.verdict === 'fail').map((p) => p.id);
  });
}

describe('wrong theories are caught', () => {
  const cases: [string, string[]][] = [
    ['fixtures/theories/wrong-threshold-k.ts', ['collapse-threshold', 'class-mean-norms']],
    ['fixtures/theories/wrong-alignment-n.ts', ['classifier-alignment']],
    ['fixtures/theories/wrong-norms-no-sqrt.ts', ['class-mean-norms', 'classifier-norms']],
    ['fixtures/theories/wrong-margin-scaled.ts', ['logit-margins', 'optimal-value']],
    ['fixtures/theories/wrong-threshold-ppm-plus.ts', ['collapse-threshold']],
    ['fixtures/theories/wrong-threshold-ppm-minus.ts', ['collapse-threshold']],
    ['fixtures/theories/wrong-margin-ppm.ts', ['closed-form-certificate', 'optimal-value']],
    ['fixtures/theories/wrong-feature-gram.ts', ['class-means-orthogonal']],
    ['fixtures/theories/wrong-complete-collapse.ts', ['collapse-threshold']],
    ['fixtures/theories/wrong-scales-doubled.ts', ['classifier-alignment']],
  ];
  test.each(cases)('%s fails %j', async (file, expected) => {
    const failed = await failedClaims(file);
    for (const id of expected) expect(failed).toContain(id);
  });

  test('the shipped theory, loaded as a user module, passes every claim', async () => {
    expect(await failedClaims('fixtures/theories/shipped.ts')).toEqual([]);
  });
});

describe('ncverify verify --theory FILE', () => {
  const verify = (file: string) =>
    spawnSync(process.execPath, ['bin/ncverify.js', 'verify', '--theory', file, '--runs', '0.2', '--out', `reports/test-verify-${file.replace(/\W/g, '_')}.json`], { encoding: 'utf8' });

  test('exits 1 and names the failed claims for a wrong theory', () => {
    const r = verify('fixtures/theories/wrong-alignment-n.ts');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/FAILED claims: .*classifier-alignment/);
    expect(r.stderr).toMatch(/counterexample: \{"n":/);
  });

  test('exits 0 for the shipped theory', () => {
    const r = verify('fixtures/theories/shipped.ts');
    expect(r.stderr).toMatch(/Every claim holds/);
    expect(r.status).toBe(0);
  });

  test('a module without predict is a usage error (exit 2, one line)', () => {
    const r = verify('fixtures/theories/README.md');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: --theory/);
  });
});
