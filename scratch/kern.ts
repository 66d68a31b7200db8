import { blockSupport, gradientH, gradientWPartial, logits } from '../src/solver/objective/kernels.ts';
import { crossEntropyColumns } from '../src/loss/crossEntropy.ts';
const [K, d, N] = [50, 63, 20000];
const offsets = Int32Array.from({ length: K + 1 }, (_, c) => Math.round((c * N) / K));
const labels = new Int32Array(N); for (let c = 0; c < K; c++) labels.fill(c, offsets[c], offsets[c + 1]);
const W = new Float64Array(K * d).map(() => Math.random() - 0.5);
const H = new Float64Array(d * N).map(() => Math.random());
const Z = new Float64Array(K * N), G = new Float64Array(K * N), P = new Float64Array(K * d), gH = new Float64Array(d * N);
const lists = new Int32Array(K * d), counts = new Int32Array(K), scratch = new Int32Array(d);
const time = (name: string, fn: () => void, flops: number) => {
  fn(); const t = performance.now(); const R = 5; for (let r = 0; r < R; r++) fn(); const ms = (performance.now() - t) / R;
  console.log(name.padEnd(12), ms.toFixed(1), 'ms', (flops / ms / 1e6).toFixed(2), 'G madd/s');
};
time('support', () => blockSupport(H, d, N, offsets, lists, counts, null, 0, K), 0);
time('logits', () => logits(W, H, null, Z, K, d, N, offsets, lists, counts, 0, K), K * d * N);
time('CE', () => crossEntropyColumns(Z, K, N, labels, 0, N, G), K * N);
time('gradW', () => { P.fill(0); gradientWPartial(G, H, P, K, d, N, offsets, lists, counts, 0, K); }, K * d * N);
time('gradH', () => gradientH(G, W, H, 1e-4, gH, K, d, N, offsets, null, scratch, 0, K), K * d * N);
