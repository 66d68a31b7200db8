import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { type Cifar10Set, defaultCifar10Dir, imbalancedSubset, readCifar10 } from './cifar10.ts';
import { isOfficialLayout, OFFICIAL_DOWNLOAD, officialSubset } from './official.ts';

/**
 * Where CIFAR-10 was found: the official `cifar-10-batches-bin/` layout, or our stored subset
 * files (train-imbalanced.bin, train-balanced.bin, test.bin; ../shared/data/cifar10/README.md).
 */
export interface Cifar10Source {
  readonly kind: 'official' | 'stored';
  readonly dir: string;
}

/** The folders looked in, in order: `override` (--data), NCVERIFY_CIFAR10, then ../shared/data/cifar10. */
function candidate(override?: string): { dir: string; from: string } {
  if (override !== undefined && override !== '') return { dir: override, from: '--data' };
  const env = process.env.NCVERIFY_CIFAR10;
  if (env !== undefined && env !== '') return { dir: env, from: 'NCVERIFY_CIFAR10' };
  return { dir: defaultCifar10Dir(), from: 'the default folder' };
}

/**
 * The one-line message for missing data: what is missing, where it looked, how to get it.
 *
 * @example
 * ```ts
 * missingCifar10Message('/work/shared/data/cifar10', 'the default folder');
 * ```
 */
export function missingCifar10Message(dir: string, from: string): string {
  return (
    `not found: ${from} ${dir} holds neither the official data_batch_1.bin … data_batch_5.bin + test_batch.bin nor the stored subsets ` +
    `(train-imbalanced.bin, train-balanced.bin, test.bin); ${OFFICIAL_DOWNLOAD}, then set NCVERIFY_CIFAR10=/path/to/cifar-10-batches-bin (or pass --data)`
  );
}

/**
 * Finds CIFAR-10: the folder named by `override` (the CLI's --data), else NCVERIFY_CIFAR10, else
 * ../shared/data/cifar10; official layout when it holds data_batch_1.bin, else stored subsets
 * when it holds train-balanced.bin or train-imbalanced.bin.
 *
 * @throws {@link InputError} with {@link missingCifar10Message} when neither is there
 * @example
 * ```ts
 * findCifar10('/data/cifar-10-batches-bin'); // { kind: 'official', dir: '/data/cifar-10-batches-bin' }
 * ```
 */
export function findCifar10(override?: string): Cifar10Source {
  const { dir, from } = candidate(override);
  const isDir = existsSync(dir) && statSync(dir).isDirectory();
  if (isDir && isOfficialLayout(dir)) return { kind: 'official', dir };
  if (isDir && ['train-balanced.bin', 'train-imbalanced.bin'].some((f) => existsSync(join(dir, f)))) return { kind: 'stored', dir };
  throw new InputError('CIFAR-10', missingCifar10Message(dir, from));
}

/**
 * The training subset with class sizes `sizes` (all records when omitted): from the official
 * layout by {@link officialSubset} (the first n_k of class k in official order, grouped by class);
 * from the stored files, the same rule applied to train-balanced.bin (500 per class), or the
 * whole train-imbalanced.bin when `sizes` is omitted. Both give the same records for sizes ≤ 500
 * on the same images (the stored files were built by that rule).
 *
 * @example
 * ```ts
 * const train = trainSubset(findCifar10(), [100, 100, 200, 200, 300, 300, 400, 400, 500, 500]);
 * ```
 */
export function trainSubset(src: Cifar10Source, sizes?: readonly number[]): Cifar10Set {
  if (src.kind === 'official') return officialSubset(src.dir, 'train', sizes ?? new Array<number>(10).fill(5000));
  if (!sizes) return readCifar10(join(src.dir, 'train-imbalanced.bin'));
  return imbalancedSubset(readCifar10(join(src.dir, 'train-balanced.bin')), sizes);
}

/**
 * The test subset: the first `sizes[k]` test records of class k (official: 1000 per class when
 * omitted; stored: test.bin, 200 per class, whole when omitted).
 *
 * @example
 * ```ts
 * testSubset(findCifar10(), new Array(10).fill(200)).count; // 2000
 * ```
 */
export function testSubset(src: Cifar10Source, sizes?: readonly number[]): Cifar10Set {
  if (src.kind === 'official') return officialSubset(src.dir, 'test', sizes ?? new Array<number>(10).fill(1000));
  const all = readCifar10(join(src.dir, 'test.bin'));
  return sizes ? imbalancedSubset(all, sizes) : all;
}
