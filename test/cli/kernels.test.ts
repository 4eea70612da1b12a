/**
 * `sigprop kernel` and `sigprop gp` through the real entry: --json is one object whose `kernel` is the
 * library's matrix, --out writes the same matrix as CSV, bad input exits 2 naming the flag, `gp` reports
 * accuracy, MSE and the jitter with the library's values.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gpRun, gpSubset } from "../../src/analysis/gpExperiment.js";
import { loadMnist } from "../../src/data/index.js";
import { parseActivation } from "../../src/theory/activations.js";
import { nngpKernel } from "../../src/theory/kernels/nngp.js";
import { parseNoise } from "../../src/theory/noise.js";
import { sigprop } from "../support/cli.js";

const dir = mkdtempSync(join(tmpdir(), "sigprop-kernel-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const X = [
  [0.5, -1, 0.25],
  [1.5, 0.5, -0.5],
  [0.5, -1, 0.25],
];
const Y = [[0, 1, 2]];
const xFile = join(dir, "x.csv");
const yFile = join(dir, "y.csv");
writeFileSync(xFile, "a,b,c\n" + X.map((r) => r.join(",")).join("\n") + "\n");
writeFileSync(yFile, Y.map((r) => r.join(",")).join("\n") + "\n");
const spec = [
  "--activation",
  "tanh",
  "--noise",
  "dropout:keep=0.8",
  "--sigma-w2",
  "1.5",
  "--sigma-b2",
  "0.1",
];
const model = {
  activation: parseActivation("tanh"),
  noise: parseNoise("dropout:keep=0.8"),
  sigmaW2: 1.5,
  sigmaB2: 0.1,
};
const mat = (rows: number[][]) => ({
  data: Float64Array.from(rows.flat()),
  rows: rows.length,
  cols: rows[0].length,
});

describe("sigprop kernel", () => {
  it("--json: `kernel` is the library's K(X, X) with the noisy diagonal; --out writes it as CSV", async () => {
    const out = join(dir, "k.csv");
    const r = await sigprop("kernel", "--x", xFile, "--depth", "2", ...spec, "--json", "--out", out);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]);
    const lib = nngpKernel(mat(X), null, { model, depth: 2 }).nngp;
    expect(j.kind).toBe("nngp");
    expect(j.symmetric).toBe(true);
    expect(j.dense_layers).toBe(3);
    expect(j.noise.mu2).toBe(1.25);
    expect(j.kernel.flat()).toEqual(Array.from(lib.data));
    const csv = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => l.split(",").map(Number));
    expect(csv.flat()).toEqual(Array.from(lib.data));
    // rows 0 and 2 are equal inputs but two examples: off-diagonal below the diagonal
    expect(j.kernel[0][2]).toBeLessThan(j.kernel[0][0]);
  });
  it("--y and --ntk: the NTK between the two sets", async () => {
    const r = await sigprop("kernel", "--x", xFile, "--y", yFile, "--depth", "1", ...spec, "--ntk", "--json");
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    const lib = nngpKernel(mat(X), mat(Y), { model, depth: 1, ntk: true }).ntk!;
    expect(j.kind).toBe("ntk");
    expect([j.rows, j.cols]).toEqual([3, 1]);
    expect(j.kernel.flat()).toEqual(Array.from(lib.data));
  });
  it("help states the convention; bad input exits 2 naming the flag", async () => {
    const h = await sigprop("kernel", "--help");
    expect(h.code).toBe(0);
    expect(h.out).toContain("L + 1 dense layers");
    expect(h.out).toContain("diagonal");
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "1,2,3\n4,x,6\n");
    for (const [args, flag] of [
      [["--x", bad, "--depth", "1", ...spec], "--x"],
      [["--x", xFile, ...spec], "--depth"],
      [["--x", xFile, "--depth", "1", "--noise", "dropout:0.8", "--sigma-w2", "1"], "--noise"],
    ] as const) {
      const r = await sigprop("kernel", ...args);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toContain(flag);
    }
  });
});

describe("sigprop gp", () => {
  it("--json: accuracy and MSE equal the library's on the same seeded subset", async () => {
    const args = ["--train-size", "80", "--test-size", "50", "--depth", "2", "--seed", "4"];
    const s = ["--noise", "dropout:keep=0.9", "--sigma-w2", "1.8", "--sigma-b2", "0.05"];
    const r = await sigprop("gp", ...args, ...s, "--json");
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    const lib = gpRun(gpSubset(loadMnist(), 80, 50, 4), {
      model: {
        activation: parseActivation("relu"),
        noise: parseNoise("dropout:keep=0.9"),
        sigmaW2: 1.8,
        sigmaB2: 0.05,
      },
      depth: 2,
    });
    expect(j.accuracy).toBe(lib.accuracy);
    expect(j.mse).toBe(lib.mse);
    expect(j.jitter).toBe(lib.jitter);
    expect(j.kernel).toBe("nngp");
    for (const k of [
      "dataset",
      "train_size",
      "test_size",
      "seed",
      "version",
      "jitter_abs",
      "kernel_seconds",
      "solve_seconds",
    ])
      expect(j).toHaveProperty(k);
    expect(lib.accuracy).toBeGreaterThan(0.5); // far above chance (0.1) even on 80 images
  });
  it("bad input exits 2 naming the flag", async () => {
    for (const [args, flag] of [
      [["--train-size", "0"], "--train-size"],
      [["--diag-reg", "-1"], "--diag-reg"],
    ] as const) {
      const r = await sigprop("gp", "--sigma-w2", "2", "--test-size", "5", ...args);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toContain(flag);
    }
  });
});
