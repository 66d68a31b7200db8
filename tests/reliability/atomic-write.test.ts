/**
 * Atomic reports: every report ncverify writes goes through src/io/atomicWrite.ts (temp file,
 * fsync, rename). A separate node process rewrites a large report version after version and dies
 * by SIGKILL in the middle of a write; afterwards the target must be absent (died before its first
 * write completed) or one complete version — never a partial file — with at most one temp file
 * left beside it.
 *
 * Two ways of dying: (1) exactly mid-write — the writer's `fs.writeSync` is wrapped so that, in the
 * chosen version, it writes half of its bytes and then SIGKILLs its own process; a naive writer
 * (truncate, then write in place) run the same way leaves a partial file, which shows the check can
 * fail; (2) killed by this process at seeded random moments after the writer announces a write.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import seedrandom from 'seedrandom';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ATOMIC = pathToFileURL(join(ROOT, 'src/io/atomicWrite.ts')).href;
const dir = mkdtempSync(join(tmpdir(), 'ncverify-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 8 MB per version: large enough that a write is many pages, small enough to keep the test quick. */
const PAYLOAD = 8 << 20;

/**
 * The writer: for version k = 1 … maxVersion: builds {version, length, payload, end}, prints
 * `begin k`, writes it (atomically, or naively: open with truncation and write in place), prints
 * `done k`. With dieIn = k, its first writeSync of version k writes half and SIGKILLs the process.
 * The payload's characters depend on k, so two versions cannot be mixed unnoticed.
 */
const WRITER = `
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { dirname } from 'node:path';
const [target, size, mode, dieIn, maxVersion] = [process.argv[1], Number(process.argv[2]), process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
let version = 0;
const realWriteSync = fs.writeSync;
fs.writeSync = (fd, buffer, offset, length, position) => {
  if (version === dieIn) {
    realWriteSync(fd, buffer, offset, Math.floor(length / 2), position);
    process.kill(process.pid, 'SIGKILL');
  }
  return realWriteSync(fd, buffer, offset, length, position);
};
syncBuiltinESMExports();
const { writeFileAtomic } = await import('${ATOMIC}');
function writeNaive(path, text) {
  fs.mkdirSync(dirname(path), { recursive: true });
  const bytes = new TextEncoder().encode(text);
  const fd = fs.openSync(path, 'w');
  let done = 0;
  while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
  fs.closeSync(fd);
}
for (version = 1; version <= maxVersion; version++) {
  const text = JSON.stringify({ version, length: size, payload: String.fromCharCode(97 + (version % 26)).repeat(size), end: 'complete' }) + '\\n';
  process.stdout.write('begin ' + version + '\\n');
  (mode === 'naive' ? writeNaive : writeFileAtomic)(target, text);
  process.stdout.write('done ' + version + '\\n');
}`;

interface Death {
  /** The last version the writer announced as written. */
  readonly lastDone: number;
  readonly signal: NodeJS.Signals | null;
}

/**
 * Runs the writer. `dieIn`: the version whose first write kills the writer from inside (0: never).
 * `killAfterBegin`: [k, ms] — this process sends SIGKILL ms after the writer announces `begin k`.
 */
function runWriter(target: string, mode: 'atomic' | 'naive', dieIn: number, killAfterBegin: [number, number] | null, maxVersion = 50): Promise<Death> {
  return new Promise((resolve) => {
    const args = ['--import', 'tsx', '--input-type=module', '-e', WRITER, target, String(PAYLOAD), mode, String(dieIn), String(maxVersion)];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let lastDone = 0;
    let buffered = '';
    child.stdout.on('data', (c: Buffer) => {
      buffered += String(c);
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [word, k] = line.split(' ');
        if (word === 'done') lastDone = Number(k);
        if (word === 'begin' && killAfterBegin !== null && Number(k) === killAfterBegin[0]) setTimeout(() => child.kill('SIGKILL'), killAfterBegin[1]);
      }
    });
    child.on('exit', (_code, signal) => resolve({ lastDone, signal }));
  });
}

/** The version the target holds completely, 0 when absent; 'partial' when it holds anything else. */
function targetVersion(target: string): number | 'partial' {
  if (!existsSync(target)) return 0;
  try {
    const r = JSON.parse(readFileSync(target, 'utf8')) as { version: number; length: number; payload: string; end: string };
    const complete = r.end === 'complete' && r.payload === String.fromCharCode(97 + (r.version % 26)).repeat(r.length) && r.length === PAYLOAD;
    return complete ? r.version : 'partial';
  } catch {
    return 'partial';
  }
}

const strays = (folder: string): string[] => (existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.tmp')) : []);

describe('writeFileAtomic when the writer dies mid-write', () => {
  it('dying inside the write of version 3: the target is version 2, complete; one temp file at most', async () => {
    const folder = join(dir, 'mid');
    const d = await runWriter(join(folder, 'report.json'), 'atomic', 3, null);
    expect(d.signal).toBe('SIGKILL');
    expect(d.lastDone).toBe(2);
    expect(targetVersion(join(folder, 'report.json'))).toBe(2);
    expect(strays(folder).length).toBeLessThanOrEqual(1);
  });

  it('dying inside the very first write: the target is absent', async () => {
    const folder = join(dir, 'first');
    const d = await runWriter(join(folder, 'report.json'), 'atomic', 1, null);
    expect(d.signal).toBe('SIGKILL');
    expect(targetVersion(join(folder, 'report.json'))).toBe(0);
  });

  it('control: a naive writer (truncate, write in place) dying the same way leaves a partial file — the check above can fail', async () => {
    const folder = join(dir, 'naive');
    const d = await runWriter(join(folder, 'report.json'), 'naive', 3, null);
    expect(d.signal).toBe('SIGKILL');
    expect(targetVersion(join(folder, 'report.json'))).toBe('partial');
  });

  it('killed by another process at seeded random moments: always one complete version, never partial', async () => {
    const rng = seedrandom('atomic-write');
    const folder = join(dir, 'timed');
    const target = join(folder, 'report.json');
    for (let trial = 0; trial < 4; trial++) {
      const killAt = 2 + Math.floor(rng() * 2);
      const delay = Math.floor(rng() * 10);
      const d = await runWriter(target, 'atomic', 0, [killAt, delay]);
      const v = targetVersion(target);
      const where = `trial ${trial}: SIGKILL ${delay} ms after begin ${killAt}`;
      expect(v, where).not.toBe('partial');
      // version killAt − 1 had been written before the kill was even scheduled; killAt may have been renamed in
      expect(v as number, where).toBeGreaterThanOrEqual(Math.max(killAt - 1, d.lastDone));
      expect(strays(folder).length, where).toBeLessThanOrEqual(trial + 1);
    }
  });
});
