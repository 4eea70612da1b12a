/**
 * Haar-distributed orthogonal matrices (Mezzadri 2007): orthonormalise the rows of an N×N standard
 * Gaussian matrix by Gram–Schmidt, i.e. the Q of G = QR with diag(R) > 0, which is exactly Haar.
 *
 * Two implementations of the same factorisation:
 * - `haarOrthogonal` (float64, plain TypeScript): classical Gram–Schmidt applied twice per row ("CGS2",
 *   Giraud et al. 2005); ‖QQᵀ − I‖ at float64 rounding; ≈ 4N³ flops at ~1 GFLOP/s (seconds at N = 1000).
 * - `haarOrthogonalBlocked` (float32 matmuls in jax-js, float64 within blocks): block CGS2 (Barlow &
 *   Smoktunowicz 2013): each block of rows is projected out of the previous rows twice with jax-js matmuls,
 *   then orthonormalised inside the block with float64 CGS2. ‖QQᵀ − I‖ ≈ 1e-6 (float32), ~20× faster at
 *   N = 1000; used by the simulation (whose weights are float32 anyway) for N ≥ BLOCKED_MIN.
 */
import { numpy as np } from "@jax-js/jax";
import type { Stream } from "./rng.js";

/** Width from which the simulation uses the blocked float32 variant. */
export const BLOCKED_MIN = 256;
const BLOCK = 64;

/** CGS2 of rows [from, to) of row-major q (row length n) against rows [lo, k) for each row k. */
function cgs2Rows(q: Float64Array, n: number, lo: number, from: number, to: number): void {
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

/** The same Haar matrix law via block CGS2 with float32 jax-js matmuls (see the module comment). */
export function haarOrthogonalBlocked(stream: Stream, n: number): Float32Array {
  const g = stream.fillNormal(new Float64Array(n * n)) as Float64Array;
  const q = new Float32Array(n * n);
  // column-major copy of the finished rows (qt[i·n + j] = q[j·n + i]), so both products are plain matmuls
  const qt = new Float32Array(n * n);
  for (let k0 = 0; k0 < n; k0 += BLOCK) {
    const k1 = Math.min(n, k0 + BLOCK);
    const b = k1 - k0;
    let blockRows = new Float64Array(g.subarray(k0 * n, k1 * n));
    if (k0 > 0) {
      // two passes of B ← B − (B Q_pᵀ) Q_p with Q_p the finished rows 0..k0
      const qp = np.array(q.subarray(0, k0 * n), { shape: [k0, n] });
      const qpt = np.array(packColumns(qt, n, k0), { shape: [n, k0] });
      let bj = np.array(new Float32Array(blockRows), { shape: [b, n] });
      for (let pass = 0; pass < 2; pass++) {
        const c = np.matmul(bj.ref, qpt.ref);
        bj = np.subtract(bj, np.matmul(c, qp.ref));
      }
      qp.dispose();
      qpt.dispose();
      blockRows = Float64Array.from(bj.dataSync() as Float32Array);
    }
    cgs2Rows(blockRows, n, 0, 0, b);
    q.set(blockRows, k0 * n);
    for (let r = 0; r < b; r++) for (let i = 0; i < n; i++) qt[i * n + k0 + r] = blockRows[r * n + i];
  }
  return q;
}

/** The n×k leading columns of column-major qt (row stride n) as a dense row-major n×k array. */
function packColumns(qt: Float32Array, n: number, k: number): Float32Array {
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) out.set(qt.subarray(i * n, i * n + k), i * k);
  return out;
}
