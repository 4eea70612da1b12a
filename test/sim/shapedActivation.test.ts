/**
 * Shaped activations (DKS/TAT) on jax-js: their tensor view, composed from the base's, agrees with the
 * float64 φ̂ to float32 accuracy (same 1e-5·max(1,|φ̂|) bound as test/sim/activation.test.ts; the affine
 * maps add a few float32 roundings, γ up to ~16 scales them: the bound is relative to |φ̂|, and the
 * absolute floor 1e-5 is applied to γ·φ of O(1)), and is differentiable (training accepts it).
 */
import { numpy as np, grad } from "@jax-js/jax";
import { beforeAll, describe, expect, it } from "vitest";
import { tensorActivation } from "../../src/engine/tensor.js";
import { initJax } from "../../src/sim/index.js";
import { parseActivation } from "../../src/theory/activations.js";
import { SCALAR_OPS } from "../../src/theory/tensorView.js";

beforeAll(async () => {
  await initJax();
});

const xs = Array.from({ length: 121 }, (_, i) => -6 + i * 0.1);

describe("shaped activations as tensors", () => {
  it.each([
    "shaped:tanh:in_scale=0.5,in_shift=0.3,out_scale=3,out_shift=-0.2",
    "shaped:leaky_relu:alpha=0.43,out_scale=1.3",
    "shaped:relu:in_scale=2,in_shift=-1,out_scale=0.5,out_shift=0.1",
    "dks:softplus:depth=5,zeta=2",
  ])("%s matches φ̂ (jax-js and scalar ops)", (spec) => {
    const act = parseActivation(spec);
    expect(act.tensor).toBeDefined();
    const y = tensorActivation(act, { differentiable: true })(
      np.array(new Float32Array(xs), { shape: [1, xs.length] }),
    ).dataSync() as Float32Array;
    xs.forEach((x, i) => {
      const want = act.phi(Math.fround(x));
      const scale = Math.max(1, Math.abs(want), act.params.out_scale);
      expect(Math.abs(y[i] - want)).toBeLessThanOrEqual(1e-5 * scale);
      expect(act.tensor!(SCALAR_OPS, x)).toBeCloseTo(act.phi(x), 12);
    });
  });

  it("the view is differentiable: jax-js grad equals φ̂′", () => {
    const act = parseActivation("shaped:tanh:in_scale=0.5,in_shift=0.3,out_scale=3,out_shift=-0.2");
    const f = tensorActivation(act, { differentiable: true });
    const g = grad((x: ReturnType<typeof np.array>) => np.sum(f(x)));
    const d = g(np.array(new Float32Array(xs))).dataSync() as Float32Array;
    xs.forEach((x, i) => expect(Math.abs(d[i] - act.dphi(Math.fround(x)))).toBeLessThan(1e-5 * 3));
  });
});
