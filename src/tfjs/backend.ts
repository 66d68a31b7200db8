import { InputError } from '../errors.ts';
import type { AdapterInfo, Tf } from './adapter.ts';
import { loadWebgpu } from './webgpu.ts';

/** The tfjs namespace (the `@tensorflow/tfjs` union package, or tfjs-node which re-exports it) and the WebGPU adapter's description: src/tfjs/adapter.ts. */
export type { AdapterInfo, Tf } from './adapter.ts';

/**
 * A backend the user may ask for: `webgpu` (Dawn: Vulkan, or a software adapter), `tensorflow`
 * (tfjs-node-gpu, then tfjs-node), `wasm` or `cpu`.
 */
export type BackendName = 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';

/** The names {@link loadTfjs} accepts (from `--backend` or `NCVERIFY_BACKEND`), in the ladder's order. */
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'tensorflow', 'wasm', 'cpu'];

/** One attempt to load a backend: its package/backend name and, when it failed, why. */
export interface BackendAttempt {
  readonly name: string;
  readonly error?: string;
}

/** What {@link loadTfjs} returns: the tfjs namespace, the backend that runs, and what was tried. */
export interface LoadedTfjs {
  readonly tf: Tf;
  /** tf.getBackend() after loading: `webgpu`, `tensorflow`, `wasm` or `cpu`. */
  readonly backend: string;
  /**
   * The device in words, e.g. `cpu (wasm, SIMD, 1 thread)`, `gpu (WebGPU/Dawn: nvidia hopper …)` or
   * `cpu emulation (WebGPU on a software adapter: mesa software llvmpipe…; not a GPU)`; every
   * training report and solver result records it.
   */
  readonly device: string;
  /** The WebGPU adapter (vendor, architecture, device, isFallbackAdapter, limits); null on the other backends. */
  readonly adapter: AdapterInfo | null;
  /** Every attempt in order, failures with their error message. */
  readonly tried: readonly BackendAttempt[];
}

interface Candidate {
  readonly name: string;
  readonly family: BackendName;
  /** `explicit`: the user asked for this family (a software WebGPU adapter is accepted only then). */
  readonly load: (explicit: boolean) => Promise<{ tf: Tf; device: string; adapter?: AdapterInfo }>;
}

/** Imports a package whose name is not a literal, so that `tsc` passes when it is not installed. */
async function importOptional(spec: string): Promise<unknown> {
  return import(spec);
}

async function loadNative(spec: string, device: string): Promise<{ tf: Tf; device: string }> {
  // Hide TensorFlow's C++ info logs (level 1); warnings and errors (levels ≥ 2) still print.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '1';
  const tf = (await importOptional(spec)) as Tf;
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${spec} loaded but the 'tensorflow' backend did not start`);
  return { tf, device };
}

async function loadWasm(): Promise<{ tf: Tf; device: string }> {
  const tf = await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm'))) throw new Error("the 'wasm' backend did not start");
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
  return { tf, device: `cpu (wasm${simd ? ', SIMD' : ''}, ${threads ? 'multi-threaded' : '1 thread'})` };
}

async function loadCpu(): Promise<{ tf: Tf; device: string }> {
  const tf = await import('@tensorflow/tfjs');
  if (!(await tf.setBackend('cpu'))) throw new Error("the 'cpu' backend did not start");
  // The pure-JS backend prints a one-time "install tfjs-node" banner on its first tensor; it is
  // advice, not an error. Mark the banner as already shown (this touches nothing else).
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu !== null && 'firstUse' in cpu) cpu.firstUse = false;
  return { tf, device: 'cpu (pure JavaScript)' };
}

/**
 * WebGPU on Dawn. Unasked (the default ladder), a software adapter is skipped: it emulates a GPU on
 * the CPU and is slower than wasm; `--backend webgpu` accepts it (CI's lavapipe tests do).
 */
async function loadWebgpuCandidate(explicit: boolean): Promise<{ tf: Tf; device: string; adapter: AdapterInfo }> {
  const w = await loadWebgpu();
  if (w.adapter.software && !explicit) {
    throw new Error(`skipped ${w.device}: ask for it with --backend webgpu or NCVERIFY_BACKEND=webgpu`);
  }
  return w;
}

const CANDIDATES: readonly Candidate[] = [
  { name: '@tensorflow/tfjs-backend-webgpu', family: 'webgpu', load: loadWebgpuCandidate },
  { name: '@tensorflow/tfjs-node-gpu', family: 'tensorflow', load: () => loadNative('@tensorflow/tfjs-node-gpu', 'gpu (tfjs-node-gpu, CUDA)') },
  { name: '@tensorflow/tfjs-node', family: 'tensorflow', load: () => loadNative('@tensorflow/tfjs-node', 'cpu (tfjs-node, native TensorFlow)') },
  { name: '@tensorflow/tfjs-backend-wasm', family: 'wasm', load: loadWasm },
  { name: 'cpu', family: 'cpu', load: loadCpu },
];

/**
 * Validates a backend name (from `--backend` or `NCVERIFY_BACKEND`).
 *
 * @throws {@link InputError} for a name that is not `webgpu`, `tensorflow`, `wasm` or `cpu`
 * @example
 * ```ts
 * parseBackendName('wasm', '--backend'); // 'wasm'
 * ```
 */
export function parseBackendName(text: string, parameter = '--backend'): BackendName {
  const t = text.trim().toLowerCase();
  if (!(BACKEND_NAMES as readonly string[]).includes(t)) {
    throw new InputError(parameter, `must be one of ${BACKEND_NAMES.join(', ')}`, `got '${text}'`);
  }
  return t as BackendName;
}

function message(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0].slice(0, 300);
}

/**
 * Loads TensorFlow.js with the fastest backend that works here, in the order `webgpu` (Dawn on a
 * hardware adapter; a software one only when asked for), `@tensorflow/tfjs-node-gpu` (CUDA),
 * `@tensorflow/tfjs-node` (native CPU), the wasm backend
 * (SIMD, one thread in Node) and the pure-JS `cpu` backend. `preferred` (or, when it is absent,
 * the environment variable `NCVERIFY_BACKEND`) restricts the attempts to that family; if none of
 * them loads, this throws an Error listing every failure (it never falls back silently to a
 * backend the user did not ask for). The optional native packages are imported by a non-literal
 * specifier, so the project type-checks and runs without them.
 *
 * Gradients need the `@tensorflow/tfjs` union package (it registers the gradient kernels), which
 * is what is returned on the wasm and cpu paths; tfjs-node re-exports the same API.
 *
 * @throws {@link InputError} when `preferred` / `NCVERIFY_BACKEND` is not a backend name
 * @example
 * ```ts
 * const { tf, backend, device, tried } = await loadTfjs();      // e.g. backend 'wasm'
 * const cpuOnly = await loadTfjs('cpu');                         // the pure-JS backend
 * ```
 */
export async function loadTfjs(preferred?: BackendName): Promise<LoadedTfjs> {
  // NCVERIFY_BACKEND also names where the optimum layer solves (src/optima/backend.ts): `cpu-float64` and
  // `auto` name no tfjs backend, so a tfjs user (training, bench:gpu) then takes the ladder
  const raw = process.env.NCVERIFY_BACKEND?.trim().toLowerCase();
  const env = raw === 'cpu-float64' || raw === 'auto' ? undefined : process.env.NCVERIFY_BACKEND;
  const family =
    preferred !== undefined ? parseBackendName(preferred, 'backend') : env !== undefined && env !== '' ? parseBackendName(env, 'NCVERIFY_BACKEND') : undefined;
  const tried: BackendAttempt[] = [];
  for (const c of CANDIDATES) {
    if (family !== undefined && c.family !== family) continue;
    try {
      const { tf, device, adapter } = await c.load(family !== undefined);
      tried.push({ name: c.name });
      return { tf, backend: tf.getBackend(), device, adapter: adapter ?? null, tried };
    } catch (e) {
      tried.push({ name: c.name, error: message(e) });
    }
  }
  const detail = tried.map((t) => `${t.name}: ${t.error}`).join('; ');
  throw new Error(`no TensorFlow.js backend could be loaded${family ? ` for '${family}'` : ''} (${detail})`);
}

/**
 * What the `solve` / `train` CLIs call for `--backend NAME`: validates the name, loads exactly that
 * backend family (no silent fallback) and returns it with its adapter.
 *
 * @throws {@link InputError} naming `parameter` for an unknown name, or for a backend that does not load
 *   here (with the loader's reason: a missing optional package, no Vulkan driver…), so the CLIs say so
 *   in one line; docs/gpu.md says what to check
 * @example
 * ```ts
 * const { tf, backend, adapter } = await loadBackendByName('webgpu'); // adapter.software on lavapipe
 * ```
 */
export async function loadBackendByName(name: string, parameter = '--backend'): Promise<LoadedTfjs> {
  const family = parseBackendName(name, parameter);
  try {
    return await loadTfjs(family);
  } catch (e) {
    throw new InputError(parameter, `names a backend that does not load on this machine (docs/gpu.md: what to check)`, message(e));
  }
}

/**
 * The backend fields of a JSON report: the backend, the device in words and the adapter.
 *
 * @example
 * ```ts
 * backendReport(await loadTfjs()); // { backend: 'wasm', device: 'cpu (wasm, SIMD, 1 thread)', adapter: null }
 * ```
 */
export function backendReport(loaded: LoadedTfjs): { backend: string; device: string; adapter: AdapterInfo | null } {
  return { backend: loaded.backend, device: loaded.device, adapter: loaded.adapter };
}
