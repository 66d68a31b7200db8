import type { GradSaveFunc, Tensor, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '../tfjs/backend.ts';

/**
 * y = x A for x: B×m, A: m×n, with a gradient that transposes explicitly: dx = dy · Aᵀ and
 * dA = xᵀ · dy are computed as `matMul(dy, transpose(A))` and `matMul(transpose(x), dy)`.
 * Mathematically this is tf.matMul's own gradient; it exists because tfjs's wasm backend runs
 * `matMul` with a transpose flag about 10× slower than a transpose followed by a plain `matMul`
 * (measured: [3072×128]ᵀ·[128×256] 149 ms with transposeA, 22 ms pre-transposed). With
 * `inputGrad` false the gradient with respect to x is returned as zeros (the first layer, whose
 * input is data, needs none).
 *
 * @example
 * ```ts
 * const h = tf.relu(linear(tf, x, kernel, false)); // first layer of an MLP
 * ```
 */
export function linear(tf: Tf, x: Tensor2D, A: Tensor2D, inputGrad = true): Tensor2D {
  const f = tf.customGrad(((...args: (Tensor | GradSaveFunc)[]) => {
    const [xi, Ai, save] = args as [Tensor, Tensor, GradSaveFunc];
    save([xi, Ai]);
    return {
      value: tf.matMul(xi as Tensor2D, Ai as Tensor2D),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const g = dy as Tensor2D;
        const [xs, As] = saved as [Tensor2D, Tensor2D];
        return [inputGrad ? tf.matMul(g, tf.transpose(As)) : tf.zerosLike(xs), tf.matMul(tf.transpose(xs), g)];
      },
    };
  }) as Parameters<Tf['customGrad']>[0]);
  return f(x, A) as Tensor2D;
}
