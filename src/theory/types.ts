/**
 * The shapes a closed-form theory of the UFM+ problem (THEORY.md §1) takes in ncverify. The
 * built-in theory is {@link ../theory/ufmPlusCe.ts | ufmPlusCe}; the property suite, `ncverify
 * predict` and "bring your own theory" users (`ncverify verify --theory my-theory.ts`) all use
 * these same types. Notation of THEORY.md: K classes, sizes n = (n_1, …, n_K), N = Σ n_k,
 * W ∈ R^{K×d} with rows w_k, class means h̄_k, regularisers λ_W, λ_H.
 */

/**
 * One instance of the UFM+ problem
 * min_{W, H ≥ 0} (1/N) Σ_k Σ_i CE(W h_{k,i}, k) + (λ_W/2)‖W‖_F² + (λ_H/2)‖H‖_F².
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
  /** d: the feature dimension (THEORY.md §1 assumes d ≥ K); optional where the prediction does not depend on it. */
  readonly d?: number;
}

/**
 * What a theory predicts for one class k at every global minimiser.
 *
 * @example
 * ```ts
 * const k0: ClassPrediction = predictUfmPlus({ n: [10, 40], lambdaW: 1e-2, lambdaH: 1e-2 }).classes[0];
 * ```
 */
export interface ClassPrediction {
  /** n_k: the class size. */
  n: number;
  /** true iff n_k > T (the class keeps a non-zero mean); false: minority collapse, h̄_k = 0. */
  alive: boolean;
  /** c_k = N sqrt(λ_W λ_H (K−1) / (K n_k)): the per-class constant of the scalar problem. */
  c: number;
  /** s_k: the logit margin (W h̄_k)_k − (W h̄_k)_j (j ≠ k); 0 for a collapsed class. */
  margin: number;
  /** ‖h̄_k‖: the norm of the class mean; 0 for a collapsed class. */
  featureNorm: number;
  /** b_k ≥ 0: the scale of class k's direction ĥ_k in W (w_k = b_k ĥ_k − (1/K) Σ_m b_m ĥ_m); 0 if collapsed. */
  b: number;
  /** ‖w_k‖: the norm of class k's classifier row. */
  classifierNorm: number;
}

/**
 * A theory's full prediction for one {@link UfmInstance}.
 *
 * @example
 * ```ts
 * const p: UfmPlusPrediction = ufmPlusCe.predict({ n: [10, 10, 40, 40], lambdaW: 5e-2, lambdaH: 5e-2 }); // T = 33.3
 * p.classes.map((c) => c.alive); // [false, false, true, true]
 * ```
 */
export interface UfmPlusPrediction {
  /** The theory's name (`ufm-plus-ce`). */
  theory: string;
  /** K: the number of classes. */
  K: number;
  /** N = Σ n_k. */
  N: number;
  /** λ_W, as given. */
  lambdaW: number;
  /** λ_H, as given. */
  lambdaH: number;
  /** T = N² λ_W λ_H K/(K−1): the minority-collapse threshold; class k is alive iff n_k > T. */
  threshold: number;
  /** true iff every n_k ≤ T: then (W, H) = (0, 0) is the minimiser and f* = log K. */
  completeCollapse: boolean;
  /** f*: the optimal value of the objective. */
  objective: number;
  /** One entry per class, in the order of n. */
  classes: ClassPrediction[];
  /** W Wᵀ (K×K): the classifier Gram matrix. */
  classifierGram: number[][];
  /** H̄ᵀH̄ (K×K) of the class means: diagonal ‖h̄_k‖², off-diagonal 0 (orthogonal means). */
  featureGram: number[][];
  /**
   * NC3-style alignment: w_k = constant · (weights_k h̄_k − (1/K) Σ_m weights_m h̄_m), with
   * weights_k = sqrt(n_k) and constant C = sqrt(λ_H K / (λ_W (K−1))).
   */
  alignment: { weights: number[]; constant: number };
}

/**
 * A closed-form theory of the UFM+ problem: a name and a pure prediction function.
 *
 * @example
 * ```ts
 * const mine: UfmPlusTheory = { name: 'my-theory', predict: (instance) => predictUfmPlus(instance) };
 * ```
 */
export interface UfmPlusTheory {
  /** A short identifier used in reports and on the command line. */
  readonly name: string;
  /** The prediction for one instance; pure (no I/O), throws InputError on invalid input. */
  predict(instance: UfmInstance): UfmPlusPrediction;
}
