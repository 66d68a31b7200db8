/**
 * No silent failure: an uncertified optimum inside the theorem's assumptions is never a pass — the
 * input is inconclusive, a claim with no decided input has verdict `inconclusive`, and `ncverify
 * verify` exits 1 when a claim's inconclusive share is above the policy's (src/reports/verdict.ts) — a
 * claim that measured nothing fails, a NaN measurement fails in every mode, and no NaN or ±Infinity
 * ever reaches JSON (where JSON.stringify would silently write `null`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { finiteJson, firstNonFinite, NonFiniteOutputError } from '../../src/cli/json.ts';
import { main } from '../../src/cli/main.ts';
import { validateVerifyReport } from '../../src/reports/validateReport.ts';
import type { Claim } from '../../src/runner/claim.ts';
import type { CertifiedOptimum, UfmPlusInstance as SolvedInstance } from '../../src/optima/ufmPlus/types.ts';
import { Optima } from '../../src/optima/optima.ts';
import { UncertifiedError } from '../../src/optima/policy.ts';
import { solveUfmPlus } from '../../src/optima/ufmPlus/solve.ts';
import { runClaim } from '../../src/runner/runClaim.ts';
import { claimContext, runSuite } from '../../src/runner/suite.ts';
import type { SolveResult } from '../../src/solver/types.ts';
import { ufmPlusCe } from '../../src/theory/ufmPlusCe.ts';
import type { UfmPlusTheory } from '../../src/theory/types.ts';
import { classMeansOrthogonal } from '../../properties/classMeansOrthogonal.ts';
import { runMain } from './helpers.ts';

/** The solver, replaceable per test: `tamper` rewrites each real (or skipped) result. */
const solverHook = vi.hoisted(() => ({ tamper: null as null | ((real: () => unknown) => unknown) }));
vi.mock('../../src/solver/solver.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/solver/solver.ts')>();
  return {
    ...real,
    solve: (...args: Parameters<typeof real.solve>) => (solverHook.tamper === null ? real.solve(...args) : solverHook.tamper(() => real.solve(...args))),
  };
});

const dir = mkdtempSync(join(tmpdir(), 'ncverify-silent-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  solverHook.tamper = null;
});

const instance = fc.record({
  n: fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 2, maxLength: 4 }),
  lambdaW: fc.constant(1e-2),
  lambdaH: fc.constant(1e-2),
}).map((i) => ({ ...i, d: i.n.length + 1 }));

/** A claim from a check function, on small d ≥ K instances. */
function claim(mode: 'assert' | 'record', check: Claim<SolvedInstance>['check']): Claim<SolvedInstance> {
  return { id: `test-${mode}`, title: 'test claim', source: 'this test', mode, usesTheory: false, runs: 5, arbitrary: () => instance, check };
}

/** An optimum that only says whether it is certified: enough for the layer's guard, used by nothing else. */
const fakeOptimum = (i: SolvedInstance, certified: boolean): CertifiedOptimum => ({ instance: i, certified } as unknown as CertifiedOptimum);

/** An optimum layer whose UFM+ solver is `solve`. */
const layer = (solve: (i: SolvedInstance) => CertifiedOptimum): Optima => new Optima({ ufmPlus: (i) => solve(i) });

const suiteOptions = { theory: ufmPlusCe, seed: 7, scale: 1, budget: 'small' as const };

describe('an uncertified optimum is never a pass', () => {
  it('runSuite with an injected solve that returns an uncertified optimum (d ≥ K): every input inconclusive, naming the certificate', () => {
    const report = runSuite([classMeansOrthogonal], { ...suiteOptions, scale: 0.02, optima: layer((i) => fakeOptimum(i, false)) });
    const p = report.properties[0];
    expect(p.verdict).toBe('inconclusive');
    expect(p.passes).toBe(0);
    expect(p.inconclusive).toBe(p.runs);
    expect(p.inconclusiveExamples?.[0].reason).toMatch(/did not certify/);
    expect(report.summary.passed).toBe(0);
    expect(report.summary.inconclusiveClaims).toBe(1);
  });

  it('runSuite with an injected solve that throws UncertifiedError: inconclusive with its message', () => {
    const solve = (): CertifiedOptimum => {
      throw new UncertifiedError('the solver did not certify a global optimum (injected)');
    };
    const report = runSuite([classMeansOrthogonal], { ...suiteOptions, scale: 0.02, optima: layer(solve) });
    expect(report.properties[0].verdict).toBe('inconclusive');
    expect(report.properties[0].inconclusiveExamples?.[0].reason).toMatch(/did not certify a global optimum \(injected\)/);
  });

  it('an input undecided on the default settings is checked once more on the retry settings, whose answer counts', () => {
    const asked: string[] = [];
    const optima = new Optima({
      ufmPlus: (i, record, initial, settings) => {
        asked.push(settings?.name ?? 'default');
        return settings?.name === 'retry' ? solveUfmPlus(i, record, initial, settings) : fakeOptimum(i, false);
      },
    });
    const report = runSuite([classMeansOrthogonal], { ...suiteOptions, scale: 0.01, optima });
    const p = report.properties[0];
    expect(p.verdict).toBe('pass');
    expect(p.inconclusive).toBe(0);
    expect(asked.filter((s) => s === 'retry').length).toBe(p.runs);
    expect(optima.solved().every((r) => r.settings === 'retry')).toBe(true);
    expect(optima.solved().length).toBe(p.runs);
  });

  it('solveUfmPlus throws UncertifiedError when the solver returns certified: false without a proven gap inside the assumptions', () => {
    solverHook.tamper = (real) => ({ ...(real() as SolveResult), certified: false, reason: 'injected: budget spent', certificate: { dualNormRatio: 1.5, objectiveGap: null } });
    expect(() => solveUfmPlus({ n: [3, 5], lambdaW: 1e-2, lambdaH: 1e-2, d: 3 }, () => {})).toThrow(UncertifiedError);
  });

  it('ncverify verify with a solver that never certifies: exit 1, the claim inconclusive in the written report', async () => {
    solverHook.tamper = (real) => ({ ...(real() as SolveResult), certified: false, reason: 'injected: budget spent', certificate: { dualNormRatio: 1.5, objectiveGap: null } });
    const out = join(dir, 'verify.json');
    const r = await runMain(main, ['verify', '--claim', 'class-means-orthogonal', '--runs', '0.01', '--seed', '3', '--out', out]);
    expect(r.thrown).toBeUndefined();
    expect(r.code).toBe(1);
    const report = validateVerifyReport(JSON.parse(readFileSync(out, 'utf8')), out);
    expect(report.properties[0].verdict).toBe('inconclusive');
    expect(report.properties[0].inconclusiveExamples?.[0].reason).toMatch(/did not certify/);
  });

  it('outside the assumptions (d < K) an uncertified optimum is allowed through, for record claims', () => {
    const ctx = claimContext(ufmPlusCe, layer((i) => fakeOptimum(i, false)));
    expect(ctx.optima.ufmPlus({ n: [3, 4, 5], lambdaW: 1e-2, lambdaH: 1e-2, d: 2 }).certified).toBe(false);
    expect(() => ctx.optima.ufmPlus({ n: [3, 4, 5], lambdaW: 1e-2, lambdaH: 1e-2, d: 3 })).toThrow(UncertifiedError);
  });
});

describe('a claim that measured nothing, or measured NaN, fails', () => {
  const ctx = claimContext(ufmPlusCe, layer((i) => fakeOptimum(i, true)));
  const options = { seed: 11, numRuns: 5, budget: 'small' as const };

  for (const mode of ['assert', 'record'] as const) {
    it(`${mode}: a check that returns [] on every input fails with "measured nothing"`, () => {
      const o = runClaim(claim(mode, () => []), ctx, options);
      expect(o.verdict).toBe('fail');
      expect(o.failures[0].message).toMatch(/measured nothing/);
      expect(o.largestError).toBeNull();
    });

    for (const bad of [NaN, Infinity, -Infinity]) {
      it(`${mode}: a measurement of ${bad} fails, and the report holds only finite numbers`, () => {
        const o = runClaim(claim(mode, () => [{ quantity: 'x', value: bad, tolerance: 1 }]), ctx, options);
        expect(o.verdict).toBe('fail');
        expect(o.failures[0].message).toMatch(/not a finite number/);
        expect(firstNonFinite(o.largestError)).toBeNull();
      });
    }

    it(`${mode}: a NaN tolerance fails`, () => {
      const o = runClaim(claim(mode, () => [{ quantity: 'x', value: 0, tolerance: NaN }]), ctx, options);
      expect(o.verdict).toBe('fail');
    });
  }

  it('record: a tolerance of +Infinity (no bound) is recorded, and written as a finite number', () => {
    const o = runClaim(claim('record', () => [{ quantity: 'x', value: 0.5, tolerance: Infinity }]), ctx, options);
    expect(o.verdict).toBe('recorded');
    expect(o.largestError).toEqual({ value: 0.5, tolerance: Number.MAX_VALUE, ratio: 0 });
  });

  it('assert: value > 0 with tolerance 0 fails; its ratio is written as the largest finite number', () => {
    const o = runClaim(claim('assert', () => [{ quantity: 'x', value: 1e-300, tolerance: 0 }]), ctx, options);
    expect(o.verdict).toBe('fail');
    expect(o.largestError?.ratio).toBe(Number.MAX_VALUE);
  });

  it('a whole suite with NaN-producing claims and a NaN-predicting theory still writes a valid, finite report', () => {
    const nanTheory: UfmPlusTheory = {
      name: 'nan-theory',
      predict: (i) => {
        const p = ufmPlusCe.predict(i);
        return { ...p, classes: p.classes.map((c) => ({ ...c, featureNorm: NaN })) };
      },
    };
    const solve = (i: SolvedInstance): CertifiedOptimum =>
      ({ instance: i, certified: true, layout: { K: i.n.length }, escapes: 0, restarts: 0, classMeanNorms: i.n.map(() => 1), classifierNorms: i.n.map(() => 1) }) as unknown as CertifiedOptimum;
    const uses = claim('assert', (i, c) => [{ quantity: 'norm', value: Math.abs(c.theory.predict(i).classes[0].featureNorm - c.optima.ufmPlus(i).classMeanNorms[0]), tolerance: 1 }]);
    const report = runSuite([uses, claim('record', () => [{ quantity: 'y', value: NaN, tolerance: Infinity }])], { ...suiteOptions, theory: nanTheory, optima: layer(solve) });
    expect(report.properties.map((p) => p.verdict)).toEqual(['fail', 'fail']);
    expect(firstNonFinite(report)).toBeNull();
    expect(report.samples.some((s) => s.quantity === 'classifierNorm')).toBe(true);
    expect(report.samples.some((s) => s.quantity === 'featureNorm')).toBe(false);
    expect(() => validateVerifyReport(JSON.parse(finiteJson(report)), 'r.json')).not.toThrow();
  });
});

describe('a broken user theory fails its claims; the report is still written', () => {
  const solve = (i: SolvedInstance): CertifiedOptimum =>
    ({ instance: i, certified: true, layout: { K: i.n.length }, escapes: 0, restarts: 0, classMeanNorms: i.n.map(() => 1), classifierNorms: i.n.map(() => 1) }) as unknown as CertifiedOptimum;
  const throwing: UfmPlusTheory = {
    name: 'throws',
    predict: () => {
      throw new TypeError("Cannot read properties of undefined (reading 'n')");
    },
  };
  const shapeless = { name: 'shapeless', predict: () => ({}) } as unknown as UfmPlusTheory;

  for (const theory of [throwing, shapeless]) {
    it(`${theory.name}: the claim that reads it fails, samples skip it, the report validates`, () => {
      const uses = claim('assert', (i, c) => {
        c.optima.ufmPlus(i);
        return [{ quantity: 'norm', value: Math.abs(c.theory.predict(i).classes[0].featureNorm - 1), tolerance: 1 }];
      });
      const report = runSuite([uses], { ...suiteOptions, theory, optima: layer(solve) });
      expect(report.properties[0].verdict).toBe('fail');
      expect(report.samples).toEqual([]);
      expect(() => validateVerifyReport(JSON.parse(finiteJson(report)), 'r.json')).not.toThrow();
    });
  }
});

describe('JSON output never hides a non-finite number', () => {
  it('finiteJson refuses NaN and ±Infinity anywhere (nested objects, arrays, typed arrays), naming the path', () => {
    const cases: [unknown, string][] = [
      [NaN, '$'],
      [{ a: 1, b: [0, Infinity] }, '$.b[1]'],
      [{ classes: [{ margin: 1 }, { margin: -Infinity }] }, '$.classes[1].margin'],
      [{ 'odd key': { x: new Float64Array([0, NaN]) } }, '$["odd key"].x[1]'],
    ];
    for (const [value, path] of cases) {
      let err: unknown;
      try {
        finiteJson(value);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(NonFiniteOutputError);
      expect((err as NonFiniteOutputError).path).toBe(path);
    }
  });

  it('finiteJson equals JSON.stringify on finite values (random JSON), also indented', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2), (v, indent) => {
        expect(finiteJson(v, indent)).toBe(JSON.stringify(v, null, indent));
      }),
      { seed: 5, numRuns: 200 },
    );
  });

  it('ncverify solve --json with a solver result holding NaN: an internal error, never a JSON null', async () => {
    solverHook.tamper = (real) => ({ ...(real() as SolveResult), objective: NaN });
    const r = await runMain(main, ['solve', '--n', '3,5', '--lw', '1e-2', '--lh', '1e-2', '--json']);
    expect(r.thrown).toBeInstanceOf(NonFiniteOutputError);
    expect((r.thrown as NonFiniteOutputError).path).toBe('$.objective');
    expect(r.stdout).toBe('');
  });
});
