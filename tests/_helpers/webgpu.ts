import { type LoadedTfjs, loadTfjs } from '../../src/tfjs/backend.ts';

/**
 * Loads the webgpu backend for a test file, or says in one line why it cannot (the file's tests
 * then count as skipped, never as passed). On CI the adapter is Mesa's lavapipe (.ci/run installs it).
 *
 * @example
 * ```ts
 * const gpu = await webgpuOrSkip('tests/webgpu-backend.test.ts');
 * describe.skipIf(gpu === null)('…', () => { … });
 * ```
 */
export async function webgpuOrSkip(file: string): Promise<LoadedTfjs | null> {
  try {
    return await loadTfjs('webgpu');
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    console.log(`${file}: no WebGPU adapter here, its tests are skipped (${reason.slice(0, 400)})`);
    return null;
  }
}
