/**
 * Where the optimum layer's solves run (`--backend` / `NCVERIFY_BACKEND` on `solve`, `verify` and the
 * nightly suite): `cpu-float64` is the float64 solver alone; a tfjs backend runs a float32 stage there
 * first (batched, ./warmStarts.ts) and the float64 solver from its point, whose certificate alone
 * decides; `auto` takes a tfjs stage only where one pays (a GPU backend, src/cli/commands/solveBackend.ts
 * for the measured crossover).
 */
import fc from 'fast-check';
import { InputError } from '../errors.ts';
import type { Budget, Claim } from '../runner/claim.ts';
import { type LoadedTfjs, loadBackendByName, loadTfjs } from '../tfjs/backend.ts';
import { Optima } from './optima.ts';
import { asUfmPlusInstance, tfjsWarmStarts } from './warmStarts.ts';
import type { UfmPlusInstance } from './ufmPlus/types.ts';

/** A backend a user may name. */
export type SolveBackend = 'cpu-float64' | 'webgpu' | 'tensorflow' | 'wasm' | 'cpu' | 'auto';

export const SOLVE_BACKENDS: readonly SolveBackend[] = ['cpu-float64', 'webgpu', 'tensorflow', 'wasm', 'cpu', 'auto'];

/**
 * The backend from a flag, else `NCVERIFY_BACKEND`, else `cpu-float64`.
 *
 * @throws {@link InputError} naming the flag (or the variable) for a name not in {@link SOLVE_BACKENDS}
 * @example
 * ```ts
 * solveBackend('wasm'); // 'wasm'
 * ```
 */
export function solveBackend(flag: string | undefined, env: string | undefined = process.env.NCVERIFY_BACKEND): SolveBackend {
  const [text, parameter] = flag !== undefined ? [flag, '--backend'] : env !== undefined && env !== '' ? [env, 'NCVERIFY_BACKEND'] : ['cpu-float64', '--backend'];
  const t = text.trim().toLowerCase();
  if (!(SOLVE_BACKENDS as readonly string[]).includes(t)) throw new InputError(parameter, `must be one of ${SOLVE_BACKENDS.join(', ')}`, `got '${text}'`);
  return t as SolveBackend;
}

/** Loads a tfjs backend by name (`auto`: the best that loads, GPU first; a software adapter only when named). */
export async function loadSolveBackend(name: Exclude<SolveBackend, 'cpu-float64'>): Promise<LoadedTfjs> {
  return name === 'auto' ? loadTfjs() : loadBackendByName(name);
}

/** The UFM+ instances the claims will generate first (fast-check's samples from the run's seed), for the tfjs stage. */
function sampledInstances(claims: readonly Claim<unknown>[], budget: Budget, seed: number, runs: (c: Claim<unknown>) => number): UfmPlusInstance[] {
  return claims.flatMap((c) => fc.sample(c.arbitrary(budget), { seed, numRuns: runs(c) }).flatMap((x) => {
    const i = asUfmPlusInstance(x);
    return i === null ? [] : [i];
  }));
}

/**
 * The optimum layer of a run on `backend`: for a tfjs backend (and `auto` when a GPU loads) the claims'
 * UFM+ instances get a float32 warm start first, in batches; instances fast-check reaches later
 * (shrinking, permuted copies) are solved by the float64 solver alone.
 *
 * @example
 * ```ts
 * const optima = await optimaFor('wasm', claims, { budget: 'small', seed: 1, runs: (c) => 400 });
 * ```
 */
export async function optimaFor(
  backend: SolveBackend,
  claims: readonly Claim<unknown>[],
  run: { readonly budget: Budget; readonly seed: number; readonly runs: (c: Claim<unknown>) => number; readonly onProgress?: (done: number, total: number) => void },
): Promise<Optima> {
  if (backend === 'cpu-float64') return new Optima();
  const loaded = await loadSolveBackend(backend);
  if (backend === 'auto' && !loaded.device.startsWith('gpu')) return new Optima();
  return new Optima({}, await tfjsWarmStarts(sampledInstances(claims, run.budget, run.seed, run.runs), loaded, run.seed, run.onProgress));
}
