/**
 * Training on a regression task with MSE and your own data (issue 12: tasks with a known solution,
 * src/train/tasks): the same per-layer step as `sigprop train` (step.ts, `makeFastStep` with the MSE of
 * mlp.ts `mse`, i.e. the "reconstruction" loss applied to arbitrary targets), started from given host
 * parameters (a hand-coded solution plus noise, a sampled initialisation) instead of a seed, fed by a
 * batch function instead of a data set, and handing back host snapshots of the parameters at chosen steps
 * so that the caller can measure representations in float64.
 *
 * Loss: mean over all entries of (output − target)². The network is noiseless (the tasks compare
 * initialisations, not noise). Divergence (a non-finite loss or parameter, checked at the snapshot
 * steps and the last step, where the loss is read) stops the run and is a result, never an exception. Deterministic: the step is deterministic given its inputs, so the same
 * start and batches give the same numbers.
 */
import { numpy as np, type Array } from "@jax-js/jax";
import { initJax } from "../sim/jax.js";
import type { Activation } from "../theory/activations.js";
import { InputError } from "../theory/errors.js";
import { parseNoise } from "../theory/noise.js";
import type { MlpSpec, Params } from "./mlp.js";
import { initOptState, stepSize, type OptimizerName } from "./optim.js";
import { makeFastStep, type FastStep } from "./step.js";
import { hostSizes, type HostNet } from "./tasks/hostNet.js";
import { disposeTree } from "./train.js";

/** One training batch: B rows of inputs (B × d₀) and targets (B × d_out), float32 row-major. */
export interface RegressionBatch {
  x: Float32Array;
  y: Float32Array;
  rows: number;
}

export interface RegressionConfig {
  activation: Activation;
  /** the starting parameters (uploaded as float32); hidden layers must have equal widths */
  start: HostNet;
  optimizer: OptimizerName;
  lr: number;
  steps: number;
  /** the batch of step t = 1..steps */
  batch: (t: number) => RegressionBatch;
  /** steps after which to return the parameters (0 = the start); sorted, within [0, steps] */
  snapshots: number[];
}

export interface RegressionSnapshot {
  step: number;
  net: HostNet;
  /** the mini-batch loss of that step (null at step 0) */
  batchLoss: number | null;
}

export interface RegressionResult {
  status: "ok" | "diverged";
  /**
   * the first snapshot step (or the last step) at which the loss or the parameters were non-finite: losses
   * are read only there, so divergence is detected at that resolution
   */
  divergedAt?: number;
  snapshots: RegressionSnapshot[];
  seconds: number;
}

/** The MLP spec of a host network (equal hidden widths required). */
export function specOf(net: HostNet, activation: Activation): MlpSpec {
  const sizes = hostSizes(net);
  const hidden = sizes.slice(1, -1);
  if (hidden.length === 0 || hidden.some((h) => h !== hidden[0]))
    throw new InputError("start", `layer sizes ${sizes.join("×")}`, "≥ 1 hidden layer, all of one width");
  return {
    inputDim: sizes[0],
    width: hidden[0],
    depth: hidden.length,
    outputDim: sizes[sizes.length - 1],
    activation,
    noise: parseNoise("none"),
  };
}

/** Upload host parameters as jax-js float32 arrays (W fan_in × fan_out, b 1 × fan_out as in mlp.ts). */
export function uploadNet(net: HostNet): Params {
  return net.map((l) => ({
    w: np.array(Float32Array.from(l.w), { shape: [l.fanIn, l.fanOut] }),
    b: np.array(Float32Array.from(l.b), { shape: [1, l.fanOut] }),
  }));
}

/** Read parameters back to the host (params are kept). */
export async function downloadNet(params: Params): Promise<HostNet> {
  const out: HostNet = [];
  for (const p of params) {
    const [fanIn, fanOut] = p.w.shape;
    const w = Float64Array.from((await p.w.ref.data()) as Float32Array);
    const b = Float64Array.from((await p.b.ref.data()) as Float32Array);
    out.push({ w, b, fanIn, fanOut });
  }
  return out;
}

/**
 * Compiled steps are reused between runs of the same architecture, activation and optimiser within a
 * process (jax-js compiles per block and shape; the experiment runs dozens of equal networks).
 */
const STEPS = new Map<string, FastStep>();

function fastStepFor(spec: MlpSpec, optimizer: OptimizerName): FastStep {
  const key = JSON.stringify([
    spec.inputDim,
    spec.width,
    spec.depth,
    spec.outputDim,
    spec.activation.spec,
    optimizer,
  ]);
  let f = STEPS.get(key);
  if (!f) {
    f = makeFastStep(spec, "reconstruction", optimizer);
    STEPS.set(key, f);
  }
  return f;
}

/** Release the compiled steps kept for reuse. */
export function disposeRegressionSteps(): void {
  for (const f of STEPS.values()) f.dispose();
  STEPS.clear();
}

function finiteNet(net: HostNet): boolean {
  return net.every((l) => l.w.every(Number.isFinite) && l.b.every(Number.isFinite));
}

/** Train with MSE from `cfg.start`; `onProgress(step, steps)` after every step. */
export async function trainRegression(
  cfg: RegressionConfig,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<RegressionResult> {
  await initJax();
  const t0 = performance.now();
  const spec = specOf(cfg.start, cfg.activation);
  if (!(Number.isInteger(cfg.steps) && cfg.steps >= 0))
    throw new InputError("steps", String(cfg.steps), "an integer ≥ 0");
  const want = new Set(cfg.snapshots.filter((s) => s >= 0 && s <= cfg.steps));
  const fast = fastStepFor(spec, cfg.optimizer);
  let params = uploadNet(cfg.start);
  let state = initOptState(cfg.optimizer, params);
  const snapshots: RegressionSnapshot[] = [];
  let divergedAt: number | undefined;
  try {
    if (want.has(0)) snapshots.push({ step: 0, net: await downloadNet(params), batchLoss: null });
    for (let t = 1; t <= cfg.steps; t++) {
      const b = cfg.batch(t);
      const x: Array = np.array(b.x, { shape: [b.rows, spec.inputDim] });
      const y: Array = np.array(b.y, { shape: [b.rows, spec.outputDim] });
      const noise = globalThis.Array.from({ length: spec.depth + 1 }, () => null);
      const r = await fast.step(params, state, x, y, noise, stepSize(cfg.optimizer, cfg.lr, t));
      params = r.params;
      state = r.state;
      if (want.has(t) || t === cfg.steps) {
        const loss = (await r.loss.data())[0];
        const net = await downloadNet(params);
        if (!Number.isFinite(loss) || !finiteNet(net)) {
          divergedAt = t;
          break;
        }
        if (want.has(t)) snapshots.push({ step: t, net, batchLoss: loss });
      } else r.loss.dispose();
      onProgress(t, cfg.steps);
    }
  } finally {
    disposeTree(params);
    disposeTree(state);
  }
  const seconds = (performance.now() - t0) / 1000;
  return divergedAt === undefined
    ? { status: "ok", snapshots, seconds }
    : { status: "diverged", divergedAt, snapshots, seconds };
}
