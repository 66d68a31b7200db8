/**
 * The optimum layer: instance → certified optimum with its proven error bounds, for every model
 * family the claims read (UFM+ cross-entropy, the plain-UFM SELI λ path, MSE with and without a bias,
 * deep-linear MSE). One memoised cache (the same instance of a family is solved once per context, its
 * refusal too), one policy (./policy.ts), one seed rule, one ledger of what was solved (./ledger.ts),
 * which the report counts. The claims never call a solver: they ask the claim context's `optima`.
 * Before an input is called inconclusive the runner asks {@link Optima.retry} — the same layer with the
 * solver's retry settings (./policy.ts `RETRY_SOLVE`: tighter KKT residual and gap, larger budgets, a
 * fresh seed), its own memo and the same ledger.
 */
import { type DeepInstance, type DeepOptimum, solveDeep } from './deepLinear.ts';
import type { Family, SolvedRecord } from './ledger.ts';
import { admit, DEFAULT_SOLVE, RETRY_SOLVE, type SolveSettings } from './policy.ts';
import { ufmPlusKey, type WarmStarts } from './warmStarts.ts';
import { type MseInstance, type MseOptimum, solveMse } from './mse.ts';
import { type PathPoint, type SeliInput, type SeliTargets, seliPath } from './seliPath.ts';
import { solveUfmPlus } from './ufmPlus/solve.ts';
import type { CertifiedOptimum, UfmPlusInstance } from './ufmPlus/types.ts';

/** The family solvers, replaceable for tests (an injected UFM+ solve, a counting wrapper). */
export interface FamilySolvers {
  readonly ufmPlus: typeof solveUfmPlus;
  readonly seliPath: typeof seliPath;
  readonly mse: typeof solveMse;
  readonly deepLinear: typeof solveDeep;
}

const DEFAULT_SOLVERS: FamilySolvers = { ufmPlus: solveUfmPlus, seliPath, mse: solveMse, deepLinear: solveDeep };

/** A memo entry: the value, or the refusal to rethrow. */
type Entry<T> = { readonly value: T } | { readonly error: unknown };

/**
 * The memoised optima of one run (a verify run, a vitest file).
 *
 * @example
 * ```ts
 * const optima = new Optima();
 * optima.ufmPlus({ n: [10, 40], lambdaW: 1e-2, lambdaH: 1e-2, d: 2 }).certified; // true
 * optima.solved().length; // 1
 * ```
 */
export class Optima {
  private readonly memo = new Map<string, Entry<unknown>>();
  private readonly rows: SolvedRecord[];
  private readonly solvers: FamilySolvers;
  private readonly settings: SolveSettings;
  private retried: Optima | null = null;

  /** The tfjs stage's warm starts of the UFM+ instances, when a run has one (`verify --backend`). */
  readonly warmStarts: WarmStarts | null;

  constructor(solvers: Partial<FamilySolvers> = {}, warmStarts: WarmStarts | null = null, shared: { settings: SolveSettings; rows: SolvedRecord[] } = { settings: DEFAULT_SOLVE, rows: [] }) {
    this.solvers = { ...DEFAULT_SOLVERS, ...solvers };
    this.warmStarts = warmStarts;
    this.settings = shared.settings;
    this.rows = shared.rows;
  }

  /** The same layer under the retry settings (module comment): one per run, recording into this ledger. */
  retry(): Optima {
    this.retried ??= this.settings === RETRY_SOLVE ? this : new Optima(this.solvers, null, { settings: RETRY_SOLVE, rows: this.rows });
    return this.retried;
  }

  /** The certified UFM+ optimum (./ufmPlus/solve.ts). */
  ufmPlus(instance: UfmPlusInstance): CertifiedOptimum {
    const i = { n: instance.n.slice(), lambdaW: instance.lambdaW, lambdaH: instance.lambdaH, d: instance.d };
    const key = ufmPlusKey(i);
    return this.cached('ufm-plus', key, () => {
      const opt = this.solvers.ufmPlus(i, this.record, this.warmStarts?.points.get(key), this.settings);
      // whatever solver was injected, the policy holds: an unproven point inside the assumptions never reaches a claim
      admit({ certified: opt.certified, gap: opt.bounds?.gap ?? Infinity, objective: opt.objective ?? 0 }, i.d >= i.n.length, () => `the UFM+ instance ${JSON.stringify(i)}`);
      return opt;
    });
  }

  /** The certified plain-UFM optima along the SELI λ path, with their distances to `targets` (./seliPath.ts). */
  seliPath(input: SeliInput, targets: SeliTargets): PathPoint[] {
    return this.cached('seli-path', [input.n, input.d], () => this.solvers.seliPath(input, targets, this.record, this.settings));
  }

  /** The certified MSE optimum, with or without a free bias (./mse.ts). */
  mse(instance: MseInstance): MseOptimum {
    return this.cached('mse', [instance.n, instance.lambdaW, instance.lambdaH, instance.d, instance.bias], () => this.solvers.mse(instance, this.record, this.settings));
  }

  /** The multi-start deep-linear MSE point (./deepLinear.ts). */
  deepLinear(instance: DeepInstance): DeepOptimum {
    return this.cached('deep-linear', [instance.n, instance.lambdaW, instance.lambdaH, instance.d, instance.layers], () => this.solvers.deepLinear(instance, this.record));
  }

  /** The UFM+ optima solved so far (refusals left out), in the order solved: the report's plot samples. */
  ufmPlusOptima(): CertifiedOptimum[] {
    const out: CertifiedOptimum[] = [];
    for (const [k, e] of this.memo) if (k.startsWith('ufm-plus:') && 'value' in e) out.push(e.value as CertifiedOptimum);
    return out;
  }

  /** Every optimum solved so far, one row each, in the order solved. */
  solved(): readonly SolvedRecord[] {
    return this.rows;
  }

  private readonly record = (row: SolvedRecord): void => {
    this.rows.push(row);
  };

  private cached<T>(family: Family, key: unknown[] | string, compute: () => T): T {
    const k = `${family}:${typeof key === 'string' ? key : JSON.stringify(key)}`;
    let entry = this.memo.get(k) as Entry<T> | undefined;
    if (entry === undefined) {
      try {
        entry = { value: compute() };
      } catch (error) {
        entry = { error };
      }
      this.memo.set(k, entry);
    }
    if ('error' in entry) throw entry.error;
    return entry.value;
  }
}
