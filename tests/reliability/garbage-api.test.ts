/**
 * Garbage at the public functions (the library API beside the CLI): the closed forms of
 * src/theory, the problem validators and layout, the solver's problem validation, the
 * certificates, the objective and the NC metrics. Each must return a value or throw an InputError
 * naming a parameter — never a TypeError or RangeError from deep inside — and a value computed
 * from valid input holds no NaN or ±Infinity. Seeded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstNonFinite } from '../../src/cli/json.ts';
import { certifyUfm } from '../../src/certificate/ufm.ts';
import { certifyUfmPlus } from '../../src/certificate/ufmPlus.ts';
import type { Dense } from '../../src/linalg/dense.ts';
import { ncMetrics } from '../../src/metrics/nc.ts';
import { classLayout } from '../../src/problem/layout.ts';
import { ufmObjective } from '../../src/problem/objective.ts';
import { validateClassSizes, validateDimension, validateRegulariser } from '../../src/problem/validate.ts';
import { validateProblem } from '../../src/solver/problem.ts';
import { runClaim } from '../../src/runner/runClaim.ts';
import { suiteSettings } from '../../src/runner/settings.ts';
import { claimContext } from '../../src/runner/suite.ts';
import { Optima } from '../../src/optima/optima.ts';
import { ufmPlusCe } from '../../src/theory/ufmPlusCe.ts';
import { predictMseBias, predictMseBiasDeep } from '../../src/theory/mseBias.ts';
import { predictMseDeepLinear } from '../../src/theory/mseDeepLinear.ts';
import { predictSeli, seliStep, stepSizes } from '../../src/theory/seli.ts';
import {
  classConstants, classifierGram, classifierNorms, classMargins, classMeanNorms, featureGram, isCompleteCollapse,
  minorityCollapseThreshold, optimalObjective, optimalPair, predictUfmPlus,
} from '../../src/theory/ufmPlusCe.ts';
import { describeCrash, outcome } from './helpers.ts';

const SEED = 20240814;

const oddNumber = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, -1, 0.5, 1e-320, 1e308, 2 ** 53 + 2, 1e20),
  fc.double(),
  fc.constantFrom('1', '', 'NaN', null, undefined, true, [], {}, [3], 7n),
);
const sizes = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 2, maxLength: 6 }) },
  { weight: 3, arbitrary: fc.array(fc.oneof(fc.integer({ min: -2, max: 200 }), oddNumber), { maxLength: 6 }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom(Array(10_001).fill(1), [5e8, 5e8 + 1], [1], []) },
);
const lambda = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: 1e-6, max: 10, noNaN: true }) },
  { weight: 1, arbitrary: fc.double({ min: -250, max: 125, noNaN: true }).map((e) => 10 ** e) }, // the whole valid range, log-uniform
  { weight: 2, arbitrary: oddNumber },
);
const dimension = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: -1, max: 12 }) }, { weight: 1, arbitrary: oddNumber });

/** The path of the first NaN anywhere in a value (±Infinity aside), or null. */
function firstNaN(v: unknown, path = '$'): string | null {
  if (typeof v === 'number') return Number.isNaN(v) ? path : null;
  if (typeof v !== 'object' || v === null) return null;
  const entries: [string, unknown][] = ArrayBuffer.isView(v) || Array.isArray(v)
    ? Array.from(v as ArrayLike<unknown>, (x, i) => [`[${i}]`, x])
    : Object.entries(v).map(([k, x]) => [`.${k}`, x]);
  for (const [k, x] of entries) {
    const hit = firstNaN(x, `${path}${k}`);
    if (hit !== null) return hit;
  }
  return null;
}

/**
 * Valid output, or an InputError naming a parameter. From valid input: no NaN anywhere, and (unless
 * `overflowAllowed`, for the deep MSE model whose norms grow like λ^M) every number finite.
 */
function expectValueOrInputError(f: () => unknown, overflowAllowed = false): void {
  const o = outcome(f);
  expect(o.kind, describeCrash(o)).not.toBe('crash');
  if (o.kind === 'input-error') expect(o.error.message).toMatch(/^\S[^:]*: \S/);
  if (o.kind === 'value') expect(overflowAllowed ? firstNaN(o.value) : firstNonFinite(o.value)).toBeNull();
}

describe('the closed forms on garbage (src/theory)', () => {
  it('the UFM+ functions of n, λ_W, λ_H', () => {
    const fns = [minorityCollapseThreshold, classConstants, classMargins, classMeanNorms, classifierNorms, classifierGram, featureGram, optimalObjective, isCompleteCollapse];
    fc.assert(
      fc.property(fc.constantFrom(...fns), sizes, lambda, lambda, (f, n, w, h) => expectValueOrInputError(() => f(n as number[], w as number, h as number))),
      { seed: SEED, numRuns: 600 },
    );
  });

  it('predictUfmPlus and optimalPair on garbage instances (d included)', () => {
    const instance = fc.oneof(fc.record({ n: sizes, lambdaW: lambda, lambdaH: lambda, d: fc.option(dimension, { nil: undefined }) }), fc.anything({ maxDepth: 1 }));
    fc.assert(
      fc.property(instance, fc.boolean(), (i, pair) => expectValueOrInputError(() => (pair ? optimalPair(i as never) : predictUfmPlus(i as never)))),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('SELI (n, or a STEP K, ρ, R, m) and the MSE predictions (n, λ_W, λ_H, layers)', () => {
    const layers = fc.oneof(fc.integer({ min: -1, max: 4 }), oddNumber);
    const call = fc.oneof(
      sizes.map((n) => () => predictSeli({ n: n as number[] })),
      fc.tuple(dimension, lambda, lambda).map(([K, rho, R]) => () => seliStep(K as number, rho as number, R as number)),
      fc.tuple(dimension, lambda, lambda, dimension).map(([K, rho, R, m]) => () => stepSizes(K as number, rho as number, R as number, m as number)),
      fc.tuple(sizes, lambda, lambda).map(([n, w, h]) => () => predictMseBias({ n: n as number[], lambdaW: w as number, lambdaH: h as number })),
      fc.tuple(sizes, lambda, lambda, layers).map(([n, w, h, M]) => Object.assign(() => predictMseBiasDeep({ n: n as number[], lambdaW: w as number, lambdaH: h as number, layers: M as number }), { deep: true })),
      fc.tuple(sizes, lambda, lambda, layers).map(([n, w, h, M]) => Object.assign(() => predictMseDeepLinear({ n: n as number[], lambdaW: w as number, lambdaH: h as number, layers: M as number }), { deep: true })),
    );
    fc.assert(fc.property(call, (f) => expectValueOrInputError(f, 'deep' in f)), { seed: SEED, numRuns: 500 });
  });
});

describe('validators, layout and the solver problem on garbage', () => {
  it('validateClassSizes, validateRegulariser, validateDimension, classLayout, validateProblem', () => {
    const call = fc.oneof(
      sizes.map((n) => () => validateClassSizes(n as unknown[])),
      sizes.map((n) => () => classLayout(n as number[])),
      lambda.map((l) => () => validateRegulariser(l, 'lambdaW')),
      fc.tuple(dimension, fc.integer({ min: 2, max: 5 }), fc.boolean()).map(([d, K, strict]) => () => validateDimension(d, K, strict)),
      fc.record({ n: sizes, lambdaW: lambda, lambdaH: lambda, d: dimension, nonNegative: fc.oneof(fc.boolean(), oddNumber), bias: fc.oneof(fc.boolean(), oddNumber), lambdaB: fc.option(lambda, { nil: undefined }) })
        .map((p) => () => validateProblem(p as never)),
      fc.constant(() => validateProblem({ n: [5e8, 5e8], lambdaW: 1, lambdaH: 1, d: 2 })),
    );
    fc.assert(fc.property(call, (f) => expectValueOrInputError(() => {
      const v = f();
      return typeof v === 'object' && v !== null && 'labels' in v ? { ...v, labels: [] } : v; // the layout's labels: Int32Array
    })), { seed: SEED, numRuns: 600 });
  });
});

/** A small Dense matrix, consistent or not: wrong lengths, NaN, negative entries, non-integer shapes. */
function dense(rows: fc.Arbitrary<number>, cols: fc.Arbitrary<number>): fc.Arbitrary<Dense> {
  const entry = fc.oneof({ weight: 8, arbitrary: fc.double({ min: 0, max: 2, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -0.5) });
  return fc.tuple(rows, cols, fc.integer({ min: -1, max: 1 }), fc.boolean()).chain(([r, c, extra, bad]) => {
    const len = Math.max(0, (Number.isInteger(r) && Number.isInteger(c) && r >= 0 && c >= 0 ? r * c : 0) + (bad ? extra : 0));
    return fc.array(bad ? entry : fc.double({ min: 0, max: 2, noNaN: true }), { minLength: len, maxLength: len })
      .map((xs) => ({ rows: r, cols: c, data: Float64Array.from(xs) }));
  });
}

describe('certificates, objective and NC metrics on garbage', () => {
  const shape = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 2.5, NaN) });
  const problem = fc.record({ n: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 4 }), d: fc.integer({ min: 1, max: 5 }) })
    .chain(({ n, d }) => {
      const N = n.reduce((a, b) => a + b, 0);
      return fc.record({
        n: fc.constant(n),
        W: fc.oneof(dense(fc.constant(n.length), fc.constant(d)), dense(shape, shape)),
        H: fc.oneof(dense(fc.constant(d), fc.constant(N)), dense(shape, shape)),
        reg: fc.record({ lambdaW: lambda, lambdaH: lambda }),
      });
    });

  it('certifyUfmPlus, certifyUfm, ufmObjective, ncMetrics: value or InputError', () => {
    const fns = [
      (p: { W: Dense; H: Dense; n: number[]; reg: { lambdaW: unknown; lambdaH: unknown } }) => certifyUfmPlus(p.W, p.H, classLayout(p.n), p.reg as never),
      (p: { W: Dense; H: Dense; n: number[]; reg: { lambdaW: unknown; lambdaH: unknown } }) => certifyUfm(p.W, p.H, classLayout(p.n), p.reg as never),
      (p: { W: Dense; H: Dense; n: number[]; reg: { lambdaW: unknown; lambdaH: unknown } }) => ufmObjective(p.W, p.H, classLayout(p.n), p.reg as never),
      (p: { W: Dense; H: Dense; n: number[] }) => ncMetrics(p.H, classLayout(p.n), p.W),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...fns.keys()), problem, (i, p) => {
        const o = outcome(() => fns[i](p));
        expect(o.kind, describeCrash(o)).not.toBe('crash');
      }),
      { seed: SEED, numRuns: 400 },
    );
  });
});

describe('replay paths and suite settings on garbage', () => {
  it('a replay path that is not one of this claim and seed is an InputError, not fast-check\'s Error', () => {
    const claim = { id: 'c', title: 't', source: 's', mode: 'assert' as const, usesTheory: false, arbitrary: () => fc.integer(), check: (x: number) => [{ quantity: 'x', value: x > 5 ? 1 : 0, tolerance: 0 }] };
    const ctx = claimContext(ufmPlusCe, new Optima({ ufmPlus: () => { throw new Error('not used'); } }));
    for (const path of ['0:0:0:0:0:0:0:0:0:0:0:0', 'abc', '1:x']) {
      const o = outcome(() => runClaim(claim, ctx, { seed: 1, numRuns: 20, budget: 'small', path }));
      expect(o.kind, describeCrash(o)).toBe('input-error');
    }
  });

  it('NCVERIFY_* values: seed, runs, budget, path refused with the variable named', () => {
    const env = fc.record({
      NCVERIFY_SEED: fc.option(fc.oneof(fc.constantFrom('1', '-3', '1.5', 'x', '1e30', ''), fc.string()), { nil: undefined }),
      NCVERIFY_RUNS: fc.option(fc.oneof(fc.constantFrom('1', '0.05', '0', '-1', '1e9', 'NaN', 'Infinity', ''), fc.string()), { nil: undefined }),
      NCVERIFY_BUDGET: fc.option(fc.constantFrom('small', 'large', 'huge', ''), { nil: undefined }),
      NCVERIFY_PATH: fc.option(fc.constantFrom('1:2', '59:2:1:2', 'x', '1::2', ''), { nil: undefined }),
    });
    fc.assert(fc.property(env, (e) => {
      const o = outcome(() => suiteSettings(e));
      expect(o.kind, describeCrash(o)).not.toBe('crash');
      if (o.kind === 'input-error') expect(o.error.message).toMatch(/^NCVERIFY_[A-Z]+: /);
      if (o.kind === 'value') {
        expect(Number.isSafeInteger(o.value.seed)).toBe(true);
        expect(o.value.scale > 0 && o.value.scale <= 1000).toBe(true);
      }
    }), { seed: SEED, numRuns: 300 });
  });
});
