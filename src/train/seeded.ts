import seedrandom from 'seedrandom';

/** A seeded stream of uniforms in [0, 1) (seedrandom's Alea generator). */
export type Uniform = () => number;

/**
 * A uniform stream for a named purpose: the stream for (seed, purpose) is always the same, and
 * streams with different purposes are independent. Every random choice of training comes from
 * one of these, so a run is reproduced by its seed alone.
 *
 * @example
 * ```ts
 * const u = seededUniform(7, 'shuffle/epoch-3'); u(); // the same number on every machine
 * ```
 */
export function seededUniform(seed: number | string, purpose: string): Uniform {
  return seedrandom.alea(`${seed}/${purpose}`);
}

/**
 * `count` standard normal samples (Box–Muller on a seeded uniform stream), scaled by `std`.
 * Computed in JavaScript doubles, then rounded to float32: identical on every tfjs backend.
 *
 * @example
 * ```ts
 * const w = seededNormal(1024, Math.sqrt(2 / 3072), 7, 'mlp/layer0/kernel');
 * ```
 */
export function seededNormal(count: number, std: number, seed: number | string, purpose: string): Float32Array {
  const u = seededUniform(seed, purpose);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const t = 2 * Math.PI * u();
    out[i] = std * r * Math.cos(t);
    if (i + 1 < count) out[i + 1] = std * r * Math.sin(t);
  }
  return out;
}

/**
 * `count` samples uniform on [−a, a).
 *
 * @example
 * ```ts
 * const W = seededSymmetricUniform(10 * 256, 1 / 16, 7, 'classifier');
 * ```
 */
export function seededSymmetricUniform(count: number, a: number, seed: number | string, purpose: string): Float32Array {
  const u = seededUniform(seed, purpose);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = a * (2 * u() - 1);
  return out;
}

/**
 * A seeded permutation of 0 … n−1 (Fisher–Yates). Epoch e of a run shuffles with purpose
 * `shuffle/epoch-e`, so the random state at any epoch boundary is fully described by (seed, e).
 *
 * @example
 * ```ts
 * seededPermutation(5, 7, 'shuffle/epoch-1'); // e.g. Int32Array [3, 0, 4, 1, 2]
 * ```
 */
export function seededPermutation(n: number, seed: number | string, purpose: string): Int32Array {
  const u = seededUniform(seed, purpose);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
