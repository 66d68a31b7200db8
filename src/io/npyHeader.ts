import { InputError } from '../errors.ts';

/**
 * The parsed header of a NumPy `.npy` file (format versions 1.0, 2.0, 3.0; see
 * numpy.lib.format): the dtype string, the memory order and the shape, and where the data start.
 */
export interface NpyHeader {
  /** Format version, `[major, minor]`. */
  readonly version: readonly [number, number];
  /** The dtype as written in the file, e.g. `<f8`, `|u1`. */
  readonly descr: string;
  /** True when the data are stored column-major (Fortran order). */
  readonly fortranOrder: boolean;
  /** The array shape. */
  readonly shape: readonly number[];
  /** Byte offset of the first data byte (magic + length field + header dict). */
  readonly dataOffset: number;
}

/** The six magic bytes every .npy file starts with: `\x93NUMPY`. */
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** Refuse header dicts larger than this (NumPy itself writes a few hundred bytes). */
export const MAX_HEADER_BYTES = 1 << 20;

/**
 * How many bytes the fixed preamble takes for a version: magic (6) + version (2) + header length
 * (2 bytes in 1.0, 4 in 2.0/3.0).
 */
function preambleLength(major: number): number {
  return major === 1 ? 10 : 12;
}

/**
 * Reads the preamble (magic, version, header length) from the first bytes of a file.
 * Needs at least 12 bytes when available (10 suffice for version 1.0).
 *
 * @example
 * ```ts
 * readPreamble(bytes, 'x.npy'); // { major: 1, minor: 0, headerLength: 118, dataStart: 128 }
 * ```
 */
export function readPreamble(bytes: Uint8Array, file: string): { major: number; minor: number; headerStart: number; headerLength: number } {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new InputError(file, 'is not a NumPy .npy file: it must start with the magic bytes \\x93NUMPY', `${bytes.length} bytes read`);
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (![1, 2, 3].includes(major) || minor !== 0) {
    throw new InputError(file, 'has an unsupported .npy format version; versions 1.0, 2.0 and 3.0 are read', `got ${major}.${minor}`);
  }
  const headerStart = preambleLength(major);
  if (bytes.length < headerStart) throw new InputError(file, 'is truncated inside the .npy preamble', `${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_HEADER_BYTES) {
    throw new InputError(file, `has an absurd .npy header length (limit ${MAX_HEADER_BYTES} bytes)`, `got ${headerLength}`);
  }
  return { major, minor, headerStart, headerLength };
}

/**
 * Parses the header dict that follows the preamble, e.g.
 * `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`. A small parser of the Python
 * literal subset NumPy writes (no `eval`); the keys must be exactly `descr`, `fortran_order`, `shape`.
 *
 * @example
 * ```ts
 * parseHeaderDict("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 'x.npy');
 * // { descr: '<f8', fortranOrder: false, shape: [2] }
 * ```
 */
export function parseHeaderDict(text: string, file: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  const value = new LiteralParser(text, file).parseAll();
  const bad = (why: string): never => {
    throw new InputError(file, `has a bad .npy header dict: ${why}`, `header ${JSON.stringify(text.trim())}`);
  };
  if (!(value instanceof Map)) return bad('it must be a dict');
  const keys = [...value.keys()].sort();
  if (keys.join(',') !== 'descr,fortran_order,shape') return bad("the keys must be exactly 'descr', 'fortran_order', 'shape'");
  const descr = value.get('descr');
  const fortranOrder = value.get('fortran_order');
  const shape = value.get('shape');
  if (typeof descr !== 'string') {
    throw new InputError(file, 'has an unsupported dtype: only simple numeric dtypes are read (structured arrays are not)', `descr ${JSON.stringify(descr)}`);
  }
  if (typeof fortranOrder !== 'boolean') return bad("'fortran_order' must be True or False");
  if (!isTuple(shape) || !shape.items.every((s) => typeof s === 'number')) return bad("'shape' must be a tuple of integers");
  return { descr, fortranOrder, shape: shape.items as number[] };
}

/**
 * Parses the complete header of an .npy file from its first bytes (at least the preamble and the
 * header dict). Does not look at the data.
 *
 * @example
 * ```ts
 * const h = parseNpyHeader(readFileSync('feats.npy'), 'feats.npy'); // h.shape = [100, 16]
 * ```
 */
export function parseNpyHeader(bytes: Uint8Array, file: string): NpyHeader {
  const { major, minor, headerStart, headerLength } = readPreamble(bytes, file);
  const dataOffset = headerStart + headerLength;
  if (bytes.length < dataOffset) {
    throw new InputError(file, 'is truncated inside the .npy header', `needs ${dataOffset} bytes, has ${bytes.length}`);
  }
  const raw = bytes.subarray(headerStart, dataOffset);
  // Versions 1.0 and 2.0 store the header in latin-1, 3.0 in UTF-8.
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(raw);
  const { descr, fortranOrder, shape } = parseHeaderDict(text, file);
  return { version: [major, minor], descr, fortranOrder, shape, dataOffset };
}

/** A Python tuple (kept apart from lists so that `shape` must be a tuple). */
interface Tuple {
  readonly tuple: true;
  readonly items: readonly PyValue[];
}
type PyValue = string | number | boolean | null | Tuple | PyValue[] | Map<string, PyValue>;

function isTuple(v: unknown): v is Tuple {
  return typeof v === 'object' && v !== null && (v as Tuple).tuple === true;
}

/** The deepest nesting of the header's literals accepted (NumPy's headers nest 2 deep). */
const MAX_NESTING = 16;

/** Recursive-descent parser of the Python literals NumPy writes in .npy headers. */
class LiteralParser {
  private pos = 0;
  /** Current nesting of dicts, tuples and lists (NumPy writes 2; deep nesting would overflow the stack). */
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  parseAll(): PyValue {
    const v = this.value();
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail('unexpected text after the dict');
    return v;
  }

  private fail(why: string): never {
    throw new InputError(this.file, `has a bad .npy header dict: ${why} at character ${this.pos}`, `header ${JSON.stringify(this.text.trim())}`);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private value(): PyValue {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{' || c === '(' || c === '[') {
      if (++this.depth > MAX_NESTING) this.fail(`nested deeper than ${MAX_NESTING} levels`);
      const v = c === '{' ? this.dict() : c === '(' ? { tuple: true as const, items: this.sequence('(', ')') } : this.sequence('[', ']');
      this.depth--;
      return v;
    }
    if (c === "'" || c === '"') return this.string();
    const word = /^(True|False|None|[+-]?\d+L?)/.exec(this.text.slice(this.pos));
    if (word === null) this.fail('expected a Python literal');
    this.pos += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    const n = Number(word[0].replace(/L$/, ''));
    if (!Number.isSafeInteger(n)) this.fail('integer too large');
    return n;
  }

  private string(): string {
    const quote = this.text[this.pos++];
    let out = '';
    while (this.pos < this.text.length && this.text[this.pos] !== quote) {
      if (this.text[this.pos] === '\\') this.pos++;
      out += this.text[this.pos++];
    }
    if (this.pos >= this.text.length) this.fail('unterminated string');
    this.pos++;
    return out;
  }

  /** `( a, b, )` or `[a, b]`: items separated by commas, trailing comma allowed. */
  private sequence(open: string, close: string): PyValue[] {
    this.pos++; // open
    const items: PyValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === close) break;
      items.push(this.value());
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== close) this.fail(`expected ',' or '${close}'`);
    }
    this.pos++; // close
    return items;
  }

  private dict(): Map<string, PyValue> {
    this.pos++; // {
    const out = new Map<string, PyValue>();
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '}') break;
      const key = this.value();
      if (typeof key !== 'string') this.fail('dict keys must be strings');
      if (out.has(key)) this.fail(`repeated key '${key}'`);
      this.skipSpace();
      if (this.text[this.pos++] !== ':') this.fail("expected ':'");
      out.set(key, this.value());
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== '}') this.fail("expected ',' or '}'");
    }
    this.pos++;
    return out;
  }
}
