/**
 * Eigen-decomposition of a small dense symmetric matrix, allocation-free after the workspace is made:
 * Householder tridiagonalisation followed by the implicit QL algorithm (the EISPACK tred2/tql2 pair,
 * as in JAMA and ml-matrix's `EigenvalueDecomposition`), on flat Float64Arrays.
 *
 * It exists because the certificate of THEORY.md §1b solves many thousands of K×K problems (K ≤ 30)
 * per call; on those sizes it is several times faster than ml-matrix, which allocates Matrix objects.
 */

/** Buffers for {@link symmetricEigen}; reuse one per size to avoid allocation in hot loops. */
export interface SymmetricEigenWorkspace {
  /** The order n. */
  readonly n: number;
  /** Eigenvalues in ascending order (length n). */
  readonly values: Float64Array;
  /** Orthonormal eigenvectors, row-major n×n: column j (entries `vectors[i * n + j]`) goes with `values[j]`. */
  readonly vectors: Float64Array;
  /** Scratch (off-diagonal of the tridiagonal form). */
  readonly e: Float64Array;
  /** The top eigenvector, written by {@link symmetricTopEigenpair}. */
  readonly top: Float64Array;
}

/**
 * A workspace for matrices of order n.
 *
 * @example
 * ```ts
 * const ws = symmetricEigenWorkspace(3);
 * ```
 */
export function symmetricEigenWorkspace(n: number): SymmetricEigenWorkspace {
  return { n, values: new Float64Array(n), vectors: new Float64Array(n * n), e: new Float64Array(n), top: new Float64Array(n) };
}

/**
 * All eigenpairs of the symmetric n×n matrix A (row-major, `A[i * n + j]`; only symmetric input is
 * meaningful, A is not modified). Eigenvalues ascending in `ws.values`, eigenvectors in the columns of
 * `ws.vectors`. Backward stable: the computed pairs are exact for A + E with ‖E‖ ≈ 1e-16 ‖A‖.
 *
 * @param A - the matrix, at least n·n entries
 * @param n - the order (0 < n ≤ the workspace's n)
 * @param ws - a workspace of order n (made if omitted)
 * @returns `ws`
 * @example
 * ```ts
 * const { values, vectors } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
 * // values = [1, 3]; the column for 3 is ±(1, 1)/√2
 * ```
 */
export function symmetricEigen(A: ArrayLike<number>, n: number, ws: SymmetricEigenWorkspace = symmetricEigenWorkspace(n)): SymmetricEigenWorkspace {
  if (ws.n !== n) throw new RangeError(`symmetricEigen: workspace of order ${ws.n}, matrix of order ${n}`);
  const V = ws.vectors;
  for (let i = 0; i < n * n; i++) V[i] = A[i];
  if (n === 1) {
    ws.values[0] = V[0];
    V[0] = 1;
    return ws;
  }
  tridiagonalise(n, V, ws.values, ws.e);
  diagonaliseTridiagonal(n, ws.values, ws.e, V);
  sortAscending(n, ws.values, V);
  return ws;
}

/**
 * The top eigenpair (and the second eigenvalue) of the symmetric n×n matrix A, about 2.5 times faster
 * than {@link symmetricEigen} for n = 20: eigenvalues by tridiagonal QL without vectors, then the top
 * eigenvector by inverse iteration with the Cholesky factor of σI − A, σ = λ₁ + 1e-10·max|λ|, which is
 * positive definite (σ exceeds λ₁ by far more than its rounding error). Each iteration shrinks the
 * other components by δ/(λ₁ − λ₂ + δ); three are done, so when the gap λ₁ − λ₂ is ≥ 1e-6·|λ₁| the
 * vector is accurate to ≈ 1e-12. For a smaller gap the vector is some unit vector close to the top
 * eigenspace — callers that need the eigenspace must use {@link symmetricEigen}.
 * Falls back to {@link symmetricEigen} if the factorisation fails.
 *
 * @returns `ws`, with `values` ascending (all n) and the top eigenvector in `top`
 * @example
 * ```ts
 * const ws = symmetricTopEigenpair(new Float64Array([2, 1, 1, 2]), 2);
 * // ws.values[1] = 3, ws.top = ±(1, 1)/√2
 * ```
 */
export function symmetricTopEigenpair(A: ArrayLike<number>, n: number, ws: SymmetricEigenWorkspace = symmetricEigenWorkspace(n)): SymmetricEigenWorkspace {
  if (ws.n !== n) throw new RangeError(`symmetricTopEigenpair: workspace of order ${ws.n}, matrix of order ${n}`);
  const V = ws.vectors;
  for (let i = 0; i < n * n; i++) V[i] = A[i];
  if (n === 1) {
    ws.values[0] = V[0];
    ws.top[0] = 1;
    return ws;
  }
  tridiagonalise(n, V, ws.values, ws.e, false);
  diagonaliseTridiagonal(n, ws.values, ws.e, null);
  ws.values.sort();
  const spread = Math.max(Math.abs(ws.values[0]), Math.abs(ws.values[n - 1]));
  if (spread === 0) {
    ws.top.fill(0);
    ws.top[0] = 1;
    return ws;
  }
  if (!inverseIteration(A, n, ws.values[n - 1] + 1e-10 * spread, ws)) {
    symmetricEigen(A, n, ws);
    for (let i = 0; i < n; i++) ws.top[i] = V[i * n + n - 1];
  }
  return ws;
}

/** ws.top ← the dominant eigenvector of (σI − A)⁻¹ (three steps); V is used for the Cholesky factor. */
function inverseIteration(A: ArrayLike<number>, n: number, sigma: number, ws: SymmetricEigenWorkspace): boolean {
  const L = ws.vectors;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = (i === j ? sigma : 0) - A[i * n + j];
      for (let k = 0; k < j; k++) sum -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(sum > 0)) return false;
        L[i * n + i] = Math.sqrt(sum);
      } else {
        L[i * n + j] = sum / L[j * n + j];
      }
    }
  }
  const x = ws.top;
  for (let i = 0; i < n; i++) x[i] = 1 + 0.5 * Math.sin(1.7 * i + 0.3);
  for (let iter = 0; iter < 3; iter++) {
    for (let i = 0; i < n; i++) {
      let sum = x[i];
      for (let k = 0; k < i; k++) sum -= L[i * n + k] * x[k];
      x[i] = sum / L[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let sum = x[i];
      for (let k = i + 1; k < n; k++) sum -= L[k * n + i] * x[k];
      x[i] = sum / L[i * n + i];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += x[i] * x[i];
    norm = Math.sqrt(norm);
    if (!(norm > 0) || !Number.isFinite(norm)) return false;
    for (let i = 0; i < n; i++) x[i] /= norm;
  }
  return true;
}

/** sqrt(a² + b²) without under/overflow (Math.hypot is slow in V8). */
function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  if (y === 0) return 0;
  const r = x / y;
  return y * Math.sqrt(1 + r * r);
}

/**
 * Householder reduction to tridiagonal form (EISPACK tred2): d ← diagonal, e ← sub-diagonal, and
 * V ← Q when `accumulate` (otherwise V is left holding the reflectors).
 */
function tridiagonalise(n: number, V: Float64Array, d: Float64Array, e: Float64Array, accumulate = true): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j] * d[k];
          e[k] += V[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[k * n + j] -= f * e[k] + g * d[k];
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  if (!accumulate) {
    for (let j = 0; j < n; j++) d[j] = V[j * n + j];
    e[0] = 0;
    return;
  }
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
        for (let k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j];
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL iterations on the tridiagonal (d, e), accumulating rotations into V unless null (EISPACK tql2/tql1). */
function diagonaliseTridiagonal(n: number, d: Float64Array, e: Float64Array, V: Float64Array | null): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      do {
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (V === null) continue;
          for (let k = 0; k < n; k++) {
            const vk = k * n;
            h = V[vk + i + 1];
            V[vk + i + 1] = s * V[vk + i] + c * h;
            V[vk + i] = c * V[vk + i] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

/** Selection sort of the eigenvalues (ascending), permuting V's columns alongside. */
function sortAscending(n: number, d: Float64Array, V: Float64Array): void {
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      for (let j = 0; j < n; j++) {
        const t = V[j * n + i];
        V[j * n + i] = V[j * n + k];
        V[j * n + k] = t;
      }
    }
  }
}
