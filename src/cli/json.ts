/**
 * The JSON writer of the CLI commands. `JSON.stringify` silently writes NaN and ±Infinity as
 * `null`, so a broken number would reach a report or a pipeline looking like a missing value; every
 * `--json` output and JSON report goes through {@link finiteJson}, which refuses them instead.
 */

/**
 * A non-finite number (NaN, ±Infinity) where a result must hold finite numbers: a bug in the code
 * that produced the value, never a usage error (the CLI does not turn it into exit code 2).
 */
export class NonFiniteOutputError extends Error {
  override readonly name = 'NonFiniteOutputError';

  constructor(
    /** The JSON path of the offending number, e.g. `$.classes[2].margin`. */
    readonly path: string,
    /** The number itself (NaN, Infinity or -Infinity). */
    readonly value: number,
  ) {
    super(`internal error: the output holds ${value} at ${path} (JSON would write it as null); this is a bug, please report it`);
  }
}

/** The JSON path of the first non-finite number in `value`, or null. Cycles are JSON.stringify's to report. */
export function firstNonFinite(value: unknown, path = '$', seen: Set<object> = new Set()): { path: string; value: number } | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : { path, value };
  if (typeof value !== 'object' || value === null || seen.has(value)) return null;
  seen.add(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const a = value as unknown as ArrayLike<number | bigint>;
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (typeof x === 'number' && !Number.isFinite(x)) return { path: `${path}[${i}]`, value: x };
    }
    return null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = firstNonFinite(value[i], `${path}[${i}]`, seen);
      if (hit !== null) return hit;
    }
    return null;
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return firstNonFinite(toJSON.call(value), path, seen);
  for (const [k, v] of Object.entries(value)) {
    const hit = firstNonFinite(v, /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`, seen);
    if (hit !== null) return hit;
  }
  return null;
}

/**
 * `JSON.stringify(value, null, indent)`, but a NaN or ±Infinity anywhere in `value` throws a
 * {@link NonFiniteOutputError} naming its path instead of being written as `null`.
 *
 * @example
 * ```ts
 * finiteJson({ objective: 0.5 });          // '{"objective":0.5}'
 * finiteJson({ classes: [{ margin: NaN }] }); // throws: "… NaN at $.classes[0].margin …"
 * ```
 */
export function finiteJson(value: unknown, indent?: number): string {
  const hit = firstNonFinite(value);
  if (hit !== null) throw new NonFiniteOutputError(hit.path, hit.value);
  return JSON.stringify(value, null, indent);
}
