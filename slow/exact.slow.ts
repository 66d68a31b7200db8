/**
 * Issue 18 item 6, the strongest check of the training loop: the exact UFM+ "backbone" (free
 * per-sample features h_i = |f_i| ≥ 0, src/train/freeFeatures.ts) trained by the same trainRun
 * loop, minibatch loss, Adam and λ conversion (convertPaperLambdas) as the CIFAR-10 runs must reach
 * the closed form of THEORY.md §1: f within 1 % of f*, norms and margins within 2 %. And each
 * broken trainer of the issue — cross-entropy halved, B in place of N in the feature penalty, the
 * weight decay on W dropped, features before the ReLU — must fail at least one of those checks.
 * No images are used (labels only), so this needs no data; 45 s in all on 2 cores at load 6 (wasm).
 * Run: npm run test:slow -- exact
 */
import type { Scalar, Tensor, Tensor2D } from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stepSizes } from '../src/data/subsets.ts';
import { loadTfjs, type Tf } from '../src/tfjs/backend.ts';
import type { TrainConfig } from '../src/train/config.ts';
import { linear } from '../src/train/linear.ts';
import { type RunCheck, ufmPlusChecks } from '../src/train/runChecks.ts';
import { trainRun } from '../src/train/trainer.ts';
import { convertPaperLambdas, type MinibatchObjective, minibatchObjective, type TrainRegularisers } from '../src/train/ufmLoss.ts';

const tfjs = await loadTfjs('wasm');
const dir = mkdtempSync(join(tmpdir(), 'ncverify-exact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sizes = stepSizes(10); // 10, 10, 20, …, 50: N = 300
const N = sizes.reduce((a, b) => a + b, 0);
const B = 50;
const labels = Uint8Array.from(sizes.flatMap((n, k) => new Array<number>(n).fill(k)));
const train = { source: 'labels only (free features)', count: N, labels, pixels: new Uint8Array(0), classCounts: sizes };
// In the authors' scaling λ'_W = 2.5e-2, λ'_H = 5e-4 with B = 50: λ_W = 5e-2, λ_H = 2Bλ'_H/N = 1/6000,
// so Nλ_H = 0.05 and T = N²λ_Wλ_H K/(K−1) = 0.83 < 10 = min n_k: every class alive, margins 3.2–4.2.
const conv = convertPaperLambdas({ lambdaW: 2.5e-2, lambdaH: 5e-4, batchSize: B, N });
const config: TrainConfig = {
  run: 'exact',
  backbone: { kind: 'free', d: 64 },
  testFile: null,
  epochs: 150,
  batchSize: B,
  optimizer: { kind: 'adam', lr: 0.05 },
  schedule: { kind: 'cosine', minLr: 1e-4 },
  lambdaW: conv.lambdaW,
  lambdaH: conv.lambdaH,
  weightDecay: 0,
  seed: 1,
  checkpointEvery: 1000,
  lambdaConversion: conv.note,
};
/**
 * Tolerances. The objective at the issue's 1 %; norms and margins at 2 %. Measured on wasm
 * (2 cores, load 6): the correct run ends at f/f* − 1 = 0.06 %, ‖h̄_k‖ 0.24 %, ‖w_k‖ 0.06 %,
 * margins 0.20 % (8× inside); the broken ones: CE halved f/f* − 1 = 17.6 % (and its smallest
 * classes collapse), B for N 58 %, no decay on W 3950 %, features before ReLU f/f* = 0.961 < 1
 * (the theorem check; its norms and margins miss by 2.3–5 %).
 */
const TOL = { objective: 0.01, classMeanNorms: 0.02, classifierNorms: 0.02, margins: 0.02 };

/** minibatchObjective with one deliberate fault (the issue's broken trainers); the rest as in ufmLoss.ts. */
function broken(fault: 'ce-halved' | 'batch-for-N' | 'no-W-decay'): MinibatchObjective {
  return (tf: Tf, h: Tensor2D, W: Tensor, oneHot: Tensor2D, n: number, reg: TrainRegularisers, decayed: readonly Tensor[]): Scalar => {
    if (fault === 'batch-for-N') return minibatchObjective(tf, h, W, oneHot, h.shape[0], reg, decayed);
    if (fault === 'no-W-decay') return minibatchObjective(tf, h, W, oneHot, n, { ...reg, lambdaW: 0 }, decayed);
    // CE halved: the objective of the authors' code without the factor 2 of convertPaperLambdas
    const logits = linear(tf, h, tf.transpose(W as Tensor2D));
    const ce = tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, oneHot), 1));
    const perSample = tf.add(tf.mul(ce, 0.5), tf.mul(tf.sum(tf.square(h), 1), (n * reg.lambdaH) / 2));
    return tf.add(tf.mean(perSample), tf.mul(tf.sum(tf.square(W)), reg.lambdaW / 2)) as Scalar;
  };
}

async function runChecks(run: string, c: TrainConfig, objective?: MinibatchObjective): Promise<RunCheck[]> {
  const r = await trainRun({ ...c, run }, { tfjs, data: { train }, progress: false, outDir: dir, fresh: true, objective });
  const fStar = JSON.parse(readFileSync(r.paths.summary, 'utf8')).theory.objective as number;
  const checks = ufmPlusChecks(r.records[r.records.length - 1], fStar, TOL);
  console.log(`${run}:\n${checks.map((x) => `  ${x.pass ? 'pass' : 'FAIL'} ${x.name}: ${x.value.toPrecision(4)} ${x.relation} ${x.threshold} (margin ${x.margin.toPrecision(3)})`).join('\n')}`);
  return checks;
}

describe('the exact UFM+ backbone through the training loop (issue 18 item 6)', () => {
  it('reaches the closed form: f within 1 % of f*, norms and margins within 2 %', async () => {
    const checks = await runChecks('exact', config);
    for (const c of checks) expect(c.pass, `${c.name}: ${c.value}`).toBe(true);
  });

  const faults: [string, TrainConfig, MinibatchObjective | undefined][] = [
    ['broken-ce-halved', config, broken('ce-halved')],
    ['broken-batch-for-N', config, broken('batch-for-N')],
    ['broken-no-W-decay', config, broken('no-W-decay')],
    ['broken-pre-relu', { ...config, backbone: { kind: 'free', d: 64, nonNegative: false } }, undefined],
  ];
  for (const [run, c, objective] of faults) {
    it(`${run} fails at least one check`, async () => {
      const checks = await runChecks(run, c, objective);
      expect(checks.filter((x) => !x.pass).map((x) => x.name).length).toBeGreaterThan(0);
    });
  }
});

describe('minority collapse seen in training (issue 18 item 5), exact UFM+ backbone', () => {
  it('with T = 14 between n = 10 and 20, classes 0 and 1 collapse (means → 0, classifiers merge), the others stay alive at the closed form', async () => {
    // Nλ_H = 0.84 (λ'_H = 8.4e-3): T = N²λ_Wλ_H K/(K−1) = 300 · 0.05 · 0.84 · 10/9 = 14
    const c = convertPaperLambdas({ lambdaW: 2.5e-2, lambdaH: 8.4e-3, batchSize: B, N });
    const r = await trainRun({ ...config, run: 'minority', lambdaW: c.lambdaW, lambdaH: c.lambdaH, lambdaConversion: c.note }, { tfjs, data: { train }, progress: false, outDir: dir, fresh: true });
    const theory = JSON.parse(readFileSync(r.paths.summary, 'utf8')).theory as { threshold: number; alive: boolean[]; objective: number };
    const last = r.records[r.records.length - 1];
    const norms = last.classMeanNorms as number[];
    console.log(
      `minority: T = ${theory.threshold}; ‖h̄_k‖ ${norms.map((x) => x.toPrecision(3)).join(' ')}; cos(w_0, w_1) ${last.minorityClassifierCosine}; ` +
        `f/f* ${(last.objective as number) / theory.objective}; alive-class norm error ${last.classMeanNormRelativeError}`,
    );
    expect(theory.threshold).toBeCloseTo(14, 9);
    expect(theory.alive).toEqual([false, false, true, true, true, true, true, true, true, true]);
    // measured (wasm, 150 epochs): ‖h̄_0‖, ‖h̄_1‖ < 5e-3 against ≈ 1 for the alive classes; cos 0.9999998
    const alive = Math.min(...norms.slice(2));
    expect(Math.max(norms[0], norms[1])).toBeLessThan(1e-2 * alive);
    expect(last.minorityClassifierCosine as number).toBeGreaterThan(0.999);
    expect(last.perClassTrainAccuracy).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
    // the alive classes at the closed form (collapsed ones have prediction 0 and are skipped), f near f*
    expect(last.classMeanNormRelativeError as number).toBeLessThan(TOL.classMeanNorms);
    expect((last.objective as number) / theory.objective - 1).toBeLessThan(TOL.objective);
  });
});
