/** Helpers for the file-handling tests: the real CLI entry and a tiny IDX data set (6×6 images). */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeIdx } from "../../src/data/index.js";

export const root = fileURLToPath(new URL("../..", import.meta.url));

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

/** `node --import tsx [nodeArgs] src/cli/main.ts …args` (asynchronous: a blocked test worker times out) */
export function sigprop(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; nodeArgs?: string[]; timeout?: number } = {},
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", ...(opts.nodeArgs ?? []), "src/cli/main.ts", ...args],
      { cwd: root, env: opts.env ?? process.env, timeout: opts.timeout ?? 180_000 },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (err += d.toString("utf8")));
    child.on("error", fail);
    child.on("close", (code) => done({ code, out, err }));
  });
}

/** A folder with 120 train / 10 test 6×6 IDX images (`--dataset idx:DIR`). */
export function tinyIdx(): string {
  const data = mkdtempSync(join(tmpdir(), "sigprop-idxio-"));
  const n = 120;
  const img = Uint8Array.from({ length: n * 36 }, (_, i) => (i * 37) % 256);
  const lab = Uint8Array.from({ length: n }, (_, i) => i % 10);
  writeFileSync(join(data, "train-images-idx3-ubyte"), encodeIdx([n, 6, 6], img));
  writeFileSync(join(data, "train-labels-idx1-ubyte"), encodeIdx([n], lab));
  writeFileSync(join(data, "t10k-images-idx3-ubyte"), encodeIdx([10, 6, 6], img.subarray(0, 360)));
  writeFileSync(join(data, "t10k-labels-idx1-ubyte"), encodeIdx([10], lab.subarray(0, 10)));
  return data;
}

/** Train flags for a run of a few hundred milliseconds on `tinyIdx()` data. */
export const tinyTrain = (data: string, epochs = 2) => [
  "train",
  "--dataset",
  `idx:${data}`,
  "--depth",
  "2",
  "--width",
  "8",
  "--epochs",
  String(epochs),
  "--batch",
  "16",
  "--json",
];

/** stderr is one line starting with `sigprop: ` (no stack trace) */
export function endsWithOneLineError(err: string): boolean {
  const lines = err.trim().split("\n");
  return oneLine(lines[lines.length - 1]) && !/\n\s+at /.test(err) && !/internal error/.test(err);
}

/** stderr is one line starting with `sigprop: ` (no stack trace) */
export function oneLine(err: string): boolean {
  const lines = err.trim().split("\n");
  return lines.length === 1 && lines[0].startsWith("sigprop: ") && !/\n\s+at /.test(err);
}
