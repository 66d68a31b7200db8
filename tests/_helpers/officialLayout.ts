import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CIFAR10_RECORD_BYTES } from '../../src/data/cifar10.ts';
import { OFFICIAL_FILE_BYTES, OFFICIAL_TEST_FILE, OFFICIAL_TRAIN_FILES } from '../../src/data/official.ts';
import { seededPermutation } from '../../src/train/seeded.ts';

/**
 * Records reordered so that classes interleave (as in the official batches) while each class keeps
 * its own order: position j gets the next record of the class drawn at j by a seeded permutation of
 * the label multiset. So "the first n_k of class k" is the same before and after.
 */
export function interleaveByClass(records: Uint8Array, seed: string): Uint8Array {
  const count = records.length / CIFAR10_RECORD_BYTES;
  const byClass: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < count; i++) byClass[records[i * CIFAR10_RECORD_BYTES]].push(i);
  const labels = byClass.flatMap((ids, k) => ids.map(() => k));
  const perm = seededPermutation(count, seed, 'interleave');
  const next = new Array<number>(10).fill(0);
  const out = new Uint8Array(records.length);
  for (let j = 0; j < count; j++) {
    const k = labels[perm[j]];
    const i = byClass[k][next[k]++];
    out.set(records.subarray(i * CIFAR10_RECORD_BYTES, (i + 1) * CIFAR10_RECORD_BYTES), j * CIFAR10_RECORD_BYTES);
  }
  return out;
}

/**
 * Writes a folder in the official layout (data_batch_1…5.bin, test_batch.bin, 30 730 000 bytes
 * each): data_batch_1.bin starts with `train` and test_batch.bin with `test`; the rest of every
 * file is zero bytes (records of label 0 with black pixels), written as a sparse extension, so the
 * folder costs little disk and time. "The first n_k of class k" for k ≥ 1 is then exactly the
 * given records; class 0 continues with black images after its given records.
 */
export function writeOfficialLayout(dir: string, train: Uint8Array, test: Uint8Array): string {
  mkdirSync(dir, { recursive: true });
  const write = (name: string, head: Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, head);
    truncateSync(path, OFFICIAL_FILE_BYTES);
  };
  OFFICIAL_TRAIN_FILES.forEach((name, i) => write(name, i === 0 ? train : new Uint8Array(0)));
  write(OFFICIAL_TEST_FILE, test);
  return dir;
}
