import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.ts';

/** Bytes per CIFAR-10 record: 1 label byte + 3 × 32 × 32 pixel bytes (R plane, G plane, B plane). */
export const CIFAR10_RECORD_BYTES = 3073;
/** Pixels per image and channel: 32 × 32, row-major. */
export const CIFAR10_PLANE = 1024;
/** Bytes of pixels per record: 3 channels × 1024. */
export const CIFAR10_PIXELS = 3072;
/** The number of classes (labels 0–9: airplane … truck). */
export const CIFAR10_CLASSES = 10;

/** The subset files stored in ../shared/data/cifar10/ (see its README). */
export type Cifar10FileName = 'train-imbalanced.bin' | 'train-balanced.bin' | 'test.bin';

/**
 * A set of CIFAR-10 records in memory, in file order: image i is `pixels[i·3072 … i·3072+3071]`
 * (its R plane, G plane then B plane, each 32×32 row-major, bytes 0–255) with label `labels[i]`.
 */
export interface Cifar10Set {
  /** Where the records came from (file paths, or a description for a built subset). */
  readonly source: string;
  /** The number of records. */
  readonly count: number;
  /** labels[i] ∈ {0, …, 9}. */
  readonly labels: Uint8Array;
  /** count × 3072 bytes, channel-major per image (CHW). */
  readonly pixels: Uint8Array;
  /** classCounts[k] = the number of records with label k (length 10). */
  readonly classCounts: readonly number[];
}

/**
 * The folder of the stored subsets: `../shared/data/cifar10/` relative to the repository root,
 * resolved from this module's location (not from the working directory).
 *
 * @example
 * ```ts
 * defaultCifar10Dir(); // '/work/shared/data/cifar10' for a checkout at /work/main
 * ```
 */
export function defaultCifar10Dir(): string {
  const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
  return resolve(repoRoot, '..', 'shared', 'data', 'cifar10');
}

/**
 * The path to read for `name`: `override` if given, else the environment variable
 * `NCVERIFY_CIFAR10`, else {@link defaultCifar10Dir}. An override that is a folder is joined with
 * `name`; one that is a file is used as it is (e.g. an official `data_batch_1.bin`).
 *
 * @example
 * ```ts
 * cifar10Path('test.bin');                     // <default dir>/test.bin
 * cifar10Path('test.bin', '/data/cifar-10-batches-bin/test_batch.bin'); // that file
 * ```
 */
export function cifar10Path(name: string, override?: string): string {
  const env = process.env.NCVERIFY_CIFAR10;
  const base = override ?? (env !== undefined && env !== '' ? env : defaultCifar10Dir());
  if (existsSync(base) && statSync(base).isDirectory()) return join(base, name);
  if (override === undefined && (env === undefined || env === '')) return join(base, name);
  return base;
}

/**
 * Parses CIFAR-10 binary records (the official "binary version" format) from bytes.
 *
 * @param bytes - records packed back to back, 3073 bytes each
 * @param source - the name used in error messages (a file path)
 * @throws {@link InputError} when the size is not a positive multiple of 3073 or a label is > 9
 * @example
 * ```ts
 * const set = parseCifar10(readFileSync('test.bin'), 'test.bin'); // set.count === 2000
 * ```
 */
export function parseCifar10(bytes: Uint8Array, source: string): Cifar10Set {
  if (bytes.length === 0 || bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    throw new InputError(
      source,
      `a CIFAR-10 binary file must hold a positive whole number of ${CIFAR10_RECORD_BYTES}-byte records (1 label byte + 3072 pixel bytes)`,
      `got ${bytes.length} bytes`,
    );
  }
  const count = bytes.length / CIFAR10_RECORD_BYTES;
  const labels = new Uint8Array(count);
  const pixels = new Uint8Array(count * CIFAR10_PIXELS);
  const classCounts = new Array<number>(CIFAR10_CLASSES).fill(0);
  for (let i = 0; i < count; i++) {
    const at = i * CIFAR10_RECORD_BYTES;
    const label = bytes[at];
    if (label >= CIFAR10_CLASSES) {
      throw new InputError(source, 'every label byte must be 0–9 (the first byte of each 3073-byte record)', `record ${i} has label ${label}`);
    }
    labels[i] = label;
    classCounts[label]++;
    pixels.set(bytes.subarray(at + 1, at + CIFAR10_RECORD_BYTES), i * CIFAR10_PIXELS);
  }
  return { source, count, labels, pixels, classCounts };
}

/**
 * Reads one or more CIFAR-10 binary files (concatenated in the order given). Never downloads.
 *
 * @throws {@link InputError} for a missing file, a size that is not a multiple of 3073, a label > 9
 * @example
 * ```ts
 * const train = readCifar10(cifar10Path('train-imbalanced.bin')); // classCounts 100,100,200,…,500
 * const all = readCifar10([1, 2, 3, 4, 5].map((b) => `/data/data_batch_${b}.bin`));
 * ```
 */
export function readCifar10(paths: string | readonly string[]): Cifar10Set {
  const list = typeof paths === 'string' ? [paths] : paths;
  if (list.length === 0) throw new InputError('paths', 'at least one CIFAR-10 file is required', 'got none');
  const sets = list.map((p) => parseCifar10(readFile(p), p));
  return sets.length === 1 ? sets[0] : concatCifar10(sets);
}

function readFile(path: string): Uint8Array {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new InputError(
      path,
      'must be an existing CIFAR-10 binary file (set NCVERIFY_CIFAR10 to a folder or a file; nothing is downloaded)',
      'no such file',
    );
  }
  try {
    return readFileSync(path);
  } catch (e) {
    // e.g. ERR_FS_FILE_TOO_LARGE (over 2 GiB), EACCES, EISDIR: named, not thrown through
    throw new InputError(path, 'cannot be read as a CIFAR-10 binary file', (e as NodeJS.ErrnoException).code ?? String(e));
  }
}

function concatCifar10(sets: readonly Cifar10Set[]): Cifar10Set {
  const count = sets.reduce((s, x) => s + x.count, 0);
  const labels = new Uint8Array(count);
  const pixels = new Uint8Array(count * CIFAR10_PIXELS);
  const classCounts = new Array<number>(CIFAR10_CLASSES).fill(0);
  let at = 0;
  for (const s of sets) {
    labels.set(s.labels, at);
    pixels.set(s.pixels, at * CIFAR10_PIXELS);
    s.classCounts.forEach((c, k) => (classCounts[k] += c));
    at += s.count;
  }
  return { source: sets.map((s) => s.source).join(' + '), count, labels, pixels, classCounts };
}

/**
 * An imbalanced subset: the first `sizes[k]` records of each class k, in file order (so the
 * stored train-imbalanced.bin is `imbalancedSubset(train-balanced, [100, 100, 200, …, 500])`).
 *
 * @param set - the larger set to draw from
 * @param sizes - n = (n_0, …, n_9): how many records of each class (0 is allowed: the class is left out)
 * @throws {@link InputError} when `sizes` does not have 10 non-negative integers or a class has too few records
 * @example
 * ```ts
 * const sub = imbalancedSubset(readCifar10(cifar10Path('train-balanced.bin')), [100, 100, 200, 200, 300, 300, 400, 400, 500, 500]);
 * ```
 */
export function imbalancedSubset(set: Cifar10Set, sizes: readonly number[]): Cifar10Set {
  if (sizes.length !== CIFAR10_CLASSES || sizes.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new InputError('sizes', `must list ${CIFAR10_CLASSES} non-negative integers (one per class, labels 0–9)`, `got [${sizes.join(', ')}]`);
  }
  sizes.forEach((n, k) => {
    if (n > set.classCounts[k]) {
      throw new InputError('sizes', `class ${k} needs ${n} records but ${set.source} has only ${set.classCounts[k]}`, `got n_${k} = ${n}`);
    }
  });
  const taken = new Array<number>(CIFAR10_CLASSES).fill(0);
  const keep: number[] = [];
  for (let i = 0; i < set.count; i++) {
    const k = set.labels[i];
    if (taken[k] < sizes[k]) {
      taken[k]++;
      keep.push(i);
    }
  }
  return selectRecords(set, keep, `first [${sizes.join(',')}] per class of ${set.source}`);
}

/**
 * The records at `indices` (in that order) as a new set.
 *
 * @example
 * ```ts
 * selectRecords(set, [0, 5, 9], 'three records').count; // 3
 * ```
 */
export function selectRecords(set: Cifar10Set, indices: readonly number[], source: string): Cifar10Set {
  const labels = new Uint8Array(indices.length);
  const pixels = new Uint8Array(indices.length * CIFAR10_PIXELS);
  const classCounts = new Array<number>(CIFAR10_CLASSES).fill(0);
  indices.forEach((i, j) => {
    labels[j] = set.labels[i];
    classCounts[set.labels[i]]++;
    pixels.set(set.pixels.subarray(i * CIFAR10_PIXELS, (i + 1) * CIFAR10_PIXELS), j * CIFAR10_PIXELS);
  });
  return { source, count: indices.length, labels, pixels, classCounts };
}

/**
 * Encodes records in the CIFAR-10 binary format (for tests and for writing subsets to disk).
 *
 * @example
 * ```ts
 * writeFileSync('tiny.bin', encodeCifar10(set.labels, set.pixels));
 * ```
 */
export function encodeCifar10(labels: Uint8Array, pixels: Uint8Array): Uint8Array {
  if (pixels.length !== labels.length * CIFAR10_PIXELS) {
    throw new InputError('pixels', `must hold 3072 bytes per label`, `got ${pixels.length} bytes for ${labels.length} labels`);
  }
  const out = new Uint8Array(labels.length * CIFAR10_RECORD_BYTES);
  for (let i = 0; i < labels.length; i++) {
    out[i * CIFAR10_RECORD_BYTES] = labels[i];
    out.set(pixels.subarray(i * CIFAR10_PIXELS, (i + 1) * CIFAR10_PIXELS), i * CIFAR10_RECORD_BYTES + 1);
  }
  return out;
}
