/**
 * The per-layer training step (step.ts) for batch-normalised and residual networks against the same two
 * independent computations as the plain MLP (step.test.ts, helpers in stepHarness.ts): the autodiff
 * reference step (jax-js `grad` of mlp.ts `forward`, which implements the architectures op by op) and
 * central float64 finite differences of a plain-JS loss that implements them in loops. Also the clean
 * evaluation and the batch-norm population statistics against the op-by-op forward pass.
 */
import { numpy as np } from "@jax-js/jax";
import { beforeAll, describe, expect, it } from "vitest";
import { initJax } from "../../src/sim/jax.js";
import {
  forward,
  initParams,
  layerRoles,
  layerSizes,
  type ResidualKind,
  type Task,
} from "../../src/train/mlp.js";
import { disposeBnStats, makeFastStep } from "../../src/train/step.js";
import { disposeTree } from "../../src/train/train.js";
import { B, X, fastOnce, fdCheck, referenceOnce, spec } from "./stepHarness.js";

beforeAll(async () => {
  await initJax();
});

type Arch = { batchnorm?: boolean; residual?: ResidualKind };
const CASES: [string, string, Task, Arch][] = [
  ["relu", "dropout:keep=0.7", "classification", { batchnorm: true }],
  ["tanh", "gauss_mult:std=0.4", "reconstruction", { batchnorm: true }],
  ["elu", "gauss_add:std=0.3", "classification", { batchnorm: true }],
  ["relu", "dropout:keep=0.7", "classification", { residual: "reduced" }],
  ["tanh", "gauss_add:std=0.3", "reconstruction", { residual: "reduced" }],
  ["relu", "dropout:keep=0.8", "classification", { residual: "full" }],
  ["gelu", "none", "reconstruction", { residual: "full" }],
];
const name = (a: Arch) => (a.batchnorm ? "batchnorm" : `residual ${a.residual}`);

describe("per-layer training step: batch norm and residual networks", () => {
  it("layer roles: where BN, skips and noise sit", () => {
    const full = spec("relu", "none", 3, { residual: "full" });
    // embedding, (inner, outer) × 2 blocks, read-out: 2·depth weight layers
    expect(layerSizes(full)).toEqual([5, 6, 6, 6, 6, 6, 3]);
    expect(layerRoles(full).map((r) => [r.input, r.skip, r.noisy])).toEqual([
      ["data", -1, true],
      ["identity", -1, false],
      ["phi", 0, true],
      ["identity", -1, false],
      ["phi", 2, true],
      ["phi", -1, true],
    ]);
    const red = layerRoles(spec("relu", "none", 3, { residual: "reduced" }));
    expect(red.map((r) => r.skip)).toEqual([-1, 0, 1, -1]);
    const bn = layerRoles(spec("relu", "none", 3, { batchnorm: true }));
    expect(bn.map((r) => r.bn)).toEqual([true, true, true, false]); // not the read-out
  });

  it.each(CASES)(
    "%s, %s, %s, %o: SGD update equals the autodiff reference step",
    async (act, noise, task, arch) => {
      const s = spec(act, noise, 3, arch);
      const fast = await fastOnce(s, task, "sgd", 0.5);
      const ref = await referenceOnce(s, task, "sgd", 0.5);
      expect(fast.losses[0]).toBeCloseTo(ref.losses[0], 5);
      // as for the plain MLP (step.test.ts): the two float32 computations differ in summation order and
      // fusion only; the parameters move by lr·∂θ with O(1) gradients, so |Δ| ≤ 1e-5 relative to max(1, |θ|)
      fast.params.forEach((layer, l) =>
        layer.forEach((v, i) =>
          expect(Math.abs(v - ref.params[l][i]), `${name(arch)} layer ${l + 1} entry ${i}`).toBeLessThan(
            1e-5 * Math.max(1, Math.abs(v)),
          ),
        ),
      );
    },
  );

  it.each(CASES)(
    "%s, %s, %s, %o: gradient equals float64 finite differences",
    async (act, noise, task, arch) => {
      const s = spec(act, noise, 2, arch);
      const fast = await fastOnce(s, task, "sgd", 1);
      // the plain MLP's budget (step.test.ts): float32 gradient ~1e-7, cancellation in θ − θ′ ~1e-7, FD
      // truncation ~1e-8. Batch norm divides by the batch standard deviation of each feature (here O(1),
      // B = 4): no amplification beyond a factor of a few, so 1e-5 still leaves a margin. No ReLU
      // pre-activation is within the FD step of its kink for this fixed input (a kink crossed would show
      // as an O(1) error, not a small one).
      for (const { got, want, where } of fdCheck(s, task, fast.params))
        expect(Math.abs(got - want), `${name(arch)} ${where}`).toBeLessThan(1e-5);
    },
  );

  it("Adam over three steps equals the reference step (batch norm; full residual)", async () => {
    for (const arch of [{ batchnorm: true }, { residual: "full" as const }]) {
      const s = spec("tanh", "dropout:keep=0.8", 2, arch);
      const fast = await fastOnce(s, "classification", "adam", 0.01, 3);
      const ref = await referenceOnce(s, "classification", "adam", 0.01, 3);
      fast.losses.forEach((l, i) => expect(l).toBeCloseTo(ref.losses[i], 5));
      fast.params.forEach((layer, l) =>
        layer.forEach((v, i) => expect(Math.abs(v - ref.params[l][i])).toBeLessThan(1e-5)),
      );
    }
  });

  // {}: the plain network
  it.each([{}, { batchnorm: true }, { residual: "reduced" as const }, { residual: "full" as const }])(
    "evaluate equals the op-by-op clean forward pass (%o)",
    async (arch) => {
      const s = spec("elu", "dropout:keep=0.5", 3, arch);
      const fast = makeFastStep(s, "classification", "sgd");
      const params = initParams(s, 1.7, 0.2, 4);
      const got = (await (
        await fast.evaluate(params, np.array(X, { shape: [B, 5] }))
      ).data()) as Float32Array;
      const want = (await forward(
        s,
        params.map((l) => ({ w: l.w.ref, b: l.b.ref })),
        np.array(X, { shape: [B, 5] }),
      ).data()) as Float32Array;
      // same float32 operations, possibly fused differently: a few ulps of O(1) values
      [...got].forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
      disposeTree(params);
      fast.dispose();
    },
  );

  it("batch-norm population statistics over chunks equal the statistics of the whole batch", async () => {
    const s = spec("tanh", "none", 3, { batchnorm: true });
    const fast = makeFastStep(s, "classification", "sgd");
    const params = initParams(s, 1.7, 0.2, 4);
    const x8 = [...X, ...X.map((v, i) => Math.cos(0.7 * i) + 0.5 * v)];
    // statistics of two chunks of 4 rows, used for both chunks, against training-mode BN on all 8 rows
    const stats = await fast.bnStatistics(params, [
      np.array(x8.slice(0, 20), { shape: [4, 5] }),
      np.array(x8.slice(20), { shape: [4, 5] }),
    ]);
    expect(stats.map((t) => t !== null)).toEqual([true, true, true, false]);
    const got = [
      ...((await (
        await fast.evaluate(params, np.array(x8.slice(0, 20), { shape: [4, 5] }), stats)
      ).data()) as Float32Array),
      ...((await (
        await fast.evaluate(params, np.array(x8.slice(20), { shape: [4, 5] }), stats)
      ).data()) as Float32Array),
    ];
    const want = (await forward(
      s,
      params.map((l) => ({ w: l.w.ref, b: l.b.ref })),
      np.array(x8, { shape: [8, 5] }),
    ).data()) as Float32Array;
    // float32 means and variances of 8 values and the same products: a few ulps of O(1) outputs
    got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
    // and they are not the per-chunk statistics (the check could not fail otherwise)
    const own = (await (
      await fast.evaluate(params, np.array(x8.slice(0, 20), { shape: [4, 5] }))
    ).data()) as Float32Array;
    expect(Math.max(...[...own].map((v, i) => Math.abs(v - want[i])))).toBeGreaterThan(1e-3);
    disposeBnStats(stats);
    disposeTree(params);
    fast.dispose();
  });
});
