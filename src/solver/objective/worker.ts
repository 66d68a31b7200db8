import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { type BlockState, runBlock } from './blockState.ts';
import { TASK_ATTACH, TASK_DETACH, TASK_RUN } from './pool.ts';

/**
 * A worker thread of {@link ../objective/pool.ts | ObjectivePool}: waits on the shared control
 * words, takes column blocks of the posted pass until none is left, and reports done. States
 * arrive by message (their arrays are SharedArrayBuffer views), read synchronously on ATTACH.
 */
const ctrl = new Int32Array(workerData.ctrl as SharedArrayBuffer);
const states = new Map<number, BlockState>();
const port = parentPort;
if (port === null) throw new Error('objective worker: no parent port');

// The generation is read before READY is signalled: the first task cannot be missed.
let seen = Atomics.load(ctrl, 0);
Atomics.add(ctrl, 7, 1);
Atomics.notify(ctrl, 7);
for (;;) {
  Atomics.wait(ctrl, 0, seen);
  seen = Atomics.load(ctrl, 0);
  const task = ctrl[1];
  if (task === TASK_ATTACH) {
    const m = receiveMessageOnPort(port)?.message as { handle: number; state: BlockState } | undefined;
    if (m !== undefined) states.set(m.handle, m.state);
  } else if (task === TASK_DETACH) {
    states.delete(ctrl[2]);
  } else if (task === TASK_RUN) {
    const state = states.get(ctrl[2]);
    const flags = ctrl[3];
    const blocks = ctrl[4];
    if (state !== undefined) {
      for (let q = Atomics.add(ctrl, 5, 1); q < blocks; q = Atomics.add(ctrl, 5, 1)) runBlock(state, q, flags);
    }
  }
  Atomics.add(ctrl, 6, 1);
  Atomics.notify(ctrl, 6);
}
