import { afterEach, describe, expect, it, vi } from 'vitest';
import { isInputError } from '../src/errors.ts';
import { loadTfjs, parseBackendName } from '../src/tfjs/backend.ts';

const savedEnv = process.env.NCVERIFY_BACKEND;
afterEach(() => {
  if (savedEnv === undefined) delete process.env.NCVERIFY_BACKEND;
  else process.env.NCVERIFY_BACKEND = savedEnv;
  vi.restoreAllMocks();
});

describe('loadTfjs', () => {
  it('tries the native packages first and records why each failed, then runs the first that loads', async () => {
    delete process.env.NCVERIFY_BACKEND;
    const r = await loadTfjs();
    // webgpu (Dawn) first, then the native packages; a software WebGPU adapter is skipped unasked
    expect(r.tried.map((t) => t.name).slice(0, 2)).toEqual(['@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-node-gpu'].slice(0, r.tried.length));
    // every attempt but the last failed with a message; the last one is the backend that runs
    r.tried.slice(0, -1).forEach((t) => expect(t.error).toMatch(/\S/));
    expect(r.tried[r.tried.length - 1].error).toBeUndefined();
    expect(r.tf.getBackend()).toBe(r.backend);
    expect(['webgpu', 'tensorflow', 'wasm', 'cpu']).toContain(r.backend);
    expect(r.device).toMatch(/\S/);
    // the adapter is named exactly when the backend is webgpu, and then it is a hardware one
    expect(r.adapter === null).toBe(r.backend !== 'webgpu');
    if (r.adapter !== null) expect(r.adapter.software).toBe(false);
  });

  it('the wasm backend computes gradients (the union package registers them)', async () => {
    const { tf, backend } = await loadTfjs('wasm');
    expect(backend).toBe('wasm');
    // d/dx Σ x² = 2x
    const g = tf.grad((x) => tf.sum(tf.square(x)))(tf.tensor1d([1, -2, 3]));
    expect(Array.from(g.dataSync())).toEqual([2, -4, 6]);
  });

  it('the cpu backend loads without printing the "install tfjs-node" banner', async () => {
    const warn = vi.spyOn(console, 'warn');
    const { tf, backend } = await loadTfjs('cpu');
    expect(backend).toBe('cpu');
    tf.tensor1d([1, 2]).dataSync(); // the banner would print on the first tensor write
    expect(warn.mock.calls.flat().join(' ')).not.toContain('tfjs-node');
  });

  it('NCVERIFY_BACKEND selects the backend', async () => {
    process.env.NCVERIFY_BACKEND = 'cpu';
    expect((await loadTfjs()).backend).toBe('cpu');
  });

  it('an unknown backend name is an InputError naming its source', async () => {
    process.env.NCVERIFY_BACKEND = 'tpu';
    const e = await loadTfjs().catch((x: unknown) => x);
    expect(isInputError(e)).toBe(true);
    expect((e as Error).message).toContain('NCVERIFY_BACKEND');
    expect((e as Error).message).toContain("'tpu'");
    expect(() => parseBackendName('webgl')).toThrow(/--backend: must be one of webgpu, tensorflow, wasm, cpu/);
  });

  it("'tensorflow' either loads a native package or says why neither loaded (no silent fallback)", async () => {
    const r = await loadTfjs('tensorflow').catch((e: unknown) => e);
    if (r instanceof Error) {
      expect(r.message).toContain('@tensorflow/tfjs-node-gpu');
      expect(r.message).toContain('@tensorflow/tfjs-node');
    } else {
      expect((r as Awaited<ReturnType<typeof loadTfjs>>).backend).toBe('tensorflow');
    }
  });
});
