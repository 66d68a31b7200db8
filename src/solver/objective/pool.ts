import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BlockState } from './blockState.ts';
import { runBlock } from './blockState.ts';

/**
 * Control words of the pool (Int32Array over a SharedArrayBuffer):
 * GEN: generation, bumped once per task; TASK: what to do; HANDLE: which state; FLAGS: the pass;
 * BLOCKS: their number; NEXT: the next block to take (work sharing); DONE: workers finished
 * with this generation; READY: workers started.
 */
const GEN = 0, TASK = 1, HANDLE = 2, FLAGS = 3, BLOCKS = 4, NEXT = 5, DONE = 6, READY = 7;
/** Tasks. */
export const TASK_RUN = 1, TASK_ATTACH = 2, TASK_DETACH = 3;
/** How long the main thread waits for the workers (ms) before it gives up with an error. */
const WAIT_MS = 120_000;
/** How long it waits for the workers to start (tsx compiles the kernels in each: seconds on a loaded machine). */
const START_MS = 30_000;
/** Added to READY by a worker that failed to start (worker.boot.mjs). */
const FAILED = 1 << 20;

/**
 * Worker threads that share the column blocks of an evaluation with the calling thread
 * (src/solver/objective/evaluator.ts). Synchronous: the caller posts a pass through shared
 * memory (Atomics), takes blocks itself, and waits until every worker is done. Which thread runs
 * which block never changes a result: each block writes only its own outputs and the caller
 * reduces them in block order.
 *
 * One pool per process and thread count ({@link objectivePool}); the workers are unref'd (they
 * never keep the process alive).
 */
export class ObjectivePool {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(8 * 4));
  private readonly workers: Worker[] = [];
  private readonly states = new Map<number, BlockState>();
  private nextHandle = 0;

  /** Starts `threads − 1` workers (the caller is the last thread); throws when they do not start. */
  constructor(readonly threads: number) {
    const boot = new URL('./worker.boot.mjs', import.meta.url);
    const entry = new URL('./worker.ts', import.meta.url).href;
    for (let t = 1; t < threads; t++) {
      const w = new Worker(boot, { workerData: { ctrl: this.ctrl.buffer, entry } });
      w.unref();
      this.workers.push(w);
    }
    try {
      this.await(READY, this.workers.length, 'start', START_MS);
      if (Atomics.load(this.ctrl, READY) >= FAILED) throw new Error('objective pool: a worker thread failed to start');
    } catch (e) {
      for (const w of this.workers) void w.terminate();
      throw e;
    }
  }

  /** A Float64Array over shared memory. */
  float64(n: number): Float64Array {
    return new Float64Array(new SharedArrayBuffer(8 * Math.max(1, n)), 0, n);
  }

  /** An Int32Array over shared memory. */
  int32(n: number): Int32Array {
    return new Int32Array(new SharedArrayBuffer(4 * Math.max(1, n)), 0, n);
  }

  /** A Uint8Array over shared memory. */
  uint8(n: number): Uint8Array {
    return new Uint8Array(new SharedArrayBuffer(Math.max(1, n)), 0, n);
  }

  /** Registers a state (its arrays in shared memory) with every worker; returns its handle. */
  attach(state: BlockState): number {
    const handle = this.nextHandle++;
    this.states.set(handle, state);
    for (const w of this.workers) w.postMessage({ handle, state });
    this.post(TASK_ATTACH, handle, 0, 0);
    return handle;
  }

  /** Forgets a state (its memory can then be collected). */
  detach(handle: number): void {
    if (!this.states.delete(handle)) return;
    this.post(TASK_DETACH, handle, 0, 0);
  }

  /** One pass over `blocks` blocks of the state, shared with the workers. */
  run(handle: number, flags: number, blocks: number): void {
    const state = this.states.get(handle);
    if (state === undefined) throw new Error(`objective pool: unknown state ${handle}`);
    this.post(TASK_RUN, handle, flags, blocks, () => {
      for (let q = Atomics.add(this.ctrl, NEXT, 1); q < blocks; q = Atomics.add(this.ctrl, NEXT, 1)) runBlock(state, q, flags);
    });
  }

  /** Publishes a task, does the caller's share, and waits until every worker has finished it. */
  private post(task: number, handle: number, flags: number, blocks: number, share?: () => void): void {
    const c = this.ctrl;
    c[TASK] = task;
    c[HANDLE] = handle;
    c[FLAGS] = flags;
    c[BLOCKS] = blocks;
    Atomics.store(c, NEXT, 0);
    Atomics.store(c, DONE, 0);
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
    share?.();
    this.await(DONE, this.workers.length, 'finish a pass');
  }

  /** Waits until ctrl[slot] reaches `target`. */
  private await(slot: number, target: number, what: string, limit = WAIT_MS): void {
    const t0 = Date.now();
    for (let v = Atomics.load(this.ctrl, slot); v < target; v = Atomics.load(this.ctrl, slot)) {
      if (Atomics.wait(this.ctrl, slot, v, limit) === 'timed-out' || Date.now() - t0 > limit) {
        throw new Error(`objective pool: the worker threads did not ${what} within ${limit / 1000} s`);
      }
    }
  }
}

const pools = new Map<number, ObjectivePool | null>();

/**
 * The process's pool of `threads` threads (created on first use), or null when threads ≤ 1 or the
 * workers cannot start here (then everything runs on the calling thread, with the same results).
 *
 * @example
 * ```ts
 * const ev = new Evaluator(problem, d, objectivePool(2));
 * ```
 */
export function objectivePool(threads: number): ObjectivePool | null {
  if (threads <= 1) return null;
  if (!pools.has(threads)) {
    let pool: ObjectivePool | null = null;
    try {
      pool = new ObjectivePool(threads);
    } catch {
      pool = null;
    }
    pools.set(threads, pool);
  }
  return pools.get(threads) ?? null;
}

/** Default thread count: `NCVERIFY_THREADS` when set, else the machine's available parallelism (at most 8). */
export function defaultThreads(): number {
  const env = process.env.NCVERIFY_THREADS;
  if (env !== undefined && env !== '') {
    const t = Number(env);
    if (Number.isInteger(t) && t >= 1) return t;
  }
  return Math.min(8, availableParallelism());
}
