/**
 * NNGP / NTK regression on an image dataset (Lee et al. 2018's protocol, with the noise of Pretorius,
 * Kamper & Kroon 2019/2020): a seeded subset of n training and m test images (pixels / 255, flattened, the
 * first layer's input), centred one-hot targets, posterior mean with the kernel of the read-out of a
 * depth-L noisy network (`nngpKernel`), argmax accuracy and MSE on the test subset. Used by `sigprop gp`
 * and `sigprop reproduce nngp`.
 */
import { permutation, toFloat, type Dataset } from "../data/index.js";
import { centredOneHot, gpFit, gpPredict, gpScore } from "../theory/kernels/gp.js";
import { nngpKernel, type Matrix } from "../theory/kernels/nngp.js";
import type { Model } from "../theory/model.js";

export interface GpSubset {
  train: Matrix;
  trainLabels: Uint8Array;
  test: Matrix;
  testLabels: Uint8Array;
  classes: number;
}

/** Seeded subsets: the first n of a permutation of the training split, the first m of one of the test split. */
export function gpSubset(ds: Dataset, n: number, m: number, seed: number): GpSubset {
  const tr = permutation(ds.train.n, seed, 71).subarray(0, n);
  const te = permutation(ds.test.n, seed, 72).subarray(0, m);
  const mat = (images: Uint8Array, idx: Uint32Array): Matrix => ({
    data: Float64Array.from(toFloat(images, ds.dim, idx)),
    rows: idx.length,
    cols: ds.dim,
  });
  return {
    train: mat(ds.train.images, tr),
    trainLabels: Uint8Array.from(tr, (i) => ds.train.labels[i]),
    test: mat(ds.test.images, te),
    testLabels: Uint8Array.from(te, (i) => ds.test.labels[i]),
    classes: ds.classes,
  };
}

export interface GpRunOptions {
  model: Model;
  depth: number;
  /** use the NTK instead of the NNGP kernel (the mean of infinitely long gradient flow on MSE) */
  ntk?: boolean;
  /** absolute diagonal regulariser r (default 0) */
  diagReg?: number;
}

export interface GpRunResult {
  accuracy: number;
  mse: number;
  jitter: number;
  jitterAbs: number;
  kernelSeconds: number;
  solveSeconds: number;
  route: string;
  fallbacks: number;
}

/** One GP regression on a prepared subset. */
export function gpRun(s: GpSubset, opts: GpRunOptions): GpRunResult {
  const t0 = performance.now();
  const kopts = { model: opts.model, depth: opts.depth, ntk: !!opts.ntk };
  const kxx = nngpKernel(s.train, null, kopts);
  const kxs = nngpKernel(s.test, s.train, kopts);
  const pick = (r: typeof kxx) => (opts.ntk ? (r.ntk as Matrix) : r.nngp);
  const t1 = performance.now();
  const y = centredOneHot(s.trainLabels, s.classes);
  const fit = gpFit(pick(kxx), y, s.classes, opts.diagReg ?? 0);
  const pred = gpPredict(pick(kxs), fit.alpha, s.classes);
  const t2 = performance.now();
  const score = gpScore(pred, s.testLabels, s.classes);
  return {
    ...score,
    jitter: fit.jitter,
    jitterAbs: fit.jitterAbs,
    kernelSeconds: (t1 - t0) / 1000,
    solveSeconds: (t2 - t1) / 1000,
    route: kxx.route,
    fallbacks: kxx.fallbacks + kxs.fallbacks,
  };
}
