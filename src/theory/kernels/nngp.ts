/**
 * NNGP and NTK kernels of deep fully connected networks with noise regularisation (docs/THEORY.md §1–2),
 * computed layer by layer in float64.
 *
 * The network (docs/THEORY.md §1 with data): inputs x ∈ R^d (one row each), L hidden layers and a read-out,
 *   h¹ = W¹(ε¹ ⊙ x) + b¹,   h^{l+1} = W^{l+1}(ε^{l+1} ⊙ φ(h^l)) + b^{l+1}   (multiplicative noise, E[ε] = 1),
 *   or with (· + ε) for additive noise (E[ε] = 0); W^l_ij ~ N(0, σ_w²/fan-in), b ~ N(0, σ_b²); the data is
 *   the first layer's input and is subject to the noise, as in training. The kernel is that of the
 *   read-out pre-activations h^{L+1}: L + 1 dense layers. Noise is drawn independently per unit and per
 *   example (per forward pass), so two different examples — even two equal rows — never share it.
 *
 * NNGP (Neal 1994; Lee et al. 2018 eq. 4; Matthews et al. 2018), with noise (Pretorius, Kamper & Kroon
 * 2019/2020, "On the expected behaviour of noise regularised deep neural networks as Gaussian processes",
 * Pattern Recognit. Lett. 138; their eqs. for the noisy kernel): with K^l_ab = E[h^l_i(x_a) h^l_i(x_b)],
 *   K¹_ab = σ_w² x_a·x_b/d + σ_b²                                      (a ≠ b: independent noise, E[ε_a ε_b] = 1)
 *   K¹_aa = σ_w² μ2 |x_a|²/d + σ_b²   (multiplicative),   σ_w² (|x_a|²/d + μ2) + σ_b²   (additive)
 *   K^{l+1}_ab = σ_w² E[φ(u_a) φ(u_b)] + σ_b²,   (u_a, u_b) ~ N(0, [[K^l_aa, K^l_ab], [K^l_ab, K^l_bb]])
 *   K^{l+1}_aa = V(K^l_aa) = σ_w² μ2 E[φ(u_a)²] + σ_b²  (multiplicative),  σ_w²(E[φ²] + μ2) + σ_b²  (additive)
 * i.e. noise enters the diagonal (the same example in the same pass: E[ε²] = μ2) and not the off-diagonal,
 * layer by layer; the off-diagonal of every later layer still feels it through the noisy variances K^l_aa
 * of its inputs (so c_ab = K_ab/√(K_aa K_bb) is never 1 between distinct examples: noise decorrelates).
 * The diagonal recursion is docs/THEORY.md's variance map V (`varianceMap`); the cross term is its covariance
 * map with unequal variances. K(X, Y) between two sets has no diagonal: every entry is a cross term, with
 * each row's own noisy variance.
 *
 * NTK (Jacot et al. 2018; Arora et al. 2019 eq. 11; Lee et al. 2019), in the NTK parameterisation
 * h^{l+1} = (σ_w/√N) W (ε ⊙ φ(h^l)) + σ_b b with standard normal W, b (the same function space and the
 * same NNGP; neural-tangents' `parameterization="ntk"`). Noiseless:
 *   Θ¹ = K¹,   Θ^{l+1}_ab = K^{l+1}_ab + σ_w² E[φ′(u_a)φ′(u_b)] Θ^l_ab.
 * Derivation with noise (the expected tangent kernel E_ε[∂_θ f(x_a; ε_a) · ∂_θ f(x_b; ε_b)], each example
 * with its own noise draw, a = b the same draw; infinite width). Split the parameters into layer l+1's and
 * the earlier ones.
 *  (i) Layer l+1: ∂h^{l+1}_i(a)/∂W_ij = (σ_w/√N) ε_aj φ(h^l_j(a)), ∂/∂b_i = σ_b, so their contribution is
 *      (σ_w²/N) Σ_j ε_aj ε_bj φ_j(a) φ_j(b) + σ_b² → σ_w² E[ε_a ε_b] E[φφ] + σ_b² — exactly K^{l+1}_ab,
 *      noisy diagonal included (E[ε_a ε_b] = 1 for a ≠ b, μ2 for a = b; additive: φ + ε in place of ε φ,
 *      giving σ_w²(E[φ²] + μ2) on the diagonal).
 * (ii) Earlier parameters θ: ∂h^{l+1}_i(a)/∂θ = (σ_w/√N) Σ_j W_ij ε_aj φ′(h^l_j(a)) ∂h^l_j(a)/∂θ. Summing
 *      the product over i and θ, the average over W_ij W_ik → δ_jk (the standard infinite-width step of
 *      Jacot et al. / Arora et al., unchanged by noise that is independent of W) leaves
 *      (σ_w²/N) Σ_j ε_aj ε_bj φ′(h_j(a)) φ′(h_j(b)) Θ^l_ab → σ_w² E[ε_a ε_b] E[φ′(u_a)φ′(u_b)] Θ^l_ab.
 *      For a ≠ b that is the noiseless term; for a = b it is σ_w² μ2 E[φ′²] Θ^l_aa (multiplicative) and
 *      σ_w² E[φ′²] Θ^l_aa (additive: the derivative of φ + ε is φ′). The diagonal factor is χ_grad
 *      (docs/THEORY.md §2, `chiGrad`): Θ^{l+1}_aa = K^{l+1}_aa + χ_grad(K^l_aa) Θ^l_aa.
 * So the noisy NTK is the noiseless recursion with the noisy K and a χ_grad diagonal. What holds in
 * closed form is this kernel (the expected tangent kernel at initialisation), not a training law: with
 * noise resampled every step, the gradient of example a's loss multiplies ∂f(a; ε) by f(a; ε) − y_a of
 * the same draw, so the mean dynamics of gradient descent do not reduce to kernel regression with Θ (no
 * closed form; we do not claim one). The input layer: with d fixed, Σ_k ε_k² x_k²/d fluctuates with the
 * noise of the data; the formulas above use its mean, which is exact for the first layer's kernel and
 * exact for later layers as d → ∞ (a Monte Carlo at finite d sees an O(1/d) difference).
 */
import type { Model } from "../model.js";
import { checkModel } from "../model.js";
import { InputError } from "../errors.js";
import { chiGrad, varianceMap } from "../maps.js";
import { pairExpectations, type PairRoute } from "./pairs.js";

/** A row-major matrix of inputs (rows = examples) or of kernel values. */
export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

export interface KernelOptions {
  model: Model;
  /** number of hidden layers L ≥ 0; the kernel is of the read-out, L + 1 dense layers */
  depth: number;
  /** also compute the NTK (default false) */
  ntk?: boolean;
}

export interface KernelResult {
  /** NNGP kernel K^{L+1}(X, Y) (or K(X, X) with its noisy diagonal when Y is omitted) */
  nngp: Matrix;
  /** NTK Θ^{L+1} in the NTK parameterisation (when asked for) */
  ntk: Matrix | null;
  /** true when Y was omitted: the matrix is K(X, X), the diagonal the same example in one pass */
  symmetric: boolean;
  /** per row of X (and of Y): the read-out variance K_aa and NTK diagonal Θ_aa with noise */
  diagX: { nngp: Float64Array; ntk: Float64Array | null };
  diagY: { nngp: Float64Array; ntk: Float64Array | null } | null;
  /** how the 2-D expectations were computed, per hidden layer */
  route: PairRoute;
  /** entries (summed over layers) where the series bound failed and 2-D quadrature was used */
  fallbacks: number;
}

/**
 * The data's part of the first layer, shared by every model: G_ab = x_a·y_b/d and |x_a|²/d, |y_b|²/d
 * (`sqY` null when Y is X). Sweeps over σ_w², σ_b², noise and depth on one data set compute it once.
 */
export interface InputGram {
  cross: Matrix;
  sqX: Float64Array;
  sqY: Float64Array | null;
}

function squares(x: Matrix): Float64Array {
  const out = new Float64Array(x.rows);
  const d = x.cols;
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += x.data[i * d + k] ** 2;
    out[i] = s / d;
  }
  return out;
}

/**
 * G_ab = x_a·y_b/d for all pairs, in 4 × 4 tiles of rows (8 loads feed 16 multiply-adds), only j ≥ i
 * when Y is X (`y` null).
 */
export function inputGram(x: Matrix, y: Matrix | null): InputGram {
  checkMatrix("x", x);
  if (y) {
    checkMatrix("y", y);
    if (y.cols !== x.cols)
      throw new InputError("y", `${y.cols} columns`, `${x.cols} columns, as many as x has`);
  }
  const symmetric = !y;
  const yy = y ?? x;
  const d = x.cols;
  const na = x.rows;
  const nb = yy.rows;
  const X = x.data;
  const Y = yy.data;
  let zeros = 0;
  for (let i = 0; i < X.length; i++) if (X[i] === 0) zeros++;
  const sq = { sqX: squares(x), sqY: y ? squares(y) : null };
  if (zeros > 0.5 * X.length) return { cross: sparseGram(x, yy, symmetric), ...sq };
  const out = new Float64Array(na * nb);
  const inv = 1 / d;
  const dot = (i: number, j: number) => {
    let acc = 0;
    const xi = i * d;
    const yj = j * d;
    for (let k = 0; k < d; k++) acc += X[xi + k] * Y[yj + k];
    return acc;
  };
  const c = new Float64Array(16);
  for (let i0 = 0; i0 < na; i0 += 4) {
    for (let j0 = symmetric ? i0 : 0; j0 < nb; j0 += 4) {
      if (i0 + 4 <= na && j0 + 4 <= nb) {
        const a0 = i0 * d,
          a1 = a0 + d,
          a2 = a1 + d,
          a3 = a2 + d;
        const b0 = j0 * d,
          b1 = b0 + d,
          b2 = b1 + d,
          b3 = b2 + d;
        let c00 = 0,
          c01 = 0,
          c02 = 0,
          c03 = 0,
          c10 = 0,
          c11 = 0,
          c12 = 0,
          c13 = 0;
        let c20 = 0,
          c21 = 0,
          c22 = 0,
          c23 = 0,
          c30 = 0,
          c31 = 0,
          c32 = 0,
          c33 = 0;
        for (let k = 0; k < d; k++) {
          const x0 = X[a0 + k],
            x1 = X[a1 + k],
            x2 = X[a2 + k],
            x3 = X[a3 + k];
          const y0 = Y[b0 + k],
            y1 = Y[b1 + k],
            y2 = Y[b2 + k],
            y3 = Y[b3 + k];
          c00 += x0 * y0;
          c01 += x0 * y1;
          c02 += x0 * y2;
          c03 += x0 * y3;
          c10 += x1 * y0;
          c11 += x1 * y1;
          c12 += x1 * y2;
          c13 += x1 * y3;
          c20 += x2 * y0;
          c21 += x2 * y1;
          c22 += x2 * y2;
          c23 += x2 * y3;
          c30 += x3 * y0;
          c31 += x3 * y1;
          c32 += x3 * y2;
          c33 += x3 * y3;
        }
        c[0] = c00;
        c[1] = c01;
        c[2] = c02;
        c[3] = c03;
        c[4] = c10;
        c[5] = c11;
        c[6] = c12;
        c[7] = c13;
        c[8] = c20;
        c[9] = c21;
        c[10] = c22;
        c[11] = c23;
        c[12] = c30;
        c[13] = c31;
        c[14] = c32;
        c[15] = c33;
        for (let u = 0; u < 4; u++)
          for (let v = 0; v < 4; v++) out[(i0 + u) * nb + j0 + v] = c[u * 4 + v] * inv;
      } else {
        for (let i = i0; i < Math.min(i0 + 4, na); i++)
          for (let j = j0; j < Math.min(j0 + 4, nb); j++) out[i * nb + j] = dot(i, j) * inv;
      }
    }
  }
  if (symmetric) for (let i = 0; i < na; i++) for (let j = 0; j < i; j++) out[i * nb + j] = out[j * nb + i];
  return { cross: { data: out, rows: na, cols: nb }, ...sq };
}

/**
 * The Gram matrix for mostly-zero X (images: ~80 % of MNIST's pixels are 0): for each row x_a, the sum
 * over its nonzero entries k of x_ak times row k of Yᵀ (a contiguous axpy over b), so the work is
 * nnz(X) × rows(Y) instead of d × rows(X) × rows(Y). Only b ≥ a when Y is X.
 */
function sparseGram(x: Matrix, y: Matrix, symmetric: boolean): Matrix {
  const d = x.cols;
  const na = x.rows;
  const nb = y.rows;
  const X = x.data;
  const Y = y.data;
  const yt = new Float64Array(d * nb);
  for (let j = 0; j < nb; j++) for (let k = 0; k < d; k++) yt[k * nb + j] = Y[j * d + k];
  const out = new Float64Array(na * nb);
  const inv = 1 / d;
  for (let i = 0; i < na; i++) {
    const ro = i * nb;
    const j0 = symmetric ? i : 0;
    for (let k = 0; k < d; k++) {
      const v = X[i * d + k];
      if (v === 0) continue;
      const rk = k * nb;
      for (let j = j0; j < nb; j++) out[ro + j] += v * yt[rk + j];
    }
    for (let j = j0; j < nb; j++) out[ro + j] *= inv;
  }
  if (symmetric) for (let i = 0; i < na; i++) for (let j = 0; j < i; j++) out[i * nb + j] = out[j * nb + i];
  return { data: out, rows: na, cols: nb };
}

/** K¹_aa = σ_w² (μ2 or 1)|x_a|²/d + σ_b² (multiplicative), σ_w² (|x_a|²/d + μ2) + σ_b² (additive). */
function firstDiag(m: Model, sq: Float64Array): Float64Array {
  return Float64Array.from(sq, (n2) =>
    m.noise.type === "additive"
      ? m.sigmaW2 * (n2 + m.noise.mu2) + m.sigmaB2
      : m.sigmaW2 * m.noise.mu2 * n2 + m.sigmaB2,
  );
}

function checkMatrix(name: string, x: Matrix) {
  if (!(x.rows >= 1 && x.cols >= 1 && x.data.length === x.rows * x.cols))
    throw new InputError(name, `${x.rows}×${x.cols}`, "a non-empty matrix with data.length = rows × cols");
  for (let i = 0; i < x.data.length; i++) {
    if (!Number.isFinite(x.data[i]))
      throw new InputError(
        name,
        String(x.data[i]),
        "finite numbers",
        `row ${Math.floor(i / x.cols) + 1}, column ${(i % x.cols) + 1}`,
      );
  }
}

/**
 * The NNGP (and optionally NTK) kernel of the read-out of a noisy deep network between the rows of `x`
 * and those of `y` (default: `x` itself, with the noisy diagonal). See the module comment for the model,
 * the recursion and the noisy-NTK derivation.
 */
export function nngpKernel(x: Matrix, y: Matrix | null, opts: KernelOptions): KernelResult {
  checkModel(opts.model);
  checkDepth(opts.depth);
  return nngpKernelFromGram(inputGram(x, y), opts);
}

function checkDepth(depth: number) {
  if (!(Number.isInteger(depth) && depth >= 0))
    throw new InputError("depth", String(depth), "an integer ≥ 0 (hidden layers)");
}

/** `nngpKernel` from a precomputed `inputGram` (the same data under many models). */
export function nngpKernelFromGram(g: InputGram, opts: KernelOptions): KernelResult {
  const m = checkModel(opts.model);
  const depth = opts.depth;
  checkDepth(depth);
  const wantNtk = !!opts.ntk;
  const symmetric = !g.sqY;
  const n = g.cross.rows;
  const nb = g.cross.cols;
  // diagonals (noisy variances) and the cross matrix at layer 1 (no noise off the diagonal)
  let qx = firstDiag(m, g.sqX);
  let qy = g.sqY ? firstDiag(m, g.sqY) : qx;
  // (plain loops: Float64Array.from with a map function goes through the iterator protocol, ~10× slower)
  const K = new Float64Array(g.cross.data.length);
  for (let i = 0; i < K.length; i++) K[i] = m.sigmaW2 * g.cross.data[i] + m.sigmaB2;
  let tx = wantNtk ? Float64Array.from(qx) : null;
  let ty = wantNtk ? (symmetric ? tx : Float64Array.from(qy)) : null;
  const T = wantNtk ? Float64Array.from(K) : null;
  let fallbacks = 0;
  let route: PairRoute = "closed_form";
  const { sigmaW2: sw, sigmaB2: sb } = m;
  for (let l = 0; l < depth; l++) {
    const r = pairExpectations(m.activation, qx, qy, K, { derivative: wantNtk, symmetric });
    route = r.route;
    fallbacks += r.fallbacks;
    const e = r.e;
    const d = r.d;
    for (let i = 0; i < n; i++) {
      const row = i * nb;
      // symmetric: the upper triangle, mirrored (the diagonal is set from qx, tx at the end)
      for (let j = symmetric ? i + 1 : 0; j < nb; j++) {
        const idx = row + j;
        const k = sw * e[idx] + sb;
        K[idx] = k;
        if (T && d) T[idx] = k + sw * d[idx] * T[idx];
        if (symmetric) {
          K[j * nb + i] = k;
          if (T) T[j * nb + i] = T[idx];
        }
      }
    }
    // diagonals: the variance map V and, for Θ, K_aa + χ_grad Θ_aa
    const step = (q: Float64Array, t: Float64Array | null) => {
      const q2 = new Float64Array(q.length);
      const t2 = t ? new Float64Array(q.length) : null;
      for (let i = 0; i < q.length; i++) {
        q2[i] = varianceMap(m, q[i]);
        if (t && t2) t2[i] = q2[i] + chiGrad(m, q[i]) * t[i];
      }
      return { q: q2, t: t2 };
    };
    const sx = step(qx, tx);
    qx = sx.q;
    tx = sx.t;
    if (symmetric) {
      qy = qx;
      ty = tx;
    } else {
      const s2 = step(qy, ty);
      qy = s2.q;
      ty = s2.t;
    }
  }
  if (symmetric) {
    for (let i = 0; i < n; i++) {
      K[i * n + i] = qx[i];
      if (T && tx) T[i * n + i] = tx[i];
    }
  }
  return {
    nngp: { data: K, rows: n, cols: nb },
    ntk: T ? { data: T, rows: n, cols: nb } : null,
    symmetric,
    diagX: { nngp: qx, ntk: tx },
    diagY: symmetric ? null : { nngp: qy, ntk: ty },
    route: depth === 0 ? "closed_form" : route,
    fallbacks,
  };
}
