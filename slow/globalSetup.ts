/**
 * The slow suite needs CIFAR-10. When it is not found this prints ONE line — what is missing,
 * where it looked, how to get it (the official "CIFAR-10 binary version", cifar-10-batches-bin) —
 * and exits with code 1 before any test starts: no stack trace, and never a silent skip.
 */
import { findCifar10 } from '../src/data/source.ts';
import { isInputError } from '../src/errors.ts';

export default function setup(): void {
  try {
    findCifar10();
  } catch (e) {
    if (!isInputError(e)) throw e;
    process.stderr.write(`\nslow suite: ${e.message}\n`);
    process.exit(1);
  }
}
