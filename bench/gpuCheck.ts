/**
 * The TypeScript half of scripts/gpu-check.sh (issue 10): checks that need a WebGPU adapter, one step per
 * process so that a crash or hang in one step leaves the others' results. Prints one JSON object.
 *
 *   node --import tsx bench/gpuCheck.ts ops [cpu]  wasm vs webgpu agreement of single operations (`cpu`:
 *                                                  against jax-js' cpu backend instead, a dry run anywhere)
 *   node --import tsx bench/gpuCheck.ts step DEV   depth-20 width-512 batch-128 training step (bench/train.ts) on DEV
 *   node --import tsx bench/gpuCheck.ts compare A.json B.json KEYS…   max relative difference of numeric arrays
 *
 * Tolerances (float32, unit roundoff u = 2⁻²⁴ ≈ 6e-8): a length-K dot product computed in two different
 * summation orders differs by at most ~2·K·u·Σ|a_i b_i| (the classical bound γ_K), so a matmul entry with
 * K = 784 may differ by ≈ 1e-4 of Σ|a_i b_i| in the worst case; typical (random-walk) errors are √K·u
 * ≈ 2e-6. We require max |Δ| ≤ 1e-4 · max|Σ|a b||, i.e. the worst-case bound, which any correct
 * backend meets. Element-wise functions: WGSL's exp/tanh are specified to a few ulp (exp: 3 + 2|x| ulp),
 * jax-js' erf is a polynomial of ~1e-7 absolute error: we require |Δ| ≤ 1e-5 (abs) for |x| ≤ 4.
 * Reductions of 2²⁰ terms in different orders: |Δ| ≤ 1e-4 · Σ|x| (bound ~ log₂(n)·u·Σ|x| for pairwise
 * trees, far larger for sequential sums; 1e-4 covers both).
 */
import { readFileSync } from "node:fs";
import { numpy as np, type Array as JaxArray } from "@jax-js/jax";
import { initDevice, type DeviceRequest } from "../src/engine/device.js";

/** A reproducible float32 vector in [−scale, scale] (no RNG state shared with anything else). */
function data(n: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32 - 0.5) * 2 * scale;
  }
  return out;
}

/** The other device of the comparison: webgpu, or jax-js' interpreted cpu backend for a dry run here. */
let other: "webgpu" | "cpu" = "webgpu";

async function onBoth(
  make: (device: "wasm" | "webgpu" | "cpu") => JaxArray,
): Promise<{ wasm: Float32Array; webgpu: Float32Array }> {
  const w = (await make("wasm").data()) as Float32Array;
  const g = (await make(other).data()) as Float32Array;
  return { wasm: w, webgpu: g };
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

async function ops(against: "webgpu" | "cpu") {
  other = against;
  const choice = await initDevice(against === "cpu" ? "wasm" : "webgpu");
  const results: Record<string, unknown>[] = [];
  const sizes =
    against === "cpu"
      ? [[16, 64, 32]] // the interpreted backend is slow: a dry run of the script only
      : [
          [128, 784, 512],
          [512, 512, 512],
          [34, 1000, 1000],
        ];
  for (const [m, k, n] of sizes) {
    const a = data(m * k, 1);
    const b = data(k * n, 2);
    const { wasm, webgpu } = await onBoth((device) =>
      np.matmul(np.array(a, { shape: [m, k], device }), np.array(b, { shape: [k, n], device })),
    );
    // scale: max over entries of Σ_k |a_ik b_kj| (the bound's reference), computed in float64
    const absA = Float64Array.from(a, Math.abs);
    const absB = Float64Array.from(b, Math.abs);
    let scale = 0;
    for (let i = 0; i < m; i += Math.max(1, Math.floor(m / 16)))
      for (let j = 0; j < n; j += Math.max(1, Math.floor(n / 16))) {
        let s = 0;
        for (let t = 0; t < k; t++) s += absA[i * k + t] * absB[t * n + j];
        scale = Math.max(scale, s);
      }
    const diff = maxAbsDiff(wasm, webgpu);
    results.push({
      op: `matmul ${m}x${k}x${n}`,
      max_abs_diff: diff,
      tolerance: 1e-4 * scale,
      pass: diff <= 1e-4 * scale,
    });
  }
  const x = data(against === "cpu" ? 1 << 10 : 1 << 16, 3, 4);
  const unary: [string, (v: JaxArray) => JaxArray][] = [
    ["tanh", (v) => np.tanh(v)],
    ["exp(x/4)", (v) => np.exp(np.multiply(v, 0.25))],
    ["relu", (v) => np.maximum(v, 0)],
    ["sin", (v) => np.sin(v)],
  ];
  for (const [name, f] of unary) {
    const { wasm, webgpu } = await onBoth((device) => f(np.array(x, { device })));
    const diff = maxAbsDiff(wasm, webgpu);
    results.push({ op: name, max_abs_diff: diff, tolerance: 1e-5, pass: diff <= 1e-5 });
  }
  const big = data(against === "cpu" ? 1 << 12 : 1 << 20, 4);
  const { wasm, webgpu } = await onBoth((device) => np.sum(np.array(big, { device })));
  const l1 = big.reduce((s, v) => s + Math.abs(v), 0);
  const d = Math.abs(wasm[0] - webgpu[0]);
  results.push({ op: `sum of ${big.length}`, max_abs_diff: d, tolerance: 1e-4 * l1, pass: d <= 1e-4 * l1 });
  return { device: choice, against, results, all_pass: results.every((r) => r.pass === true) };
}

async function step(device: DeviceRequest) {
  const choice = await initDevice(device);
  const { run } = await import("./train.js");
  const r = await run();
  return {
    device: choice,
    samples_per_s: r.samples_per_s,
    step_ms_median: r.step_ms_median,
    final_loss: r.final_loss,
  };
}

/** Max relative difference of the numeric arrays under `keys` in two JSON results. */
function compare(fileA: string, fileB: string, keys: string[], tol: number) {
  const a = JSON.parse(readFileSync(fileA, "utf8"));
  const b = JSON.parse(readFileSync(fileB, "utf8"));
  const flat = (v: unknown): number[] =>
    Array.isArray(v) ? v.flatMap(flat) : typeof v === "number" ? [v] : [];
  const out: Record<string, unknown> = {};
  let pass = true;
  for (const k of keys) {
    const x = flat(a[k]);
    const y = flat(b[k]);
    let m = 0;
    for (let i = 0; i < Math.min(x.length, y.length); i++)
      m = Math.max(m, Math.abs(x[i] - y[i]) / Math.max(1e-12, Math.abs(x[i])));
    const ok = x.length === y.length && x.length > 0 && m <= tol;
    pass &&= ok;
    out[k] = { entries: x.length, max_rel_diff: m, tolerance: tol, pass: ok };
  }
  return { compared: [fileA, fileB], keys: out, all_pass: pass };
}

const [cmd, ...args] = process.argv.slice(2);
let result: unknown;
if (cmd === "ops") result = await ops(args[0] === "cpu" ? "cpu" : "webgpu");
else if (cmd === "step") result = await step((args[0] ?? "wasm") as DeviceRequest);
else if (cmd === "compare") {
  const tol = Number(process.env.GPU_CHECK_TOL ?? 1e-3);
  result = compare(args[0], args[1], args.slice(2), tol);
} else {
  process.stderr.write("usage: gpuCheck.ts ops | step wasm|webgpu | compare A.json B.json KEY…\n");
  process.exit(2);
}
process.stdout.write(JSON.stringify(result) + "\n");
