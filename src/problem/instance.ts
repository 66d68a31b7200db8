/**
 * The one shape of a UFM / UFM+ instance (THEORY.md §1): class sizes, the two weight decays and,
 * where it matters, the feature dimension. The solver's `SolverProblem` extends it (with d
 * required and the model's options); theories and generators can use it as is.
 *
 * @example
 * ```ts
 * const instance: UfmInstance = { n: [10, 10, 40, 40], lambdaW: 5e-3, lambdaH: 5e-3, d: 8 };
 * ```
 */
export interface UfmInstance {
  /** n = (n_1, …, n_K): the class sizes, positive integers, K ≥ 2. */
  readonly n: readonly number[];
  /** λ_W > 0: weight decay on the classifier W. */
  readonly lambdaW: number;
  /** λ_H > 0: weight decay on the features H. */
  readonly lambdaH: number;
  /** d: the feature dimension (THEORY.md §1 assumes d ≥ K); optional where a result does not depend on it. */
  readonly d?: number;
}
