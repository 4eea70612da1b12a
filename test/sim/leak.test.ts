/**
 * No leak over long loops (jax-js reference counting). jax-js keeps arrays in one WebAssembly.Memory with
 * a bump allocator and size-class free lists: every buffer that is not disposed forces fresh allocation,
 * and the memory never shrinks. So if every array is released, the memory size is constant once the
 * free lists are warm; a single leaked B×N batch per layer would grow it by ≥ B·N·4 bytes per layer
 * (here 240 layers × 4 KiB ≈ 1 MB, more than a 64 KiB wasm page). We capture the Memory object by
 * wrapping the constructor before jax-js initialises (each vitest file runs in its own process).
 */
import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { captureWasmMemory } from "../support/wasmMemory.js";

v8.setFlagsFromString("--expose_gc");
const gc = vm.runInNewContext("gc") as () => void;
/** JS heap + external memory after a full collection (garbage from finished runs excluded). */
const liveBytes = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

const wasmBytes = captureWasmMemory();

describe("memory", () => {
  it("wasm memory is flat over 200+ network-layers after warm-up (all arrays disposed)", async () => {
    const { simulateDynamics, initJax } = await import("../../src/sim/index.js");
    const { model } = await import("./helpers.js");
    await initJax();
    const cfg = {
      model: model("relu", "dropout:keep=0.8", 1.6),
      width: 256,
      depth: 10,
      networks: 2,
      seed: 3,
      weights: "gaussian" as const,
    };
    const noises = ["dropout:keep=0.8", "gauss_add:std=1", "poisson_mult", "laplace_mult:scale=0.2"];
    const run = async (i: number) =>
      simulateDynamics(
        { ...cfg, seed: i, model: model(i % 2 ? "tanh" : "relu", noises[i % 4], 1.5, i % 3 ? 0 : 0.1) },
        1,
        [0.3, 0.8],
      );
    for (let i = 0; i < 8; i++) await run(i); // warm-up: compiles kernels, fills free lists
    expect(wasmBytes()).toBeGreaterThan(0); // jax-js's memory was captured
    const before = wasmBytes();
    const liveBefore = liveBytes();
    for (let i = 8; i < 20; i++) await run(i);
    expect(wasmBytes()).toBe(before);
    // JS side: 12 runs × 20 network-layers retaining even one 4×256 float32 batch (4 KiB) per layer would
    // keep ≥ 0.98 MB; the bound is half of that (jax-js/V8 internals add ~0.1 MB of caches here)
    const grown = liveBytes() - liveBefore;
    console.log(`live JS+external growth over 240 network-layers: ${(grown / 1e6).toFixed(3)} MB`);
    expect(grown).toBeLessThan(0.49e6);
  });
});
