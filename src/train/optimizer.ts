import type { Tensor, Variable } from '@tensorflow/tfjs';
import { InputError } from '../errors.ts';
import type { Tf } from '../tfjs/backend.ts';

/** Adam (Kingma & Ba 2015) or SGD with heavy-ball momentum. */
export type OptimizerConfig =
  | { readonly kind: 'adam'; readonly lr: number; readonly beta1?: number; readonly beta2?: number; readonly epsilon?: number }
  | { readonly kind: 'sgd'; readonly lr: number; readonly momentum?: number };

/** The optimizer's whole state, as plain arrays: what a checkpoint stores. */
export interface OptimizerState {
  /** The number of steps taken. */
  readonly step: number;
  /** Per variable (in the order given at creation), the moment buffers: Adam [m, v], SGD [velocity]. */
  readonly slots: readonly (readonly Float32Array[])[];
}

/**
 * A first-order optimizer whose full state is explicit, so a resumed run continues bit for bit.
 * (tfjs's own Adam cannot: after `setWeights` it recomputes β^t with `pow`, whereas an
 * uninterrupted run multiplies β in float32 every step, and the two differ in the last bits.)
 * Here the bias corrections 1 − β^t are computed in float64 from the integer step count.
 */
export interface Optimizer {
  /** Applies one step with learning rate `lr` to `vars` given their gradients (same order). */
  apply(grads: readonly Tensor[], lr: number): void;
  /** A copy of the state (read asynchronously: the WebGPU backend has no synchronous reads). */
  state(): Promise<OptimizerState>;
  /** Replaces the state (from a checkpoint). */
  restore(state: OptimizerState): void;
  dispose(): void;
}

function checkConfig(c: OptimizerConfig): void {
  if (!(c.lr > 0) || !Number.isFinite(c.lr)) throw new InputError('lr', 'must be a finite number > 0', `got ${c.lr}`);
  const unit = (name: string, v: number | undefined) => {
    if (v !== undefined && !(v >= 0 && v < 1)) throw new InputError(name, 'must be in [0, 1)', `got ${v}`);
  };
  if (c.kind === 'adam') {
    unit('beta1', c.beta1);
    unit('beta2', c.beta2);
    if (c.epsilon !== undefined && !(c.epsilon > 0)) throw new InputError('epsilon', 'must be > 0', `got ${c.epsilon}`);
  } else unit('momentum', c.momentum);
}

/**
 * Creates an optimizer for `vars`. Adam: m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g²,
 * θ ← θ − lr · (m/(1−β1^t)) / (sqrt(v/(1−β2^t)) + ε). SGD: u ← μ u + g, θ ← θ − lr u (PyTorch's form).
 *
 * @throws {@link InputError} for a non-positive lr or a β / momentum outside [0, 1)
 * @example
 * ```ts
 * const opt = createOptimizer(tf, { kind: 'adam', lr: 1e-3 }, vars);
 * opt.apply(grads, 1e-3);
 * ```
 */
export function createOptimizer(tf: Tf, config: OptimizerConfig, vars: readonly Variable[]): Optimizer {
  checkConfig(config);
  const nSlots = config.kind === 'adam' ? 2 : 1;
  let slots: Variable[][] = vars.map((v) => Array.from({ length: nSlots }, () => tf.variable(tf.zerosLike(v), false)));
  let step = 0;
  return {
    apply(grads, lr) {
      step++;
      tf.tidy(() => {
        if (config.kind === 'adam') {
          const b1 = config.beta1 ?? 0.9;
          const b2 = config.beta2 ?? 0.999;
          const eps = config.epsilon ?? 1e-8;
          const c1 = 1 - Math.pow(b1, step);
          const c2 = 1 - Math.pow(b2, step);
          vars.forEach((v, i) => {
            const g = grads[i];
            const [m, s] = slots[i];
            const m1 = tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1));
            const s1 = tf.add(tf.mul(s, b2), tf.mul(tf.square(g), 1 - b2));
            m.assign(m1);
            s.assign(s1);
            const upd = tf.div(tf.div(m1, c1), tf.add(tf.sqrt(tf.div(s1, c2)), eps));
            v.assign(tf.sub(v, tf.mul(upd, lr)));
          });
        } else {
          const mu = config.momentum ?? 0;
          vars.forEach((v, i) => {
            const [u] = slots[i];
            const u1 = mu > 0 ? tf.add(tf.mul(u, mu), grads[i]) : grads[i];
            if (mu > 0) u.assign(u1);
            v.assign(tf.sub(v, tf.mul(u1, lr)));
          });
        }
      });
    },
    async state() {
      const read = async (t: Variable) => Float32Array.from((await t.data()) as Float32Array);
      return { step, slots: await Promise.all(slots.map((s) => Promise.all(s.map(read)))) };
    },
    restore(state) {
      if (state.slots.length !== vars.length || state.slots.some((s) => s.length !== nSlots)) {
        throw new InputError('checkpoint', `optimizer state must hold ${nSlots} buffer(s) for each of ${vars.length} variables`);
      }
      slots.flat().forEach((t) => t.dispose());
      slots = vars.map((v, i) => state.slots[i].map((a) => tf.variable(tf.tensor(a, v.shape, 'float32'), false)));
      step = state.step;
    },
    dispose() {
      slots.flat().forEach((t) => t.dispose());
    },
  };
}
