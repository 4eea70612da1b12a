/**
 * The jax-js (float32) activations used by the simulation agree with the float64 catalogue φ to float32
 * accuracy: |Δ| ≤ 1e-5·max(1, |φ|) (float32 ε ≈ 1.2e-7, and jax-js' transcendental functions are accurate
 * to ~1e-7 relative per STACK.md, so 1e-5 leaves two orders of margin while catching any wrong formula).
 */
import { numpy as np } from "@jax-js/jax";
import { beforeAll, describe, expect, it } from "vitest";
import { catalogueActivation, hostActivation } from "../../src/sim/activation.js";
import { initJax } from "../../src/sim/index.js";
import { ACTIVATION_NAMES, customActivation, makeActivation } from "../../src/theory/activations.js";

beforeAll(async () => {
  await initJax();
});

const xs = Array.from({ length: 241 }, (_, i) => -12 + i * 0.1);

function check(
  f: (x: ReturnType<typeof np.array>) => ReturnType<typeof np.array>,
  phi: (x: number) => number,
) {
  const y = f(np.array(new Float32Array(xs), { shape: [1, xs.length] })).dataSync() as Float32Array;
  xs.forEach((x, i) => {
    const want = phi(Math.fround(x));
    expect(Math.abs(y[i] - want)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want)));
  });
}

describe("simulation activations", () => {
  it.each(ACTIVATION_NAMES)("%s matches the float64 φ", (name) => {
    const act = makeActivation(name);
    const f = catalogueActivation(act);
    expect(f).not.toBeNull();
    check(f!, act.phi);
  });

  it.each([
    ["leaky_relu", { alpha: 0.2 }],
    ["shifted_relu", { alpha: 0.5 }],
    ["elu", { alpha: 0.5 }],
  ])("%s with %j matches", (name, params) => {
    const act = makeActivation(name, params as Record<string, number>);
    check(catalogueActivation(act)!, act.phi);
  });

  it("a user-supplied φ runs through the host fallback", () => {
    const act = customActivation({ name: "cube_root", phi: Math.cbrt });
    expect(catalogueActivation(act)).toBeNull();
    check(hostActivation(act), act.phi);
  });
});
