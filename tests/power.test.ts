/**
 * `ncverify power` (src/power): each perturbation changes what it says and nothing else, and the scan
 * finds the decade where a claim stops seeing it.
 */
import { describe, expect, it } from 'vitest';
import { optimalValue } from '../properties/optimalValue.ts';
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
