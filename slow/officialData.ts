import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCifar10 } from '../src/data/source.ts';
import { interleaveByClass, writeOfficialLayout } from '../tests/_helpers/officialLayout.ts';

/**
 * A folder in the official cifar-10-batches-bin layout for the slow suite: the one found when
 * NCVERIFY_CIFAR10 already names one; else one built in a temporary folder from our stored subsets
 * (train-balanced.bin's 5000 records, classes interleaved by a seeded order that keeps each class's
 * order, at the head of data_batch_1.bin; test.bin's 2000 at the head of test_batch.bin; the rest
 * zeros, see writeOfficialLayout). Either way the smoke run then builds its subset itself.
 */
export function officialFolderForSlow(): { dir: string; builtFromStored: boolean; storedDir?: string; cleanup: () => void } {
  const src = findCifar10();
  if (src.kind === 'official') return { dir: src.dir, builtFromStored: false, cleanup: () => {} };
  const train = interleaveByClass(new Uint8Array(readFileSync(join(src.dir, 'train-balanced.bin'))), 'slow/official-train');
  const test = interleaveByClass(new Uint8Array(readFileSync(join(src.dir, 'test.bin'))), 'slow/official-test');
  const tmp = mkdtempSync(join(tmpdir(), 'ncverify-slow-'));
  const dir = writeOfficialLayout(join(tmp, 'cifar-10-batches-bin'), train, test);
  return { dir, builtFromStored: true, storedDir: src.dir, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}
