/**
 * One UFM+ problem instance (THEORY.md §1): class sizes n = (n_1, …, n_K), regularisers λ_W, λ_H > 0
 * and a feature dimension d ≥ K.
 */
export interface UfmInstance {
  /** n = (n_1, …, n_K), positive integers, K ≥ 2. */
  readonly n: number[];
  /** λ_W > 0. */
  readonly lambdaW: number;
  /** λ_H > 0. */
  readonly lambdaH: number;
  /** d ≥ K. */
  readonly d: number;
}
