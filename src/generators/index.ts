/**
 * fast-check arbitraries for ncverify's properties (THEORY.md §1): class-size vectors, regularisers,
 * dimensions, solver seeds, whole UFM+ instances and instances placed at the minority-collapse threshold.
 * Built only from fast-check combinators, so every one of them shrinks.
 */
export { arbitrarySizes, type ArbitrarySizesConstraints } from './arbitrarySizes.ts';
export { balancedSizes, type BalancedSizesConstraints } from './balancedSizes.ts';
export { budgetSizes, type Budget } from './budgetSizes.ts';
export { dimension, type DimensionConstraints } from './dimension.ts';
export { longTailedSizes, type LongTailedSizesConstraints } from './longTailedSizes.ts';
export { regulariser, REGULARISER_RANGE, type RegulariserConstraints } from './regulariser.ts';
export { sampleInstances } from './sampleInstances.ts';
export { solverSeed, MAX_SOLVER_SEED } from './solverSeed.ts';
export { stepImbalanceSizes, type StepImbalanceSizesConstraints } from './stepImbalanceSizes.ts';
export {
  thresholdInstance,
  type ThresholdInstance,
  type ThresholdInstanceConstraints,
  type ThresholdPosition,
} from './thresholdInstance.ts';
export { ufmInstance, type UfmInstance, type UfmInstanceConstraints } from './ufmInstance.ts';
