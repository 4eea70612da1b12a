/**
 * Haar-distributed orthogonal matrices (Mezzadri 2007): orthonormalise the rows of an N×N standard
 * Gaussian matrix by Gram–Schmidt, i.e. the Q of G = QR with diag(R) > 0, which is exactly Haar.
 *
 * The project's one Haar sampler, argument order (stream, n). Two implementations of the same factorisation
 * of the same Gaussian draw (so they return the same matrix up to rounding):
 * - `haarOrthogonal` (float64, plain TypeScript, here): classical Gram–Schmidt applied twice per row ("CGS2",
 *   Giraud et al. 2005); ‖QQᵀ − I‖ at float64 rounding; ≈ 4N³ flops at ~1 GFLOP/s (seconds at N = 1000).
 * - `haarOrthogonalBlocked` (tensor.ts; float32 matmuls in jax-js, float64 within blocks): block CGS2 (Barlow &
 *   Smoktunowicz 2013): each block of rows is projected out of the previous rows twice with jax-js matmuls,
 *   then orthonormalised inside the block with float64 CGS2. ‖QQᵀ − I‖ ≈ 1e-6 (float32), ~20× faster at
 *   N = 1000; used by the simulation (whose weights are float32 anyway) for N ≥ BLOCKED_MIN.
 */
import type { Stream } from "./rng.js";

/** CGS2 of rows [from, to) of row-major q (row length n) against rows [lo, k) for each row k. */
export function cgs2Rows(q: Float64Array, n: number, lo: number, from: number, to: number): void {
  const coef = new Float64Array(to);
  for (let k = from; k < to; k++) {
    const vk = k * n;
    for (let pass = 0; pass < 2; pass++) {
      for (let j = lo; j < k; j++) {
        const vj = j * n;
        let s = 0;
        for (let i = 0; i < n; i++) s += q[vj + i] * q[vk + i];
        coef[j] = s;
      }
      for (let j = lo; j < k; j++) {
        const vj = j * n;
        const c = coef[j];
        for (let i = 0; i < n; i++) q[vk + i] -= c * q[vj + i];
      }
    }
    let nrm = 0;
    for (let i = 0; i < n; i++) nrm += q[vk + i] * q[vk + i];
    const inv = 1 / Math.sqrt(nrm);
    for (let i = 0; i < n; i++) q[vk + i] *= inv;
  }
}

/**
 * A Haar orthogonal N×N matrix in float64, row-major (rows orthonormal, so the matrix and its transpose
 * are both orthogonal).
 */
export function haarOrthogonal(stream: Stream, n: number): Float64Array {
  const q = stream.fillNormal(new Float64Array(n * n)) as Float64Array;
  cgs2Rows(q, n, 0, 0, n);
  return q;
}
