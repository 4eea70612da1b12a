/**
 * One training run of a noisy MLP (mlp.ts) on real data, with a stated trainability criterion.
 *
 * - Data: a seeded subset/split of the dataset's training part (data/index.ts `trainValSplit`), pixels
 *   scaled to [0, 1]; the last incomplete mini-batch of each epoch is dropped (fixed shapes for `jit`);
 *   the order is reshuffled every epoch from (seed, epoch).
 * - Tasks: reconstruction (targets = clean inputs, MSE over all entries, as in the paper) or
 *   classification (softmax cross-entropy on the 10 labels).
 * - Noise is on while training and off when evaluating; the reported train and validation losses are
 *   clean evaluations on the training subset (at most `evalLimit` examples) and the validation split.
 * - Every epoch (and epoch 0, before training) also records the clean loss and, for classification, the
 *   accuracy on the data set's **test** split (MNIST's 10,000 t10k digits, CIFAR-10's test_batch; the
 *   first `testLimit` of them when given, all by default), never used for any decision, and the wall
 *   seconds since the run started (`seconds`, evaluation included) and spent in training steps only
 *   (`trainSeconds`), both cumulative over resumes, so curves can be drawn against epoch or time.
 * - Divergence: a non-finite mini-batch loss or evaluation stops the run; it is a result
 *   (`status: "diverged"`, with the epoch and step), never an exception.
 *
 * **Trainability criterion** (the paper had none): a run is *trainable* iff it did not diverge and its
 * final validation loss is at most τ (default 0.5) times the validation loss of the best constant
 * predictor — the per-feature training mean for reconstruction, the training class frequencies for
 * classification. τ = 0.5 means "explains at least half of what a constant cannot"; `lossRatio` is stored
 * so any other τ can be applied afterwards.
 */
import { jit, numpy as np, valueAndGrad, type Array, type JsTree } from "@jax-js/jax";
import { permutation, toFloat, trainValSplit } from "../data/index.js";
import type { Dataset } from "../data/dataset.js";
import type { WeightLaw } from "../engine/weights.js";
import { initJax } from "../sim/jax.js";
import type { Activation } from "../theory/activations.js";
import type { Noise } from "../theory/noise.js";
import {
  runCheckpoint,
  type CheckpointOptions,
  type CheckpointState,
  type ResumedState,
} from "./checkpoint.js";
import {
  forward,
  initParams,
  taskLoss,
  type ResidualKind,
  type MlpSpec,
  type Params,
  type Task,
  type WeightVariance,
} from "./mlp.js";
import { initOptState, stepSize, update, type OptimizerName, type OptState } from "./optim.js";
import { baselineLoss, evaluationPoint, taskTarget } from "./evaluate.js";
import { makeFastStep, stepNoise, type FastStep } from "./step.js";
import { architectureProblem } from "./arch.js";

export type { CheckpointOptions } from "./checkpoint.js";

import { DEFAULT_TRAINABLE_THRESHOLD } from "./defaults.js";

export { DEFAULT_TRAINABLE_THRESHOLD, baselineLoss };
/** Mini-batch losses are read from the device this many steps at a time. */
const LOSS_READ_EVERY = 16;

export interface TrainConfig {
  task: Task;
  width: number;
  depth: number;
  activation: Activation;
  noise: Noise;
  /** weight variance (all layers) or per-layer rule */
  sigmaW2: WeightVariance;
  sigmaB2: number;
  /** weight law (default gaussian); orthogonal: Haar, rectangular layers as a scaled isometry (engine/weights.ts) */
  weights?: WeightLaw;
  /**
   * "looks-linear": the parameter-sharing initialisation (mlp.ts `InitOptions.looksLinear`, σ_w² is the
   * blocks' σ², σ_b² must be 0); absent: W, b drawn i.i.d. with sigmaW2, sigmaB2 (the other named inits
   * only choose those numbers, so they are not part of the config)
   */
  init?: "looks-linear";
  /** batch normalisation of the hidden layers (mlp.ts `batchStandardize`; absent = off) */
  batchnorm?: boolean;
  /** residual connections (mlp.ts `layerRoles`; absent = "none") */
  residual?: ResidualKind;
  /** `residual: "full"`: σ_v² of the blocks' second matrix V (default 1) */
  sigmaV2?: number;
  /** `residual: "full"`: σ_a² of the blocks' second bias a (default 0) */
  sigmaA2?: number;
  optimizer: OptimizerName;
  lr: number;
  batch: number;
  epochs: number;
  /** fraction of the (subset of the) training part held out for validation */
  valFraction: number;
  /** use at most this many training-part examples (seeded subset); all when omitted */
  limit?: number;
  /** evaluate the training loss on at most this many training examples (default 10,000) */
  evalLimit?: number;
  /** evaluate on the first this-many examples of the test split (all when omitted) */
  testLimit?: number;
  seed: number;
  /** τ of the trainability criterion */
  threshold?: number;
}

export interface EpochRecord {
  epoch: number;
  /** mean noisy mini-batch loss over the epoch */
  batchLoss: number | null;
  trainLoss: number | null;
  valLoss: number | null;
  /** clean loss on the test split (null when non-finite or the split is empty) */
  testLoss: number | null;
  /** classification only */
  trainAcc?: number | null;
  valAcc?: number | null;
  testAcc?: number | null;
  /** wall seconds since the run started, evaluation included (cumulative over resumes) */
  seconds: number;
  /** wall seconds spent in training steps only (cumulative over resumes) */
  trainSeconds: number;
}

export interface TrainResult {
  status: "ok" | "diverged";
  trainable: boolean;
  /** final clean losses (null when diverged) */
  trainLoss: number | null;
  valLoss: number | null;
  valAcc?: number | null;
  /** final clean test-split loss and accuracy (null when diverged) */
  testLoss: number | null;
  testAcc?: number | null;
  /** best constant predictor's validation loss, and valLoss / baseline */
  baselineLoss: number;
  lossRatio: number | null;
  threshold: number;
  divergedAt?: { epoch: number; step: number };
  /** the initial (epoch 0) clean losses and each epoch's */
  history: EpochRecord[];
  steps: number;
  nTrain: number;
  nVal: number;
  /** test-split examples evaluated */
  nTest: number;
  seconds: number;
  samplesPerSecond: number;
  /**
   * Present when the run started from a checkpoint: the epoch it held, and whether that was the finished
   * run (`finished`: nothing was trained now; the result is the finished run's, from its history, with
   * its wall seconds and speed).
   */
  fromCheckpoint?: { epoch: number; finished: boolean };
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Dispose every array in a params list / optimizer state. */
export function disposeTree(t: Params | OptState): void {
  if (globalThis.Array.isArray(t)) {
    for (const l of t) {
      l.w.dispose();
      l.b.dispose();
    }
  } else {
    disposeTree(t.m);
    disposeTree(t.v);
  }
}

/**
 * The reference training step: (params, state, x, y, noise, lrT) → [loss, params, state], one `jit` of
 * the whole network with the gradient from jax-js' reverse-mode autodiff of `forward`. `noise` holds ε
 * per layer (jax-js arrays, B × fan_in; an empty list when the noise is off). Consumes its arguments.
 * Training uses the faster per-layer step of step.ts; this one is its independent check (tests) and
 * the baseline of bench/train.ts. Its compile time grows with depth.
 */
export type TrainStep = ((
  p: Params,
  s: OptState,
  x: Array,
  y: Array,
  noise: Array[],
  lrT: Array,
) => [Array, Params, OptState]) & { dispose(): void };

/** Build the reference step (loss, gradient by reverse-mode autodiff, optimiser update) for a network. */
export function makeTrainStep(spec: MlpSpec, task: Task, optimizer: OptimizerName): TrainStep {
  const lossFn = (p: Params, x: Array, y: Array, noise: Array[]) =>
    taskLoss(task, forward(spec, p, x, noise.length > 0 ? noise : null), y);
  return jit(((p: Params, s: OptState, x: Array, y: Array, noise: Array[], lrT: Array) => {
    const [loss, grads] = valueAndGrad((q: Params) => lossFn(q, x, y, noise))(
      p.map((l) => ({ w: l.w.ref, b: l.b.ref })),
    );
    const [p1, s1] = update(optimizer, p, s, grads as Params, lrT);
    return [loss, p1, s1] as unknown as JsTree<Array>;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  }) as (...a: any[]) => JsTree<Array>) as unknown as TrainStep;
}

/** How `trainRun` reports progress and whether it checkpoints. */
export interface TrainRunOptions {
  /** called after every optimiser step with (steps done, total steps of the run) */
  onProgress?: (done: number, total: number) => void;
  /** save the run's state after epochs and resume from it (checkpoint.ts); none by default */
  checkpoint?: CheckpointOptions;
}

/**
 * Run one training (module comment): evaluate the initial network (epoch 0), then train epoch by epoch,
 * evaluating and checkpointing after each, until the last epoch or a divergence. A run with a
 * checkpoint of its configuration resumes after the checkpoint's epoch.
 */
export async function trainRun(
  ds: Dataset,
  cfg: TrainConfig,
  opts: TrainRunOptions = {},
): Promise<TrainResult> {
  const { onProgress = () => {}, checkpoint } = opts;
  await initJax();
  const clock = runClock();
  const setup = setUpRun(ds, cfg);
  const fast = makeFastStep(setup.spec, cfg.task, cfg.optimizer);
  const ckpt = disposingOnThrow(fast, () => runCheckpoint(checkpoint, ds, cfg, setup.spec));
  const { resumed } = ckpt;
  clock.before = resumed?.secondsBefore ?? 0;
  const run = resumed ? resumedState(resumed) : freshState(setup, cfg);
  const ctx: RunContext = { ds, cfg, setup, clock, fast };
  try {
    if (!resumed && (await recordEpoch(ctx, run, 0, null))) await ckpt.afterEpoch(run);
    for (let epoch = run.epoch + 1; epoch <= cfg.epochs && !run.diverged; epoch++) {
      const batchLoss = await trainEpoch(ctx, run, epoch, onProgress);
      if (batchLoss !== null && (await recordEpoch(ctx, run, epoch, batchLoss))) await ckpt.afterEpoch(run);
    }
  } finally {
    disposeTree(run.params);
    disposeTree(run.state);
    ctx.fast.dispose();
  }
  // a finished checkpoint trained nothing now: report the finished run's own wall time and speed
  const finished = resumed !== null && resumed.epoch === cfg.epochs;
  const result = summarise(ds, cfg, setup.split, run.history, run.diverged, {
    steps: run.diverged ? run.diverged.step : run.t,
    nTest: setup.idx.test.length,
    seconds: finished ? clock.before : clock.elapsed(),
    trained: finished ? run.t * cfg.batch : run.trained,
  });
  if (resumed) result.fromCheckpoint = { epoch: resumed.epoch, finished };
  return result;
}

/** `f()`, disposing `owner` when it throws (nothing else holds it then). */
function disposingOnThrow<T>(owner: { dispose(): void }, f: () => T): T {
  try {
    return f();
  } catch (e) {
    owner.dispose();
    throw e;
  }
}

/** What a run computes once: its network, data split and evaluation sets, and its step counts. */
interface RunSetup {
  spec: MlpSpec;
  split: { train: Uint32Array; val: Uint32Array };
  /** the examples of the clean evaluations: training (at most evalLimit), validation and test */
  idx: { train: Uint32Array; val: Uint32Array; test: Uint32Array };
  stepsPerEpoch: number;
  /** optimiser steps of the whole run */
  total: number;
}

/** Split the data and build the network's spec; throws on a batch larger than the data or a bad architecture. */
function setUpRun(ds: Dataset, cfg: TrainConfig): RunSetup {
  const split = trainValSplit(ds.train.n, { valFraction: cfg.valFraction, seed: cfg.seed, limit: cfg.limit });
  const nTrain = split.train.length;
  if (nTrain < cfg.batch)
    throw new RangeError(`batch ${cfg.batch} is larger than the ${nTrain} training examples`);
  const spec: MlpSpec = {
    inputDim: ds.dim,
    width: cfg.width,
    depth: cfg.depth,
    outputDim: cfg.task === "reconstruction" ? ds.dim : ds.classes,
    activation: cfg.activation,
    noise: cfg.noise,
    batchnorm: cfg.batchnorm,
    residual: cfg.residual,
  };
  const problem = architectureProblem(spec, cfg);
  if (problem !== null) throw problem;
  const test = new Uint32Array(Math.min(ds.test.n, cfg.testLimit ?? ds.test.n));
  for (let i = 0; i < test.length; i++) test[i] = i;
  const stepsPerEpoch = Math.floor(nTrain / cfg.batch);
  return {
    spec,
    split,
    idx: { train: split.train.subarray(0, Math.min(nTrain, cfg.evalLimit ?? 10000)), val: split.val, test },
    stepsPerEpoch,
    total: stepsPerEpoch * cfg.epochs,
  };
}

/** Wall seconds of a run: `before` (spent by the interrupted run it resumes) plus those since it started. */
interface RunClock {
  before: number;
  /** seconds since this call started */
  elapsed(): number;
  /** before + elapsed: cumulative over resumes */
  now(): number;
}

function runClock(): RunClock {
  const t0 = performance.now();
  return {
    before: 0,
    elapsed: () => (performance.now() - t0) / 1000,
    now() {
      return this.before + this.elapsed();
    },
  };
}

/** What the steps of a run share: the data, the configuration, its setup, the compiled step, the clock. */
interface RunContext {
  ds: Dataset;
  cfg: TrainConfig;
  setup: RunSetup;
  fast: FastStep;
  clock: RunClock;
}

/** The state of a run between steps; `trainRun` owns (and disposes) its arrays. */
interface RunState extends CheckpointState {
  /** wall seconds spent in training steps (cumulative over resumes) */
  trainSeconds: number;
  /** examples trained on by this call (not by the run it resumed) */
  trained: number;
  diverged?: { epoch: number; step: number };
}

/** A fresh run: initial parameters from the seed, nothing trained. */
function freshState(setup: RunSetup, cfg: TrainConfig): RunState {
  const params = initParams(setup.spec, cfg.sigmaW2, cfg.sigmaB2, cfg.seed, {
    law: cfg.weights ?? "gaussian",
    looksLinear: cfg.init === "looks-linear",
    sigmaV2: cfg.sigmaV2,
    sigmaA2: cfg.sigmaA2,
  });
  const state = initOptState(cfg.optimizer, params);
  return { epoch: 0, t: 0, history: [], params, state, trainSeconds: 0, trained: 0 };
}

/** A run resumed from its checkpoint, after the checkpoint's epoch. */
function resumedState(r: ResumedState): RunState {
  const { epoch, t, history, params, state, trainSeconds } = r;
  return { epoch, t, history, params, state, trainSeconds, trained: 0 };
}

/**
 * Evaluate the network cleanly after `epoch` (0: before training) and append the epoch's record; a
 * non-finite training or validation loss marks the run diverged at its current step. Returns whether
 * the run is still finite.
 */
async function recordEpoch(
  ctx: RunContext,
  run: RunState,
  epoch: number,
  batchLoss: number | null,
): Promise<boolean> {
  const { ds, cfg, setup, fast, clock } = ctx;
  const { train, val, test } = await evaluationPoint(fast, run.params, {
    ds,
    task: cfg.task,
    sets: setup.idx,
    batchnorm: cfg.batchnorm === true,
  });
  const rec: EpochRecord = {
    epoch,
    batchLoss,
    trainLoss: finite(train.loss),
    valLoss: finite(val.loss),
    testLoss: finite(test.loss),
    seconds: clock.now(),
    trainSeconds: run.trainSeconds,
  };
  if (cfg.task === "classification")
    Object.assign(rec, { trainAcc: train.acc, valAcc: val.acc, testAcc: test.acc });
  run.history.push(rec);
  run.epoch = epoch;
  const ok = Number.isFinite(train.loss) && Number.isFinite(val.loss);
  if (!ok) run.diverged = { epoch, step: run.t };
  return ok;
}

/**
 * Train one epoch: the mini-batches of the epoch's seeded order, each a noisy optimiser step. Returns
 * the mean mini-batch loss, or null when a mini-batch loss was non-finite: the run is then diverged at
 * that step, with a record of nulls for the epoch, and the epoch stops there.
 */
async function trainEpoch(
  ctx: RunContext,
  run: RunState,
  epoch: number,
  onProgress: (done: number, total: number) => void,
): Promise<number | null> {
  const { cfg, setup, fast, clock } = ctx;
  const order = permutation(setup.split.train.length, cfg.seed, 2, epoch);
  const losses = new LossReader();
  try {
    for (let s = 0; s < setup.stepsPerEpoch; s++) {
      const ts0 = performance.now();
      run.t++;
      const { x, y, noise } = miniBatch(ctx, order, s, run.t);
      const r = await fast.step(run.params, run.state, x, y, noise, stepSize(cfg.optimizer, cfg.lr, run.t));
      run.params = r.params;
      run.state = r.state;
      losses.push(run.t, r.loss);
      run.trained += cfg.batch;
      const due = losses.pending >= LOSS_READ_EVERY || s === setup.stepsPerEpoch - 1;
      const badStep = due ? await losses.read() : null;
      if (badStep !== null) markDiverged(run, clock, epoch, badStep);
      run.trainSeconds += (performance.now() - ts0) / 1000;
      onProgress(run.t, setup.total);
      if (badStep !== null) return null;
    }
  } finally {
    losses.dispose();
  }
  return losses.sum / setup.stepsPerEpoch;
}

/**
 * The `s`-th mini-batch of an epoch's example order (inputs, task targets) and the noise draws ε of
 * optimiser step `t` (step.ts `stepNoise`, seeded by (seed, t, layer)).
 */
function miniBatch(
  { ds, cfg, setup }: RunContext,
  order: Uint32Array,
  s: number,
  t: number,
): { x: Array; y: Array; noise: (Float32Array | null)[] } {
  const idx = new Uint32Array(cfg.batch);
  for (let r = 0; r < cfg.batch; r++) idx[r] = setup.split.train[order[s * cfg.batch + r]];
  const xs = toFloat(ds.train.images, ds.dim, idx);
  return {
    x: np.array(xs, { shape: [cfg.batch, ds.dim] }),
    y: taskTarget(cfg.task, ds, idx, xs),
    noise: stepNoise(setup.spec, { seed: cfg.seed, step: t, batch: cfg.batch }),
  };
}

/** Mark the run diverged at `step` of `epoch`, with a record of nulls for the epoch. */
function markDiverged(run: RunState, clock: RunClock, epoch: number, step: number): void {
  run.diverged = { epoch, step };
  run.history.push({
    epoch,
    batchLoss: null,
    trainLoss: null,
    valLoss: null,
    testLoss: null,
    seconds: clock.now(),
    trainSeconds: run.trainSeconds,
  });
}

/**
 * Mini-batch losses stay on the device and are read `LOSS_READ_EVERY` steps at a time (no host sync
 * per step); the first non-finite one marks the divergence step exactly.
 */
class LossReader {
  private unread: { t: number; loss: Array }[] = [];
  /** sum of the finite losses read so far */
  sum = 0;

  get pending(): number {
    return this.unread.length;
  }

  push(t: number, loss: Array): void {
    this.unread.push({ t, loss });
  }

  /** Read the pending losses; returns the step of the first non-finite one, or null when all are finite. */
  async read(): Promise<number | null> {
    const batch = this.unread;
    this.unread = [];
    let bad: number | null = null;
    for (const { t, loss } of batch) {
      const l = (await loss.data())[0];
      if (bad !== null) continue;
      if (!Number.isFinite(l)) bad = t;
      else this.sum += l;
    }
    return bad;
  }

  dispose(): void {
    for (const { loss } of this.unread) loss.dispose();
    this.unread = [];
  }
}

/** The run's result from its history: final losses, the trainability criterion, counts and speed. */
function summarise(
  ds: Dataset,
  cfg: TrainConfig,
  split: { train: Uint32Array; val: Uint32Array },
  history: EpochRecord[],
  diverged: { epoch: number; step: number } | undefined,
  run: { steps: number; nTest: number; seconds: number; trained: number },
): TrainResult {
  const threshold = cfg.threshold ?? DEFAULT_TRAINABLE_THRESHOLD;
  const baseline = baselineLoss(cfg.task, ds, split.train, split.val);
  const last = history[history.length - 1];
  const valLoss = diverged ? null : last.valLoss;
  const ratio = valLoss === null ? null : valLoss / baseline;
  const result: TrainResult = {
    status: diverged ? "diverged" : "ok",
    trainable: !diverged && ratio !== null && ratio <= threshold,
    trainLoss: diverged ? null : last.trainLoss,
    valLoss,
    testLoss: diverged ? null : last.testLoss,
    baselineLoss: baseline,
    lossRatio: ratio,
    threshold,
    history,
    steps: run.steps,
    nTrain: split.train.length,
    nVal: split.val.length,
    nTest: run.nTest,
    seconds: run.seconds,
    samplesPerSecond: run.trained / Math.max(run.seconds, 1e-9),
  };
  if (cfg.task === "classification") {
    result.valAcc = diverged ? null : (last.valAcc ?? null);
    result.testAcc = diverged ? null : (last.testAcc ?? null);
  }
  if (diverged) result.divergedAt = diverged;
  return result;
}
