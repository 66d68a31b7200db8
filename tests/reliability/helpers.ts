/**
 * Shared by tests/reliability/*.test.ts: an outcome classifier for "valid or InputError, nothing
 * else", a minimal .npy encoder, and an in-process CLI runner with captured stdout/stderr.
 */
import { vi } from 'vitest';
import { isInputError } from '../../src/errors.ts';

/** What a reader did with an input: returned a value, refused it (InputError), or failed otherwise. */
export type Outcome<T> = { kind: 'value'; value: T } | { kind: 'input-error'; error: Error } | { kind: 'crash'; error: unknown };

/** Runs `f`, classifying the result; anything thrown that is not an InputError is a crash. */
export function outcome<T>(f: () => T): Outcome<T> {
  try {
    return { kind: 'value', value: f() };
  } catch (e) {
    return isInputError(e) ? { kind: 'input-error', error: e } : { kind: 'crash', error: e };
  }
}

/** A readable description of a crash for a failing assertion. */
export function describeCrash(o: Outcome<unknown>): string {
  if (o.kind !== 'crash') return o.kind;
  const e = o.error;
  return e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
}

/**
 * A version-1.0 .npy file: magic, header dict (or `dict` verbatim) padded to a multiple of 64, data.
 *
 * @example
 * ```ts
 * npyFile('<f8', [2], new Uint8Array(new Float64Array([1, 2]).buffer));
 * ```
 */
export function npyFile(descr: string, shape: readonly number[], data: Uint8Array, dict?: string): Uint8Array {
  const shapeText = `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
  let header = dict ?? `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  header += `${' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64)}\n`;
  const encoded = new TextEncoder().encode(header);
  const out = new Uint8Array(10 + encoded.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, encoded.length, true);
  out.set(encoded, 10);
  out.set(data, 10 + encoded.length);
  return out;
}

/** The result of one in-process CLI call. */
export interface CliResult {
  /** The exit code main returned, or null when it threw. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** What main threw, if it did. */
  readonly thrown?: unknown;
}

/**
 * Calls `main(argv)` in this process with stdout and stderr captured (nothing reaches the terminal).
 *
 * @example
 * ```ts
 * const r = await runMain(main, ['predict', '--n', '1']); // r.code === 2
 * ```
 */
export async function runMain(main: (argv: readonly string[]) => Promise<number>, argv: readonly string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } catch (e) {
    return { code: null, stdout, stderr, thrown: e };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
