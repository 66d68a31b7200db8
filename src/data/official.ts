import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { CIFAR10_CLASSES, CIFAR10_PIXELS, CIFAR10_RECORD_BYTES, type Cifar10Set } from './cifar10.ts';

/**
 * The official "CIFAR-10 binary version" (Krizhevsky 2009, https://www.cs.toronto.edu/~kriz/cifar.html,
 * cifar-10-binary.tar.gz, which unpacks to `cifar-10-batches-bin/`): five training batches and
 * one test batch of 10 000 records each, in the record format of {@link CIFAR10_RECORD_BYTES}.
 */
export const OFFICIAL_TRAIN_FILES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'] as const;
/** The official test batch's file name. */
export const OFFICIAL_TEST_FILE = 'test_batch.bin';
/** Records in every official batch file. */
export const OFFICIAL_RECORDS_PER_FILE = 10_000;
/** The exact size of every official batch file: 10 000 × 3073 = 30 730 000 bytes. */
export const OFFICIAL_FILE_BYTES = OFFICIAL_RECORDS_PER_FILE * CIFAR10_RECORD_BYTES;

/** Where to get the official files, for error messages. */
export const OFFICIAL_DOWNLOAD =
  'download the "CIFAR-10 binary version" (cifar-10-binary.tar.gz) from https://www.cs.toronto.edu/~kriz/cifar.html and unpack it (it makes cifar-10-batches-bin/)';

/**
 * True when `dir` is a folder holding the official layout (its first training batch, data_batch_1.bin).
 *
 * @example
 * ```ts
 * isOfficialLayout('/data/cifar-10-batches-bin'); // true
 * ```
 */
export function isOfficialLayout(dir: string): boolean {
  return existsSync(join(dir, OFFICIAL_TRAIN_FILES[0]));
}

/**
 * The bytes of one official batch file, its size checked (a truncated or foreign file is named).
 *
 * @throws {@link InputError} for a missing file or one that is not exactly 30 730 000 bytes
 */
function readOfficialFile(path: string): Uint8Array {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new InputError(path, `the official CIFAR-10 layout needs this file (${OFFICIAL_DOWNLOAD})`, 'no such file');
  }
  const size = statSync(path).size;
  if (size !== OFFICIAL_FILE_BYTES) {
    throw new InputError(
      path,
      `an official CIFAR-10 batch is exactly ${OFFICIAL_RECORDS_PER_FILE} records of ${CIFAR10_RECORD_BYTES} bytes = ${OFFICIAL_FILE_BYTES} bytes; ` +
        `this one is truncated or not a CIFAR-10 batch (${OFFICIAL_DOWNLOAD})`,
      `got ${size} bytes`,
    );
  }
  return readFileSync(path);
}

/** A running selection of the first sizes[k] records of each class k, grouped by class. */
interface Selection {
  readonly sizes: readonly number[];
  readonly taken: number[];
  /** Per class, the chosen records' 3073 bytes, in the order met. */
  readonly chosen: Uint8Array[][];
}

function takeFrom(sel: Selection, bytes: Uint8Array, path: string): void {
  for (let i = 0; i < bytes.length / CIFAR10_RECORD_BYTES; i++) {
    const at = i * CIFAR10_RECORD_BYTES;
    const k = bytes[at];
    if (k >= CIFAR10_CLASSES) throw new InputError(path, 'every label byte must be 0–9 (the first byte of each 3073-byte record)', `record ${i} has label ${k}`);
    if (sel.taken[k] < sel.sizes[k]) {
      sel.chosen[k].push(bytes.slice(at, at + CIFAR10_RECORD_BYTES)); // a copy: the 30 MB batch is freed after it
      sel.taken[k]++;
    }
  }
}

function complete(sel: Selection): boolean {
  return sel.taken.every((t, k) => t >= sel.sizes[k]);
}

/** The selection as a set: class 0's records first, each class in the order met. */
function toSet(sel: Selection, source: string): Cifar10Set {
  const count = sel.taken.reduce((a, b) => a + b, 0);
  const labels = new Uint8Array(count);
  const pixels = new Uint8Array(count * CIFAR10_PIXELS);
  let j = 0;
  for (const records of sel.chosen) {
    for (const r of records) {
      labels[j] = r[0];
      pixels.set(r.subarray(1), j * CIFAR10_PIXELS);
      j++;
    }
  }
  return { source, count, labels, pixels, classCounts: [...sel.taken] };
}

function checkSizes(sizes: readonly number[]): void {
  if (sizes.length !== CIFAR10_CLASSES || sizes.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new InputError('sizes', `must list ${CIFAR10_CLASSES} non-negative integers (one per class, labels 0–9)`, `got [${sizes.join(', ')}]`);
  }
}

/**
 * The first `sizes[k]` records of class k in the official order — data_batch_1.bin record 0
 * first, through data_batch_5.bin (or test_batch.bin for the test split) — returned grouped by
 * class (all of class 0, then class 1, …), each class in that official order. Deterministic:
 * no randomness. Files are read one at a time and reading stops once every class is full, so
 * memory holds one 30 MB batch plus the subset. With the official files this is the rule that
 * built our stored subsets (../shared/data/cifar10/README.md: "the first n images of class k in
 * the official batch order"), so a subset built here has their record order.
 *
 * @param dir - a folder in the official layout (cifar-10-batches-bin/)
 * @param split - 'train' (data_batch_1…5.bin) or 'test' (test_batch.bin)
 * @param sizes - n = (n_0, …, n_9)
 * @throws {@link InputError} for a missing, truncated or foreign batch file (named), bad sizes, or a class with too few records
 * @example
 * ```ts
 * const train = officialSubset('/data/cifar-10-batches-bin', 'train', [1000, 1000, 2000, 2000, 3000, 3000, 4000, 4000, 5000, 5000]);
 * train.count; // 30000
 * ```
 */
export function officialSubset(dir: string, split: 'train' | 'test', sizes: readonly number[]): Cifar10Set {
  checkSizes(sizes);
  const files = split === 'train' ? OFFICIAL_TRAIN_FILES : [OFFICIAL_TEST_FILE];
  const sel: Selection = { sizes, taken: new Array<number>(CIFAR10_CLASSES).fill(0), chosen: Array.from({ length: CIFAR10_CLASSES }, () => []) };
  for (const name of files) {
    if (complete(sel)) break;
    const path = join(dir, name);
    takeFrom(sel, readOfficialFile(path), path);
  }
  const short = sel.taken.findIndex((t, k) => t < sizes[k]);
  if (short >= 0) {
    throw new InputError('sizes', `class ${short} needs ${sizes[short]} records but the official ${split} files in ${dir} hold only ${sel.taken[short]}`, `got n_${short} = ${sizes[short]}`);
  }
  return toSet(sel, `first [${sizes.join(',')}] per class of ${dir} (${files.join(', ')}), official order, grouped by class`);
}
