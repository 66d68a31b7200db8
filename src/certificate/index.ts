/**
 * The certificate of global optimality of THEORY.md §1b: UFM+ (H ≥ 0, dual gauge Ω°) and plain UFM
 * (spectral norm), with the Fenchel lower bound on the optimal value.
 *
 * @example
 * ```ts
 * import { certifyUfmPlus, isCertified } from './certificate/index.ts';
 * const cert = certifyUfmPlus(W, H, classLayout(n), { lambdaW, lambdaH });
 * isCertified(cert); // optimalityGap ≤ 1e-8 · max(1, |f|)
 * ```
 */
export { certifyUfmPlus, isCertified, type UfmPlusCertificate, type UfmPlusCertifyOptions } from './ufmPlus.ts';
export { certifyUfm, type UfmCertificate } from './ufm.ts';
export { nonnegativeDualNorm, spectralDualNorm, expandClassWeights, type NonnegativeDualNorm, type SpectralDualNorm, type DualNormOptions } from './gauge.ts';
export { maxOrthantRayleigh, type OrthantRayleigh, type OrthantRayleighOptions } from './orthantRayleigh.ts';
export { crossEntropyLowerBound, genericLowerBound, type CrossEntropyBoundInput } from './lowerBound.ts';
export type { CandidateOptions } from './_internals/candidate.ts';
