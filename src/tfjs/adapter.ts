import { InputError } from '../errors.ts';

/** The tfjs module (the union package's namespace), whichever backend runs it. */
export type Tf = typeof import('@tensorflow/tfjs');

/**
 * The WebGPU adapter a `webgpu` backend runs on, as Dawn reports it (`GPUAdapter.info`, `.limits`).
 * Every output that names the `webgpu` backend carries this, so that a CPU emulation (Mesa's
 * lavapipe / llvmpipe, SwiftShader) is never reported as a GPU.
 */
export interface AdapterInfo {
  /** e.g. `nvidia`, `mesa`. */
  readonly vendor: string;
  /** e.g. `hopper`, `software`. */
  readonly architecture: string;
  /** e.g. `llvmpipe-llvm-15-0-6-256-bits-`. */
  readonly device: string;
  /** Driver description, e.g. `llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)`. */
  readonly description: string;
  /** Dawn's `isFallbackAdapter`: true for a software (CPU) implementation. */
  readonly isFallbackAdapter: boolean;
  /** True when the adapter is a CPU emulation: the fallback flag, or a known software driver's name. */
  readonly software: boolean;
  readonly limits: AdapterLimits;
}

/** The adapter limits the size guard uses (bytes). */
export interface AdapterLimits {
  /** Largest buffer one shader binding may see; a tensor is one binding. */
  readonly maxStorageBufferBindingSize: number;
  /** Largest buffer the device may create. */
  readonly maxBufferSize: number;
}

/** The subset of `GPUAdapterInfo` read here (the `webgpu` package's types are optional). */
export interface RawAdapterInfo {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}

const SOFTWARE_DRIVERS = /llvmpipe|lavapipe|swiftshader|softpipe/i;

/**
 * Reads Dawn's adapter description into an {@link AdapterInfo}.
 *
 * @example
 * ```ts
 * adapterInfo({ vendor: 'mesa', architecture: 'software', isFallbackAdapter: true }, limits).software; // true
 * ```
 */
export function adapterInfo(raw: RawAdapterInfo, limits: AdapterLimits): AdapterInfo {
  const vendor = raw.vendor ?? '';
  const architecture = raw.architecture ?? '';
  const device = raw.device ?? '';
  const description = raw.description ?? '';
  const isFallbackAdapter = raw.isFallbackAdapter === true;
  const software = isFallbackAdapter || architecture === 'software' || SOFTWARE_DRIVERS.test(`${device} ${description}`);
  return { vendor, architecture, device, description, isFallbackAdapter, software, limits };
}

/**
 * The adapter in words, for `LoadedTfjs.device` and every report: a software adapter is named
 * a CPU emulation, never a GPU.
 *
 * @example
 * ```ts
 * describeAdapter(info); // 'cpu emulation (WebGPU on a software adapter: mesa software llvmpipe-…; not a GPU)'
 * ```
 */
export function describeAdapter(a: AdapterInfo): string {
  const name = [a.vendor, a.architecture, a.device].filter((s) => s !== '').join(' ') || 'unnamed adapter';
  return a.software
    ? `cpu emulation (WebGPU on a software adapter: ${name}; isFallbackAdapter ${a.isFallbackAdapter}; not a GPU)`
    : `gpu (WebGPU/Dawn: ${name})`;
}

/** The largest tensor (bytes) one WebGPU binding can hold on this adapter. */
export function tensorByteLimit(limits: AdapterLimits): number {
  return Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
}

/**
 * Refuses a tensor that would not fit one storage binding: over the limit, Dawn only logs a
 * validation error and tfjs returns stale numbers (measured on lavapipe: a 195 MiB `tf.sum`).
 *
 * @throws {@link InputError} naming the tensor's shape and size and the adapter's limit
 * @example
 * ```ts
 * assertTensorFits([50_000, 1024], 4, limits); // throws on a 128 MiB binding limit (204.8 MB)
 * ```
 */
export function assertTensorFits(shape: readonly number[], bytesPerElement: number, limits: AdapterLimits, what = 'tensor'): void {
  const bytes = bytesPerElement * shape.reduce((p, s) => p * s, 1);
  const limit = tensorByteLimit(limits);
  if (bytes > limit) {
    throw new InputError(
      what,
      `must fit one WebGPU storage binding on this adapter: at most ${limit} bytes ` +
        `(maxStorageBufferBindingSize ${limits.maxStorageBufferBindingSize}, maxBufferSize ${limits.maxBufferSize}); ` +
        'use smaller batches or instances, or another backend (--backend wasm)',
      `shape [${shape.join(', ')}] takes ${bytes} bytes`,
    );
  }
}
