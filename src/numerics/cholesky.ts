/**
 * Dense float64 Cholesky factorisation A = L Lᵀ and triangular solves, in plain TypeScript, for GP
 * regression with kernel matrices of a few thousand rows.
 *
 * Layout: row-major n × n, lower triangle used (the upper is ignored and left unchanged in the factor).
 * Algorithm: the row-oriented (Cholesky–Crout, left-looking) form
 *   L_ij = (A_ij − Σ_{k<j} L_ik L_jk) / L_jj  (j < i),   L_ii = √(A_ii − Σ_{k<i} L_ik²),
 * where every inner sum is a dot product of two contiguous rows. It is computed in 4 × 4 tiles (rows
 * i0..i0+3 against rows j0..j0+3): one pass over k loads 8 values and updates 16 accumulators, so each
 * row j is read from memory once per block of 4 rows i instead of once per row (the loads, not the
 * multiplications, bound the plain-loop version), and the 16 independent sums keep the FPU busy. The
 * partial tile sums over k < j0 are finished by the short triangular part k ∈ [j0, j) in scalar code.
 * Measured against ml-matrix's `CholeskyDecomposition` (arrays of arrays, column-oriented inner loop) in
 * bench/gp.ts: this one is kept because it is faster there (see the README's benchmark numbers).
 *
 * A non-positive pivot throws `CholeskyError` with the row and the pivot value: the matrix is not
 * (numerically) positive definite.
 */

export class CholeskyError extends Error {
  constructor(
    readonly row: number,
    readonly pivot: number,
  ) {
    super(`matrix is not positive definite: pivot ${row} is ${pivot.toExponential(3)} (≤ 0)`);
    this.name = "CholeskyError";
  }
}

/**
 * The Cholesky factor of the symmetric positive definite row-major n × n matrix `a` (lower triangle
 * read), with `shift` added to the diagonal (jitter). Returns a new array holding L in its lower triangle
 * (upper triangle zero).
 */
export function cholesky(a: Float64Array, n: number, shift = 0): Float64Array {
  if (a.length !== n * n) throw new RangeError(`cholesky: expected ${n * n} entries, got ${a.length}`);
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) L[i * n + j] = a[i * n + j];
  for (let i = 0; i < n; i++) L[i * n + i] += shift;
  const B = 4;
  for (let i0 = 0; i0 < n; i0 += B) {
    const ib = Math.min(B, n - i0);
    // off-diagonal tiles: rows i0..i0+ib−1 against completed rows j0..j0+3 < i0
    for (let j0 = 0; j0 < i0; j0 += B) {
      if (ib === 4) tile44(L, n, i0, j0);
      else tileGeneric(L, n, i0, ib, j0);
      // finish the triangle k ∈ [j0, j) and divide by the pivots, column by column
      for (let jj = 0; jj < B; jj++) {
        const j = j0 + jj;
        const rj = j * n;
        const piv = L[rj + j];
        for (let ii = 0; ii < ib; ii++) {
          const ri = (i0 + ii) * n;
          let s = L[ri + j];
          for (let k = j0; k < j; k++) s -= L[ri + k] * L[rj + k];
          L[ri + j] = s / piv;
        }
      }
    }
    // the diagonal block: rows i0..i0+ib−1 against each other
    for (let ii = 0; ii < ib; ii++) {
      const i = i0 + ii;
      const ri = i * n;
      for (let j = i0; j < i; j++) {
        const rj = j * n;
        let s = L[ri + j];
        for (let k = 0; k < j; k++) s -= L[ri + k] * L[rj + k];
        L[ri + j] = s / L[rj + j];
      }
      let s = L[ri + i];
      for (let k = 0; k < i; k++) s -= L[ri + k] * L[ri + k];
      if (!(s > 0)) throw new CholeskyError(i, s);
      L[ri + i] = Math.sqrt(s);
    }
  }
  return L;
}

/** A_ij −= Σ_{k<j0} L_ik L_jk for the 4 × 4 tile (i0.., j0..) (stored in place in L). */
function tile44(L: Float64Array, n: number, i0: number, j0: number) {
  const r0 = i0 * n;
  const r1 = r0 + n;
  const r2 = r1 + n;
  const r3 = r2 + n;
  const s0 = j0 * n;
  const s1 = s0 + n;
  const s2 = s1 + n;
  const s3 = s2 + n;
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0;
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  for (let k = 0; k < j0; k++) {
    const a0 = L[r0 + k];
    const a1 = L[r1 + k];
    const a2 = L[r2 + k];
    const a3 = L[r3 + k];
    const b0 = L[s0 + k];
    const b1 = L[s1 + k];
    const b2 = L[s2 + k];
    const b3 = L[s3 + k];
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
  }
  L[r0 + j0] -= c00;
  L[r0 + j0 + 1] -= c01;
  L[r0 + j0 + 2] -= c02;
  L[r0 + j0 + 3] -= c03;
  L[r1 + j0] -= c10;
  L[r1 + j0 + 1] -= c11;
  L[r1 + j0 + 2] -= c12;
  L[r1 + j0 + 3] -= c13;
  L[r2 + j0] -= c20;
  L[r2 + j0 + 1] -= c21;
  L[r2 + j0 + 2] -= c22;
  L[r2 + j0 + 3] -= c23;
  L[r3 + j0] -= c30;
  L[r3 + j0 + 1] -= c31;
  L[r3 + j0 + 2] -= c32;
  L[r3 + j0 + 3] -= c33;
}

/** The same for a short last row block (ib < 4 rows). */
function tileGeneric(L: Float64Array, n: number, i0: number, ib: number, j0: number) {
  for (let ii = 0; ii < ib; ii++) {
    const ri = (i0 + ii) * n;
    for (let jj = 0; jj < 4; jj++) {
      const rj = (j0 + jj) * n;
      let s = 0;
      for (let k = 0; k < j0; k++) s += L[ri + k] * L[rj + k];
      L[ri + j0 + jj] -= s;
    }
  }
}

/**
 * Solve L Lᵀ X = B in place for the row-major n × m right-hand side `b` (m columns), with L from
 * `cholesky`: forward substitution L Z = B, then back substitution Lᵀ X = Z.
 */
export function choleskySolve(L: Float64Array, n: number, b: Float64Array, m: number): Float64Array {
  if (b.length !== n * m) throw new RangeError(`choleskySolve: expected ${n * m} entries, got ${b.length}`);
  // forward: row i of Z = (B_i − Σ_{k<i} L_ik Z_k)/L_ii
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const bi = i * m;
    for (let k = 0; k < i; k++) {
      const l = L[ri + k];
      if (l === 0) continue;
      const bk = k * m;
      for (let c = 0; c < m; c++) b[bi + c] -= l * b[bk + c];
    }
    const d = L[ri + i];
    for (let c = 0; c < m; c++) b[bi + c] /= d;
  }
  // backward: X_i = (Z_i − Σ_{k>i} L_ki X_k)/L_ii
  for (let i = n - 1; i >= 0; i--) {
    const bi = i * m;
    const d = L[i * n + i];
    for (let c = 0; c < m; c++) b[bi + c] /= d;
    for (let k = 0; k < i; k++) {
      const l = L[i * n + k];
      if (l === 0) continue;
      const bk = k * m;
      for (let c = 0; c < m; c++) b[bk + c] -= l * b[bi + c];
    }
  }
  return b;
}
