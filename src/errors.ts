/**
 * An invalid input: names the parameter and the rule it broke, so that a user can fix it
 * without reading code. The CLI prints `error: <message>` on one line and exits with code 2.
 *
 * @example
 * ```ts
 * throw new InputError('n', 'every class size n_k must be a positive integer', 'got n_3 = 0');
 * // message: "n: every class size n_k must be a positive integer (got n_3 = 0)"
 * ```
 */
export class InputError extends Error {
  override readonly name = 'InputError';

  constructor(
    /** The parameter at fault, as the user wrote it (`n`, `lambdaW`, `--d`, a file path...). */
    readonly parameter: string,
    /** The rule it must satisfy, phrased as what is required. */
    readonly rule: string,
    /** What was actually given. */
    readonly got?: string,
  ) {
    super(`${readableName(parameter)}: ${rule}${got === undefined ? '' : ` (${got})`}`);
  }
}

/** The parameter as shown in a message: quoted (JSON) when empty or when spaces or control characters would hide its ends. */
function readableName(parameter: string): string {
  // eslint-disable-next-line no-control-regex
  return /^\S(.*\S)?$/.test(parameter) && !/[\u0000-\u001f\u007f]/.test(parameter) ? parameter : JSON.stringify(parameter);
}

/** True for an {@link InputError}, also across module copies (tsx, vitest). */
export function isInputError(e: unknown): e is InputError {
  return e instanceof Error && e.name === 'InputError';
}
