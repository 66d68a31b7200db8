import { isInputError } from '../../src/errors.ts';

/**
 * The InputError `f` throws (any other error is rethrown; no error at all fails the test), so a test can
 * assert on the parameter and the rule it names.
 */
export function inputErrorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    if (isInputError(e)) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}
