/**
 * The discrete Fourier transform as a deep linear network whose exact solution is the butterfly
 * factorisation of the fast Fourier transform (Nye & Saxe 2018, §4; Cooley & Tukey 1965).
 *
 * Task: n complex points (n a power of two ≥ 4) in the real representation z = u + iv ↦ [u; v] ∈ R^{2n};
 * target the unitary DFT X = F z, F_{kj} = n^{−1/2} e^{−2πi jk/n}, as [Re X; Im X]. A complex matrix
 * A + iB acts on [u; v] as the real block matrix [[A, −B], [B, A]].
 *
 * Radix-2 decimation in time: with E, O the unitary DFTs of the even and odd samples,
 * X_k = (E_k + ω_n^k O_k)/√2 and X_{k+n/2} = (E_k − ω_n^k O_k)/√2, ω_n = e^{−2πi/n}. Unrolled, after the
 * bit-reversal permutation R, stage s = 1..log₂ n (block size m = 2^s) maps each block's pair
 * (a, b) = (v_{base+k}, v_{base+k+m/2}), k < m/2, to ((a + ω_m^k b)/√2, (a − ω_m^k b)/√2). So
 * F = S_{log₂ n} ⋯ S_2 (S_1 R): log₂ n sparse factors (two non-zeros per row), each unitary (the /√2
 * makes every 2 × 2 butterfly unitary), i.e. orthogonal in the real representation — a deep linear
 * network at the critical point of linear networks (σ_w² = 1, orthogonal weights) is initialised in the
 * same class as its solution.
 *
 * The network: log₂ n weight layers of width 2n with the linear activation (depth = log₂ n − 1 hidden
 * layers plus the read-out, in the MLP layout of hostNet.ts), W^1 = (S_1 R)ᵀ, W^s = S_sᵀ (row convention
 * h = a W), zero biases. test/train/tasks.test.ts checks the product against the direct O(n²) DFT in
 * float64 to 1e-12.
 */
import { InputError } from "../../theory/errors.js";
import { Stream } from "../../engine/rng.js";
import { log2Exact } from "./parity.js";
import { zeroNet, type HostNet } from "./hostNet.js";

/** A complex n × n matrix as real and imaginary parts (row-major, acting on column vectors). */
interface Complex {
  re: Float64Array;
  im: Float64Array;
  n: number;
}

function cmatmul(a: Complex, b: Complex): Complex {
  const n = a.n;
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const ar = a.re[i * n + k];
      const ai = a.im[i * n + k];
      if (ar === 0 && ai === 0) continue;
      for (let j = 0; j < n; j++) {
        const br = b.re[k * n + j];
        const bi = b.im[k * n + j];
        re[i * n + j] += ar * br - ai * bi;
        im[i * n + j] += ar * bi + ai * br;
      }
    }
  return { re, im, n };
}

/** Bit reversal of i over k bits. */
function bitReverse(i: number, k: number): number {
  let r = 0;
  for (let b = 0; b < k; b++) if ((i >> b) & 1) r |= 1 << (k - 1 - b);
  return r;
}

/** Butterfly stage s (1-based) of the unitary radix-2 FFT of size n, as a complex matrix. */
export function butterflyStage(n: number, s: number): Complex {
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  const m = 2 ** s;
  const h = m / 2;
  const c = Math.SQRT1_2;
  for (let base = 0; base < n; base += m)
    for (let k = 0; k < h; k++) {
      const wr = Math.cos((-2 * Math.PI * k) / m);
      const wi = Math.sin((-2 * Math.PI * k) / m);
      const top = base + k;
      const bot = base + k + h;
      re[top * n + top] = c;
      re[top * n + bot] = c * wr;
      im[top * n + bot] = c * wi;
      re[bot * n + top] = c;
      re[bot * n + bot] = -c * wr;
      im[bot * n + bot] = -c * wi;
    }
  return { re, im, n };
}

/** Real representation [[A, −B], [B, A]] of A + iB, transposed into the row convention (2n × 2n). */
function realRowWeights(m: Complex): Float64Array {
  const n = m.n;
  const d = 2 * n;
  const w = new Float64Array(d * d);
  // M_real[r][c]; W[c][r] = M_real[r][c]
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const a = m.re[i * n + j];
      const b = m.im[i * n + j];
      w[j * d + i] = a; // M_real[i][j] = A
      w[(n + j) * d + i] = -b; // M_real[i][n+j] = −B
      w[j * d + n + i] = b; // M_real[n+i][j] = B
      w[(n + j) * d + n + i] = a; // M_real[n+i][n+j] = A
    }
  return w;
}

/** Number of weight layers (log₂ n) of the FFT network. */
export function fftLayers(points: number): number {
  const k = log2Exact(points, "points");
  if (k < 2) throw new InputError("points", String(points), "a power of two ≥ 4");
  return k;
}

/** The butterfly solution: log₂ n linear layers of width 2n (see the module doc). */
export function fftSolution(points: number): HostNet {
  const k = fftLayers(points);
  const d = 2 * points;
  const net = zeroNet(Array.from({ length: k + 1 }, () => d));
  const perm: Complex = {
    re: new Float64Array(points * points),
    im: new Float64Array(points * points),
    n: points,
  };
  for (let i = 0; i < points; i++) perm.re[i * points + bitReverse(i, k)] = 1;
  for (let s = 1; s <= k; s++) {
    const stage = butterflyStage(points, s);
    net[s - 1].w.set(realRowWeights(s === 1 ? cmatmul(stage, perm) : stage));
  }
  return net;
}

/** The direct O(n²) unitary DFT of the rows of x (B × 2n, real representation), in float64. */
export function directDft(x: Float64Array, points: number): Float64Array {
  const d = 2 * points;
  const rows = x.length / d;
  const y = new Float64Array(x.length);
  const s = 1 / Math.sqrt(points);
  for (let r = 0; r < rows; r++)
    for (let k = 0; k < points; k++) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < points; j++) {
        // e^{−2πi jk/n}, with jk reduced mod n so the angle is exact for large jk
        const ang = (-2 * Math.PI * ((j * k) % points)) / points;
        const c = Math.cos(ang);
        const sn = Math.sin(ang);
        const u = x[r * d + j];
        const v = x[r * d + points + j];
        re += u * c - v * sn;
        im += u * sn + v * c;
      }
      y[r * d + k] = s * re;
      y[r * d + points + k] = s * im;
    }
  return y;
}

/** `rows` complex Gaussian inputs (independent N(0, 1) real coordinates) from `Stream(seed, 0x6666, tag)`. */
export function gaussianRows(rows: number, dim: number, seed: number, tag: number): Float64Array {
  return new Stream(seed, 0x6666, tag).normals(rows * dim);
}
