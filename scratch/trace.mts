import { writeFileSync } from 'node:fs';
import { Evaluator } from '/work/wt-solver/src/solver/objective/evaluator.ts';
const orig = Evaluator.prototype.evaluate;
const log: string[] = [];
let t0 = performance.now();
(Evaluator.prototype as any).evaluate = function (this: any, x: Float64Array, g?: Float64Array, frozen: Uint8Array | null = null) {
  const t = performance.now();
  const f = orig.call(this, x, g, frozen);
  const s = this.state; let nnz = 0; for (let c = 0; c < this.K; c++) nnz += s.counts[c];
  let fz = 0; if (frozen) for (const v of frozen) fz += v;
  let hnz = 0; const H = this.H(x); for (let q = 0; q < H.length; q++) if (H[q] !== 0) hnz++;
  log.push(`${((t - t0) / 1000).toFixed(2)} d=${this.d} g=${g ? 1 : 0} frozen=${fz}/${this.d * this.K} liveBlocks=${nnz} Hnz=${(hnz / H.length).toFixed(3)} ms=${(performance.now() - t).toFixed(0)} f=${f.toFixed(8)}`);
  return f;
};
process.on('exit', () => { (globalThis as any).process.getBuiltinModule ? 0 : 0; writeFileSync('/tmp/prof/trace.txt', log.join('\n')); });
await import('./run.ts');
