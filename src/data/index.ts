/**
 * Data for training experiments: `--dataset` parsing (`mnist` embedded default, `idx:PATH`,
 * `cifar10:PATH`), conversion to float32 in [0, 1], and a seeded train/validation split.
 */
import { Stream } from "../engine/rng.js";
import { InputError } from "../theory/errors.js";
import { loadCifar10Folder, loadIdxFolder, type Dataset } from "./dataset.js";
import { DataError } from "./idx.js";
import { loadMnist } from "./mnist.js";

export { DataError, parseIdx, readIdx, encodeIdx, readMaybeGzip } from "./idx.js";
export { loadIdxFolder, loadCifar10Folder, parseCifarBatch, type Dataset, type Split } from "./dataset.js";
export { loadMnist, verifyMnist, mnistDataDir, MNIST_FILES, MNIST_LICENSE } from "./mnist.js";

export const DATASET_SPECS =
  "mnist (embedded, default) | idx:PATH (folder of MNIST-format IDX files, .gz allowed) | cifar10:PATH (folder of CIFAR-10 binary batches)";

/** Load a dataset from its `--dataset` text; bad spec or bad files → InputError (exit 2). */
export function loadDataset(spec: string): Dataset {
  const s = spec.trim();
  try {
    if (s === "mnist") return loadMnist();
    if (s.startsWith("idx:") && s.length > 4) return loadIdxFolder(s.slice(4));
    if ((s.startsWith("cifar10:") || s.startsWith("cifar-10:")) && s.indexOf(":") < s.length - 1) {
      return loadCifar10Folder(s.slice(s.indexOf(":") + 1));
    }
  } catch (e) {
    if (e instanceof DataError) throw new InputError("dataset", spec, DATASET_SPECS, e.message);
    throw e;
  }
  throw new InputError("dataset", spec, DATASET_SPECS);
}

/** Float32 inputs in [0, 1] (pixel / 255) for rows `idx` of a split. */
export function toFloat(images: Uint8Array, dim: number, idx: ArrayLike<number>): Float32Array {
  const out = new Float32Array(idx.length * dim);
  for (let r = 0; r < idx.length; r++) {
    const off = idx[r] * dim;
    for (let j = 0; j < dim; j++) out[r * dim + j] = images[off + j] / 255;
  }
  return out;
}

/** Mean square of the pixels (in [0, 1]) over the first `limit` training images. */
export function pixelMeanSquare(ds: Dataset, limit: number): number {
  const n = Math.min(limit, ds.train.n);
  const x = toFloat(
    ds.train.images,
    ds.dim,
    Array.from({ length: n }, (_, i) => i),
  );
  let s = 0;
  for (const v of x) s += v * v;
  return s / x.length;
}

/** A seeded permutation of 0..n−1 (Fisher–Yates on the project's xoshiro stream). */
export function permutation(n: number, seed: number, ...ids: number[]): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const s = new Stream(seed, 0x5eed, ...ids);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(s.uniform() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

export interface TrainValSplit {
  /** indices into the dataset's train split */
  train: Uint32Array;
  val: Uint32Array;
}

/**
 * Seeded split of (a seeded subset of) the training part: `limit` examples (all when omitted), of which a
 * fraction `valFraction` (rounded, at least 1) is held out for validation. Same seed → same split.
 */
export function trainValSplit(
  n: number,
  { valFraction = 0.1, seed = 0, limit }: { valFraction?: number; seed?: number; limit?: number },
): TrainValSplit {
  if (n < 2)
    throw new InputError(
      "dataset",
      `${n} training example${n === 1 ? "" : "s"}`,
      "a data set with at least 2 training examples (one to train on, one to validate)",
      `the data set's training part has ${n} example${n === 1 ? "" : "s"}`,
    );
  const m = Math.min(n, limit ?? n);
  const perm = permutation(n, seed, 1).subarray(0, m);
  const nVal = Math.max(1, Math.round(m * valFraction));
  if (nVal >= m)
    throw new InputError(
      "valFraction",
      String(valFraction),
      "a fraction leaving at least one training example",
    );
  return { val: perm.slice(0, nVal), train: perm.slice(nVal) };
}
