import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CIFAR10_PIXELS, type Cifar10Set } from '../src/data/cifar10.ts';
import { isInputError } from '../src/errors.ts';
import { loadTfjs } from '../src/tfjs/backend.ts';
import { loadCheckpoint } from '../src/train/checkpoint.ts';
import type { TrainConfig } from '../src/train/config.ts';
import { readEpochs } from '../src/train/runLog.ts';
import { trainRun } from '../src/train/trainer.ts';
import { parseFlags } from '../src/cli/args.ts';
import { TRAIN_FLAGS, trainArgs } from '../src/cli/commands/train.ts';
import { FIXTURE_PATH } from '../fixtures/cifar10/generate.ts';
import { writeOfficialLayout } from './_helpers/officialLayout.ts';
import { seededUniform } from '../src/train/seeded.ts';

const tfjs = await loadTfjs('wasm');
const dir = mkdtempSync(join(tmpdir(), 'ncverify-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A learnable synthetic set: class k's pixels are noise around 20 + 20k in channel k mod 3. */
function synthetic(sizes: number[], seed: number): Cifar10Set {
  const count = sizes.reduce((a, b) => a + b, 0);
  const labels = new Uint8Array(count);
  const pixels = new Uint8Array(count * CIFAR10_PIXELS);
  const u = seededUniform(seed, 'synthetic');
  let i = 0;
  sizes.forEach((n, k) => {
    for (let j = 0; j < n; j++, i++) {
      labels[i] = k;
      for (let p = 0; p < CIFAR10_PIXELS; p++) {
        const base = Math.floor(p / 1024) === k % 3 ? 20 + 20 * k : 60;
        pixels[i * CIFAR10_PIXELS + p] = Math.min(255, base + Math.floor(40 * u()));
      }
    }
  });
  return { source: 'synthetic', count, labels, pixels, classCounts: sizes.slice() };
}

const data = { train: synthetic([2, 2, 3, 3, 4, 4, 5, 5, 6, 6], 1), test: synthetic([1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 2) };
const config: TrainConfig = {
  run: 'tiny',
  backbone: { kind: 'mlp', hidden: [24, 16] },
  epochs: 4,
  batchSize: 8,
  optimizer: { kind: 'adam', lr: 3e-3 },
  schedule: { kind: 'cosine', minLr: 3e-4 },
  lambdaW: 5e-3,
  lambdaH: 1e-3,
  weightDecay: 5e-4,
  seed: 11,
  checkpointEvery: 2,
};
const base = { tfjs, data, progress: false as const };
const withoutTime = (r: Record<string, unknown>) => {
  const { seconds: _s, cpuSeconds: _c, ...rest } = r;
  return rest;
};

describe('trainRun: log, checkpoints and resume', () => {
  it.each(['wasm', 'cpu'] as const)('on %s, a run stopped after epoch 3 (checkpoint at 2) and resumed ends bit-identical to an uninterrupted one', async (backend) => {
    const loaded = await loadTfjs(backend);
    const base = { tfjs: loaded, data, progress: false as const };
    const dirA = join(dir, backend, 'a');
    const outB = join(dir, backend, 'b');
    const a = await trainRun(config, { ...base, outDir: dirA });
    expect(a.complete).toBe(true);
    expect(a.records.map((r) => r.epoch)).toEqual([0, 1, 2, 3, 4]);

    const stopped = await trainRun(config, { ...base, outDir: outB, stopAfterEpoch: 3 });
    expect(stopped.complete).toBe(false);
    // the "killed" run wrote epoch 3's line after its last checkpoint (epoch 2)
    expect(readEpochs(stopped.paths.jsonl).map((r) => r.epoch)).toEqual([0, 1, 2, 3]);
    expect(loadCheckpoint(stopped.paths.checkpoint)?.epoch).toBe(2);

    const b = await trainRun(config, { ...base, outDir: outB });
    expect(b.resumedFrom).toBe(2);
    expect(b.complete).toBe(true);
    // no duplicate, no missing epoch
    expect(readEpochs(b.paths.jsonl).map((r) => r.epoch)).toEqual([0, 1, 2, 3, 4]);
    expect(b.records.map(withoutTime)).toEqual(a.records.map(withoutTime));
    const ca = loadCheckpoint(a.paths.checkpoint)!;
    const cb = loadCheckpoint(b.paths.checkpoint)!;
    expect(cb.epoch).toBe(4);
    expect(cb.tensors.map((t) => t.name)).toEqual(ca.tensors.map((t) => t.name));
    cb.tensors.forEach((t, i) => expect(Buffer.compare(Buffer.from(t.values.buffer, t.values.byteOffset, t.values.byteLength), Buffer.from(ca.tensors[i].values.buffer, ca.tensors[i].values.byteOffset, ca.tensors[i].values.byteLength))).toBe(0));

    const summary = JSON.parse(readFileSync(b.paths.summary, 'utf8'));
    expect(summary.status).toBe('complete');
    expect(summary.sessions.map((s: { fromEpoch: number; backend: string }) => [s.fromEpoch, s.backend])).toEqual([
      [0, backend],
      [2, backend],
    ]);
    expect(b.records.every((r) => r.backend === backend)).toBe(true);
    expect(summary.lossScaling).toContain('(Nλ_H/2)');
    expect(summary.ncConvention).toContain('NC1');
    expect(summary.theory.alive).toHaveLength(10);
    expect(readFileSync(b.paths.html, 'utf8')).toContain('<svg');
  });

  it('records what THEORY.md §5 asks for, every epoch', async () => {
    await loadTfjs('wasm');
    const r = await trainRun({ ...config, run: 'fields', epochs: 1 }, { ...base, outDir: join(dir, 'c') });
    const last = r.records[1];
    for (const key of ['objective', 'crossEntropy', 'trainAccuracy', 'testAccuracy', 'nc1', 'maxClassMeanCosine', 'classifierAlignment', 'classifierNorms', 'classMeanNorms', 'zeroClassMeans', 'minorityClassifierCosine']) {
      expect(last).toHaveProperty(key);
    }
    expect(last.classifierAlignment as number[]).toHaveLength(10);
    // the objective includes the regularisers: it exceeds the mean cross-entropy
    expect(last.objective as number).toBeGreaterThan(last.crossEntropy as number);
  });

  it('refuses to resume a checkpoint of another configuration', async () => {
    await loadTfjs('wasm');
    const out = join(dir, 'd');
    await trainRun({ ...config, epochs: 2 }, { ...base, outDir: out, stopAfterEpoch: 2 });
    const e = await trainRun({ ...config, epochs: 2, lambdaH: 2e-3 }, { ...base, outDir: out }).catch((x: unknown) => x);
    expect(isInputError(e)).toBe(true);
    expect((e as Error).message).toContain('another configuration');
    // fresh: starts over
    const f = await trainRun({ ...config, epochs: 1, lambdaH: 2e-3 }, { ...base, outDir: out, fresh: true });
    expect(f.resumedFrom).toBe(0);
    expect(existsSync(f.paths.checkpoint)).toBe(true);
  });

  it('trains a (narrow) ResNet18 on cpu: batch-norm running statistics move, features stay non-negative', async () => {
    const cpu = await loadTfjs('cpu');
    // one image per class, one step: the pure-JS convolutions are slow
    const tiny = { train: synthetic([1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 3) };
    const r = await trainRun({ ...config, run: 'resnet', backbone: { kind: 'resnet18', width: 2 }, epochs: 1, batchSize: 10 }, { ...base, data: tiny, tfjs: cpu, outDir: join(dir, 'resnet') });
    expect(r.complete).toBe(true);
    const ck = loadCheckpoint(r.paths.checkpoint)!;
    const mean = ck.tensors.find((t) => t.name === 'buffer/stem/bn/runningMean')!;
    // initialised to 0; one training step of momentum 0.1 moves it
    expect(Array.from(mean.values).some((v) => v !== 0)).toBe(true);
    expect(Math.min(...(r.records[1].classMeanNorms as number[]))).toBeGreaterThanOrEqual(0);
    await loadTfjs('wasm');
  });

  it('refuses ResNet18 on wasm (no Conv2DBackpropFilter kernel there) with an InputError', async () => {
    const wasm = await loadTfjs('wasm');
    const e = await trainRun({ ...config, run: 'resnet-wasm', backbone: { kind: 'resnet18', width: 2 } }, { ...base, tfjs: wasm, outDir: join(dir, 'rw') }).catch((x: unknown) => x);
    expect(isInputError(e)).toBe(true);
    expect((e as Error).message).toContain('Conv2DBackpropFilter');
  });
});

describe('ncverify train flags on an official-layout folder (in process)', () => {
  it('--data names cifar-10-batches-bin; the run builds its --subset and --test-subset itself', async () => {
    const fixture = new Uint8Array(readFileSync(FIXTURE_PATH));
    const folder = writeOfficialLayout(join(dir, 'cifar-10-batches-bin'), fixture, fixture);
    const out = join(dir, 'e2e');
    const argv = ['--data', folder, '--subset', 'step:1', '--test-subset', 'balanced:1', '--hidden', '16', '--epochs', '1', '--batch', '8', '--out', out, '--run', 'e2e'];
    const { config: c, options } = trainArgs(parseFlags(argv, TRAIN_FLAGS));
    const r = await trainRun(c, { ...options, tfjs, progress: false });
    expect(r.complete).toBe(true);
    const summary = JSON.parse(readFileSync(r.paths.summary, 'utf8'));
    expect(summary.data.classSizes).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(summary.data.train).toContain(`of ${folder} (data_batch_1.bin`);
    expect(summary.data.test).toContain('test_batch.bin');
    expect(r.records.at(-1)?.testAccuracy).toBeTypeOf('number');
  });
});
