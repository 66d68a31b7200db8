import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CIFAR10_PIXELS,
  CIFAR10_RECORD_BYTES,
  cifar10Path,
  defaultCifar10Dir,
  encodeCifar10,
  imbalancedSubset,
  readCifar10,
} from '../src/data/cifar10.ts';
import { FIXTURE_PATH, generateFixture } from '../fixtures/cifar10/generate.ts';
import { inputErrorOf } from './_helpers/inputError.ts';

const dir = mkdtempSync(join(tmpdir(), 'ncverify-cifar10-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A synthetic file: record i has label labels[i] and pixel p of it equal to (7i + p) mod 256. */
function synthetic(labels: number[]): { path: string; pixels: Uint8Array } {
  const pixels = new Uint8Array(labels.length * CIFAR10_PIXELS);
  for (let i = 0; i < labels.length; i++) for (let p = 0; p < CIFAR10_PIXELS; p++) pixels[i * CIFAR10_PIXELS + p] = (7 * i + p) % 256;
  const path = join(dir, `syn-${labels.join('')}.bin`);
  writeFileSync(path, encodeCifar10(Uint8Array.from(labels), pixels));
  return { path, pixels };
}

/** Byte arrays equal? (vitest's deep toEqual is far too slow on 9 MB arrays.) */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}

describe('readCifar10 on synthetic files', () => {
  it('reads labels, pixels (R, G, B planes in record order) and per-class counts', () => {
    const labels = [3, 0, 3, 9, 1];
    const { path, pixels } = synthetic(labels);
    const set = readCifar10(path);
    expect(set.count).toBe(5);
    expect(Array.from(set.labels)).toEqual(labels);
    expect(set.pixels).toEqual(pixels);
    expect(set.classCounts).toEqual([1, 1, 0, 2, 0, 0, 0, 0, 0, 1]);
  });

  it('concatenates several files in order (official data_batch_1…5 style)', () => {
    const a = synthetic([1, 2]);
    const b = synthetic([4]);
    const set = readCifar10([a.path, b.path]);
    expect(Array.from(set.labels)).toEqual([1, 2, 4]);
    expect(set.pixels.subarray(2 * CIFAR10_PIXELS)).toEqual(b.pixels);
  });

  it('rejects a missing file, naming it', () => {
    const e = inputErrorOf(() => readCifar10(join(dir, 'nope.bin')));
    expect(e.message).toContain('nope.bin');
    expect(e.message).toContain('nothing is downloaded');
  });

  it('rejects a size that is not a multiple of 3073, naming the file and the rule', () => {
    const path = join(dir, 'short.bin');
    writeFileSync(path, new Uint8Array(CIFAR10_RECORD_BYTES + 5));
    const e = inputErrorOf(() => readCifar10(path));
    expect(e.message).toContain('short.bin');
    expect(e.message).toContain('3073');
    expect(e.message).toContain(`${CIFAR10_RECORD_BYTES + 5} bytes`);
  });

  it('rejects an empty file', () => {
    const path = join(dir, 'empty.bin');
    writeFileSync(path, new Uint8Array(0));
    expect(inputErrorOf(() => readCifar10(path)).message).toContain('0 bytes');
  });

  it('rejects a label above 9, naming the record', () => {
    const bytes = encodeCifar10(Uint8Array.from([2, 5]), new Uint8Array(2 * CIFAR10_PIXELS));
    bytes[CIFAR10_RECORD_BYTES] = 10; // record 1's label byte
    const path = join(dir, 'badlabel.bin');
    writeFileSync(path, bytes);
    const e = inputErrorOf(() => readCifar10(path));
    expect(e.message).toContain('badlabel.bin');
    expect(e.message).toContain('record 1 has label 10');
  });
});

describe('imbalancedSubset', () => {
  it('takes the first n_k records of each class, in file order', () => {
    const labels = [0, 1, 0, 1, 0, 2, 1, 2];
    const { path, pixels } = synthetic(labels);
    const sub = imbalancedSubset(readCifar10(path), [2, 1, 2, 0, 0, 0, 0, 0, 0, 0]);
    // kept records: 0 (c0), 1 (c1), 2 (c0), 5 (c2), 7 (c2)
    expect(Array.from(sub.labels)).toEqual([0, 1, 0, 2, 2]);
    expect(sub.pixels.subarray(3 * CIFAR10_PIXELS, 4 * CIFAR10_PIXELS)).toEqual(pixels.subarray(5 * CIFAR10_PIXELS, 6 * CIFAR10_PIXELS));
    expect(sub.classCounts).toEqual([2, 1, 2, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('errors when a class has too few records', () => {
    const { path } = synthetic([0, 1]);
    expect(inputErrorOf(() => imbalancedSubset(readCifar10(path), [1, 2, 0, 0, 0, 0, 0, 0, 0, 0])).message).toContain('class 1 needs 2');
  });

  it('errors on a size vector that is not 10 non-negative integers', () => {
    const { path } = synthetic([0]);
    expect(inputErrorOf(() => imbalancedSubset(readCifar10(path), [1, 0])).message).toContain('10 non-negative integers');
  });
});

describe('the generated fixture (fixtures/cifar10/tiny.bin, official record format)', () => {
  it('is what its seeded script generates, byte for byte', () => {
    expect(sameBytes(readFileSync(FIXTURE_PATH), generateFixture())).toBe(true);
  });

  it('reads as 60 records with the class sizes 2, 2, 4, …, 10, classes interleaved as in an official batch', () => {
    const set = readCifar10(FIXTURE_PATH);
    expect(set.count).toBe(60);
    expect(set.classCounts).toEqual([2, 2, 4, 4, 6, 6, 8, 8, 10, 10]);
    let decreases = 0;
    for (let i = 1; i < set.count; i++) if (set.labels[i] < set.labels[i - 1]) decreases++;
    expect(decreases).toBeGreaterThan(10);
  });

  it('its first-n_k subset keeps file order and picks exactly the first records of each class', () => {
    const set = readCifar10(FIXTURE_PATH);
    const sub = imbalancedSubset(set, [1, 0, 2, 0, 0, 0, 0, 0, 0, 3]);
    const expected: number[] = [];
    const left = [1, 0, 2, 0, 0, 0, 0, 0, 0, 3];
    for (let i = 0; i < set.count; i++) if (left[set.labels[i]]-- > 0) expected.push(i);
    expect(Array.from(sub.labels)).toEqual(expected.map((i) => set.labels[i]));
    expected.forEach((i, j) => expect(sameBytes(sub.pixels.subarray(j * CIFAR10_PIXELS, (j + 1) * CIFAR10_PIXELS), set.pixels.subarray(i * CIFAR10_PIXELS, (i + 1) * CIFAR10_PIXELS))).toBe(true));
  });
});

describe('file locations', () => {
  it('resolves the default folder from the module, not the working directory', () => {
    expect(defaultCifar10Dir().endsWith(join('shared', 'data', 'cifar10'))).toBe(true);
  });

  it('NCVERIFY_CIFAR10 may name a folder or a file', () => {
    const saved = process.env.NCVERIFY_CIFAR10;
    try {
      process.env.NCVERIFY_CIFAR10 = dir;
      expect(cifar10Path('test.bin')).toBe(join(dir, 'test.bin'));
      const { path } = synthetic([5]);
      process.env.NCVERIFY_CIFAR10 = path;
      expect(cifar10Path('test.bin')).toBe(path);
    } finally {
      if (saved === undefined) delete process.env.NCVERIFY_CIFAR10;
      else process.env.NCVERIFY_CIFAR10 = saved;
    }
  });
});
