/**
 * SVCCA (Raghu, Gilmer, Yosinski & Sohl-Dickstein 2017; docs/THEORY.md §6).
 *
 * Representations are matrices with one row per input (n samples) and one column per neuron.
 * 1. Centre every neuron (column) over the samples.
 * 2. SV step: thin SVD X = U S Vᵀ; keep the top k directions with Σ_{i≤k} s_i² ≥ 0.99 Σ_i s_i²
 *    (variance convention: fraction of the total sum of squared singular values, i.e. of the total
 *    variance of the centred neurons; configurable). The reduced representation is U_k S_k.
 * 3. CCA step: the canonical correlations between the reduced subspaces are the singular values of
 *    U_kxᵀ U_ky (the cosines of the principal angles between the column spaces; CCA is invariant to
 *    the invertible S_k scaling, so whitening by it is implicit).
 * 4. Similarity = the mean of the min(k_x, k_y) canonical correlations.
 * Invariant to invertible affine maps of either representation (up to the SV truncation).
 */
import { Matrix, SingularValueDecomposition } from "ml-matrix";
import { InputError } from "../theory/errors.js";

export interface SvccaOptions {
  /** fraction of Σ s_i² kept in the SV step (default 0.99) */
  varianceKept?: number;
  /** optional cap on the directions kept */
  maxDims?: number;
}

export interface SvccaResult {
  /** canonical correlations, descending */
  correlations: number[];
  /** mean canonical correlation: the SVCCA similarity */
  similarity: number;
  kx: number;
  ky: number;
  varianceKept: number;
  convention: string;
}

export type Representation = readonly (readonly number[])[] | Matrix;

function toMatrix(a: Representation, name: string): Matrix {
  const m = a instanceof Matrix ? a.clone() : new Matrix(a.map((r) => [...r]));
  if (m.rows < 2 || m.columns < 1)
    throw new InputError(
      name,
      `${m.rows}×${m.columns}`,
      "a matrix with ≥ 2 rows (samples) and ≥ 1 column (neurons)",
    );
  return m;
}

/** Centre columns, SVD, keep the top directions; returns the orthonormal basis U_k (n × k). */
export function svReduce(
  a: Representation,
  varianceKept = 0.99,
  maxDims = Infinity,
  name = "X",
): { U: Matrix; k: number; singularValues: number[] } {
  const X = toMatrix(a, name);
  const n = X.rows;
  const d = X.columns;
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += X.get(i, j);
    s /= n;
    for (let i = 0; i < n; i++) X.set(i, j, X.get(i, j) - s);
  }
  const svd = new SingularValueDecomposition(X, {
    computeLeftSingularVectors: true,
    computeRightSingularVectors: false,
    autoTranspose: true,
  });
  const sv = svd.diagonal;
  const total = sv.reduce((s, x) => s + x * x, 0);
  if (!(total > 0))
    throw new InputError(name, "constant representation", "a representation with non-zero variance");
  let acc = 0;
  let k = 0;
  while (k < sv.length && acc < varianceKept * total) {
    acc += sv[k] * sv[k];
    k++;
  }
  k = Math.max(1, Math.min(k, maxDims));
  const U = svd.leftSingularVectors.subMatrix(0, n - 1, 0, k - 1);
  return { U, k, singularValues: sv };
}

/** SVCCA similarity between two representations of the same n inputs. */
export function svcca(a: Representation, b: Representation, opts: SvccaOptions = {}): SvccaResult {
  const vk = opts.varianceKept ?? 0.99;
  if (!(vk > 0 && vk <= 1)) throw new InputError("varianceKept", String(vk), "a fraction in (0, 1]");
  const ra = svReduce(a, vk, opts.maxDims ?? Infinity, "X");
  const rb = svReduce(b, vk, opts.maxDims ?? Infinity, "Y");
  if (ra.U.rows !== rb.U.rows)
    throw new InputError("Y", `${rb.U.rows} samples`, `the same number of samples as X (${ra.U.rows})`);
  const M = ra.U.transpose().mmul(rb.U);
  const s = new SingularValueDecomposition(M, {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: true,
  });
  const k = Math.min(ra.k, rb.k);
  const corr = s.diagonal.slice(0, k).map((x) => Math.min(1, Math.max(0, x)));
  return {
    correlations: corr,
    similarity: corr.reduce((x, y) => x + y, 0) / corr.length,
    kx: ra.k,
    ky: rb.k,
    varianceKept: vk,
    convention: `top SVD directions explaining ${vk * 100}% of Σ s_i² (centred neurons), mean of min(kx, ky) canonical correlations`,
  };
}
