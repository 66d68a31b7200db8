/**
 * `ncverify power` (src/power): each perturbation changes what it says and nothing else, and the scan
 * finds the decade where a claim stops seeing it.
 */
import { describe, expect, it } from 'vitest';
import { optimalValue } from '../properties/optimalValue.ts';
import { collapseThreshold } from '../properties/collapseThreshold.ts';
import { margins } from '../properties/margins.ts';
import { classifierGram } from '../properties/classifierGram.ts';
import { classMeanNorms } from '../properties/classMeanNorms.ts';
import { Optima } from '../src/optima/optima.ts';
import { runSuite } from '../src/runner/suite.ts';
import type { Claim } from '../src/runner/claim.ts';
import type { PerturbedQuantity } from '../src/power/perturbations.ts';
import { PERTURBATIONS, perturbed } from '../src/power/perturbations.ts';
import { DECADES, powerScan, resolutionMarkdown } from '../src/power/scan.ts';
import { ufmPlusCe } from '../src/theory/ufmPlusCe.ts';

const instance = { n: [3, 10, 40, 40], lambdaW: 5e-3, lambdaH: 5e-3 };

describe('perturbations', () => {
  const p = ufmPlusCe.predict(instance);

  it('threshold: T(1 + ε), alive flags and complete collapse from it', () => {
    const q = PERTURBATIONS.threshold(p, 2);
    expect(q.threshold).toBe(3 * p.threshold);
    expect(q.classes.map((c) => c.alive)).toEqual(p.classes.map((c) => c.n > 3 * p.threshold));
    expect(q.objective).toBe(p.objective);
  });

  it('margins: s_k(1 + ε), norms by sqrt(1 + ε), f* recomputed; the threshold untouched', () => {
    const q = PERTURBATIONS.margins(p, 1e-3);
    p.classes.forEach((c, k) => {
      expect(q.classes[k].margin).toBeCloseTo(c.margin * (1 + 1e-3), 14);
      expect(q.classes[k].featureNorm).toBeCloseTo(c.featureNorm * Math.sqrt(1 + 1e-3), 14);
    });
    expect(q.objective).toBeGreaterThan(p.objective);
    expect(q.threshold).toBe(p.threshold);
  });

  it('feature-gram: only the off-diagonal entries change', () => {
    const q = PERTURBATIONS['feature-gram'](p, 0.1);
    q.featureGram.forEach((row, j) => row.forEach((x, k) => expect(x).toBe(j === k ? p.featureGram[j][k] : 0.1 * Math.sqrt(p.featureGram[j][j] * p.featureGram[k][k]))));
    expect(q.classes).toEqual(p.classes);
  });

  it('perturbed() wraps a theory with a descriptive name', () => {
    const t = perturbed(ufmPlusCe, 'objective', 1e-6);
    expect(t.name).toMatch(/objective/);
    expect(t.predict(instance).objective).toBe(p.objective * (1 + 1e-6));
  });
});

describe('the scan', () => {
  it('optimal-value sees f* off by 1e-2 and stops at the first decade it cannot see', () => {
    const report = powerScan([optimalValue], ufmPlusCe, { seed: 5, scale: 0.05, budget: 'small' });
    expect(report.failingUnperturbed).toEqual([]);
    const row = report.rows.find((r) => r.quantity === 'objective');
    expect(row?.byClaim['optimal-value']).not.toBeNull();
    expect(DECADES).toContain(row?.smallest);
    const table = resolutionMarkdown(report);
    expect(table).toMatch(/\| objective \| \+ \| 1e-\d+ \| optimal-value 1e-\d+ \|/);
  });
});

describe('issue #16: a claim about the quantity catches it off by 1e-6 (the default budget\'s seed, 10 % of its inputs)', () => {
  const optima = new Optima();
  const verdicts = (claim: Claim<unknown>, quantity: PerturbedQuantity | null, eps: number): string =>
    runSuite([claim], { theory: quantity === null ? ufmPlusCe : perturbed(ufmPlusCe, quantity, eps), seed: 20240212, scale: 0.1, budget: 'small', optima }).properties[0].verdict;

  it.each([
    ['collapse-threshold', 'threshold', 1e-6, collapseThreshold],
    ['collapse-threshold', 'threshold', -1e-6, collapseThreshold],
    ['logit-margins', 'margins', 1e-6, margins],
    ['class-mean-norms', 'class-mean-norms', 1e-6, classMeanNorms],
    ['classifier-gram', 'classifier-gram', 1e-6, classifierGram],
  ] as const)('%s: %s × (1 + %s) fails, the shipped theory passes', (_id, quantity, eps, claim) => {
    expect(verdicts(claim as Claim<unknown>, null, 0)).toBe('pass');
    expect(verdicts(claim as Claim<unknown>, quantity, eps)).toBe('fail');
  });
});
