/**
 * The noise laws drawn from jax-js keys (tensor.ts `applyNoiseKey`, used by training) have the moments of
 * docs/THEORY.md §1 — the same laws `fillNoise` draws on the host (test/sim/sampling.test.ts). Tolerance: the
 * sample mean of M = 200 000 values is compared with its expectation in units of its standard error
 * (sample std/√M), |z| < Z_MAX as in the other sampler tests.
 */
import { numpy as np, random } from "@jax-js/jax";
import { beforeAll, describe, expect, it } from "vitest";
import { applyNoiseKey } from "../../src/engine/tensor.js";
import { initJax } from "../../src/sim/index.js";
import { parseNoise } from "../../src/theory/noise.js";
import { Z_MAX } from "../sim/helpers.js";

beforeAll(async () => {
  await initJax();
});

function z(xs: Float32Array, f: (x: number) => number, expected: number): number {
  let s = 0;
  let s2 = 0;
  for (const x of xs) {
    const v = f(x);
    s += v;
    s2 += v * v;
  }
  const m = s / xs.length;
  const sd = Math.sqrt(Math.max(0, s2 / xs.length - m * m));
  return (m - expected) / (sd / Math.sqrt(xs.length));
}

describe("applyNoiseKey: E[ε] and μ2 = E[ε²]", () => {
  it.each([
    "dropout:keep=0.6",
    "gauss_mult:std=0.25",
    "gauss_add:std=2",
    "laplace_mult:scale=0.5",
    "laplace_add:scale=1",
    "poisson_mult",
  ])("%s", (spec) => {
    const noise = parseNoise(spec);
    const m = 200_000;
    const base = noise.type === "additive" ? np.zeros([m]) : np.ones([m]);
    const eps = applyNoiseKey(base, noise, random.key(spec.length)).dataSync() as Float32Array;
    expect(Math.abs(z(eps, (x) => x, noise.type === "additive" ? 0 : 1))).toBeLessThan(Z_MAX);
    expect(Math.abs(z(eps, (x) => x * x, noise.mu2))).toBeLessThan(Z_MAX);
  });

  it("none and keep = 1 leave x unchanged", () => {
    for (const spec of ["none", "dropout:keep=1"]) {
      const y = applyNoiseKey(np.array(new Float32Array([1, 2, 3])), parseNoise(spec), random.key(1));
      expect(Array.from(y.dataSync() as Float32Array)).toEqual([1, 2, 3]);
    }
  });
});
