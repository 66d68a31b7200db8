/**
 * Slow suite, nightly (paper-scale) configuration, after Dang, Tran, Nguyen, Ho (ICML 2024):
 * MLP (7×1024, 4000 epochs) and CIFAR ResNet18 (500 epochs) on n = 100, 100, 200, …, 500, with the
 * paper code's λ'_W = 1e-4, λ'_H = 1e-5 converted to THEORY.md's scaling (see nightlyConfigs).
 *
 * Run with:   NCVERIFY_SLOW=nightly npm run test:slow -- nightly
 * on the best backend available (tfjs-node-gpu; ResNet18 cannot train on wasm). Runs resume from
 * their checkpoints when restarted. Without NCVERIFY_SLOW=nightly only the configuration is checked
 * (cheap), so `npm run test:slow` stays short. Not run on the development machine (2 CPU cores).
 * nightly-mlp-dang2024 (1000…5000 per class, N = 30 000) needs the official cifar-10-batches-bin
 * (NCVERIFY_CIFAR10): from our stored subsets (500 per class) it stops with an InputError naming
 * the class and the count.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateTrainConfig } from '../src/train/config.ts';
import { CIFAR10_IMBALANCED_N, nightlyConfigs } from '../src/train/presets.ts';
import { trainRun } from '../src/train/trainer.ts';
import { predictUfmPlus } from '../src/theory/ufmPlusCe.ts';
import { meanBySize, series } from './checks.ts';

const N_SIZES = [100, 100, 200, 200, 300, 300, 400, 400, 500, 500];
const selected = process.env.NCVERIFY_SLOW === 'nightly';

describe('nightly configurations', () => {
  it('are valid, use the converted paper λ, and keep every class above the minority-collapse threshold', () => {
    for (const c of nightlyConfigs()) {
      validateTrainConfig(c);
      expect(c.lambdaW).toBeCloseTo(2e-4, 15);
      const n = c.classSizes ?? N_SIZES;
      const N = n.reduce((a, b) => a + b, 0);
      expect(c.lambdaH).toBeCloseTo((2 * c.batchSize * 1e-5) / N, 15);
      expect(c.lambdaConversion).toContain("λ_H = 2Bλ'_H/N");
      const p = predictUfmPlus({ n: [...n], lambdaW: c.lambdaW, lambdaH: c.lambdaH });
      expect(p.classes.every((k) => k.alive)).toBe(true);
    }
    // Item 7 of issue 18: both papers' sizes run nightly, each named after its source.
    expect(nightlyConfigs().map((c) => c.classSizes?.reduce((a, b) => a + b, 0))).toEqual([CIFAR10_IMBALANCED_N, CIFAR10_IMBALANCED_N, 30_000]);
    expect(nightlyConfigs().find((c) => c.run === 'nightly-mlp-dang2024')?.schedule).toEqual({ kind: 'step', milestones: [2000], gamma: 0.1 });
  });
});

if (selected) {
  describe('nightly: paper scale', () => {
    for (const config of nightlyConfigs()) {
      it(`${config.run}: neural collapse under imbalance, close to the UFM+ optimum`, async () => {
        const r = await trainRun(config);
        const { records } = r;
        const last = records[records.length - 1];
        const theory = JSON.parse(readFileSync(r.paths.summary, 'utf8')).theory as { objective: number };
        expect(r.complete).toBe(true);
        // Terminal phase of training (Papyan et al. 2020; the paper trains to zero training error).
        expect(last.trainAccuracy).toBe(1);
        // NC1 falls by two orders of magnitude from epoch 1: the paper's NC1 curves fall by 2–3
        // orders over 4000 epochs, and the 60-epoch smoke run (stronger λ) already falls by 3.
        const nc1 = series(records, 'nc1');
        expect(nc1[nc1.length - 1]).toBeLessThan(nc1[1] / 100);
        // Class means near orthogonal (THEORY.md §1: exactly orthogonal). 0.2 is loose: the
        // 60-epoch smoke run reaches 0.17.
        expect(last.maxClassMeanCosine as number).toBeLessThan(0.2);
        // Classifiers aligned with the scaled-and-centred means: the smoke run reaches 0.99 mean.
        expect(last.meanClassifierAlignment as number).toBeGreaterThan(0.95);
        // f ≥ f* always (a theorem); within 50 % of it at the end. The weak paper λ make f* small
        // (0.026 for the MLP, 0.010 for ResNet18), so the relative gap is larger than the smoke run's 6 %; to be calibrated on the
        // first nightly run, which has not been made yet.
        expect(last.objective as number).toBeGreaterThanOrEqual(theory.objective * (1 - 1e-12));
        expect(last.objective as number).toBeLessThan(1.5 * theory.objective);
        // No minority collapse at these λ (T ≪ 100), and ‖w_k‖ grows with n_k.
        expect(last.zeroClassMeans).toEqual([]);
        const w = meanBySize(last.classifierNorms as number[], config.classSizes ?? N_SIZES);
        for (let g = 1; g < w.length; g++) expect(w[g].mean).toBeGreaterThan(w[g - 1].mean);
      });
    }
  });
}
