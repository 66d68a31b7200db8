/**
 * The webgpu backend (Dawn) and its guards, on whatever adapter this machine has (CI: lavapipe).
 * Without one, the file prints one line and every test counts as skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInputError } from '../src/errors.ts';
import { assertTensorFits, tensorByteLimit } from '../src/tfjs/adapter.ts';
import { backendReport, loadBackendByName, loadTfjs } from '../src/tfjs/backend.ts';
import { webgpuOrSkip } from './_helpers/webgpu.ts';

const gpu = await webgpuOrSkip('tests/webgpu-backend.test.ts');

describe.skipIf(gpu === null)('webgpu backend', () => {
  // The describe body runs (to collect) even when skipped: nothing here may touch the backend.
  const tf = gpu?.tf as NonNullable<typeof gpu>['tf'];
  let before = 0;
  beforeAll(() => { before = tf.memory().numTensors; });
  afterAll(() => expect(tf.memory().numTensors).toBe(before));

  it('names the backend and the adapter; a software adapter is called a CPU emulation, not a GPU', async () => {
    const loaded = await loadBackendByName('webgpu');
    expect(loaded.backend).toBe('webgpu');
    const a = loaded.adapter!;
    expect(a.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
    expect(typeof a.isFallbackAdapter).toBe('boolean');
    expect(a.software).toBe(a.isFallbackAdapter || a.architecture === 'software' || /llvmpipe|lavapipe|swiftshader|softpipe/i.test(`${a.device} ${a.description}`));
    expect(loaded.device).toMatch(a.software ? /^cpu emulation \(WebGPU on a software adapter: .*not a GPU\)$/ : /^gpu \(WebGPU\/Dawn: /);
    expect(JSON.parse(JSON.stringify(backendReport(loaded)))).toEqual({ backend: 'webgpu', device: loaded.device, adapter: a });
  });

  it('the default ladder skips a software adapter and says so; asking for webgpu accepts it', async () => {
    const saved = process.env.NCVERIFY_BACKEND;
    delete process.env.NCVERIFY_BACKEND;
    try {
      const r = await loadTfjs();
      expect(r.tried[0].name).toBe('@tensorflow/tfjs-backend-webgpu');
      if (gpu!.adapter!.software) {
        expect(r.tried[0].error).toMatch(/skipped cpu emulation .*--backend webgpu/);
        expect(r.backend).not.toBe('webgpu');
      } else {
        expect(r.backend).toBe('webgpu');
      }
    } finally {
      if (saved !== undefined) process.env.NCVERIFY_BACKEND = saved;
      await loadTfjs('webgpu');
    }
  });

  it('computes: matmul and a gradient equal the float64 values to float32 error (async reads)', async () => {
    const a = [1, 2, 3, 4, 5, 6], b = [0.5, -1, 2, 0.25, -3, 1];
    const [mm, g] = tf.tidy(() => [
      tf.matMul(tf.tensor2d(a, [2, 3]), tf.tensor2d(b, [3, 2])),
      tf.grad((x) => tf.sum(tf.square(x)))(tf.tensor1d([1, -2, 3])),
    ]);
    // Exact in float32: every product and partial sum is a small dyadic rational.
    expect(Array.from(await mm.data())).toEqual([1 * 0.5 + 2 * 2 - 3 * 3, -1 + 2 * 0.25 + 3, 4 * 0.5 + 5 * 2 - 6 * 3, -4 + 5 * 0.25 + 6]);
    expect(Array.from(await g.data())).toEqual([2, -4, 6]);
    tf.dispose([mm, g]);
  });

  it('AddN of more inputs than one shader may bind (maxStorageBuffersPerShaderStage) sums them all', async () => {
    // 40 inputs of 2 000 elements (over tfjs's 1 000-element CPU hand-off, so it runs on the GPU);
    // the sum 1 + … + 40 = 820 is exact in float32.
    const s = tf.tidy(() => tf.addN(Array.from({ length: 40 }, (_, i) => tf.fill([2000], i + 1))));
    expect(new Set(await s.data())).toEqual(new Set([820]));
    s.dispose();
  });

  it('a tensor over the binding limit is an InputError naming its size and the limit, never a number', async () => {
    const limit = tensorByteLimit(gpu!.adapter!.limits);
    // One float32 element more than the limit allows (the measured failure: a stale tf.sum).
    const n = Math.floor(limit / 4) + 1;
    let got: unknown;
    try {
      got = await tf.tidy(() => tf.sum(tf.ones([n]))).data();
    } catch (e) {
      got = e;
    }
    expect(isInputError(got)).toBe(true);
    expect((got as Error).message).toContain(`takes ${4 * n} bytes`);
    expect((got as Error).message).toContain(`at most ${limit} bytes`);
    expect(() => assertTensorFits([Math.floor(limit / 4)], 4, gpu!.adapter!.limits)).not.toThrow();
    // The backend still computes afterwards.
    const s = tf.tidy(() => tf.sum(tf.ones([1000, 1000])));
    expect(Array.from(await s.data())).toEqual([1e6]);
    s.dispose();
  });

  it('an error Dawn reports (here: a buffer over maxBufferSize) makes the next read throw, once', async () => {
    const device = (tf.backend() as unknown as { device: { createBuffer(d: { size: number; usage: number }): { destroy(): void } } }).device;
    const usage = (globalThis as unknown as { GPUBufferUsage: { STORAGE: number } }).GPUBufferUsage.STORAGE;
    const buffer = device.createBuffer({ size: gpu!.adapter!.limits.maxBufferSize + 4, usage });
    buffer.destroy();
    const t = tf.tidy(() => tf.sum(tf.ones([100, 100])));
    await expect(t.data()).rejects.toThrow(/WebGPU reported 1 error\(s\); the values computed since are discarded: GPU(Validation|OutOfMemory)Error/);
    expect(Array.from(await t.data())).toEqual([1e4]);
    t.dispose();
  });
});
