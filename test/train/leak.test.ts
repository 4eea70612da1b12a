/**
 * No leak over many training steps of the per-layer step (step.ts), as in test/sim/leak.test.ts: jax-js
 * keeps arrays in one WebAssembly.Memory with a bump allocator and size-class free lists, so once every
 * array is released and the free lists are warm the memory size is constant. One leaked array per step
 * of at least the output's size (8 × 10 float32, a 320-byte slot) takes ≥ 80 KB over the 250 measured
 * steps, more than one 64 KiB page, so the memory must grow (checked by leaking the output: it fails). The Memory is captured by wrapping its
 * constructor before jax-js loads (each vitest file runs in its own process). RSS over 2000 steps of a
 * larger network is in bench/train.ts.
 */
import { describe, expect, it } from "vitest";
import { captureWasmMemory } from "../support/wasmMemory.js";

const wasmBytes = captureWasmMemory();

describe("training memory", () => {
  it.each(["sgd", "adam"] as const)(
    "wasm memory is flat over 250 steps after warm-up (%s, dropout, evaluation between)",
    async (optimizer) => {
      const { numpy: np } = await import("@jax-js/jax");
      const { initJax } = await import("../../src/sim/jax.js");
      const { parseActivation } = await import("../../src/theory/activations.js");
      const { parseNoise } = await import("../../src/theory/noise.js");
      const { initParams } = await import("../../src/train/mlp.js");
      const { initOptState } = await import("../../src/train/optim.js");
      const { makeFastStep, stepNoise } = await import("../../src/train/step.js");
      const { disposeTree } = await import("../../src/train/train.js");
      await initJax();
      const spec = {
        inputDim: 20,
        width: 16,
        depth: 4,
        outputDim: 10,
        activation: parseActivation("relu"),
        noise: parseNoise("dropout:keep=0.8"),
      };
      const B = 8;
      const fast = makeFastStep(spec, "classification", optimizer);
      let params = initParams(spec, 1.6, 0.1, 1);
      let state = initOptState(optimizer, params);
      const x = Float32Array.from({ length: B * 20 }, (_, i) => Math.sin(i));
      const y = Float32Array.from({ length: B * 10 }, (_, i) => (i % 11 === 0 ? 1 : 0));
      const run = async (t: number) => {
        const noise = stepNoise(spec, { seed: 2, step: t, batch: B });
        const r = await fast.step(
          params,
          state,
          np.array(x, { shape: [B, 20] }),
          np.array(y, { shape: [B, 10] }),
          noise,
          0.01,
        );
        params = r.params;
        state = r.state;
        await r.loss.data();
        if (t % 10 === 0) await (await fast.evaluate(params, np.array(x, { shape: [B, 20] }))).data();
      };
      for (let t = 1; t <= 30; t++) await run(t); // warm-up: compiles the blocks, fills the free lists
      const before = wasmBytes();
      expect(before).toBeGreaterThan(0);
      for (let t = 31; t <= 280; t++) await run(t);
      expect(wasmBytes()).toBe(before);
      disposeTree(params);
      disposeTree(state);
      fast.dispose();
    },
  );
});
