// Worker entry of src/solver/objective/pool.ts: registers tsx (the sources are TypeScript, loaded
// without a build step, as bin/ncverify.js does) and then runs worker.ts. If that fails, it says
// so through the READY word (+2^20) at once, so the pool falls back to one thread without waiting.
import { workerData } from 'node:worker_threads';

try {
  const { register } = await import('tsx/esm/api');
  register();
  await import(workerData.entry);
} catch (e) {
  const ctrl = new Int32Array(workerData.ctrl);
  Atomics.add(ctrl, 7, 1 << 20);
  Atomics.notify(ctrl, 7);
  throw e;
}
