/**
 * Slow suite, data: the CIFAR-10 found (NCVERIFY_CIFAR10, else ../shared/data/cifar10) has its
 * documented counts, and the papers' subsets built from the official layout are the stored ones.
 * Seconds, not minutes. Run: npm run test:slow -- data
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { encodeCifar10, imbalancedSubset, readCifar10 } from '../src/data/cifar10.ts';
import { OFFICIAL_FILE_BYTES, OFFICIAL_TEST_FILE, OFFICIAL_TRAIN_FILES, officialSubset } from '../src/data/official.ts';
import { findCifar10, testSubset, trainSubset } from '../src/data/source.ts';
import { parseSubset } from '../src/data/subsets.ts';
import { officialFolderForSlow } from './officialData.ts';

/** Byte arrays equal? (vitest's deep toEqual is far too slow on 9 MB arrays.) */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

const DANG2023 = parseSubset('dang2023');

describe('the CIFAR-10 found', () => {
  const src = findCifar10();

  it(`(${src.kind} layout in ${src.dir}) has its documented counts`, () => {
    if (src.kind === 'stored') {
      // ../shared/data/cifar10/README.md: 100,100,200,…,500 / 500 each / 200 each, grouped by class
      const imb = readCifar10(join(src.dir, 'train-imbalanced.bin'));
      expect(imb.classCounts).toEqual(DANG2023);
      let decreases = 0;
      for (let i = 1; i < imb.count; i++) if (imb.labels[i] < imb.labels[i - 1]) decreases++;
      expect(decreases).toBe(0);
      expect(readCifar10(join(src.dir, 'train-balanced.bin')).classCounts).toEqual(new Array(10).fill(500));
      expect(readCifar10(join(src.dir, 'test.bin')).classCounts).toEqual(new Array(10).fill(200));
    } else {
      // Krizhevsky 2009: 5 × 10 000 training records (5000 per class in all), 10 000 test (1000 per class)
      for (const f of [...OFFICIAL_TRAIN_FILES, OFFICIAL_TEST_FILE]) expect(statSync(join(src.dir, f)).size).toBe(OFFICIAL_FILE_BYTES);
      expect(trainSubset(src).classCounts).toEqual(new Array(10).fill(5000));
      expect(testSubset(src).classCounts).toEqual(new Array(10).fill(1000));
      expect(officialSubset(src.dir, 'train', parseSubset('dang2024')).count).toBe(30_000);
    }
  });

  it('the stored train-imbalanced.bin is the first n_k of each class of train-balanced.bin (README: a prefix)', () => {
    if (src.kind === 'official') {
      // no stored files to compare: check the rule on the official files instead
      const sub = officialSubset(src.dir, 'train', DANG2023);
      expect(sub.classCounts).toEqual(DANG2023);
      return;
    }
    const imb = readCifar10(join(src.dir, 'train-imbalanced.bin'));
    const built = imbalancedSubset(readCifar10(join(src.dir, 'train-balanced.bin')), imb.classCounts);
    expect(sameBytes(built.labels, imb.labels)).toBe(true);
    expect(sameBytes(built.pixels, imb.pixels)).toBe(true);
    built.pixels[12345] ^= 1; // and the check can fail: a one-byte change is seen
    expect(sameBytes(built.pixels, imb.pixels)).toBe(false);
  });

  it("Dang et al. 2023's subset built from an official-layout folder equals train-imbalanced.bin, its test subset test.bin", () => {
    const off = officialFolderForSlow();
    onTestFinished(off.cleanup);
    const train = trainSubset({ kind: 'official', dir: off.dir }, DANG2023);
    const test = testSubset({ kind: 'official', dir: off.dir }, new Array(10).fill(200));
    expect(train.classCounts).toEqual(DANG2023);
    if (!off.builtFromStored) return; // the real official pixels differ from our JPEG-decoded ones (README)
    const imb = readFileSync(join(off.storedDir!, 'train-imbalanced.bin'));
    const tst = readFileSync(join(off.storedDir!, 'test.bin'));
    const asRecords = (s: typeof train) => encodeCifar10(s.labels, s.pixels);
    expect(sameBytes(asRecords(train), imb)).toBe(true);
    expect(sameBytes(asRecords(test), tst)).toBe(true);
  });
});
