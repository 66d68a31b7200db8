import { type AdapterInfo, type AdapterLimits, adapterInfo, assertTensorFits, describeAdapter, type RawAdapterInfo, type Tf } from './adapter.ts';

type KernelBackend = import('@tensorflow/tfjs').KernelBackend;

/**
 * The `webgpu` backend: `@tensorflow/tfjs-backend-webgpu` on Dawn (the npm package `webgpu`,
 * which ships `dawn.node`). Both packages are optional dependencies; without them, or without a
 * WebGPU adapter (a Vulkan driver), loading throws and `loadTfjs` moves on to the next backend.
 *
 * Two guards make a WebGPU failure an exception, never a number:
 * - every tensor is checked against the adapter's binding limit before it gets a GPU buffer
 *   ({@link assertTensorFits}: an InputError naming the size and the limit);
 * - Dawn's uncaptured errors (validation, out-of-memory, internal) and a lost device are
 *   collected, and the next read of any tensor (`await t.data()`) throws a {@link WebGpuError}.
 *
 * Reads must be asynchronous: `dataSync()` needs OffscreenCanvas, which Node lacks.
 */

/** A WebGPU error Dawn reported while tfjs worked: the values computed with it are discarded. */
export class WebGpuError extends Error {
  override readonly name = 'WebGpuError';
}

/** What loading the webgpu backend gives: the tfjs namespace, the adapter and the device in words. */
export interface LoadedWebgpu {
  readonly tf: Tf;
  readonly adapter: AdapterInfo;
  readonly device: string;
}

interface GpuDevice {
  readonly limits: AdapterLimits & { readonly maxStorageBuffersPerShaderStage: number };
  readonly lost: Promise<{ message: string }>;
  addEventListener(type: 'uncapturederror', listener: (ev: { error: { message: string; constructor: { name: string } } }) => void): void;
}

interface GpuAdapter {
  readonly info: RawAdapterInfo;
  readonly limits: AdapterLimits & Record<string, number>;
  requestDevice(descriptor: { requiredLimits: Record<string, number> }): Promise<GpuDevice>;
}

interface DawnModule {
  create(flags: string[]): { requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapter | null> };
  globals: Record<string, unknown>;
}

/** The part of tfjs-backend-webgpu's `WebGPUBackend` the guards wrap. */
interface WebgpuBackend {
  tensorMap: { get(dataId: object): { shape: number[]; dtype: string; resource: unknown } };
  uploadToGPU(dataId: object): void;
  read(dataId: object): Promise<unknown>;
}

/** The limits tfjs-backend-webgpu itself asks for: the adapter's maxima. */
const REQUIRED_LIMITS = [
  'maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize',
  'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup',
  // Not asked for by the package (default 8); more lets AddN and Concat take more inputs per shader.
  'maxStorageBuffersPerShaderStage',
] as const;

/** Imports a package whose name is not a literal, so that `tsc` passes when it is not installed. */
async function importOptional(spec: string): Promise<unknown> {
  return import(spec);
}

/** The reason no adapter was found, with what to check. */
const NO_ADAPTER =
  'Dawn found no WebGPU adapter: no Vulkan driver it accepts. Check `vulkaninfo --summary`; install the ' +
  'NVIDIA driver with its Vulkan ICD (in a container NVIDIA_DRIVER_CAPABILITIES must include graphics) or, ' +
  'for a CPU emulation, Mesa ≥ 23 (mesa-vulkan-drivers from bookworm-backports); see docs/gpu.md';

let loading: Promise<LoadedWebgpu> | undefined;

/**
 * Loads the webgpu backend once per process (later calls reuse the same device) and makes it the
 * active backend.
 *
 * @throws Error when the packages are missing or no adapter is found (with what to check)
 * @example
 * ```ts
 * const { tf, adapter } = await loadWebgpu(); // adapter.software: true on lavapipe
 * ```
 */
export async function loadWebgpu(): Promise<LoadedWebgpu> {
  loading ??= start();
  try {
    const loaded = await loading;
    if (!(await loaded.tf.setBackend('webgpu'))) throw new Error("the 'webgpu' backend did not start");
    return loaded;
  } catch (e) {
    loading = undefined;
    throw e;
  }
}

async function start(): Promise<LoadedWebgpu> {
  // Dawn's Vulkan loader warns without a runtime directory; a private one is enough.
  process.env.XDG_RUNTIME_DIR ??= (await import('node:os')).tmpdir();
  const dawn = (await importOptional('webgpu')) as DawnModule;
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  // tfjs-backend-webgpu registers (and its WebGPUBackend constructs) only when navigator.gpu exists.
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator === undefined) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  else if (g.navigator.gpu === undefined) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  const tf = await import('@tensorflow/tfjs');
  // A literal specifier, so that esbuild puts it into the GPU check's bundle with the same tfjs-core
  // (scripts/gpu-check); @ts-ignore because this optional package may be absent when tsc runs.
  // @ts-ignore
  const backendModule = (await import('@tensorflow/tfjs-backend-webgpu')) as unknown as { WebGPUBackend: new (device: GpuDevice, info: RawAdapterInfo) => WebgpuBackend };
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) throw new Error(NO_ADAPTER);
  const requiredLimits = Object.fromEntries(REQUIRED_LIMITS.map((k) => [k, adapter.limits[k]]));
  const device = await adapter.requestDevice({ requiredLimits });
  const info = adapterInfo(adapter.info, { maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize, maxBufferSize: device.limits.maxBufferSize });
  const errors = collectErrors(device);
  // Replace the package's own factory (it would open a second device without the guards).
  tf.removeBackend('webgpu');
  chunkAddN(tf, device.limits.maxStorageBuffersPerShaderStage - 1);
  const make = () => guard(new backendModule.WebGPUBackend(device, adapter.info), info.limits, errors) as unknown as KernelBackend;
  tf.registerBackend('webgpu', make, 3);
  return { tf, adapter: info, device: describeAdapter(info) };
}

/** Collects Dawn's uncaptured errors and a device loss; `take()` throws the first one, once. */
function collectErrors(device: GpuDevice): { take(): void } {
  const pending: string[] = [];
  device.addEventListener('uncapturederror', (ev) => pending.push(`${ev.error.constructor.name}: ${ev.error.message.split('\n')[0]}`));
  void device.lost.then((l) => pending.push(`device lost: ${l.message}`));
  return {
    take() {
      if (pending.length === 0) return;
      const all = pending.splice(0);
      throw new WebGpuError(`WebGPU reported ${all.length} error(s); the values computed since are discarded: ${all[0]}`);
    },
  };
}

/** Wraps a backend instance: the size check before every GPU buffer, the error check after every read. */
function guard(backend: WebgpuBackend, limits: AdapterLimits, errors: { take(): void }): WebgpuBackend {
  const upload = backend.uploadToGPU.bind(backend);
  backend.uploadToGPU = (dataId) => {
    const t = backend.tensorMap.get(dataId);
    if (t.resource == null) assertTensorFits(t.shape, t.dtype === 'complex64' ? 8 : 4, limits);
    upload(dataId);
  };
  const read = backend.read.bind(backend);
  backend.read = async (dataId) => {
    const values = await read(dataId);
    errors.take();
    return values;
  };
  return backend;
}

type KernelConfig = Parameters<Tf['registerKernel']>[0];
type TensorInfo = import('@tensorflow/tfjs').TensorInfo;

/**
 * tfjs-backend-webgpu's AddN binds every input in one shader; over the adapter's
 * `maxStorageBuffersPerShaderStage` (16 on lavapipe, one taken by the output) the pipeline is
 * invalid — measured: the weight-decay sum of ResNet18's 21 kernels. (Its Concat splits; AddN does
 * not.) This replaces the kernel with one that sums at most `maxInputs` inputs per dispatch, then
 * sums the partial sums the same way.
 */
function chunkAddN(tf: Tf, maxInputs: number): void {
  const original = tf.getKernel('AddN', 'webgpu');
  if (original === undefined || maxInputs < 2) return;
  const run = original.kernelFunc;
  const chunked: KernelConfig['kernelFunc'] = (args) => {
    const inputs = args.inputs as unknown as TensorInfo[];
    if (inputs.length <= maxInputs) return run(args);
    const backend = args.backend as unknown as { disposeData(id: object): void };
    const partial: TensorInfo[] = [];
    for (let i = 0; i < inputs.length; i += maxInputs) {
      partial.push(run({ ...args, inputs: inputs.slice(i, i + maxInputs) as never }) as TensorInfo);
    }
    const out = chunked({ ...args, inputs: partial as never });
    for (const t of partial) backend.disposeData(t.dataId);
    return out;
  };
  tf.unregisterKernel('AddN', 'webgpu');
  tf.registerKernel({ kernelName: 'AddN', backendName: 'webgpu', kernelFunc: chunked });
}
