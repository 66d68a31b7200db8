/**
 * One-quantity perturbations of a theory, for measuring the suite's resolution (`ncverify power`): the
 * shipped closed form with exactly one predicted quantity off by a relative ε, everything that follows
 * from it carried through consistently (so that only claims about that quantity can see it).
 */
import type { UfmPlusPrediction, UfmPlusTheory } from '../theory/types.ts';

/** A predicted quantity that can be perturbed. */
export type PerturbedQuantity =
  | 'threshold' | 'margins' | 'class-mean-norms' | 'classifier-norms' | 'classifier-gram' | 'feature-gram' | 'alignment-constant' | 'objective';

type Perturb = (p: UfmPlusPrediction, eps: number) => UfmPlusPrediction;

const scaleRows = (G: number[][], f: number): number[][] => G.map((row) => row.map((x) => f * x));

/**
 * What each perturbation changes (ε relative):
 * - threshold: T' = T(1 + ε), with the alive flags and completeCollapse taken from T';
 * - margins: s_k(1 + ε), and what follows (THEORY.md §1): ‖h̄_k‖, b_k, ‖w_k‖ by sqrt(1 + ε), Grams by
 *   (1 + ε), f* recomputed from the margins;
 * - class-mean-norms, classifier-norms: ‖h̄_k‖ (resp. ‖w_k‖) × (1 + ε) alone;
 * - classifier-gram: W Wᵀ × (1 + ε); feature-gram: off-diagonal entries ε·sqrt(G_jj G_kk) (not orthogonal);
 * - alignment-constant: C × (1 + ε); objective: f* × (1 + ε).
 */
export const PERTURBATIONS: Readonly<Record<PerturbedQuantity, Perturb>> = {
  threshold: (p, eps) => {
    const threshold = p.threshold * (1 + eps);
    const classes = p.classes.map((c) => ({ ...c, alive: c.n > threshold }));
    return { ...p, threshold, completeCollapse: classes.every((c) => !c.alive), classes };
  },
  margins: (p, eps) => {
    const r = Math.sqrt(1 + eps);
    const classes = p.classes.map((c) => ({ ...c, margin: (1 + eps) * c.margin, featureNorm: r * c.featureNorm, b: r * c.b, classifierNorm: r * c.classifierNorm }));
    const objective = classes.reduce((f, c) => f + (c.n / p.N) * (Math.log1p((p.K - 1) * Math.exp(-c.margin)) + c.c * c.margin), 0);
    return { ...p, classes, objective, classifierGram: scaleRows(p.classifierGram, 1 + eps), featureGram: scaleRows(p.featureGram, 1 + eps) };
  },
  'class-mean-norms': (p, eps) => ({ ...p, classes: p.classes.map((c) => ({ ...c, featureNorm: (1 + eps) * c.featureNorm })) }),
  'classifier-norms': (p, eps) => ({ ...p, classes: p.classes.map((c) => ({ ...c, classifierNorm: (1 + eps) * c.classifierNorm })) }),
  'classifier-gram': (p, eps) => ({ ...p, classifierGram: scaleRows(p.classifierGram, 1 + eps) }),
  'feature-gram': (p, eps) => ({ ...p, featureGram: p.featureGram.map((row, j) => row.map((x, k) => (j === k ? x : eps * Math.sqrt(p.featureGram[j][j] * p.featureGram[k][k])))) }),
  'alignment-constant': (p, eps) => ({ ...p, alignment: { ...p.alignment, constant: (1 + eps) * p.alignment.constant } }),
  objective: (p, eps) => ({ ...p, objective: (1 + eps) * p.objective }),
};

/**
 * `theory` with one quantity perturbed by ε.
 * @example
 * ```ts
 * perturbed(ufmPlusCe, 'threshold', 1e-6).predict({ n: [10, 40], lambdaW: 1e-2, lambdaH: 1e-2 }).threshold; // T·(1 + 1e-6)
 * ```
 */
export function perturbed(theory: UfmPlusTheory, quantity: PerturbedQuantity, eps: number): UfmPlusTheory {
  const perturb = PERTURBATIONS[quantity];
  return { name: `${theory.name}+${quantity}×(1+${eps})`, predict: (i) => perturb(theory.predict(i), eps) };
}
