import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isInputError } from '../src/errors.ts';
import { writeFileAtomic } from '../src/io/atomicWrite.ts';
import { MAX_NPY_ELEMENTS, parseNpy, readNpy } from '../src/io/npy.ts';

const FORMATS = fileURLToPath(new URL('../fixtures/features/formats', import.meta.url));
const MALFORMED = fileURLToPath(new URL('../fixtures/features/malformed', import.meta.url));

/** A file's bytes as a plain Uint8Array. */
function bytesOf(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/** Written by fixtures/features/make.py with NumPy: the values each file must hold. */
const formats = JSON.parse(readFileSync(join(FORMATS, 'expected.json'), 'utf8')) as {
  files: Record<string, { holds: string; shape: number[]; descr: string; fortran: boolean }>;
} & Record<string, unknown>;

function flat(v: unknown): number[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v as number];
}

function expectInputError(f: () => unknown, ...needles: string[]): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(isInputError(caught), `expected an InputError, got ${String(caught)}`).toBe(true);
  for (const n of needles) expect((caught as Error).message).toContain(n);
}

describe('readNpy on files written by NumPy', () => {
  for (const [name, meta] of Object.entries(formats.files)) {
    it(`${name} (${meta.descr}${meta.fortran ? ', Fortran order' : ''}) holds NumPy's values exactly, in C order`, () => {
      const a = readNpy(join(FORMATS, name));
      expect(a.shape).toEqual(meta.shape);
      expect(a.descr).toBe(meta.descr);
      expect(a.kind).toBe(meta.descr.includes('f') ? 'float' : 'int');
      // Exact: the f4 values were rounded to float32 by NumPy and widened exactly to float64.
      expect(Array.from(a.data)).toEqual(flat(formats[meta.holds]));
    });
  }

  it('returns <f8 in C order as a view of one buffer of exactly the data size (no second copy)', () => {
    const a = readNpy(join(FORMATS, 'f8.npy'));
    expect(a.data.buffer.byteLength).toBe(3 * 4 * 8);
  });

  it('refuses a missing file with an InputError naming it', () => {
    expectInputError(() => readNpy(join(FORMATS, 'nope.npy')), 'nope.npy', 'cannot be opened', 'ENOENT');
  });

  it('refuses a directory', () => {
    expectInputError(() => readNpy(FORMATS), FORMATS);
  });
});

describe('malformed files are refused with an InputError naming the file and the fault', () => {
  const cases = JSON.parse(readFileSync(join(MALFORMED, 'expected.json'), 'utf8')) as Record<string, string>;
  for (const [name, needle] of Object.entries(cases)) {
    it(`${name}: "${needle}"`, () => {
      const path = join(MALFORMED, name);
      expectInputError(() => readNpy(path), path, needle);
      // The in-memory parser gives the same verdict.
      expectInputError(() => parseNpy(bytesOf(path), name), name, needle);
    });
  }

  it('states the element limit for an absurd shape', () => {
    expectInputError(() => readNpy(join(MALFORMED, 'absurd_shape.npy')), String(MAX_NPY_ELEMENTS));
  });
});

/** An .npy file built here (header written by hand), for the round-trip property. */
function npyBytes(descr: string, shape: number[], fortran: boolean, body: Uint8Array, version = 1): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const pre = version === 1 ? 10 : 12;
  const pad = (64 - ((pre + dict.length + 1) % 64)) % 64;
  const header = new TextEncoder().encode(dict + ' '.repeat(pad) + '\n');
  const out = new Uint8Array(pre + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  new DataView(out.buffer).setUint32(8, header.length, true); // v1: the low 2 bytes; the high 2 are zero and lie under the header set next
  out.set(header, pre);
  out.set(body, pre + header.length);
  return out;
}

describe('round trip of random arrays (fast-check, seeded)', () => {
  it('C and Fortran order, aligned and unaligned buffers, read the same row-major matrix', () => {
    const arb = fc.record({
      rows: fc.integer({ min: 1, max: 6 }),
      cols: fc.integer({ min: 1, max: 6 }),
      fortran: fc.boolean(),
      shift: fc.integer({ min: 0, max: 7 }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(arb, ({ rows, cols, fortran, shift, seed }) => {
        const values = Array.from({ length: rows * cols }, (_, i) => Math.sin(seed + i) * 10 ** ((i % 7) - 3));
        const body = new Uint8Array(rows * cols * 8);
        const bv = new DataView(body.buffer);
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < cols; j++) {
            const at = fortran ? j * rows + i : i * cols + j;
            bv.setFloat64(at * 8, values[i * cols + j], true);
          }
        }
        const file = npyBytes('<f8', [rows, cols], fortran, body, 2);
        const host = new Uint8Array(file.length + shift);
        host.set(file, shift); // shift ≠ 0 misaligns the data: the DataView path
        const a = parseNpy(host.subarray(shift), 'x.npy');
        expect(a.shape).toEqual([rows, cols]);
        expect(Array.from(a.data)).toEqual(values);
      }),
      { seed: 20240601, numRuns: 200 },
    );
  });

  it('a Fortran-order matrix larger than the 64×64 transpose tile, with ragged edges (131×67)', () => {
    const [rows, cols] = [131, 67];
    const body = new Uint8Array(rows * cols * 8);
    const bv = new DataView(body.buffer);
    for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) bv.setFloat64((j * rows + i) * 8, i * 1000 + j, true);
    const a = parseNpy(npyBytes('<f8', [rows, cols], true, body), 'big.npy');
    expect(Array.from(a.data)).toEqual(Array.from({ length: rows * cols }, (_, t) => Math.floor(t / cols) * 1000 + (t % cols)));
  });

  it('<i8 labels: every value in the int32 range survives, one outside is refused', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 20 }), (v) => {
        const body = new Uint8Array(v.length * 8);
        const bv = new DataView(body.buffer);
        v.forEach((x, i) => bv.setBigInt64(i * 8, BigInt(x), true));
        expect(Array.from(parseNpy(npyBytes('<i8', [v.length], false, body), 'l.npy').data)).toEqual(v);
        bv.setBigInt64(0, 2n ** 31n, true);
        expectInputError(() => parseNpy(npyBytes('<i8', [v.length], false, body), 'l.npy'), 'int32 range', 'element 0');
      }),
      { seed: 7, numRuns: 100 },
    );
  });
});

describe('writeFileAtomic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ncverify-atomic-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates parent folders, writes the content, replaces an existing file, leaves no temp file', () => {
    const path = join(dir, 'a/b/report.json');
    writeFileAtomic(path, 'first');
    writeFileAtomic(path, new Uint8Array([104, 105]));
    expect(readFileSync(path, 'utf8')).toBe('hi');
    expect(readdirSync(join(dir, 'a/b'))).toEqual(['report.json']);
  });

  it('throws and leaves the old file intact when the target cannot be replaced', () => {
    const path = join(dir, 'keep.txt');
    writeFileSync(path, 'old');
    // A directory cannot be renamed over by a file: the rename fails after the temp file is written.
    const blocked = join(dir, 'blocked');
    writeFileAtomic(join(blocked, 'x'), 'y');
    expect(() => writeFileAtomic(blocked, 'new')).toThrow();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
