/**
 * The jax-js (float32) activations used by the simulation agree with the float64 catalogue φ to float32
 * accuracy: |Δ| ≤ 1e-5·max(1, |φ|) (float32 ε ≈ 1.2e-7, and jax-js' transcendental functions are accurate
 * to ~1e-7 relative per STACK.md, so 1e-5 leaves two orders of margin while catching any wrong formula).
 */
import { numpy as np } from "@jax-js/jax";
import { beforeAll, describe, expect, it } from "vitest";
import { hostActivation, tensorActivation } from "../../src/engine/tensor.js";
import { initJax } from "../../src/sim/index.js";
import { ACTIVATION_NAMES, customActivation, makeActivation } from "../../src/theory/activations.js";
import { InputError } from "../../src/theory/errors.js";
import { SCALAR_OPS } from "../../src/theory/tensorView.js";

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
    expect(act.tensor).toBeDefined();
    check(tensorActivation(act), act.phi);
  });

  it.each([
    ["leaky_relu", { alpha: 0.2 }],
    ["shifted_relu", { alpha: 0.5 }],
    ["elu", { alpha: 0.5 }],
  ])("%s with %j matches", (name, params) => {
    const act = makeActivation(name, params as Record<string, number>);
    check(tensorActivation(act), act.phi);
  });

  it("a user-supplied φ without a tensor view runs through the host route, and training refuses it", () => {
    const act = customActivation({ name: "cube_root", phi: Math.cbrt });
    expect(act.tensor).toBeUndefined();
    check(tensorActivation(act), act.phi);
    check(hostActivation(act), act.phi);
    expect(() => tensorActivation(act, { differentiable: true })).toThrow(InputError);
  });

  it("a custom φ named like a catalogue entry runs its own φ, not the catalogue's (no lookup by name)", () => {
    // a "tanh" that is not tanh, and a "leaky_relu" with its own slope: the catalogue's ops would differ
    // from these by O(1) (tanh(3) ≈ 0.995 vs 1.5; slope 0.01 vs 0.3), far beyond the 1e-5 tolerance
    const fakeTanh = customActivation({ name: "tanh", phi: (x) => 0.5 * x });
    check(tensorActivation(fakeTanh), (x) => 0.5 * x);
    const leaky = customActivation({ name: "leaky_relu", phi: (x) => (x > 0 ? x : 0.3 * x) });
    check(tensorActivation(leaky), (x) => (x > 0 ? x : 0.3 * x));
  });

  it("a custom φ with its own tensor view uses it (and it is traceable)", () => {
    const act = customActivation({
      name: "tanh",
      phi: (x) => 2 * Math.tanh(x),
      tensor: (o, x) => o.mul(o.tanh(x), 2),
    });
    check(tensorActivation(act, { differentiable: true }), (x) => 2 * Math.tanh(x));
  });
});

describe("tensor views on float64 scalars", () => {
  // the view is the same formula as φ evaluated through SCALAR_OPS: agreement to a few float64 ulps
  // (1e-13 relative) is expected; an error in a view's formula is O(1)
  const params: [string, Record<string, number>][] = [
    ...ACTIVATION_NAMES.map((n): [string, Record<string, number>] => [n, {}]),
    ["leaky_relu", { alpha: 0.2 }],
    ["shifted_relu", { alpha: 0.5 }],
    ["elu", { alpha: 0.5 }],
  ];
  it.each(params)("%s %j: view(SCALAR_OPS, x) = φ(x)", (name, p) => {
    const act = makeActivation(name, p);
    for (const x of xs) {
      const want = act.phi(x);
      expect(Math.abs(act.tensor!(SCALAR_OPS, x) - want)).toBeLessThanOrEqual(
        1e-13 * Math.max(1, Math.abs(want)),
      );
    }
  });
});
