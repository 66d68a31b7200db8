/**
 * Checks of a trained run's final record against the closed form of THEORY.md §1, each with its
 * value, threshold and margin, so a report shows how close every check came to failing.
 */

/** One check: `value` must be ≤ (or ≥) `threshold`; margin = how far inside (negative: failed). */
export interface RunCheck {
  readonly name: string;
  readonly value: number;
  readonly relation: '<=' | '>=';
  readonly threshold: number;
  readonly pass: boolean;
  readonly margin: number;
}

function check(name: string, value: number, relation: '<=' | '>=', threshold: number): RunCheck {
  const margin = relation === '<=' ? threshold - value : value - threshold;
  return { name, value, relation, threshold, pass: Number.isFinite(value) && margin >= 0, margin };
}

/** The tolerances of {@link ufmPlusChecks} (relative). */
export interface UfmPlusTolerances {
  readonly objective: number;
  readonly classMeanNorms: number;
  readonly classifierNorms: number;
  readonly margins: number;
}

/**
 * The checks that a run at (or near) the UFM+ optimum must pass: f ≥ f* (a theorem: f* is the
 * minimum over all W and all H ≥ 0, so only features that leave H ≥ 0 or a mis-scaled objective
 * can go below it, up to 1e-12 relative for float64 rounding), f ≤ (1 + tol) f*, and the
 * class-mean norms, (centred) classifier norms and margins within their tolerances.
 *
 * @example
 * ```ts
 * ufmPlusChecks(last, summary.theory.objective, { objective: 0.01, classMeanNorms: 0.02, classifierNorms: 0.02, margins: 0.02 });
 * ```
 */
export function ufmPlusChecks(record: Readonly<Record<string, unknown>>, fStar: number, tol: UfmPlusTolerances): RunCheck[] {
  const num = (k: string) => Number(record[k]);
  const ratio = num('objective') / fStar;
  return [
    check('f/f* ≥ 1 (f* is the global minimum over H ≥ 0)', ratio, '>=', 1 - 1e-12),
    check('f/f* − 1 (objective above the optimum)', ratio - 1, '<=', tol.objective),
    check('max relative error of ‖h̄_k‖', num('classMeanNormRelativeError'), '<=', tol.classMeanNorms),
    check('max relative error of ‖w_k‖ (centred W)', num('classifierNormRelativeErrorCentred'), '<=', tol.classifierNorms),
    check('max relative error of the margins s_k', num('marginRelativeError'), '<=', tol.margins),
  ];
}
