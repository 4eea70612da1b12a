/** Reproducibility: the same seed gives bit-identical output; another seed gives different numbers. */
import { describe, expect, it } from "vitest";
import { simulateDynamics, simulateVarianceMap, type SimConfig } from "../../src/sim/index.js";
import { model } from "./helpers.js";

describe("determinism", () => {
  const cfg: SimConfig = {
    model: model("relu", "dropout:keep=0.8", 1.6),
    width: 128,
    depth: 5,
    networks: 4,
    seed: 7,
    weights: "gaussian",
  };

  it("same seed → identical results (every noise family is seeded)", async () => {
    for (const noise of ["dropout:keep=0.8", "gauss_add:std=0.5", "poisson_mult", "laplace_mult:scale=0.3"]) {
      const c = { ...cfg, model: model("tanh", noise, 1.3, 0.05) };
      const a = await simulateDynamics(c, 1.5, [0.1, 0.7]);
      const b = await simulateDynamics(c, 1.5, [0.1, 0.7]);
      expect(b).toEqual(a);
    }
    const o = { ...cfg, weights: "orthogonal" as const, width: 64 };
    expect(await simulateVarianceMap(o, [0.5, 2])).toEqual(await simulateVarianceMap(o, [0.5, 2]));
  });

  it("different seeds → different results", async () => {
    const a = await simulateDynamics(cfg, 1, [0.5]);
    const b = await simulateDynamics({ ...cfg, seed: 8 }, 1, [0.5]);
    expect(b.variance.mean[5]).not.toEqual(a.variance.mean[5]);
  });

  it("network k is the same network whatever the number of networks (streams keyed by seed, network, layer)", async () => {
    const one = await simulateDynamics({ ...cfg, networks: 1 }, 1, [0.5]);
    const three = await simulateDynamics({ ...cfg, networks: 3 }, 1, [0.5]);
    expect(three.samples.variance[0]).toEqual(one.samples.variance[0]);
    expect(three.samples.correlation[0][0]).toEqual(one.samples.correlation[0][0]);
    expect(three.samples.variance[1]).not.toEqual(one.samples.variance[0]);
    expect(one.variance.std.every((s) => s === 0)).toBe(true);
  });
});
