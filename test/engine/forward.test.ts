/**
 * The engine's two adapters compute the same random network: for the same key (seed, net) the jax-js
 * float32 forward pass (tensor.ts) must match the float64 reference (forward64.ts) layer by layer, and
 * each adapter must repeat itself exactly for the same key.
 *
 * Tolerance: both draw bit-identical weights, biases and noise (same keyed streams), so the only
 * difference is float32 arithmetic: each layer's matmul has relative error ~ √N·ε_32 ≈ 1e-6 at N ≤ 300,
 * the inputs are rounded to float32 (1e-7), and jax-js' tanh/erf are float32-accurate (~1e-7); over
 * L ≤ 6 layers that compounds to ~1e-5 of the layer's scale. We allow 2e-4·max(1, max|h^l|): an error in
 * the pass (a wrong layout, a missing bias, noise applied to the wrong array) is O(1) of the scale.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { forward64 } from "../../src/engine/forward64.js";
import type { NetworkSpec } from "../../src/engine/network.js";
import { layerStream } from "../../src/engine/network.js";
import { forwardTensor, Scratch } from "../../src/engine/tensor.js";
import { initJax } from "../../src/sim/index.js";
import { customActivation, parseActivation } from "../../src/theory/activations.js";
import { parseNoise } from "../../src/theory/noise.js";

beforeAll(async () => {
  await initJax();
});

function spec(
  act: string,
  noise: string,
  width: number,
  depth: number,
  weights: "gaussian" | "orthogonal",
): NetworkSpec {
  return {
    model: { activation: parseActivation(act), noise: parseNoise(noise), sigmaW2: 1.7, sigmaB2: 0.1 },
    width,
    depth,
    weights,
  };
}

async function tensorLayers(
  s: NetworkSpec,
  key: { seed: number; net: number },
  h0: Float64Array,
): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  await forwardTensor(s, key, Float32Array.from(h0), new Scratch(s.width), (_l, h) => out.push(h));
  return out;
}

function input(s: NetworkSpec, batch: number): Float64Array {
  return layerStream({ seed: 99, net: 0 }, 0, "inputs").normals(batch * s.width);
}

describe("engine: float32 jax-js forward pass = float64 reference for the same key", () => {
  it.each([
    ["tanh", "none", 64, 6, "gaussian"],
    ["relu", "dropout:keep=0.8", 64, 5, "gaussian"],
    ["erf", "gauss_add:std=0.3", 48, 4, "orthogonal"],
    ["leaky_relu:alpha=0.2", "laplace_mult:scale=0.2", 40, 4, "gaussian"],
    ["selu", "poisson_mult", 32, 3, "orthogonal"],
    ["tanh", "dropout:keep=0.9", 272, 2, "orthogonal"], // N ≥ 256: the blocked float32 Haar sampler
  ] as const)("%s, %s, N = %i, L = %i, %s", async (act, noise, n, depth, law) => {
    const s = spec(act, noise, n, depth, law);
    const key = { seed: 7, net: 3 };
    const h0 = input(s, 5);
    const ref = forward64(s, key, h0, { keep: false });
    const got = await tensorLayers(s, key, h0);
    expect(got.length).toBe(depth);
    for (let l = 1; l <= depth; l++) {
      const want = ref.h[l];
      let scale = 1;
      for (const v of want) scale = Math.max(scale, Math.abs(v));
      let err = 0;
      for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[l - 1][i] - want[i]));
      expect(err).toBeLessThanOrEqual(2e-4 * scale);
    }
  });

  it("a custom φ named like a catalogue entry is simulated with its own φ in both adapters", async () => {
    const s = spec("tanh", "none", 32, 3, "gaussian");
    const fake = {
      ...s,
      model: { ...s.model, activation: customActivation({ name: "tanh", phi: (x) => Math.sin(x) }) },
    };
    const sine = {
      ...s,
      model: { ...s.model, activation: customActivation({ name: "sine", phi: Math.sin }) },
    };
    const key = { seed: 1, net: 0 };
    const h0 = input(s, 3);
    const a = await tensorLayers(fake, key, h0);
    const b = forward64(sine, key, h0).h;
    const t = forward64(s, key, h0).h; // the real tanh network differs by O(1)
    let err = 0;
    let gap = 0;
    for (let i = 0; i < b[3].length; i++) {
      err = Math.max(err, Math.abs(a[2][i] - b[3][i]));
      gap = Math.max(gap, Math.abs(t[3][i] - b[3][i]));
    }
    expect(err).toBeLessThan(1e-4);
    expect(gap).toBeGreaterThan(1e-2);
  });
});

describe("engine: same key → same numbers", () => {
  it("forward64 and forwardTensor repeat bit for bit; another net index gives another network", async () => {
    const s = spec("gelu", "dropout:keep=0.7", 24, 3, "orthogonal");
    const h0 = input(s, 2);
    const a = forward64(s, { seed: 5, net: 1 }, h0);
    const b = forward64(s, { seed: 5, net: 1 }, h0);
    const c = forward64(s, { seed: 5, net: 2 }, h0);
    expect(Array.from(b.h[3])).toEqual(Array.from(a.h[3]));
    expect(Array.from(c.h[3])).not.toEqual(Array.from(a.h[3]));
    const t1 = await tensorLayers(s, { seed: 5, net: 1 }, h0);
    const t2 = await tensorLayers(s, { seed: 5, net: 1 }, h0);
    expect(Array.from(t2[2])).toEqual(Array.from(t1[2]));
  });
});
