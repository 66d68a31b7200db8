import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite.ts';

/** One line of a run's jsonl log: the measurements after an epoch (epoch 0 = at initialisation). */
export interface EpochRecord {
  readonly epoch: number;
  readonly [metric: string]: unknown;
}

/**
 * Appends one epoch's record to the jsonl log as a single line (`JSON.stringify` + '\n').
 *
 * @example
 * ```ts
 * appendEpoch('reports/slow/smoke.jsonl', { epoch: 3, nc1: 0.41 });
 * ```
 */
export function appendEpoch(path: string, record: EpochRecord): void {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, `${JSON.stringify(record)}\n`);
}

/**
 * The records of a jsonl log, in order. A last line without its newline (a write cut short) and
 * unparseable lines are dropped.
 *
 * @example
 * ```ts
 * readEpochs('reports/slow/smoke.jsonl').map((r) => r.nc1);
 * ```
 */
export function readEpochs(path: string): EpochRecord[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  lines.pop(); // the text after the last '\n': empty, or a partial line
  const out: EpochRecord[] = [];
  for (const line of lines) {
    try {
      const r = JSON.parse(line) as EpochRecord;
      if (typeof r.epoch === 'number') out.push(r);
    } catch {
      // a damaged line: skipped (the truncation below rewrites the file without it)
    }
  }
  return out;
}

/**
 * Makes the log hold exactly epochs 0 … `lastEpoch`, once each and in order, by rewriting it
 * atomically: lines written after the last checkpoint (by a run that was then killed) are
 * dropped, so the resumed run appends them again without duplicates or gaps.
 *
 * @throws Error when an epoch ≤ lastEpoch is missing (the log and the checkpoint disagree)
 * @example
 * ```ts
 * truncateEpochs('reports/slow/smoke.jsonl', checkpoint.epoch);
 * ```
 */
export function truncateEpochs(path: string, lastEpoch: number): EpochRecord[] {
  const kept: EpochRecord[] = [];
  for (const r of readEpochs(path)) {
    if (r.epoch <= lastEpoch && r.epoch === kept.length) kept.push(r);
  }
  if (kept.length !== lastEpoch + 1) {
    throw new Error(`${path}: holds epochs 0…${kept.length - 1} in order but the checkpoint is at epoch ${lastEpoch}; delete the run's files to restart it`);
  }
  writeFileAtomic(path, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return kept;
}
