/**
 * The tfjs stage of `verify --backend <tfjs backend>` (issue: the GPU path in the product): the UFM+
 * instances a run will ask for are handed to the float32 tfjs solver in batches (many instances per
 * dispatch, split to the adapter's limits by src/solver-tfjs), and each answer becomes the warm start of
 * that instance's float64 solve in the optimum layer. The float64 certificate alone decides every
 * verdict: a warm start changes where the float64 solver starts, never what is accepted.
 */
import type { LoadedTfjs } from '../tfjs/backend.ts';
import { solveTfjs } from '../solver-tfjs/solve.ts';
import type { InitialPoint } from '../solver/types.ts';
import type { UfmPlusInstance } from './ufmPlus/types.ts';

/** Warm starts by instance (the optimum layer's UFM+ key), with the stage's cost. */
export interface WarmStarts {
  readonly points: ReadonlyMap<string, InitialPoint>;
  /** The tfjs backend and device that ran the stage. */
  readonly backend: string;
  readonly adapter: string;
  /** Wall seconds of the whole stage, and the number of distinct instances it solved. */
  readonly seconds: number;
  readonly instances: number;
}

/** The optimum layer's key of a UFM+ instance (one key for the cache and the warm starts). */
export function ufmPlusKey(i: UfmPlusInstance): string {
  return JSON.stringify([i.n, i.lambdaW, i.lambdaH, i.d]);
}

/** Instances per call of the tfjs stage: each call packs its instances into as few dispatches as the adapter allows. */
const CHUNK = 256;

/**
 * The float32 stage as a warm start, not an answer: one start and 300 Adam iterations (the stand-alone
 * default is 4 × 2000) — the float64 solver finishes from there either way, escaping where the basin is
 * not the global one. Measured (wasm, 400 class-mean-norms instances, loaded machine): 2 starts × 500
 * iterations took 76 s for 383 warm-start and 17 escape routes, against 3.4 s of float64 alone.
 */
const WARM_START_OPTIONS = { starts: 1, maxIterations: 300 } as const;

/**
 * Runs the tfjs stage on the distinct instances (d ≥ K only: outside the assumptions nothing is
 * asserted, the float64 solver alone records them), `CHUNK` per call, chunk c seeded `${seed}/${c·CHUNK}`.
 *
 * @example
 * ```ts
 * const warm = await tfjsWarmStarts(instances, await loadBackendByName('wasm'), 20240212);
 * new Optima({}, warm).ufmPlus(instances[0]); // starts from the float32 answer
 * ```
 */
export async function tfjsWarmStarts(
  instances: readonly UfmPlusInstance[], loaded: LoadedTfjs, seed: number, onProgress?: (done: number, total: number) => void,
): Promise<WarmStarts> {
  const started = performance.now();
  const distinct = new Map<string, UfmPlusInstance>();
  for (const i of instances) if (i.d >= i.n.length) distinct.set(ufmPlusKey(i), i);
  const list = [...distinct.values()];
  const points = new Map<string, InitialPoint>();
  for (let at = 0; at < list.length; at += CHUNK) {
    const chunk = list.slice(at, at + CHUNK);
    const answers = await solveTfjs(chunk, { ...WARM_START_OPTIONS, seed: `${seed}/${at}` }, loaded);
    answers.forEach((a, j) => points.set(ufmPlusKey(chunk[j]), { W: a.W, H: a.H }));
    onProgress?.(Math.min(at + CHUNK, list.length), list.length);
  }
  return { points, backend: loaded.backend, adapter: loaded.device, seconds: (performance.now() - started) / 1000, instances: list.length };
}

/**
 * The UFM+ instances among generated claim inputs: objects with n, λ_W, λ_H and d and nothing that
 * makes them another family's (a bias, layers).
 */
export function asUfmPlusInstance(x: unknown): UfmPlusInstance | null {
  if (typeof x !== 'object' || x === null) return null;
  const o = x as Record<string, unknown>;
  if ('bias' in o || 'layers' in o) return null;
  const ok = Array.isArray(o.n) && typeof o.lambdaW === 'number' && typeof o.lambdaH === 'number' && typeof o.d === 'number';
  return ok ? { n: o.n as number[], lambdaW: o.lambdaW as number, lambdaH: o.lambdaH as number, d: o.d as number } : null;
}
