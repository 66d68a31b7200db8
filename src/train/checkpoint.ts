import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';

const MAGIC = 'NCVCKPT1';

/** One float32 array of a checkpoint, by name. */
export interface CheckpointTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** Everything needed to continue a run exactly where it stopped. */
export interface Checkpoint {
  /** The last completed epoch (its jsonl line is written). */
  readonly epoch: number;
  /** The run's identity (the canonical JSON of its configuration): a resume must match it. */
  readonly configKey: string;
  /** The random state: every epoch's shuffle is drawn from seededPermutation(seed, `shuffle/epoch-e`). */
  readonly rng: { readonly seed: number | string; readonly nextEpoch: number };
  /** The optimizer's step count. */
  readonly optimizerStep: number;
  /** Wall-clock seconds spent so far (all sessions). */
  readonly elapsedSeconds: number;
  /** Weights (`param/…`, `buffer/…`, `classifier/W`) and optimizer slots (`optimizer/<i>/<slot>`). */
  readonly tensors: readonly CheckpointTensor[];
}

/**
 * Writes a checkpoint atomically (temp file, fsync, rename): a run killed while writing keeps its
 * previous checkpoint. Format: the 8 bytes `NCVCKPT1`, a little-endian uint32 header length, the
 * JSON header, zero padding to a multiple of 4 bytes, then the float32 arrays back to back.
 *
 * @example
 * ```ts
 * saveCheckpoint('reports/slow/smoke.ckpt', { epoch: 10, configKey, rng, optimizerStep, elapsedSeconds, tensors });
 * ```
 */
export function saveCheckpoint(path: string, c: Checkpoint): void {
  let offset = 0;
  const entries = c.tensors.map((t) => {
    const e = { name: t.name, shape: t.shape, offset, length: t.values.length };
    offset += t.values.length;
    return e;
  });
  const header = JSON.stringify({
    version: 1,
    epoch: c.epoch,
    configKey: c.configKey,
    rng: c.rng,
    optimizerStep: c.optimizerStep,
    elapsedSeconds: c.elapsedSeconds,
    tensors: entries,
  });
  const headerBytes = new TextEncoder().encode(header);
  const start = Math.ceil((12 + headerBytes.length) / 4) * 4;
  const bytes = new Uint8Array(start + 4 * offset);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(8, headerBytes.length, true);
  bytes.set(headerBytes, 12);
  const floats = new Float32Array(bytes.buffer, start, offset);
  c.tensors.forEach((t, i) => floats.set(t.values, entries[i].offset));
  writeFileAtomic(path, bytes);
}

/**
 * Reads a checkpoint written by {@link saveCheckpoint}; undefined when the file does not exist.
 *
 * @throws {@link InputError} for a file that is not a complete ncverify checkpoint
 * @example
 * ```ts
 * const c = loadCheckpoint('reports/slow/smoke.ckpt'); // c?.epoch
 * ```
 */
export function loadCheckpoint(path: string): Checkpoint | undefined {
  if (!existsSync(path)) return undefined;
  const buf = readFileSync(path);
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  const bad = (why: string) => new InputError(path, `must be an ncverify training checkpoint (${why}); delete it to start the run afresh`);
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw bad('no NCVCKPT1 magic');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  if (12 + headerLength > bytes.length) throw bad('truncated header');
  let h: {
    epoch: number;
    configKey: string;
    rng: Checkpoint['rng'];
    optimizerStep: number;
    elapsedSeconds: number;
    tensors: { name: string; shape: number[]; offset: number; length: number }[];
  };
  try {
    h = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
  } catch {
    throw bad('unreadable header');
  }
  const start = Math.ceil((12 + headerLength) / 4) * 4;
  const total = h.tensors.reduce((s, t) => s + t.length, 0);
  if (start + 4 * total !== bytes.length) throw bad(`expected ${start + 4 * total} bytes, found ${bytes.length}`);
  // slice() copies into a fresh, 4-byte-aligned buffer (little-endian floats, as written)
  const aligned = new Float32Array(bytes.slice(start).buffer);
  const tensors = h.tensors.map((t) => ({ name: t.name, shape: t.shape, values: aligned.subarray(t.offset, t.offset + t.length) }));
  return { epoch: h.epoch, configKey: h.configKey, rng: h.rng, optimizerStep: h.optimizerStep, elapsedSeconds: h.elapsedSeconds, tensors };
}
