/** Helpers for the file-handling tests: the real CLI entry and a tiny IDX data set (6×6 images). */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeIdx } from "../../src/data/index.js";
import { runCli, type CliResult } from "../support/cli.js";

export const root = fileURLToPath(new URL("../..", import.meta.url));

export type { CliResult } from "../support/cli.js";

/** The real CLI entry, asynchronously (test/support/cli.ts); `timeout` kills the child (default 180 s). */
export function sigprop(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; nodeArgs?: string[]; timeout?: number } = {},
): Promise<CliResult> {
  return runCli(args, { env: opts.env, nodeArgs: opts.nodeArgs, timeoutMs: opts.timeout ?? 180_000 });
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
