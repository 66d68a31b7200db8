import seedrandom from 'seedrandom';
import type { Certifier, CertificateView } from '../certify.ts';
import { compact } from '../compaction.ts';
import type { CheckedInitial } from '../initial.ts';
import { coordinateUsage, escapeAtoms, placeAtom } from '../escape.ts';
import { unpack, view } from '../objective/point.ts';
import type { ValidatedProblem } from '../problem.ts';
import { randomStart } from '../start.ts';
import type { SearchBudget, SolveEvent, SolveProgress, SolveResult } from '../types.ts';
import { Evaluator } from '../objective/evaluator.ts';
import { objectivePool } from '../objective/pool.ts';
import { ProjectedLbfgs } from './lbfgs.ts';

/** Validated, defaulted solve settings. */
export interface Settings extends SearchBudget {
  seed: string;
  tolerance: number;
  certificateTolerance: number;
  gapTolerance: number;
  workingDimension: number;
  memory: number;
  /** Threads of the objective's column blocks (1: this thread only); results do not depend on it. */
  threads: number;
  /** Progress callback, or null. */
  onProgress: ((p: SolveProgress) => void) | null;
  /** The warm start (in the problem's d), or null for a random first start. */
  initial: CheckedInitial | null;
}

/** A feature dimension with its evaluator and optimiser (allocated once). */
interface Space {
  readonly ev: Evaluator;
  readonly opt: ProjectedLbfgs;
}

/** The best point seen, by objective, with its certificate. */
interface Candidate {
  space: Space;
  x: Float64Array;
  objective: number;
  residual: number;
  cert: CertificateView;
}

/**
 * One run of the certified search (see solve()): local solve → certificate → escape along the
 * witness atom, with compaction to the problem's d and restarts as a last resort.
 */
export class Search {
  private readonly t0 = performance.now();
  private readonly deadline: number;
  private readonly rng: () => number;
  private readonly spaces = new Map<number, Space>();
  private readonly work: Space;
  private readonly maxDimension: number;
  private iterations = 0;
  private escapes = 0;
  private restarts = 0;
  private readonly history: SolveEvent[] = [];
  private best: Candidate | null = null;
  private lastRatio: number | null = null;

  constructor(private readonly p: ValidatedProblem, private readonly s: Settings, private readonly certifier: Certifier) {
    this.deadline = this.t0 + s.maxSeconds * 1000;
    this.rng = seedrandom(s.seed);
    this.work = this.space(s.workingDimension);
    this.maxDimension = Math.max(s.workingDimension, p.d) + 2 * p.layout.K;
  }

  /** The evaluator and optimiser of dimension d (allocated on first use). */
  private space(d: number): Space {
    let sp = this.spaces.get(d);
    if (sp === undefined) {
      // Threads for the spaces the search works in; a space far larger (the problem's d = 512 when
      // the search runs in ⌈1.25 K⌉) is mostly only re-evaluated, and a pool would add two shared
      // copies of x and ∇_H there (results are the same either way).
      const ev = new Evaluator(this.p, d, d <= POOL_MAX_FACTOR * this.s.workingDimension ? objectivePool(this.s.threads) : null);
      let opt: ProjectedLbfgs | null = null;
      const memory = this.s.memory;
      // The optimiser's buffers (≈ (2m + 6) × size doubles) are allocated only if this space is solved in.
      sp = { ev, get opt() { opt ??= new ProjectedLbfgs(ev, memory); return opt; } };
      this.spaces.set(d, sp);
    }
    return sp;
  }

  /** The space of the problem's own dimension d. */
  private get final(): Space {
    return this.space(this.p.d);
  }

  /** Runs to a certificate or to the end of a budget; releases the spaces' shared buffers. */
  run(): SolveResult {
    try {
      return this.search();
    } finally {
      for (const sp of this.spaces.values()) sp.ev.dispose();
    }
  }

  private search(): SolveResult {
    let reason = 'no certificate found';
    for (;;) {
      const outcome = this.restarts === 0 && this.s.initial !== null ? this.attempt(...this.warmStart(this.s.initial)) : this.attempt(randomStart(this.work.ev, this.rng));
      if (outcome.done) return this.result(outcome.candidate, null);
      reason = outcome.reason;
      // A certified point that does not fit in d (d < K): the convex bound is not tight in d and a
      // restart cannot help; the best point is moved to d below.
      if (outcome.doesNotFit || this.outOfBudget() !== null || this.restarts >= this.s.maxRestarts) break;
      this.restarts++;
      this.log({ kind: 'restart', objective: NaN, dimension: this.work.ev.d, detail: outcome.reason });
    }
    const budget = this.outOfBudget() ?? (this.restarts >= this.s.maxRestarts ? `restart budget (${this.s.maxRestarts}) spent` : null);
    return this.finishUncertified(budget === null ? reason : `${budget}; last attempt: ${reason}`);
  }

  /**
   * The warm start packed in d and moved to the working dimension by `compact` (as answers are
   * moved to d); kept in d when it does not fit there (more classes alive than the working
   * dimension, or a plain-UFM H of higher rank).
   */
  private warmStart(init: CheckedInitial): [Float64Array, Space] {
    const ev = this.final.ev;
    const x = new Float64Array(ev.size);
    x.set(init.W, 0);
    x.set(init.H, ev.hOffset);
    if (init.b !== null) x.set(init.b, ev.bOffset);
    if (this.work === this.final) return [x, this.final];
    const moved = compact(ev, x, this.work.ev);
    if (moved === null) {
      this.log({ kind: 'compact', objective: NaN, dimension: ev.d, detail: 'initial point kept in d (does not fit the working dimension)' });
      return [x, this.final];
    }
    this.log({ kind: 'compact', objective: NaN, dimension: this.work.ev.d, detail: `initial point: ${moved.kind}` });
    return [moved.x, this.work];
  }

  /** From one start: local solves and escapes until certified, stuck or out of budget. */
  private attempt(x0: Float64Array, start: Space = this.work): { done: true; candidate: Candidate } | { done: false; reason: string; doesNotFit?: boolean } {
    let space = start;
    let x = x0;
    let retries = 0;
    for (;;) {
      // A retry (see below) polishes with a 10× (then 100×) tighter tolerance.
      const cand = this.localAndCertify(space, x, this.s.tolerance * 0.1 ** retries);
      if (this.isCertified(cand)) {
        if (space === this.final) return { done: true, candidate: cand };
        const moved = compact(space.ev, x, this.final.ev);
        if (moved !== null) {
          this.log({ kind: 'compact', objective: NaN, dimension: this.final.ev.d, detail: moved.kind });
          if (moved.exact) {
            // Dropping/padding leaves Z bit-identical (the certificate carries over); merging parallel rows changes it by rounding.
            // Padding alone (every coordinate kept) also leaves f and the KKT residual bit-identical: the
            // new coordinates are zero in W and H, so they add exact zeros to ‖W‖², ‖H‖² and have ∂f = 0;
            // no evaluation in d (at d = 512 a full gradient and two d×N arrays) is needed.
            const finalCand = moved.kind === 'pad'
              ? this.reevaluate(this.final, moved.x, cand.cert, cand.objective, cand.residual)
              : this.reevaluate(this.final, moved.x, moved.kind === 'merge-parallel' ? null : cand.cert);
            if (this.isCertified(finalCand)) return { done: true, candidate: finalCand };
          }
          const polished = this.localAndCertify(this.final, moved.x);
          if (this.isCertified(polished)) return { done: true, candidate: polished };
        } else {
          this.log({ kind: 'compact', objective: NaN, dimension: this.final.ev.d, detail: 'impossible: more classes alive than d' });
          return {
            done: false,
            doesNotFit: true,
            reason: `the certified optimum in dimension ${space.ev.d} uses more than d = ${this.p.d} coordinates, so the certificate's convex bound is not attained in d`,
          };
        }
        return { done: false, reason: `certified in dimension ${space.ev.d} but not after compaction to d = ${this.p.d}` };
      }
      const budget = this.outOfBudget();
      if (budget !== null) return { done: false, reason: budget };
      const ratio = cand.cert.dualNormRatio;
      if (ratio > 1 + ESCAPE_RATIO && cand.cert.atom !== null) {
        const esc = this.escape(space, x, cand);
        if (esc.decrease > 0) {
          space = esc.space;
          x = esc.x;
          retries = 0;
          continue;
        }
      }
      if (ratio > 1 + this.s.certificateTolerance) {
        return { done: false, reason: `no escape lowers f along the witness atom (ρ = ${ratio})` };
      }
      // ρ is fine but the point is not certified: the local solve stopped early, or the proven gap
      // is still above gapTolerance (near the collapse threshold the landscape is flat and the gap
      // closes only as ρ → 1). Resume the local solve with a tighter tolerance, twice at most.
      if (retries++ < 2) continue;
      return { done: false, reason: `ρ = ${ratio} but not certified: KKT residual ${cand.residual.toExponential(2)}, proven gap ${cand.cert.optimalityGap}` };
    }
  }

  /** Local solve of x in place, then the certificate; tracks the best point. */
  private localAndCertify(space: Space, x: Float64Array, tolerance = this.s.tolerance): Candidate {
    // A polishing run (tighter tolerance) gets at most RETRY_ITERATIONS: near f's round-off it may not progress.
    const cap = tolerance < this.s.tolerance ? RETRY_ITERATIONS : Infinity;
    const remaining = Math.min(cap, Math.max(0, this.s.maxIterations - this.iterations));
    const before = this.iterations;
    const progress = this.s.onProgress === null ? undefined : (it: number, objective: number, residual: number): void => this.report(before + it, objective, residual);
    const local = space.opt.run(x, { tolerance, maxIterations: remaining, deadline: this.deadline, ...(progress ? { progress } : {}) });
    this.iterations += local.iterations;
    this.log({ kind: 'local', objective: local.objective, dimension: space.ev.d, iterations: local.iterations, residual: local.residual, status: local.status });
    return this.reevaluate(space, x, null, local.objective, local.residual);
  }

  /** Certificate (unless given) and bookkeeping for x in a space. */
  private reevaluate(space: Space, x: Float64Array, cert: CertificateView | null, objective?: number, residual?: number): Candidate {
    let f = objective;
    let r = residual;
    if (f === undefined || r === undefined) {
      const g = new Float64Array(space.ev.size);
      f = space.ev.evaluate(x, g);
      r = space.ev.residual(x, g);
    }
    const c = cert ?? this.certify(space, x);
    this.log({ kind: 'certificate', objective: f, dimension: space.ev.d, ratio: c.dualNormRatio, dualNormRatio: c.dualNormRatio });
    this.lastRatio = c.dualNormRatio;
    this.report(this.iterations, f, r);
    const cand: Candidate = { space, x: Float64Array.from(x), objective: f, residual: r, cert: c };
    if (this.best === null || f < this.best.objective) this.best = cand;
    return cand;
  }

  /** The certificate of x, read through views (the certifier does not keep them). */
  private certify(space: Space, x: Float64Array): CertificateView {
    const { W, H, b } = view(space.ev, x);
    return this.certifier(W, H, b, this.p);
  }

  /**
   * Certified: KKT residual ≤ tolerance, the attained ρ ≤ 1 + certificateTolerance, and a proof —
   * the certificate's optimality gap f − f* ≤ gapTolerance · max(1, |f|) where it gives one,
   * else its upper bound of ρ ≤ 1 + certificateTolerance.
   */
  private isCertified(c: Candidate): boolean {
    const { tolerance, certificateTolerance, gapTolerance } = this.s;
    if (!(c.residual <= tolerance && c.cert.dualNormRatio <= 1 + certificateTolerance)) return false;
    const gap = c.cert.optimalityGap;
    if (gap !== null) return gap <= gapTolerance * Math.max(1, Math.abs(c.objective));
    return c.cert.dualNormRatioUpper <= 1 + certificateTolerance;
  }

  /**
   * Places the (split) witness atoms on free coordinates — enlarging the working dimension by K
   * zero coordinates (exact) when too few are free, up to a cap — else on the least-used ones.
   * Returns the decrease of f and the (possibly new) space and point.
   */
  private escape(space: Space, x: Float64Array, cand: Candidate): { decrease: number; space: Space; x: Float64Array } {
    const { lambdaW, lambdaH, layout, nonNegative } = this.p;
    const atom = cand.cert.atom;
    if (atom === null) return { decrease: 0, space, x };
    space.ev.evaluate(x, new Float64Array(space.ev.size));
    const atoms = escapeAtoms(atom.u, atom.v, space.ev.G, layout, nonNegative, Math.sqrt(lambdaW * lambdaH), 1 + ESCAPE_RATIO);
    let usage = coordinateUsage(space.ev, x);
    if (freeCount(usage) < atoms.length && space.ev.d < this.maxDimension) {
      const d = Math.min(this.maxDimension, space.ev.d + Math.max(layout.K, atoms.length - freeCount(usage)));
      const bigger = this.space(d);
      const moved = compact(space.ev, x, bigger.ev);
      if (moved !== null && moved.exact) {
        this.log({ kind: 'compact', objective: cand.objective, dimension: d, detail: `enlarged to ${d} coordinates for an escape` });
        space = bigger;
        x = moved.x;
        usage = coordinateUsage(space.ev, x);
      }
    }
    const { ev } = space;
    const taken = new Set<number>();
    let total = 0;
    let placed = 0;
    for (const a of atoms) {
      if (taken.size >= ev.d) break;
      if (taken.size > 0) usage = coordinateUsage(ev, x);
      let j = -1;
      for (let t = 0; t < ev.d; t++) if (!taken.has(t) && (j < 0 || usage[t] < usage[j])) j = t;
      taken.add(j);
      const result = placeAtom(ev, x, a, j, isFree(usage, j));
      if (result.decrease > 0) { total += result.decrease; placed++; }
    }
    this.escapes++;
    this.log({ kind: 'escape', objective: cand.objective - total, dimension: ev.d, atoms: placed, decrease: total });
    return { decrease: total, space, x };
  }

  private outOfBudget(): string | null {
    if (this.iterations >= this.s.maxIterations) return `iteration budget (${this.s.maxIterations}) spent`;
    if (this.escapes >= this.s.maxEscapes) return `escape budget (${this.s.maxEscapes}) spent`;
    if (performance.now() > this.deadline) return `time budget (${this.s.maxSeconds} s) spent`;
    return null;
  }

  /** The best point seen, moved to d (compacted and polished when needed). */
  private finishUncertified(reason: string): SolveResult {
    let cand = this.best;
    if (cand === null) throw new Error('solver: no point was evaluated');
    if (cand.space !== this.final) {
      const moved = compact(cand.space.ev, cand.x, this.final.ev);
      const x = moved?.x ?? this.truncate(cand.space, cand.x);
      cand = moved?.exact ? this.reevaluate(this.final, x, moved.kind === 'merge-parallel' ? null : cand.cert) : this.localAndCertify(this.final, x);
    }
    return this.result(cand, this.isCertified(cand) ? null : reason);
  }

  /** Keeps the d most-used coordinates (used only when nothing better fits). */
  private truncate(space: Space, x: Float64Array): Float64Array {
    const usage = coordinateUsage(space.ev, x);
    const order = [...usage.keys()].sort((a, b) => usage[b] - usage[a]).slice(0, this.p.d).sort((a, b) => a - b);
    const ev = this.final.ev;
    const y = new Float64Array(ev.size);
    const { K, N } = ev;
    order.forEach((j, r) => {
      for (let k = 0; k < K; k++) y[k * ev.d + r] = x[k * space.ev.d + j];
      y.set(space.ev.H(x).subarray(j * N, (j + 1) * N), ev.hOffset + r * N);
    });
    const b = space.ev.b(x);
    if (b) ev.b(y)?.set(b);
    return y;
  }

  /** Passes a snapshot to the progress callback, if any. */
  private report(iterations: number, objective: number, residual: number): void {
    this.s.onProgress?.({ iterations, objective, residual, dualNormRatio: this.lastRatio, escapes: this.escapes, seconds: (performance.now() - this.t0) / 1000 });
  }

  private log(e: SolveEvent): void {
    this.history.push(e);
  }

  private result(c: Candidate, reason: string | null): SolveResult {
    const { W, H, b } = unpack(c.space.ev, c.x);
    let evaluations = 0;
    for (const sp of this.spaces.values()) evaluations += sp.ev.evaluations;
    return {
      problem: this.p,
      W, H, b,
      objective: c.objective,
      kktResidual: c.residual,
      certified: reason === null,
      certificate: {
        kind: c.cert.kind, dualNormRatio: c.cert.dualNormRatio, dualNormRatioUpper: c.cert.dualNormRatioUpper, exact: c.cert.exact, objectiveGap: c.cert.optimalityGap,
      },
      reason,
      iterations: this.iterations,
      evaluations,
      escapes: this.escapes,
      restarts: this.restarts,
      seconds: (performance.now() - this.t0) / 1000,
      workingDimension: this.s.workingDimension,
      history: this.history,
    };
  }
}

/**
 * An escape is tried whenever ρ exceeds 1 by more than this (round-off of ρ at a converged point is
 * ≈ 1e-10), also below `certificateTolerance`: next to the threshold a real saddle can have ρ − 1 ≈ 1e-7.
 */
const ESCAPE_RATIO = 1e-9;

/** Spaces up to this × the working dimension share their evaluations with the thread pool. */
const POOL_MAX_FACTOR = 4;

/** Iteration cap of one polishing run with a tightened tolerance. */
const RETRY_ITERATIONS = 2000;

/** Relative usage below which a coordinate counts as free (its W column is then ~1e-7 at most). */
const FREE_USAGE = 1e-12;

/** Whether coordinate j is free (usage ≤ FREE_USAGE × the largest usage). */
function isFree(usage: Float64Array, j: number): boolean {
  let max = 0;
  for (const u of usage) max = Math.max(max, u);
  return usage[j] <= FREE_USAGE * max;
}

/** Number of free coordinates. */
function freeCount(usage: Float64Array): number {
  let c = 0;
  for (let j = 0; j < usage.length; j++) if (isFree(usage, j)) c++;
  return c;
}
