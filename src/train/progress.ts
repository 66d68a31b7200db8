/** Where progress goes: a writable with an optional `isTTY` (process.stderr by default). */
export interface ProgressSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** What one progress line shows. */
export interface ProgressInfo {
  readonly epoch: number;
  readonly epochs: number;
  /** Seconds spent on the epochs done in this session, and how many epochs that was. */
  readonly sessionSeconds: number;
  readonly sessionEpochs: number;
  readonly nc1: number;
  readonly trainAccuracy: number;
  readonly testAccuracy?: number;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * The text of one progress line: epoch, ETA (from this session's mean epoch time), NC1, accuracy.
 *
 * @example
 * ```ts
 * progressText({ epoch: 3, epochs: 100, sessionSeconds: 6, sessionEpochs: 3, nc1: 0.4, trainAccuracy: 0.5 });
 * // 'epoch 3/100  eta 3m14s  NC1 0.400  train 50.0%'
 * ```
 */
export function progressText(p: ProgressInfo): string {
  const eta = p.sessionEpochs > 0 ? ((p.epochs - p.epoch) * p.sessionSeconds) / p.sessionEpochs : NaN;
  const test = p.testAccuracy === undefined ? '' : `  test ${(100 * p.testAccuracy).toFixed(1)}%`;
  return `epoch ${p.epoch}/${p.epochs}  eta ${clock(eta)}  NC1 ${p.nc1.toPrecision(3)}  train ${(100 * p.trainAccuracy).toFixed(1)}%${test}`;
}

/**
 * A progress reporter: on a terminal it rewrites one line in place (`\r`); elsewhere (pipes, CI,
 * `CI` set in the environment) it prints a plain line every `every` epochs and at the last one.
 *
 * @example
 * ```ts
 * const progress = createProgress(process.stderr);
 * progress.update(info); progress.done();
 * ```
 */
export function createProgress(sink: ProgressSink = process.stderr, every = 10): { update(p: ProgressInfo): void; done(): void } {
  const tty = sink.isTTY === true && !process.env.CI;
  let open = false;
  return {
    update(p) {
      const text = progressText(p);
      if (tty) {
        sink.write(`\r${text}\x1b[K`);
        open = true;
      } else if (p.epoch % every === 0 || p.epoch === p.epochs || p.epoch === 1) {
        sink.write(`${text}\n`);
      }
    },
    done() {
      if (open) sink.write('\n');
      open = false;
    },
  };
}
