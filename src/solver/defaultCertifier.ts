import { certifyUfm } from '../certificate/ufm.ts';
import { certifyUfmPlus } from '../certificate/ufmPlus.ts';
import type { Certifier } from './certify.ts';

/**
 * The solver's certificate: src/certificate's UFM+ gauge test (H ≥ 0) or spectral-norm test
 * (plain UFM), THEORY.md §1b, adapted to the {@link Certifier} shape. The certificate models a
 * free bias; with a regularised bias (λ_b > 0) its lower bound is not that of this problem, so no
 * optimality gap is passed on (the solver then relies on ρ and the KKT residual).
 *
 * @example
 * ```ts
 * const view = defaultCertifier(W, H, null, validateProblem(problem));
 * ```
 */
export const defaultCertifier: Certifier = (W, H, b, p) => {
  const reg = { lambdaW: p.lambdaW, lambdaH: p.lambdaH };
  const opts = b === null ? { loss: p.loss } : { loss: p.loss, bias: Float64Array.from(b) };
  const gapValid = p.lambdaB === 0;
  if (p.nonNegative) {
    const c = certifyUfmPlus(W, H, p.layout, reg, opts);
    return {
      kind: 'ufm+', dualNormRatio: c.dualNormRatio, dualNormRatioUpper: c.dualNormRatioUpper, exact: c.exact,
      optimalityGap: gapValid ? c.optimalityGap : null, atom: c.atom,
    };
  }
  const c = certifyUfm(W, H, p.layout, reg, opts);
  return {
    kind: 'ufm', dualNormRatio: c.dualNormRatio, dualNormRatioUpper: c.dualNormRatio, exact: c.exact,
    optimalityGap: gapValid ? c.optimalityGap : null, atom: c.atom,
  };
};
