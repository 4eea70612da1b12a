/**
 * Shared pieces of the training-step tests (step.test.ts: plain MLPs; archStep.test.ts: batch norm and
 * residual networks): a fixed tiny batch, one step of the per-layer step (step.ts) and of the autodiff
 * reference (train.ts `makeTrainStep`, jax-js `grad` of mlp.ts `forward`), and a float64 host loss for
 * finite differences that implements every architecture of mlp.ts `layerRoles` independently of jax-js.
 */
import { numpy as np } from "@jax-js/jax";
import { parseActivation } from "../../src/theory/activations.js";
import { parseNoise } from "../../src/theory/noise.js";
import {
  BN_EPS,
  initParams,
  layerRoles,
  layerSizes,
  sampleParamsHost,
  type MlpSpec,
  type Params,
  type ResidualKind,
  type Task,
} from "../../src/train/mlp.js";
import { initOptState, stepSize, type OptimizerName } from "../../src/train/optim.js";
import { makeFastStep, stepNoise } from "../../src/train/step.js";
import { disposeTree, makeTrainStep } from "../../src/train/train.js";

export const B = 4;
export const X = Array.from({ length: B * 5 }, (_, i) => Math.sin(1.3 * i + 0.2));
export const ONEHOT = Array.from({ length: B * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));
export const RECON = Array.from({ length: B * 3 }, (_, i) => 0.3 * Math.cos(i));

export function spec(
  act: string,
  noise: string,
  depth = 2,
  arch: { batchnorm?: boolean; residual?: ResidualKind } = {},
): MlpSpec {
  return {
    inputDim: 5,
    width: 6,
    depth,
    outputDim: 3,
    activation: parseActivation(act),
    noise: parseNoise(noise),
    ...arch,
  };
}

/** The step's noise per layer (null where the layer's role takes none), as train.ts samples it. */
export const noiseFor = (s: MlpSpec, step: number) => stepNoise(s, { seed: 9, step, batch: B });

export const read = async (p: Params) =>
  Promise.all(p.map(async (l) => [...(await l.w.ref.data()), ...(await l.b.ref.data())]));

const targets = (task: Task) => np.array(task === "classification" ? ONEHOT : RECON, { shape: [B, 3] });

/** One fast step from the seeded initial parameters; returns the new params (host) and the loss. */
export async function fastOnce(s: MlpSpec, task: Task, opt: OptimizerName, lr: number, steps = 1) {
  const fast = makeFastStep(s, task, opt);
  let params = initParams(s, 1.7, 0.2, 4);
  let state = initOptState(opt, params);
  const losses: number[] = [];
  for (let t = 1; t <= steps; t++) {
    const r = await fast.step(
      params,
      state,
      np.array(X, { shape: [B, 5] }),
      targets(task),
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
export async function referenceOnce(s: MlpSpec, task: Task, opt: OptimizerName, lr: number, steps = 1) {
  const step = makeTrainStep(s, task, opt);
  let params = initParams(s, 1.7, 0.2, 4);
  let state = initOptState(opt, params);
  const losses: number[] = [];
  for (let t = 1; t <= steps; t++) {
    const sizes = layerSizes(s);
    const host = noiseFor(s, t);
    // per layer (forward ignores the zeros placeholder of a layer without noise); none at all when off
    const eps = host.every((e) => e === null)
      ? []
      : host.map((e, l) => (e ? np.array(e, { shape: [B, sizes[l]] }) : np.zeros([B, sizes[l]])));
    const [loss, p1, s1] = step(
      params,
      state,
      np.array(X, { shape: [B, 5] }),
      targets(task),
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

/**
 * float64 loss of the network on the host, with the step's noise (for finite differences): the roles of
 * mlp.ts `layerRoles` (input φ / identity, batch normalisation with the biased batch variance and
 * ε = BN_EPS, residual skips) written out in plain loops.
 */
export function hostLoss(
  s: MlpSpec,
  task: Task,
  p: ReturnType<typeof sampleParamsHost>,
  noise: (Float32Array | null)[],
): number {
  const phi = (v: number) => s.activation.phi(v);
  const additive = s.noise.type === "additive";
  const roles = layerRoles(s);
  const outs: number[][][] = [];
  const x: number[][] = Array.from({ length: B }, (_, r) => X.slice(r * 5, r * 5 + 5));
  p.forEach((layer, l) => {
    const role = roles[l];
    const src = l === 0 ? x : outs[l - 1];
    const e = role.noisy ? noise[l] : null;
    const inp = src.map((row, r) =>
      row.map((v, i) => {
        const a = role.input === "phi" ? phi(v) : v;
        if (!e) return a;
        const ev = e[r * row.length + i];
        return additive ? a + ev : a * ev;
      }),
    );
    const z = inp.map((row) =>
      Array.from({ length: layer.fanOut }, (_, j) =>
        row.reduce((acc, v, i) => acc + v * layer.w[i * layer.fanOut + j], 0),
      ),
    );
    if (role.bn) {
      for (let j = 0; j < layer.fanOut; j++) {
        const mu = z.reduce((a, row) => a + row[j], 0) / B;
        const v = z.reduce((a, row) => a + (row[j] - mu) ** 2, 0) / B;
        for (const row of z) row[j] = (row[j] - mu) / Math.sqrt(v + BN_EPS);
      }
    }
    outs.push(
      z.map((row, r) => row.map((v, j) => v + layer.b[j] + (role.skip >= 0 ? outs[role.skip][r][j] : 0))),
    );
  });
  const h = outs[outs.length - 1];
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

/**
 * ∂loss/∂θ by central float64 differences of `hostLoss` at the seeded initial parameters, for every
 * weight and bias, next to the gradient one SGD step with lr 1 implies (θ − θ′).
 */
export function fdCheck(
  s: MlpSpec,
  task: Task,
  fastParams: number[][],
): { got: number; want: number; where: string }[] {
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
  const out: { got: number; want: number; where: string }[] = [];
  for (let l = 0; l < host.length; l++) {
    const { w, b } = host[l];
    for (let i = 0; i < w.length; i++)
      out.push({ got: w[i] - fastParams[l][i], want: fd(w, i), where: `W${l + 1}[${i}]` });
    for (let j = 0; j < b.length; j++)
      out.push({ got: b[j] - fastParams[l][w.length + j], want: fd(b, j), where: `b${l + 1}[${j}]` });
  }
  return out;
}
