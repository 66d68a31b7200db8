/**
 * The official CIFAR-10 layout (cifar-10-batches-bin/) as input, and the named subsets — on a
 * folder made from the generated fixture (fixtures/cifar10/tiny.bin), so no outside data is read.
 */
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PATH } from '../fixtures/cifar10/generate.ts';
import { CIFAR10_PIXELS, CIFAR10_RECORD_BYTES, readCifar10 } from '../src/data/cifar10.ts';
import { OFFICIAL_FILE_BYTES, officialSubset } from '../src/data/official.ts';
import { findCifar10, testSubset, trainSubset } from '../src/data/source.ts';
import { longTailSizes, parseSubset, SUBSET_PRESETS } from '../src/data/subsets.ts';
import { interleaveByClass, writeOfficialLayout } from './_helpers/officialLayout.ts';
import { inputErrorOf } from './_helpers/inputError.ts';

const root = mkdtempSync(join(tmpdir(), 'ncverify-official-'));
const fixture = new Uint8Array(readFileSync(FIXTURE_PATH));
let official: string;
beforeAll(() => {
  official = writeOfficialLayout(join(root, 'cifar-10-batches-bin'), fixture, interleaveByClass(fixture, 'test-split'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Reference: the indices of the first sizes[k] records of class k in `records`, grouped by class. */
function firstPerClass(records: Uint8Array, sizes: readonly number[]): number[] {
  const out: number[][] = sizes.map(() => []);
  for (let i = 0; i < records.length / CIFAR10_RECORD_BYTES; i++) {
    const k = records[i * CIFAR10_RECORD_BYTES];
    if (out[k].length < sizes[k]) out[k].push(i);
  }
  return out.flat();
}

function recordOf(records: Uint8Array, i: number): Uint8Array {
  return records.subarray(i * CIFAR10_RECORD_BYTES + 1, (i + 1) * CIFAR10_RECORD_BYTES);
}

/** A copy of the official folder in which `edit` changes one file. */
function variant(name: string, edit: (dir: string) => void): string {
  const dir = writeOfficialLayout(join(root, name), fixture, fixture);
  edit(dir);
  return dir;
}

describe('the official layout', () => {
  it('is recognised, and a subset is the first n_k of class k in official order, grouped by class', () => {
    expect(findCifar10(official)).toEqual({ kind: 'official', dir: official });
    const sizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const sub = trainSubset(findCifar10(official), sizes);
    const ref = firstPerClass(fixture, sizes);
    expect(sub.count).toBe(ref.length);
    expect(sub.classCounts).toEqual(sizes);
    expect(Array.from(sub.labels)).toEqual(ref.map((i) => fixture[i * CIFAR10_RECORD_BYTES]));
    ref.forEach((i, j) => expect(Buffer.compare(sub.pixels.subarray(j * CIFAR10_PIXELS, (j + 1) * CIFAR10_PIXELS), recordOf(fixture, i))).toBe(0));
  });

  it('the test split comes from test_batch.bin', () => {
    const test = testSubset(findCifar10(official), [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    const interleaved = interleaveByClass(fixture, 'test-split');
    const ref = firstPerClass(interleaved, new Array(10).fill(2));
    ref.forEach((i, j) => expect(Buffer.compare(test.pixels.subarray(j * CIFAR10_PIXELS, (j + 1) * CIFAR10_PIXELS), recordOf(interleaved, i))).toBe(0));
    // interleaving kept each class's order, so the same images as from the fixture's own order
    expect(Buffer.compare(test.pixels, officialSubset(official, 'train', new Array(10).fill(2)).pixels)).toBe(0);
  });

  it('a class with too few records is an InputError naming the class, the count and the folder', () => {
    const e = inputErrorOf(() => officialSubset(official, 'train', [0, 3, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect(e.message).toContain('class 1 needs 3 records');
    expect(e.message).toContain('hold only 2');
    expect(e.message).toContain(official);
  });

  it('a truncated batch is an InputError naming it and the exact size — only when it is needed', () => {
    const dir = variant('truncated', (d) => truncateSync(join(d, 'data_batch_2.bin'), OFFICIAL_FILE_BYTES - 1));
    // data_batch_1 holds enough: reading stops there, data_batch_2 is never opened
    expect(officialSubset(dir, 'train', [2, 2, 0, 0, 0, 0, 0, 0, 0, 0]).count).toBe(4);
    const e = inputErrorOf(() => officialSubset(dir, 'train', [0, 3, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect(e.message).toContain(join(dir, 'data_batch_2.bin'));
    expect(e.message).toContain(`${OFFICIAL_FILE_BYTES} bytes`);
    expect(e.message).toContain(`got ${OFFICIAL_FILE_BYTES - 1} bytes`);
    expect(e.message).toContain('truncated or not a CIFAR-10 batch');
  });

  it('a foreign file of the right size is an InputError naming it and the record', () => {
    const dir = variant('foreign', (d) => {
      const bytes = new Uint8Array(OFFICIAL_FILE_BYTES);
      bytes[7 * CIFAR10_RECORD_BYTES] = 200;
      writeFileSync(join(d, 'test_batch.bin'), bytes);
    });
    const e = inputErrorOf(() => testSubset(findCifar10(dir)));
    expect(e.message).toContain(join(dir, 'test_batch.bin'));
    expect(e.message).toContain('record 7 has label 200');
  });

  it('a missing batch is an InputError naming it and where to download', () => {
    const dir = variant('missing', (d) => rmSync(join(d, 'data_batch_3.bin')));
    const e = inputErrorOf(() => officialSubset(dir, 'train', [0, 3, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect(e.message).toContain(join(dir, 'data_batch_3.bin'));
    expect(e.message).toContain('https://www.cs.toronto.edu/~kriz/cifar.html');
  });
});

describe('finding CIFAR-10', () => {
  it('says in one line what is missing, where it looked and how to get it', () => {
    const empty = mkdtempSync(join(root, 'empty-'));
    const e = inputErrorOf(() => findCifar10(empty));
    expect(e.message).not.toContain('\n');
    for (const part of [empty, 'data_batch_1.bin', 'train-imbalanced.bin', 'CIFAR-10 binary version', 'cs.toronto.edu/~kriz/cifar.html', 'NCVERIFY_CIFAR10', '--data']) {
      expect(e.message).toContain(part);
    }
  });

  it('--data comes before NCVERIFY_CIFAR10, which comes before ../shared', () => {
    const saved = process.env.NCVERIFY_CIFAR10;
    try {
      process.env.NCVERIFY_CIFAR10 = official;
      expect(findCifar10().dir).toBe(official);
      expect(inputErrorOf(() => findCifar10(join(root, 'nowhere'))).message).toContain(`--data ${join(root, 'nowhere')}`);
    } finally {
      if (saved === undefined) delete process.env.NCVERIFY_CIFAR10;
      else process.env.NCVERIFY_CIFAR10 = saved;
    }
  });

  it('recognises a folder of stored subsets and takes the first n_k of train-balanced.bin', () => {
    const dir = mkdtempSync(join(root, 'stored-'));
    writeFileSync(join(dir, 'train-balanced.bin'), fixture);
    writeFileSync(join(dir, 'test.bin'), fixture);
    expect(findCifar10(dir)).toEqual({ kind: 'stored', dir });
    const sizes = [2, 1, 0, 0, 0, 0, 0, 0, 0, 3];
    const a = trainSubset(findCifar10(dir), sizes);
    expect(a.classCounts).toEqual(sizes);
    // kept in file order (our stored files are grouped by class already); per class, the same
    // images in the same order as the official rule gives
    const b = officialSubset(official, 'train', sizes);
    const ofClass = (set: typeof a, k: number) => Buffer.concat([...set.labels.keys()].filter((i) => set.labels[i] === k).map((i) => set.pixels.subarray(i * CIFAR10_PIXELS, (i + 1) * CIFAR10_PIXELS)));
    for (let k = 0; k < 10; k++) expect(Buffer.compare(ofClass(a, k), ofClass(b, k))).toBe(0);
    expect(readCifar10(join(dir, 'test.bin')).count).toBe(testSubset(findCifar10(dir)).count);
  });
});

describe('subset presets and specs', () => {
  it('name their sources: Dang et al. 2024 is 1000…5000 (N = 30 000), 2023 is 100…500 (N = 3000)', () => {
    expect(parseSubset('dang2024')).toEqual([1000, 1000, 2000, 2000, 3000, 3000, 4000, 4000, 5000, 5000]);
    expect(parseSubset('dang2024').reduce((a, b) => a + b)).toBe(30_000);
    expect(parseSubset('dang2023')).toEqual([100, 100, 200, 200, 300, 300, 400, 400, 500, 500]);
    expect(SUBSET_PRESETS.dang2024.source).toContain('2401.02058');
    expect(SUBSET_PRESETS.dang2023.source).toContain('2301.00437');
    expect(parseSubset('full')).toEqual(new Array(10).fill(5000));
  });

  it('step, balanced, long-tailed and explicit sizes', () => {
    expect(parseSubset('step:7')).toEqual([7, 7, 14, 14, 21, 21, 28, 28, 35, 35]);
    expect(parseSubset('balanced:12')).toEqual(new Array(10).fill(12));
    expect(parseSubset('1,2,3,4,5,6,7,8,9,0')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 0]);
    // Cui et al.: n_k = ⌊n_max ρ^(−k/9)⌋, class 0 = n_max, class 9 = n_max/ρ exactly, strictly decreasing
    const lt = longTailSizes(5000, 100);
    expect(lt).toEqual([5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]);
    expect(parseSubset('longtail:5000:100')).toEqual(lt);
    expect(parseSubset('longtail:500:1')).toEqual(new Array(10).fill(500));
  });

  it('reject a malformed spec with an InputError naming the flag and the accepted forms', () => {
    for (const spec of ['dang2025', 'step:0', 'step:1.5', 'balanced:', 'longtail:5000:0.5', 'longtail:5000', '1,2,3', '1,2,3,4,5,6,7,8,9,-1']) {
      const e = inputErrorOf(() => parseSubset(spec, '--test-subset'));
      expect(e.message.startsWith('--test-subset:')).toBe(true);
      expect(e.message).toContain(`'${spec}'`);
    }
  });
});
