/**
 * One rung of the scale ladder (bench/scaleLadder.ts's instances) solved once, for profiling and
 * for docs/solver.md's figures: `npx tsx bench/scaleOne.ts K N d [threads] [single]` (`single`: without the
 * multilevel start, the search from a random start alone). Prints certified,
 * f (and its bits), iterations, evaluations, escapes, seconds, the history's kinds and the load.
 * Wall, CPU and peak RSS come from `/usr/bin/time -v` around it.
 */
import { loadavg } from 'node:os';
import { solve } from '../src/solver/solver.ts';
import { ladderSizes } from './scaleLadder.ts';

const [K, N, d, threads] = process.argv.slice(2, 6).map(Number);
const single = process.argv[6] === 'single';
const load0 = loadavg()[0];
const r = solve({ n: ladderSizes(K, N), lambdaW: 1e-4, lambdaH: 1e-4, d }, { seed: 1, maxSeconds: 1200, ...(threads ? { threads } : {}), ...(single ? { multilevel: false } : {}) });
const bits = Buffer.from(new Float64Array([r.objective]).buffer).toString('hex');
const kinds = new Map<string, number>();
for (const e of r.history) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
process.stdout.write(`K=${K} N=${N} d=${d} threads=${threads || 'default'}${single ? ' single-level' : ''}: ${r.certified ? 'certified' : `NOT certified (${r.reason})`}, f = ${r.objective} (${bits}), ` +
  `KKT ${r.kktResidual.toExponential(2)}, ρ−1 = ${(r.certificate.dualNormRatio - 1).toExponential(2)}, gap ${r.certificate.objectiveGap}, ` +
  `${r.iterations} it, ${r.evaluations} ev, ${r.escapes} escapes, ${r.restarts} restarts, ${r.seconds.toFixed(1)} s; ` +
  `history ${[...kinds].map(([k, v]) => `${k}×${v}`).join(' ')}; load ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)}\n`);
