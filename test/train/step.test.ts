/**
 * The per-layer training step (src/train/step.ts) against two independent computations of the same
 * update: (1) the reference step (one jit of the whole network, gradient by jax-js autodiff of the
 * op-by-op forward in mlp.ts) fed the same noise, and (2) central finite differences of a float64
 * plain-JS loss with the same weights and noise. Also: same seed → same numbers, the clean evaluation,
 * and Adam through the fused per-layer update.
 */
import { numpy as np } from "@jax-js/jax";
import { beforeAll, describe, expect, it } from "vitest";
import { initJax } from "../../src/sim/jax.js";
import { parseActivation } from "../../src/theory/activations.js";
import { parseNoise } from "../../src/theory/noise.js";
import {
  forward,
  initParams,
  layerSizes,
  sampleParamsHost,
  type MlpSpec,
  type Params,
  type Task,
} from "../../src/train/mlp.js";
import { initOptState, stepSize, type OptimizerName } from "../../src/train/optim.js";
import { makeFastStep, sampleStepNoise } from "../../src/train/step.js";
import { Stream } from "../../src/engine/rng.js";
import { disposeTree, makeTrainStep } from "../../src/train/train.js";

beforeAll(async () => {
  await initJax();
});

const B = 4;
const X = Array.from({ length: B * 5 }, (_, i) => Math.sin(1.3 * i + 0.2));
const ONEHOT = Array.from({ length: B * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));
const RECON = Array.from({ length: B * 3 }, (_, i) => 0.3 * Math.cos(i));

function spec(act: string, noise: string, depth = 2): MlpSpec {
  return {
    inputDim: 5,
    width: 6,
    depth,
    outputDim: 3,
    activation: parseActivation(act),
    noise: parseNoise(noise),
  };
}

const noiseFor = (s: MlpSpec, step: number) =>
  layerSizes(s)
    .slice(0, -1)
    .map((n, l) => sampleStepNoise(s, 9, step, l + 1, B, n));

const read = async (p: Params) =>
  Promise.all(p.map(async (l) => [...(await l.w.ref.data()), ...(await l.b.ref.data())]));

/** One fast step from the seeded initial parameters; returns the new params (host) and the loss. */
async function fastOnce(s: MlpSpec, task: Task, opt: OptimizerName, lr: number, steps = 1) {
  const fast = makeFastStep(s, task, opt);
  let params = initParams(s, 1.7, 0.2, 4);
  let state = initOptState(opt, params);
  const losses: number[] = [];
  for (let t = 1; t <= steps; t++) {
    const r = await fast.step(
      params,
      state,
      np.array(X, { shape: [B, 5] }),
      np.array(task === "classification" ? ONEHOT : RECON, { shape: [B, 3] }),
      noiseFor(s, t),
      stepSize(opt, lr, t),
    );
    params = r.params;
    state = r.state;
    losses.push((await r.loss.data())[0]);
  }
  const out = await read(params);
  disposeTree(params);
  disposeTree(state);
  fast.dispose();
  return { params: out, losses };
}

/** The same with the reference step (autodiff of the whole forward). */
async function referenceOnce(s: MlpSpec, task: Task, opt: OptimizerName, lr: number, steps = 1) {
  const step = makeTrainStep(s, task, opt);
  let params = initParams(s, 1.7, 0.2, 4);
  let state = initOptState(opt, params);
  const losses: number[] = [];
  for (let t = 1; t <= steps; t++) {
    const sizes = layerSizes(s);
    const eps = noiseFor(s, t).flatMap((e, l) => (e ? [np.array(e, { shape: [B, sizes[l]] })] : []));
    const [loss, p1, s1] = step(
      params,
      state,
      np.array(X, { shape: [B, 5] }),
      np.array(task === "classification" ? ONEHOT : RECON, { shape: [B, 3] }),
      eps,
      np.array(stepSize(opt, lr, t)),
    );
    params = p1;
    state = s1;
    losses.push((await loss.data())[0]);
  }
  const out = await read(params);
  disposeTree(params);
  disposeTree(state);
  step.dispose();
  return { params: out, losses };
}

/** float64 loss of the network on the host, with the step's noise (for finite differences). */
function hostLoss(
  s: MlpSpec,
  task: Task,
  p: ReturnType<typeof sampleParamsHost>,
  noise: (Float32Array | null)[],
): number {
  const phi = (v: number) => s.activation.phi(v);
  const additive = s.noise.type === "additive";
  let h: number[][] = Array.from({ length: B }, (_, r) => X.slice(r * 5, r * 5 + 5));
  p.forEach((layer, l) => {
    const e = noise[l];
    const inp = h.map((row, r) =>
      row.map((v, i) => {
        const a = l === 0 ? v : phi(v);
        if (!e) return a;
        const ev = e[r * row.length + i];
        return additive ? a + ev : a * ev;
      }),
    );
    h = inp.map((row) =>
      Array.from({ length: layer.fanOut }, (_, j) =>
        row.reduce((acc, v, i) => acc + v * layer.w[i * layer.fanOut + j], layer.b[j]),
      ),
    );
  });
  let loss = 0;
  for (let r = 0; r < B; r++) {
    if (task === "reconstruction") {
      for (let j = 0; j < 3; j++) loss += (h[r][j] - RECON[r * 3 + j]) ** 2 / (B * 3);
    } else {
      const m = Math.max(...h[r]);
      const lse = m + Math.log(h[r].reduce((a, v) => a + Math.exp(v - m), 0));
      for (let j = 0; j < 3; j++) loss -= (ONEHOT[r * 3 + j] * (h[r][j] - lse)) / B;
    }
  }
  return loss;
}

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
    const lr = 1;
    const fast = await fastOnce(s, task, "sgd", lr);
    const host = sampleParamsHost(s, 1.7, 0.2, 4);
    const eps = noiseFor(s, 1);
    const fd = (arr: Float32Array, i: number) => {
      const h = 1e-4;
      const old = arr[i];
      arr[i] = old + h;
      const hi = arr[i];
      const up = hostLoss(s, task, host, eps);
      arr[i] = old - h;
      const lo = arr[i];
      const dn = hostLoss(s, task, host, eps);
      arr[i] = old;
      return (up - dn) / (hi - lo); // the float32-rounded step, not 2h (they differ by ~3e-4 relative)
    };
    for (let l = 0; l < host.length; l++) {
      const { w, b } = host[l];
      for (let i = 0; i < w.length; i++) {
        // SGD with lr 1: W' = W − ∂W, so ∂W = W − W'; float32 cancellation in W − W' costs ≤ 2⁻²⁴|W|
        // ≈ 1e-7, the float32 gradient itself ~1e-7 (O(1) values, sums of ≤ 24 terms), and the float64
        // FD truncation error O(h²)·φ‴ ≈ 1e-8: 1e-5 leaves a margin of ~10×.
        // Central differences across a kink of ReLU/leaky ReLU would be wrong; no pre-activation is
        // within 1e-4 of 0 for this fixed input.
        const got = w[i] - fast.params[l][i];
        expect(Math.abs(got - fd(w, i))).toBeLessThan(1e-5);
      }
      for (let j = 0; j < b.length; j++) {
        const gotB = b[j] - fast.params[l][w.length + j];
        expect(Math.abs(gotB - fd(b, j))).toBeLessThan(1e-5);
      }
    }
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
    const e1 = sampleStepNoise(s, 9, 1, 2, B, 6) as Float32Array;
    const e2 = sampleStepNoise(s, 10, 1, 2, B, 6) as Float32Array;
    expect([...e1]).not.toEqual([...e2]);
    expect([...e1]).toEqual([...(sampleStepNoise(s, 9, 1, 2, B, 6) as Float32Array)]);
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

  it("evaluate equals the op-by-op clean forward pass", async () => {
    const s = spec("elu", "dropout:keep=0.5", 3);
    const fast = makeFastStep(s, "classification", "sgd");
    const params = initParams(s, 1.7, 0.2, 4);
    const got = (await (await fast.evaluate(params, np.array(X, { shape: [B, 5] }))).data()) as Float32Array;
    const want = (await forward(
      s,
      params.map((l) => ({ w: l.w.ref, b: l.b.ref })),
      np.array(X, { shape: [B, 5] }),
    ).data()) as Float32Array;
    // same operations in float32, possibly fused differently: ≤ a few ulps of O(1) values
    [...got].forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
    disposeTree(params);
    fast.dispose();
  });

  it("refuses a custom activation without a tensor view (it cannot be differentiated)", () => {
    const custom = { ...parseActivation("tanh"), name: "my_phi", spec: "my_phi", tensor: undefined };
    expect(() =>
      makeFastStep({ ...spec("tanh", "none"), activation: custom }, "reconstruction", "sgd"),
    ).toThrow(/my_phi/);
  });
});
