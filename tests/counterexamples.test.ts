/**
 * Replays every counterexample ever found (fixtures/counterexamples/*.json): the claim's check on the
 * kept input, against a freshly solved and certified optimum. `expect: "pass"` cases were bugs of
 * ncverify (solver, formula or tolerance) and must stay fixed; `expect: "fail"` would be a genuine
 * counterexample to a theorem, and must keep failing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CLAIMS } from '../properties/index.ts';
import { claimContext } from '../src/runner/suite.ts';
import { isUndecided } from '../src/runner/claim.ts';
import { ufmPlusCe } from '../src/theory/ufmPlusCe.ts';

const DIR = 'fixtures/counterexamples';

interface Kept {
  claim: string;
  input: unknown;
  expect: 'pass' | 'fail';
  explanation: string;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

describe('kept counterexamples', () => {
  test('there are kept counterexamples, each with an explanation', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const kept = JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Kept;
      expect(kept.explanation.length, f).toBeGreaterThan(40);
      expect(['pass', 'fail'], f).toContain(kept.expect);
    }
  });

  test.each(files)('%s replays as expected', (file) => {
    const kept = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Kept;
    const claim = CLAIMS.find((c) => c.id === kept.claim);
    expect(claim, `unknown claim ${kept.claim}`).toBeDefined();
    const ctx = claimContext(ufmPlusCe);
    const observations = claim!.check(kept.input, ctx);
    expect(observations.filter(isUndecided), 'a kept counterexample must be decided').toEqual([]);
    const violations = observations.filter((m) => !isUndecided(m) && !(m.value <= m.tolerance));
    if (kept.expect === 'pass') expect(violations).toEqual([]);
    else expect(violations.length).toBeGreaterThan(0);
  });
});
