import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import { InputError } from '../errors.ts';
import { type NpyHeader, parseNpyHeader, readPreamble } from './npyHeader.ts';

/**
 * A 1-D or 2-D array read from a NumPy `.npy` file, in C (row-major) order whatever the file's
 * order. Floating dtypes (`<f4`, `<f8`) become a Float64Array; integer dtypes an Int32Array
 * (values outside the int32 range are refused).
 */
export type NpyArray =
  | { readonly kind: 'float'; readonly descr: string; readonly shape: readonly number[]; readonly data: Float64Array }
  | { readonly kind: 'int'; readonly descr: string; readonly shape: readonly number[]; readonly data: Int32Array };

/** The largest number of elements read: 2^31 − 1 (the int32 index range ncverify uses). */
export const MAX_NPY_ELEMENTS = 2 ** 31 - 1;

interface DtypeInfo {
  readonly size: number;
  readonly kind: 'float' | 'int';
  /** Reads element i (little-endian) through a DataView: the general path. */
  readonly get: (v: DataView, byte: number) => number | bigint;
}

/** The dtypes read. `|` (not applicable) and `<` (little-endian) byte orders only. */
const DTYPES: Readonly<Record<string, DtypeInfo>> = {
  '<f8': { size: 8, kind: 'float', get: (v, b) => v.getFloat64(b, true) },
  '<f4': { size: 4, kind: 'float', get: (v, b) => v.getFloat32(b, true) },
  '|i1': { size: 1, kind: 'int', get: (v, b) => v.getInt8(b) },
  '<i1': { size: 1, kind: 'int', get: (v, b) => v.getInt8(b) },
  '|u1': { size: 1, kind: 'int', get: (v, b) => v.getUint8(b) },
  '<u1': { size: 1, kind: 'int', get: (v, b) => v.getUint8(b) },
  '<i2': { size: 2, kind: 'int', get: (v, b) => v.getInt16(b, true) },
  '<u2': { size: 2, kind: 'int', get: (v, b) => v.getUint16(b, true) },
  '<i4': { size: 4, kind: 'int', get: (v, b) => v.getInt32(b, true) },
  '<u4': { size: 4, kind: 'int', get: (v, b) => v.getUint32(b, true) },
  '<i8': { size: 8, kind: 'int', get: (v, b) => v.getBigInt64(b, true) },
  '<u8': { size: 8, kind: 'int', get: (v, b) => v.getBigUint64(b, true) },
};

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** The dtype's description, or an InputError naming the file and the dtypes that are read. */
function dtypeOf(descr: string, file: string): DtypeInfo {
  const info = DTYPES[descr];
  if (info !== undefined) return info;
  if (descr.startsWith('>') || (descr.startsWith('=') && !LITTLE_ENDIAN_HOST)) {
    throw new InputError(file, `is big-endian (${descr}); only little-endian data are read — convert with arr.astype('<${descr.slice(1)}')`);
  }
  throw new InputError(file, `has an unsupported dtype; read are ${Object.keys(DTYPES).join(', ')}`, `got '${descr}'`);
}

/**
 * Checks the header's shape against the limits and the data length; returns the element count.
 * Refuses 0-D and >2-D shapes, more than {@link MAX_NPY_ELEMENTS} elements, truncated files and
 * trailing bytes — all before any data buffer is allocated.
 */
function checkShape(h: NpyHeader, info: DtypeInfo, dataBytes: number, file: string): number {
  const shapeText = `(${h.shape.join(', ')})`;
  if (h.shape.length < 1 || h.shape.length > 2) {
    throw new InputError(file, 'must hold a 1-D or 2-D array', `shape ${shapeText}`);
  }
  if (h.shape.some((s) => !Number.isSafeInteger(s) || s < 0)) {
    throw new InputError(file, 'has a bad .npy shape: dimensions must be non-negative integers', `shape ${shapeText}`);
  }
  const count = h.shape.reduce((a, b) => a * b, 1);
  if (count > MAX_NPY_ELEMENTS) {
    throw new InputError(file, `has an absurd shape: at most 2^31 − 1 = ${MAX_NPY_ELEMENTS} elements are read`, `shape ${shapeText} = ${count} elements`);
  }
  const expected = count * info.size;
  if (dataBytes < expected) {
    throw new InputError(file, `is truncated: shape ${shapeText} of ${h.descr} needs ${expected} data bytes`, `the file has ${dataBytes} after the header`);
  }
  if (dataBytes > expected) {
    throw new InputError(file, `does not match its shape: ${shapeText} of ${h.descr} needs ${expected} data bytes`, `the file has ${dataBytes} after the header`);
  }
  return count;
}

/** Converts int values to an Int32Array, refusing any outside [−2^31, 2^31 − 1]. */
function toInt32(raw: Uint8Array, descr: string, count: number, file: string): Int32Array {
  const info = DTYPES[descr];
  if (descr === '<i4' && LITTLE_ENDIAN_HOST && raw.byteOffset % 4 === 0) {
    return new Int32Array(raw.buffer, raw.byteOffset, count); // a view: no copy
  }
  const out = new Int32Array(count);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let i = 0; i < count; i++) {
    const v = info.get(view, i * info.size);
    const n = typeof v === 'bigint' ? (v >= -(2n ** 31n) && v < 2n ** 31n ? Number(v) : NaN) : v;
    if (!(n >= -(2 ** 31) && n < 2 ** 31)) {
      throw new InputError(file, 'holds an integer outside the int32 range [−2^31, 2^31 − 1]', `element ${i} = ${String(v)}`);
    }
    out[i] = n;
  }
  return out;
}

/** Converts float values to a Float64Array (a view for aligned `<f8`, else one new array). */
function toFloat64(raw: Uint8Array, info: DtypeInfo, count: number): Float64Array {
  const aligned = LITTLE_ENDIAN_HOST && raw.byteOffset % info.size === 0;
  if (aligned && info.size === 8) return new Float64Array(raw.buffer, raw.byteOffset, count); // a view: no copy
  if (aligned && info.size === 4) return Float64Array.from(new Float32Array(raw.buffer, raw.byteOffset, count));
  const out = new Float64Array(count);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let i = 0; i < count; i++) out[i] = info.get(view, i * info.size) as number;
  return out;
}

/** Tile edge of the blocked transpose: 64×64 doubles (32 KiB) keep both tiles in L1/L2 cache. */
const TILE = 64;

/** Column-major rows×cols data → row-major (one new array of the same size), in cache-sized tiles. */
function transposeFortran<T extends Float64Array | Int32Array>(src: T, rows: number, cols: number): T {
  const out = new (src.constructor as new (n: number) => T)(src.length);
  for (let j0 = 0; j0 < cols; j0 += TILE) {
    const j1 = Math.min(cols, j0 + TILE);
    for (let i0 = 0; i0 < rows; i0 += TILE) {
      const i1 = Math.min(rows, i0 + TILE);
      for (let j = j0; j < j1; j++) {
        const base = j * rows;
        for (let i = i0; i < i1; i++) out[i * cols + j] = src[base + i];
      }
    }
  }
  return out;
}

/** Decodes the data section (exactly count·itemsize bytes) of a checked header. */
function decode(h: NpyHeader, info: DtypeInfo, raw: Uint8Array, count: number, file: string): NpyArray {
  const [rows, cols] = h.shape.length === 2 ? h.shape : [h.shape[0], 1];
  const fortran = h.fortranOrder && h.shape.length === 2 && rows > 1 && cols > 1;
  if (info.kind === 'float') {
    const flat = toFloat64(raw, info, count);
    return { kind: 'float', descr: h.descr, shape: h.shape, data: fortran ? transposeFortran(flat, rows, cols) : flat };
  }
  const flat = toInt32(raw, h.descr, count, file);
  return { kind: 'int', descr: h.descr, shape: h.shape, data: fortran ? transposeFortran(flat, rows, cols) : flat };
}

/**
 * Parses a complete .npy file held in memory. `file` names it in error messages.
 *
 * @example
 * ```ts
 * const a = parseNpy(readFileSync('labels.npy'), 'labels.npy'); // { kind: 'int', shape: [100], data: Int32Array }
 * ```
 */
export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  const h = parseNpyHeader(bytes, file);
  const info = dtypeOf(h.descr, file);
  const count = checkShape(h, info, bytes.length - h.dataOffset, file);
  return decode(h, info, bytes.subarray(h.dataOffset), count, file);
}

/** Reads exactly `into.length` bytes at `position`, looping over short reads (and the 2 GiB cap of one read). */
function readFully(fd: number, into: Uint8Array, position: number): number {
  let done = 0;
  while (done < into.length) {
    const chunk = Math.min(into.length - done, 0x40000000);
    const n = readSync(fd, into, done, chunk, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** One buffer for the data section; a size the process cannot allocate is an InputError naming the file. */
function allocate(bytes: number, file: string): Uint8Array {
  try {
    return new Uint8Array(new ArrayBuffer(bytes));
  } catch (e) {
    if (e instanceof RangeError) throw new InputError(file, 'is too large to read into memory', `${bytes} data bytes: ${e.message}`);
    throw e;
  }
}

/**
 * Reads a NumPy .npy file (format 1.0/2.0/3.0; dtypes `<f4`, `<f8`, `|i1`, `|u1`, `<i2`, `<u2`,
 * `<i4`, `<u4`, `<i8`, `<u8`; 1-D or 2-D; C or Fortran order).
 *
 * Memory: the header is read and checked first (shape limits and file length) so that nothing is
 * allocated for a malformed or absurd file; then the data section is read with one read (looped
 * in 1 GiB chunks) into one ArrayBuffer of exactly the data size. `<f8` and `<i4` in C order
 * are returned as a view of that buffer (8·n resp. 4·n bytes in all, no copy); other dtypes cost
 * that buffer plus one output array (e.g. `<f4`: 4·n + 8·n bytes, the first freed on return);
 * Fortran-order 2-D arrays cost one more output-sized array for the transpose.
 *
 * @example
 * ```ts
 * const feats = readNpy('feats.npy'); // feats.kind === 'float', feats.shape = [N, d]
 * ```
 */
export function readNpy(path: string): NpyArray {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new InputError(path, 'cannot be opened', (e as NodeJS.ErrnoException).code ?? String(e));
  }
  try {
    const size = fstatSync(fd).size;
    const pre = new Uint8Array(Math.min(size, 12));
    readFully(fd, pre, 0);
    const { headerStart, headerLength } = readPreamble(pre, path);
    const head = new Uint8Array(Math.min(size, headerStart + headerLength));
    readFully(fd, head, 0);
    const h = parseNpyHeader(head, path);
    const info = dtypeOf(h.descr, path);
    const count = checkShape(h, info, size - h.dataOffset, path);
    const raw = allocate(count * info.size, path);
    const got = readFully(fd, raw, h.dataOffset);
    if (got !== raw.length) throw new InputError(path, 'was truncated while being read', `${got} of ${raw.length} data bytes`);
    return decode(h, info, raw, count, path);
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.name !== 'InputError') {
      throw new InputError(path, 'cannot be read', String((e as NodeJS.ErrnoException).code));
    }
    throw e;
  } finally {
    closeSync(fd);
  }
}
