import { type Dense, matmul, transpose, zeros } from '../linalg/dense.ts';
import { scaledNorm as norm } from '../linalg/vector.ts';

/**
 * Trained-network checks of what Dang et al. (ICML 2024) plot, beside the metrics of nc.ts:
 * classifier centring, logit margins, NC4 and the ordering of the class-mean norms. All float64.
 */

/**
 * W with its rows centred: w_k − (1/K) Σ_m w_m. The UFM+ optimum has Σ_k w_k = 0 (THEORY.md §1),
 * and centring changes no logit gap (every logit of a sample moves by the same (1/K) Σ_m w_mᵀh).
 *
 * @example
 * ```ts
 * centredRows(fromRows([[1, 2], [3, 4]])); // [[−1, −1], [1, 1]]
 * ```
 */
export function centredRows(W: Dense): Dense {
  const { rows: K, cols: d } = W;
  const out = zeros(K, d);
  for (let r = 0; r < d; r++) {
    let mean = 0;
    for (let k = 0; k < K; k++) mean += W.data[k * d + r];
    mean /= K;
    for (let k = 0; k < K; k++) out.data[k * d + r] = W.data[k * d + r] - mean;
  }
  return out;
}

/**
 * Classifier centring ‖Σ_k w_k‖ / rms_k ‖w_k‖, rms = sqrt((1/K) Σ_k ‖w_k‖²): 0 at the UFM+ optimum;
 * ≈ √K for K independent random rows (the sum of K random vectors of equal norm), so the scale of
 * the rows does not enter. 0 for W = 0.
 *
 * @example
 * ```ts
 * classifierCentring(fromRows([[1, 0], [-1, 0]])); // 0
 * classifierCentring(fromRows([[1, 0], [1, 0]]));  // 2/1 = 2 (parallel rows: K)
 * ```
 */
export function classifierCentring(W: Dense): number {
  const { rows: K, cols: d } = W;
  const sum = new Float64Array(d);
  let sq = 0;
  for (let k = 0; k < K; k++) {
    for (let r = 0; r < d; r++) {
      sum[r] += W.data[k * d + r];
      sq += W.data[k * d + r] ** 2;
    }
  }
  const rms = Math.sqrt(sq / K);
  return rms === 0 ? 0 : norm(sum) / rms;
}

/**
 * Per class k, the logit margin of its class mean: (W h̄_k)_k − mean_{j≠k} (W h̄_k)_j. At the UFM+
 * optimum every gap (W h̄_k)_k − (W h̄_k)_j equals s_k (THEORY.md §1, "Logits"), so this is s_k.
 *
 * @param Hbar - class means, d×K
 * @example
 * ```ts
 * classMeanMargins(W, classMeans(H, layout)); // ≈ classMargins(n, λ_W, λ_H) at the optimum
 * ```
 */
export function classMeanMargins(W: Dense, Hbar: Dense): number[] {
  const Z = matmul(W, Hbar); // K×K, column k = logits of h̄_k
  const K = W.rows;
  return Array.from({ length: K }, (_, k) => {
    let others = 0;
    for (let j = 0; j < K; j++) if (j !== k) others += Z.data[j * K + k];
    return Z.data[k * K + k] - others / (K - 1);
  });
}

function argmaxColumn(M: Dense, i: number, score: (k: number, v: number) => number): number {
  let best = 0;
  let bestScore = -Infinity;
  for (let k = 0; k < M.rows; k++) {
    const s = score(k, M.data[k * M.cols + i]);
    if (s > bestScore) {
      bestScore = s;
      best = k;
    }
  }
  return best;
}

/**
 * NC4 (Papyan, Han, Donoho, PNAS 2020): the fraction of samples on which the classifier's decision
 * argmax_k (W h)_k equals the nearest class centre argmin_k ‖h − h̄_k‖ (1 under collapse).
 *
 * @param logits - W H (K×N)
 * @param H - features d×N
 * @param Hbar - class means d×K (of the training set, also for test features)
 * @example
 * ```ts
 * nearestCentreAgreement(matmul(W, H), H, classMeans(H, layout)); // → 1 in the terminal phase
 * ```
 */
export function nearestCentreAgreement(logits: Dense, H: Dense, Hbar: Dense): number {
  const proj = matmul(transpose(Hbar), H); // K×N: h̄_kᵀ h
  const sq = Array.from({ length: Hbar.cols }, (_, k) => norm(Hbar.data, k, Hbar.rows, Hbar.cols) ** 2);
  let agree = 0;
  for (let i = 0; i < H.cols; i++) {
    const byClassifier = argmaxColumn(logits, i, (_, v) => v);
    const nearest = argmaxColumn(proj, i, (k, v) => 2 * v - sq[k]); // −‖h − h̄_k‖² + ‖h‖²
    if (byClassifier === nearest) agree++;
  }
  return H.cols === 0 ? 1 : agree / H.cols;
}

/**
 * How well the order of a per-class quantity across class sizes matches the predicted order:
 * over all pairs of distinct sizes whose predicted means differ, the fraction where the measured
 * means (over the classes of each size) are ordered the same way. 1 when there is no such pair.
 *
 * @example
 * ```ts
 * orderAgreement([1, 2, 3], [0.1, 0.2, 0.3], [10, 20, 30]); // 1
 * orderAgreement([3, 2, 1], [0.1, 0.2, 0.3], [10, 20, 30]); // 0
 * ```
 */
export function orderAgreement(measured: readonly number[], predicted: readonly number[], sizes: readonly number[]): number {
  const groups = [...new Set(sizes)].sort((a, b) => a - b);
  const mean = (v: readonly number[], n: number) => {
    const xs = v.filter((_, k) => sizes[k] === n);
    return xs.reduce((s, x) => s + x, 0) / xs.length;
  };
  const m = groups.map((n) => mean(measured, n));
  const p = groups.map((n) => mean(predicted, n));
  let pairs = 0;
  let same = 0;
  for (let a = 0; a < groups.length; a++) {
    for (let b = a + 1; b < groups.length; b++) {
      if (p[a] === p[b]) continue;
      pairs++;
      if (Math.sign(m[b] - m[a]) === Math.sign(p[b] - p[a])) same++;
    }
  }
  return pairs === 0 ? 1 : same / pairs;
}

/**
 * max_k |a_k − b_k| / |b_k| over the k with b_k ≠ 0 (a zero prediction, e.g. a collapsed class's
 * margin or norm, has no relative error); 0 when every b_k is 0.
 *
 * @example
 * ```ts
 * maxRelativeErrorWhereNonZero([1.1, 5], [1, 0]); // 0.1 (the second entry is skipped)
 * ```
 */
export function maxRelativeErrorWhereNonZero(a: readonly number[], b: readonly number[]): number {
  let worst = 0;
  b.forEach((bk, k) => {
    if (bk !== 0) worst = Math.max(worst, Math.abs(a[k] - bk) / Math.abs(bk));
  });
  return worst;
}
