/**
 * The per-layer training step (src/train/step.ts) against two independent computations of the same
 * update: (1) the reference step (one jit of the whole network, gradient by jax-js autodiff of the
 * op-by-op forward in mlp.ts) fed the same noise, and (2) central finite differences of a float64
 * plain-JS loss with the same weights and noise. Also: same seed → same numbers and Adam through the
 * fused per-layer update (the clean evaluation, plain and every architecture, is in archStep.test.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { initJax } from "../../src/sim/jax.js";
import { parseActivation } from "../../src/theory/activations.js";
import type { Task } from "../../src/train/mlp.js";
import { makeFastStep, sampleStepNoise } from "../../src/train/step.js";
import { Stream } from "../../src/engine/rng.js";
import { B, fastOnce, fdCheck, referenceOnce, spec } from "./stepHarness.js";

beforeAll(async () => {
  await initJax();
});

const CASES: [string, string, Task][] = [
  ["relu", "dropout:keep=0.7", "classification"],
  ["tanh", "gauss_mult:std=0.4", "reconstruction"],
  ["elu", "gauss_add:std=0.3", "classification"],
  ["gelu", "none", "reconstruction"],
  ["leaky_relu:alpha=0.2", "laplace_mult:scale=0.3", "classification"],
];

describe("per-layer training step", () => {
  it.each(CASES)("%s, %s, %s: SGD update equals the autodiff reference step", async (act, noise, task) => {
    const s = spec(act, noise, 3);
    const fast = await fastOnce(s, task, "sgd", 0.5);
    const ref = await referenceOnce(s, task, "sgd", 0.5);
    expect(fast.losses[0]).toBeCloseTo(ref.losses[0], 5);
    // float32: parameters O(1), each gradient entry a sum of ≤ 6·4 products through ≤ 4 layers; the two
    // computations differ only in summation order and fusion, so |Δ| ≲ 1e-6 (checked ≤ 1e-5)
    fast.params.forEach((layer, l) =>
      layer.forEach((v, i) => expect(Math.abs(v - ref.params[l][i])).toBeLessThan(1e-5)),
    );
  });

  it.each(CASES)("%s, %s, %s: gradient equals float64 finite differences", async (act, noise, task) => {
    const s = spec(act, noise, 2);
    const fast = await fastOnce(s, task, "sgd", 1);
    // SGD with lr 1: W' = W − ∂W, so ∂W = W − W'; float32 cancellation in W − W' costs ≤ 2⁻²⁴|W|
    // ≈ 1e-7, the float32 gradient itself ~1e-7 (O(1) values, sums of ≤ 24 terms), and the float64
    // FD truncation error O(h²)·φ‴ ≈ 1e-8: 1e-5 leaves a margin of ~10×.
    // Central differences across a kink of ReLU/leaky ReLU would be wrong; no pre-activation is
    // within 1e-4 of 0 for this fixed input.
    for (const { got, want, where } of fdCheck(s, task, fast.params))
      expect(Math.abs(got - want), where).toBeLessThan(1e-5);
  });

  it("Adam over three steps equals the reference step", async () => {
    const s = spec("tanh", "dropout:keep=0.8", 2);
    const fast = await fastOnce(s, "classification", "adam", 0.01, 3);
    const ref = await referenceOnce(s, "classification", "adam", 0.01, 3);
    fast.losses.forEach((l, i) => expect(l).toBeCloseTo(ref.losses[i], 5));
    // Adam's first steps move each parameter by ≈ lr whatever the gradient's size, so the float32
    // differences of the gradients (≲ 1e-6 relative) stay ≲ 1e-6 in the parameters
    fast.params.forEach((layer, l) =>
      layer.forEach((v, i) => expect(Math.abs(v - ref.params[l][i])).toBeLessThan(1e-5)),
    );
  });

  it("same seed → the same numbers; another noise seed → different ones", async () => {
    const s = spec("relu", "dropout:keep=0.7", 3);
    const a = await fastOnce(s, "classification", "sgd", 0.1, 3);
    const b = await fastOnce(s, "classification", "sgd", 0.1, 3);
    expect(a.params).toEqual(b.params);
    expect(a.losses).toEqual(b.losses);
    const e1 = sampleStepNoise(s, { seed: 9, step: 1, batch: B, layer: 2, cols: 6 }) as Float32Array;
    const e2 = sampleStepNoise(s, { seed: 10, step: 1, batch: B, layer: 2, cols: 6 }) as Float32Array;
    expect([...e1]).not.toEqual([...e2]);
    expect([...e1]).toEqual([
      ...(sampleStepNoise(s, { seed: 9, step: 1, batch: B, layer: 2, cols: 6 }) as Float32Array),
    ]);
  });

  it("dropout masks: Stream.fillBernoulli gives exactly the per-element uniform() < p outcomes", () => {
    // the bulk fill compares the raw 32-bit draw with p·2³² − ½; uniform() = (u + ½)·2⁻³² < p is the same test
    for (const p of [0.9, 0.5, 0.3, 1 - 2 ** -30, 2 ** -30]) {
      const a = new Float32Array(5000);
      const s1 = new Stream(3, 7);
      const s2 = new Stream(3, 7);
      s1.fillBernoulli(a, p, 1 / p);
      const b = Float32Array.from(a, () => (s2.uniform() < p ? 1 / p : 0));
      expect([...a]).toEqual([...b]);
      expect(s1.int32()).toBe(s2.int32()); // and the stream advanced by one draw per element
    }
  });

  it("refuses a custom activation without a tensor view (it cannot be differentiated)", () => {
    const custom = { ...parseActivation("tanh"), name: "my_phi", spec: "my_phi", tensor: undefined };
    expect(() =>
      makeFastStep({ ...spec("tanh", "none"), activation: custom }, "reconstruction", "sgd"),
    ).toThrow(/my_phi/);
  });
});
