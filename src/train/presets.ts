import { SUBSET_PRESETS } from '../data/subsets.ts';
import type { TrainConfig } from './config.ts';
import { convertPaperLambdas } from './ufmLoss.ts';

/** Records in train-imbalanced.bin: n = (100, 100, 200, 200, 300, 300, 400, 400, 500, 500). */
export const CIFAR10_IMBALANCED_N = 3000;

/** Dang et al. ICML 2023's CIFAR-10 sizes 100…500 (N = 3000; our train-imbalanced.bin). */
const DANG2023_SIZES = SUBSET_PRESETS.dang2023.sizes;
/** Dang, Tran, Nguyen, Ho ICML 2024's CIFAR-10 sizes 1000…5000 (N = 30 000). */
const DANG2024_SIZES = SUBSET_PRESETS.dang2024.sizes;
/** The smoke run's test subset: the first 200 test images per class (= the stored test.bin). */
const TEST_200 = new Array<number>(10).fill(200);

/**
 * The smoke configuration of the slow suite: a 3-hidden-layer ReLU MLP (3072-256-256-256, d = 256)
 * on the first 100, 100, 200, …, 500 images per class (Dang et al. 2023's sizes: train-imbalanced.bin,
 * or built from the official cifar-10-batches-bin), tested on the first 200 test images per class, Adam (lr 1e-3, cosine to 1e-5, batch 128), λ_W = 1.6e-2, λ_H = 1.6e-6
 * (THEORY.md scaling), ordinary weight decay 1e-4 on the kernels, 60 epochs.
 *
 * Why these λ. Their product sets the UFM+ optimum's margins and the minority-collapse threshold:
 * T = N²λ_Wλ_H K/(K−1) = 0.26 < min n_k = 100, so every class is alive, with margins
 * s_k ≈ 5.2 (n = 100) to 6.1 (n = 500). Their ratio λ_W/λ_H = 10⁴ sets the scale split between H
 * and W: the optimum has ‖h̄_k‖ ≈ 5.1–7.1 and ‖w_k‖ ≈ 0.74–1.12, near the scales of a He-initialised
 * MLP (class means ‖h̄_k‖ ≈ 10–13) and of PyTorch's default classifier init (‖w_k‖ ≈ 0.58).
 * Measured alternatives (60 epochs unless said): with the ratio at 100 (λ_W = 5e-3, λ_H = 5e-5)
 * the per-sample feature penalty (N λ_H/2)‖h‖² ≈ 10–20 dwarfs the cross-entropy at initialisation,
 * Adam drives every ReLU to zero within the first epoch and the network stays dead (CE stuck at
 * log 10); with a 10× larger product (λ_W = 0.05, λ_H = 5e-6) the run ends closer to the UFM+
 * optimum (objective 6 % above f*, norms within 7 %) but 6 of the 3000 images stay misclassified
 * (99.8 % from epoch 33 to 60; runs with weight decay 1e-4 or batch 64 were no better when stopped
 * at epochs 36 and 35), so the 100 % training-accuracy check would fail.
 *
 * @example
 * ```ts
 * await trainRun(smokeConfig());
 * ```
 */
export function smokeConfig(overrides: Partial<TrainConfig> = {}): TrainConfig {
  return {
    run: 'smoke',
    backbone: { kind: 'mlp', hidden: [256, 256, 256] },
    classSizes: DANG2023_SIZES,
    testClassSizes: TEST_200,
    epochs: 60,
    batchSize: 128,
    optimizer: { kind: 'adam', lr: 1e-3 },
    schedule: { kind: 'cosine', minLr: 1e-5 },
    lambdaW: 1.6e-2,
    lambdaH: 1.6e-6,
    weightDecay: 1e-4,
    seed: 1,
    checkpointEvery: 5,
    ...overrides,
  };
}

/**
 * The nightly (paper-scale) configurations, after Dang, Tran, Nguyen, Ho (ICML 2024) and their
 * code's README: Adam lr 1e-4,
 * λ'_W = 1e-4, λ'_H = 1e-5 in the code's scaling, converted by {@link convertPaperLambdas}
 * (λ_W = 2e-4; λ_H = 2Bλ'_H/N). With `--sep_decay` their `make_optimizer` sets the optimizer's
 * weight decay to 0 (utils.py of Fsoft-AIC/Neural-Collapse-in-Deep-Linear-Networks, the same
 * group's code base), so the other layers get no decay: weightDecay = 0 here.
 * - `nightly-mlp`: 7 ReLU layers of width 1024 (their depth_relu 6 + the ReLU'd intermediate
 *   layer), batch 256, 4000 epochs, on Dang et al. 2023's sizes 100, 100, 200, …, 500 (N = 3000).
 * - `nightly-resnet18`: CIFAR ResNet18 (width 64, d = 512), batch 32, 500 epochs (the paper runs
 *   4000; 500 keeps a GPU night: about 47 k steps), same sizes.
 * - `nightly-mlp-dang2024`: the MLP on the 2024 paper's sizes 1000, 1000, 2000, …, 5000
 *   (N = 30 000; needs the official cifar-10-batches-bin), learning rate stepped at epoch 2000.
 *   The step's factor is not stated where we read it: gamma = 0.1 (the usual one) is our choice.
 *
 * @example
 * ```ts
 * for (const c of nightlyConfigs()) await trainRun(c, { backend: 'tensorflow' });
 * ```
 */
export function nightlyConfigs(): TrainConfig[] {
  const paper = (batchSize: number, N = CIFAR10_IMBALANCED_N) => convertPaperLambdas({ lambdaW: 1e-4, lambdaH: 1e-5, batchSize, N });
  const mlp = paper(256);
  const resnet = paper(32);
  const mlp2024 = paper(256, DANG2024_SIZES.reduce((a, b) => a + b, 0));
  return [
    {
      run: 'nightly-mlp',
      backbone: { kind: 'mlp', hidden: [1024, 1024, 1024, 1024, 1024, 1024, 1024] },
      classSizes: DANG2023_SIZES,
      epochs: 4000,
      batchSize: 256,
      optimizer: { kind: 'adam', lr: 1e-4 },
      schedule: { kind: 'constant' },
      lambdaW: mlp.lambdaW,
      lambdaH: mlp.lambdaH,
      weightDecay: 0,
      seed: 1,
      checkpointEvery: 50,
      lambdaConversion: mlp.note,
    },
    {
      run: 'nightly-resnet18',
      backbone: { kind: 'resnet18', width: 64 },
      classSizes: DANG2023_SIZES,
      epochs: 500,
      batchSize: 32,
      optimizer: { kind: 'adam', lr: 1e-4 },
      schedule: { kind: 'constant' },
      lambdaW: resnet.lambdaW,
      lambdaH: resnet.lambdaH,
      weightDecay: 0,
      seed: 1,
      checkpointEvery: 10,
      lambdaConversion: resnet.note,
    },
    {
      run: 'nightly-mlp-dang2024',
      backbone: { kind: 'mlp', hidden: [1024, 1024, 1024, 1024, 1024, 1024, 1024] },
      classSizes: DANG2024_SIZES,
      epochs: 4000,
      batchSize: 256,
      optimizer: { kind: 'adam', lr: 1e-4 },
      schedule: { kind: 'step', milestones: [2000], gamma: 0.1 },
      lambdaW: mlp2024.lambdaW,
      lambdaH: mlp2024.lambdaH,
      weightDecay: 0,
      seed: 1,
      checkpointEvery: 50,
      lambdaConversion: mlp2024.note,
    },
  ];
}
