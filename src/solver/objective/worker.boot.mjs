// Worker entry of src/solver/objective/pool.ts: registers tsx (the sources are TypeScript, loaded
// without a build step, as bin/ncverify.js does) and then runs worker.ts.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
