import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

let counter = 0;

/**
 * A temp-file name beside `path`, unique per process, thread and call (no randomness needed:
 * the file is opened with O_EXCL, so a clash is an error, not an overwrite).
 */
function tempNameFor(path: string): string {
  counter += 1;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${threadId}.${counter}.tmp`);
}

/**
 * Writes a file atomically: the data go to a temp file in the same directory, which is flushed
 * (fsync) and then renamed over `path`. A reader sees either the old file or the complete new
 * one, never a partial write; a crash leaves at most a stray `.name.*.tmp`. Parent folders are
 * created. Every report ncverify writes goes through this.
 *
 * @example
 * ```ts
 * writeFileAtomic('reports/verify.json', JSON.stringify(report, null, 2) + '\n');
 * ```
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = tempNameFor(path);
  const fd = openSync(temp, 'wx');
  try {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(temp);
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (e) {
    unlinkSync(temp);
    throw e;
  }
}
