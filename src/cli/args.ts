import { InputError } from '../errors.ts';

/** The flags a command accepts: name → kind. `boolean` flags take no value. */
export type FlagSpec = Readonly<Record<string, 'string' | 'boolean'>>;

/** Parsed command-line flags: string flags map to their value, boolean flags to true. */
export type ParsedFlags = Record<string, string | true>;

/**
 * Parses `--flag value`, `--flag=value` and boolean `--flag` against a spec. Unknown flags,
 * missing values, repeated flags and stray positional words are {@link InputError}s.
 *
 * @example
 * ```ts
 * parseFlags(['--n', '10,40', '--json'], { n: 'string', json: 'boolean' }); // { n: '10,40', json: true }
 * ```
 */
export function parseFlags(argv: readonly string[], spec: FlagSpec): ParsedFlags {
  const out: ParsedFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (!word.startsWith('--')) {
      throw new InputError(word, 'unexpected argument: flags are written --name value');
    }
    const eq = word.indexOf('=');
    const name = word.slice(2, eq < 0 ? undefined : eq);
    // own keys only: `--constructor` or `--__proto__` must not find Object.prototype's members
    const kind = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (kind === undefined) {
      const known = Object.keys(spec).map((f) => `--${f}`).join(', ');
      throw new InputError(`--${name}`, `unknown flag; this command takes ${known}`);
    }
    if (Object.hasOwn(out, name)) throw new InputError(`--${name}`, 'may be given only once');
    if (kind === 'boolean') {
      if (eq >= 0) throw new InputError(`--${name}`, 'takes no value');
      out[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = word.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    if (value === undefined || value === '') throw new InputError(`--${name}`, 'needs a value');
    out[name] = value;
  }
  return out;
}

/**
 * A required string flag's value.
 *
 * @example
 * ```ts
 * requireFlag({ n: '1,2' }, 'n'); // '1,2'
 * ```
 */
export function requireFlag(flags: ParsedFlags, name: string): string {
  const v = flags[name];
  if (typeof v !== 'string') throw new InputError(`--${name}`, 'is required');
  return v;
}

/**
 * Parses a finite decimal number (`5e-3`, `0.01`); anything else is an {@link InputError}.
 *
 * @example
 * ```ts
 * parseNumber('5e-3', '--lw'); // 0.005
 * ```
 */
export function parseNumber(text: string, parameter: string): number {
  const t = text.trim();
  const v = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN;
  if (!Number.isFinite(v)) throw new InputError(parameter, 'must be a finite number', `got '${text}'`);
  return v;
}

/**
 * Parses an integer written in decimal digits.
 *
 * @example
 * ```ts
 * parseInteger('8', '--d'); // 8
 * ```
 */
export function parseInteger(text: string, parameter: string): number {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t) || !Number.isSafeInteger(Number(t))) {
    throw new InputError(parameter, 'must be an integer', `got '${text}'`);
  }
  return Number(t);
}

/**
 * Parses a comma-separated list of integers (`10,10,40,40`). Range rules (positivity, K ≥ 2) are
 * checked by the problem validators, not here.
 *
 * @example
 * ```ts
 * parseIntegerList('10,10,40,40', '--n'); // [10, 10, 40, 40]
 * ```
 */
export function parseIntegerList(text: string, parameter: string): number[] {
  const parts = text.split(',');
  if (parts.some((p) => p.trim() === '')) {
    throw new InputError(parameter, 'must be a comma-separated list of integers, e.g. 10,10,40,40', `got '${text}'`);
  }
  return parts.map((p) => {
    const t = p.trim();
    if (!/^[+-]?\d+$/.test(t)) {
      throw new InputError(parameter, 'must be a comma-separated list of integers, e.g. 10,10,40,40', `got '${text}'`);
    }
    return Number(t);
  });
}
