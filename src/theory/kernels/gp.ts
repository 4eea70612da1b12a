/**
 * Gaussian-process regression with an NNGP (or NTK) kernel, Lee et al. 2018's protocol: regression on
 * centred one-hot targets y = e_label − 1/classes, posterior mean f* = K(X*, X) (K(X, X) + r I)⁻¹ Y, class
 * = argmax f*. The solve is a float64 Cholesky (`numerics/cholesky.ts`); when K(X, X) + r I is not
 * numerically positive definite (equal training rows with a noiseless kernel, a kernel that has become
 * nearly constant deep in the ordered phase), a jitter j · mean(diag K) is added, j = 0, 1e-12, 1e-10, …,
 * 1e-4, and the one used is reported; beyond that the failure is an error naming the pivot and the cause.
 */
import { cholesky, CholeskyError, choleskySolve } from "../../numerics/cholesky.js";
import type { Matrix } from "./nngp.js";

/** relative jitters tried in turn (times the mean of the diagonal) */
const JITTERS = [0, 1e-12, 1e-10, 1e-8, 1e-6, 1e-4];

export class GpSolveError extends Error {
  constructor(
    message: string,
    readonly pivot: number,
  ) {
    super(message);
    this.name = "GpSolveError";
  }
}

/** Centred one-hot targets: y_ic = 1{label_i = c} − 1/classes (row-major n × classes). */
export function centredOneHot(labels: ArrayLike<number>, classes: number): Float64Array {
  const y = new Float64Array(labels.length * classes).fill(-1 / classes);
  for (let i = 0; i < labels.length; i++) y[i * classes + labels[i]] += 1;
  return y;
}

export interface GpFit {
  /** α = (K + (r + jitter) I)⁻¹ Y, n × k */
  alpha: Float64Array;
  /** the relative jitter j that succeeded (0: none needed) */
  jitter: number;
  /** the absolute shift added to the diagonal besides r: j · mean(diag K) */
  jitterAbs: number;
}

/** Factor K(X, X) + r I (with jitter if needed) and solve for the k columns of Y. */
export function gpFit(kxx: Matrix, y: Float64Array, k: number, diagReg = 0): GpFit {
  const n = kxx.rows;
  if (kxx.cols !== n) throw new RangeError(`gpFit: K(X, X) must be square, got ${kxx.rows}×${kxx.cols}`);
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += kxx.data[i * n + i] / n;
  if (!(meanDiag > 0) || !Number.isFinite(meanDiag)) {
    throw new GpSolveError(
      `the kernel's diagonal has mean ${meanDiag} (it must be finite and > 0): the signal vanished or overflowed with depth; choose σ_w², σ_b² nearer criticality or a smaller depth`,
      0,
    );
  }
  let last: CholeskyError | null = null;
  for (const j of JITTERS) {
    try {
      const L = cholesky(kxx.data, n, diagReg + j * meanDiag);
      return { alpha: choleskySolve(L, n, Float64Array.from(y), k), jitter: j, jitterAbs: j * meanDiag };
    } catch (e) {
      if (!(e instanceof CholeskyError)) throw e;
      last = e;
    }
  }
  const err = last as CholeskyError;
  throw new GpSolveError(
    `K(X, X) + ${diagReg} I is not positive definite even with jitter ${JITTERS[JITTERS.length - 1]} × mean diagonal (${meanDiag.toExponential(3)}): Cholesky pivot ${err.row} is ${err.pivot.toExponential(3)}. Likely causes: repeated or nearly repeated training inputs with a noiseless kernel, or a kernel that is nearly constant (deep in the ordered phase). Add a diagonal regulariser, noise, or change σ_w², σ_b², depth`,
    err.row,
  );
}

/** Posterior mean K(X*, X) α for the m × n cross kernel (rows = test points). */
export function gpPredict(kstar: Matrix, alpha: Float64Array, k: number): Float64Array {
  const m = kstar.rows;
  const n = kstar.cols;
  const out = new Float64Array(m * k);
  for (let i = 0; i < m; i++) {
    for (let t = 0; t < n; t++) {
      const v = kstar.data[i * n + t];
      for (let c = 0; c < k; c++) out[i * k + c] += v * alpha[t * k + c];
    }
  }
  return out;
}

export interface GpScore {
  /** fraction of test points whose argmax prediction is the label */
  accuracy: number;
  /** mean over test points and classes of (f − y)² against centred one-hot targets */
  mse: number;
}

/** Accuracy and MSE of predictions (m × classes) against labels. */
export function gpScore(pred: Float64Array, labels: ArrayLike<number>, classes: number): GpScore {
  const m = labels.length;
  const y = centredOneHot(labels, classes);
  let correct = 0;
  let se = 0;
  for (let i = 0; i < m; i++) {
    let best = 0;
    for (let c = 0; c < classes; c++) {
      if (pred[i * classes + c] > pred[i * classes + best]) best = c;
      se += (pred[i * classes + c] - y[i * classes + c]) ** 2;
    }
    if (best === labels[i]) correct++;
  }
  return { accuracy: correct / m, mse: se / (m * classes) };
}
