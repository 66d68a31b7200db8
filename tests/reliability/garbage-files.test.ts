/**
 * Garbage at the file readers: random bytes and mutated valid files given to the .npy reader, the
 * CIFAR-10 reader and the verify-report validator (and what reads a validated report: the gate and
 * the merge). Each must return a well-formed value or refuse with an InputError naming the file —
 * never a RangeError, TypeError or any other crash, and never a hang (every case is bounded in
 * size, and the whole file runs in seconds). Seeded: the same cases run every time.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CIFAR10_RECORD_BYTES, encodeCifar10, parseCifar10, readCifar10 } from '../../src/data/cifar10.ts';
import { type NpyArray, parseNpy, readNpy } from '../../src/io/npy.ts';
import { compareReports } from '../../src/reports/gate.ts';
import { mergeReports } from '../../src/reports/merge.ts';
import { readVerifyReport, validateVerifyReport } from '../../src/reports/validateReport.ts';
import type { VerifyReport } from '../../src/reports/verifyReport.ts';
import { describeCrash, npyFile, outcome } from './helpers.ts';

const SEED = 20240812;
const FORMATS = fileURLToPath(new URL('../../fixtures/features/formats', import.meta.url));
const BASELINE = fileURLToPath(new URL('../../fixtures/gate/baseline.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ncverify-garbage-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytesOf = (path: string): Uint8Array => new Uint8Array(readFileSync(path));

/** The valid files whose mutations are tried: NumPy-written fixtures of every dtype and order. */
const VALID_NPY = ['f8.npy', 'f4_fortran.npy', 'f8_v2.npy', 'f8_v3.npy', 'labels_i8.npy', 'labels_u1.npy', 'vec_f8.npy'].map((f) => bytesOf(join(FORMATS, f)));

/** An edit of a byte string: flip a byte, cut the tail, insert bytes, or overwrite a run. */
const edit = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 16 }) }),
  fc.record({ op: fc.constant('overwrite' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
);
type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never;

function applyEdits(base: Uint8Array, edits: readonly Edit[], focus: number): Uint8Array {
  let b = base.slice();
  for (const e of edits) {
    // positions mostly inside the first `focus` bytes (the preamble and header), where parsing happens
    const at = b.length === 0 ? 0 : e.at % Math.max(1, Math.min(b.length, e.at % 4 === 0 ? b.length : focus));
    if (e.op === 'set' && at < b.length) b[at] = e.byte;
    else if (e.op === 'cut') b = b.slice(0, at);
    else if (e.op === 'insert') b = Uint8Array.from([...b.slice(0, at), ...e.bytes, ...b.slice(at)]);
    else if (e.op === 'overwrite') b.set(e.bytes.slice(0, Math.max(0, b.length - at)), at);
  }
  return b;
}

/** A returned array must be consistent: 1-D or 2-D, data length = product of the shape, typed by kind. */
function expectWellFormed(a: NpyArray): void {
  expect(a.shape.length === 1 || a.shape.length === 2).toBe(true);
  expect(a.data.length).toBe(a.shape.reduce((x, y) => x * y, 1));
  expect(a.kind === 'float' ? a.data instanceof Float64Array : a.data instanceof Int32Array).toBe(true);
}

function expectNpyOutcome(bytes: Uint8Array, file: string): void {
  const o = outcome(() => parseNpy(bytes, file));
  expect(o.kind, describeCrash(o)).not.toBe('crash');
  if (o.kind === 'value') expectWellFormed(o.value);
  else if (o.kind === 'input-error') expect(o.error.message.startsWith(`${file}: `)).toBe(true);
}

describe('.npy reader on garbage', () => {
  it('random bytes (with and without the magic prefix) → InputError naming the file', () => {
    const magic = Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), fc.integer({ min: 0, max: 4 }), (raw, withMagic, version) => {
        const bytes = withMagic ? Uint8Array.from([...magic, version, 0, ...raw]) : raw;
        expectNpyOutcome(bytes, 'garbage.npy');
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('valid NumPy files with random edits (flips, cuts, insertions) → a well-formed array or an InputError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VALID_NPY), fc.array(edit, { minLength: 1, maxLength: 4 }), (base, edits) => {
        expectNpyOutcome(applyEdits(base, edits, 140), 'mutated.npy');
      }),
      { seed: SEED, numRuns: 600 },
    );
  });

  it('header dicts built from Python-literal tokens (nesting, huge and negative shapes, odd dtypes) → array or InputError', () => {
    const token = fc.constantFrom(
      '{', '}', '(', ')', '[', ']', ':', ',', ' ', "'descr'", "'shape'", "'fortran_order'", "'<f8'", "'<i4'", "'|u1'", "'>f8'",
      "'<c16'", 'True', 'False', 'None', '0', '1', '2', '-1', '3L', '99999999999', '2147483648', '9007199254740993', "'", '"', '\\', 'é',
    );
    const header = fc.oneof(
      fc.array(token, { maxLength: 30 }).map((t) => t.join('')),
      fc.tuple(fc.constantFrom("'<f8'", "'<i8'", "'|u1'", "'<f4'", '3', "('<f8', 2)"), fc.constantFrom('True', 'False', '1', 'None'),
        fc.array(fc.oneof(fc.integer({ min: -3, max: 5 }), fc.constantFrom(2 ** 31, 2 ** 40, 2 ** 53)), { maxLength: 4 }))
        .map(([descr, order, shape]) => `{'descr': ${descr}, 'fortran_order': ${order}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`),
      fc.integer({ min: 1, max: 200 }).map((depth) => `{'descr': '<f8', 'fortran_order': False, 'shape': ${'('.repeat(depth)}1,${')'.repeat(depth)}, }`),
    );
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 64 }), (dict, data) => {
        expectNpyOutcome(npyFile('', [], data, dict), 'header.npy');
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('a header nested 100 000 deep is refused, not a stack overflow', () => {
    const deep = `{'descr': '<f8', 'fortran_order': False, 'shape': ${'('.repeat(100_000)}${')'.repeat(100_000)}, }`;
    // The header-length field of format 2.0 holds it (v1's is 16 bits): write a v2 preamble by hand.
    const text = new TextEncoder().encode(`${deep}\n`);
    const bytes = new Uint8Array(12 + text.length);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]);
    new DataView(bytes.buffer).setUint32(8, text.length, true);
    bytes.set(text, 12);
    const o = outcome(() => parseNpy(bytes, 'deep.npy'));
    expect(o.kind, describeCrash(o)).toBe('input-error');
  });

  it('readNpy on mutated files, a folder and a missing path → array or InputError', () => {
    const path = join(dir, 'm.npy');
    fc.assert(
      fc.property(fc.constantFrom(...VALID_NPY), fc.array(edit, { minLength: 1, maxLength: 3 }), (base, edits) => {
        writeFileSync(path, applyEdits(base, edits, 140));
        const o = outcome(() => readNpy(path));
        expect(o.kind, describeCrash(o)).not.toBe('crash');
        if (o.kind === 'value') expectWellFormed(o.value);
      }),
      { seed: SEED, numRuns: 150 },
    );
    const folder = join(dir, 'folder.npy');
    mkdirSync(folder, { recursive: true });
    for (const p of [folder, join(dir, 'missing.npy')]) {
      const o = outcome(() => readNpy(p));
      expect(o.kind, describeCrash(o)).toBe('input-error');
    }
  });
});

describe('CIFAR-10 reader on garbage', () => {
  const labels = Uint8Array.from([0, 3, 9, 1]);
  const pixels = Uint8Array.from({ length: labels.length * 3072 }, (_, i) => (i * 31) % 256);
  const valid = encodeCifar10(labels, pixels);

  it('random bytes → a consistent set or an InputError naming the source', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 1, max: 3 }).chain((r) => fc.uint8Array({ minLength: r * CIFAR10_RECORD_BYTES, maxLength: r * CIFAR10_RECORD_BYTES }))), (bytes) => {
        const o = outcome(() => parseCifar10(bytes, 'garbage.bin'));
        expect(o.kind, describeCrash(o)).not.toBe('crash');
        if (o.kind === 'value') {
          expect(o.value.count * CIFAR10_RECORD_BYTES).toBe(bytes.length);
          expect(o.value.classCounts.reduce((a, b) => a + b, 0)).toBe(o.value.count);
        } else if (o.kind === 'input-error') expect(o.error.message.startsWith('garbage.bin: ')).toBe(true);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('a valid file with random edits (label bytes > 9, cuts, insertions) → set or InputError', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        const o = outcome(() => parseCifar10(applyEdits(valid, edits, valid.length), 'mutated.bin'));
        expect(o.kind, describeCrash(o)).not.toBe('crash');
        if (o.kind === 'value') expect(Array.from(o.value.labels).every((l) => l <= 9)).toBe(true);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('a file over 2 GiB (sparse: no disk used) → InputError naming it, not ERR_FS_FILE_TOO_LARGE thrown through', () => {
    const big = join(dir, 'big.bin');
    writeFileSync(big, '');
    truncateSync(big, 2 ** 31 + CIFAR10_RECORD_BYTES);
    const o = outcome(() => readCifar10(big));
    expect(o.kind, describeCrash(o)).toBe('input-error');
    rmSync(big);
  });

  it('readCifar10 on an empty file, a folder, a missing path → InputError', () => {
    const empty = join(dir, 'empty.bin');
    writeFileSync(empty, new Uint8Array(0));
    for (const p of [empty, dir, join(dir, 'missing.bin')]) {
      const o = outcome(() => readCifar10(p));
      expect(o.kind, describeCrash(o)).toBe('input-error');
    }
  });
});

describe('verify-report validator (and the gate and merge behind it) on garbage', () => {
  const baseline = readVerifyReport(BASELINE);
  const baselineJson = JSON.parse(readFileSync(BASELINE, 'utf8')) as unknown;

  /** What reads a validated report must not crash on it: compare both ways, merge it alone. */
  function expectReadersCope(r: VerifyReport): void {
    const readers: (() => unknown)[] = [() => compareReports(baseline, r), () => compareReports(r, baseline), () => mergeReports([{ file: 'r.json', report: r }])];
    for (const f of readers) {
      const o = outcome(f);
      expect(o.kind, describeCrash(o)).not.toBe('crash');
    }
  }

  function expectReportOutcome(value: unknown): void {
    const o = outcome(() => validateVerifyReport(value, 'r.json'));
    expect(o.kind, describeCrash(o)).not.toBe('crash');
    if (o.kind === 'value') expectReadersCope(o.value);
    else if (o.kind === 'input-error') expect(o.error.message.startsWith('r.json: ')).toBe(true);
  }

  it('random JSON values → InputError (or a report the gate and merge can read)', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), expectReportOutcome), { seed: SEED, numRuns: 300 });
  });

  /** Replaces, deletes or retypes the value at a random path of a JSON tree. */
  function mutateAt(root: unknown, choices: readonly number[], replacement: unknown, mode: number): unknown {
    const copy = structuredClone(root);
    let node = copy as Record<string, unknown> | unknown[];
    for (let i = 0; i < choices.length; i++) {
      const keys = Array.isArray(node) ? node.map((_, j) => j) : Object.keys(node);
      if (keys.length === 0) break;
      const key = keys[choices[i] % keys.length];
      const child = (node as Record<string | number, unknown>)[key];
      const last = i === choices.length - 1 || typeof child !== 'object' || child === null;
      if (last) {
        if (mode === 0 && !Array.isArray(node)) delete (node as Record<string, unknown>)[key as string];
        else (node as Record<string | number, unknown>)[key] = replacement;
        break;
      }
      node = child as Record<string, unknown> | unknown[];
    }
    return copy;
  }

  it('the baseline report with one field deleted, retyped or replaced → InputError or a report the readers cope with', () => {
    const replacement = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(-1, 0, 1e308, -1e308, 2 ** 53, 0.5, '', 'fail', 'pass', 'recorded', [], {}, null),
    );
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), replacement, fc.integer({ min: 0, max: 2 }), (choices, value, mode) => {
        expectReportOutcome(mutateAt(baselineJson, choices, value, mode));
      }),
      { seed: SEED, numRuns: 600 },
    );
  });

  it('report files of random bytes, invalid UTF-8, deep nesting or a folder → InputError naming the file', () => {
    const path = join(dir, 'report.json');
    const cases: (string | Uint8Array)[] = ['', '{', '[]', 'null', '{"tool":"ncverify"}', '['.repeat(200_000), `${'['.repeat(5000)}${']'.repeat(5000)}`, Uint8Array.from([0xff, 0xfe, 0x7b, 0x7d])];
    fc.sample(fc.uint8Array({ maxLength: 200 }), { seed: SEED, numRuns: 50 }).forEach((b) => cases.push(b));
    for (const c of cases) {
      writeFileSync(path, c);
      const o = outcome(() => readVerifyReport(path));
      expect(o.kind, describeCrash(o)).toBe('input-error');
      if (o.kind === 'input-error') expect(o.error.message.startsWith(`${path}: `)).toBe(true);
    }
    const o = outcome(() => readVerifyReport(dir));
    expect(o.kind, describeCrash(o)).toBe('input-error');
  });
});
