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
import { checkpointConfig, loadCheckpoint, saveCheckpoint, type CheckpointOptions } from "./checkpoint.js";
import {
  forward,
  initParams,
  layerRoles,
  layerSizes,
  taskLoss,
  type ResidualKind,
  type MlpSpec,
  type Params,
  type Task,
  type WeightVariance,
} from "./mlp.js";
import { initOptState, stepSize, update, type OptimizerName, type OptState } from "./optim.js";
import { baselineLoss, evaluationPoint, taskTarget } from "./evaluate.js";
import { makeFastStep, sampleStepNoise } from "./step.js";
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

/** Run one training; `onProgress(doneSteps, totalSteps)` is called after every step. */
export async function trainRun(
  ds: Dataset,
  cfg: TrainConfig,
  onProgress: (done: number, total: number) => void = () => {},
  checkpoint?: CheckpointOptions,
): Promise<TrainResult> {
  await initJax();
  const t0 = performance.now();
  const split = trainValSplit(ds.train.n, { valFraction: cfg.valFraction, seed: cfg.seed, limit: cfg.limit });
  const nTrain = split.train.length;
  if (nTrain < cfg.batch)
    throw new RangeError(`batch ${cfg.batch} is larger than the ${nTrain} training examples`);
  const outDim = cfg.task === "reconstruction" ? ds.dim : ds.classes;
  const spec: MlpSpec = {
    inputDim: ds.dim,
    width: cfg.width,
    depth: cfg.depth,
    outputDim: outDim,
    activation: cfg.activation,
    noise: cfg.noise,
    batchnorm: cfg.batchnorm,
    residual: cfg.residual,
  };
  const problem = architectureProblem(spec, cfg);
  if (problem !== null) throw problem;
  const sizes = layerSizes(spec);
  const roles = layerRoles(spec);
  const fast = makeFastStep(spec, cfg.task, cfg.optimizer);

  let params = initParams(spec, cfg.sigmaW2, cfg.sigmaB2, cfg.seed, {
    law: cfg.weights ?? "gaussian",
    looksLinear: cfg.init === "looks-linear",
    sigmaV2: cfg.sigmaV2,
    sigmaA2: cfg.sigmaA2,
  });
  let state = initOptState(cfg.optimizer, params);
  const evalTrainIdx = split.train.subarray(0, Math.min(nTrain, cfg.evalLimit ?? 10000));
  const testIdx = new Uint32Array(Math.min(ds.test.n, cfg.testLimit ?? ds.test.n));
  for (let i = 0; i < testIdx.length; i++) testIdx[i] = i;
  let history: EpochRecord[] = [];
  const stepsPerEpoch = Math.floor(nTrain / cfg.batch);
  const total = stepsPerEpoch * cfg.epochs;
  let t = 0;
  let startEpoch = 1;
  let secondsBefore = 0;
  let trainSeconds = 0;
  const now = () => secondsBefore + (performance.now() - t0) / 1000;
  const ckptConfig = checkpoint ? checkpointConfig(ds, cfg) : {};
  const resumed = checkpoint ? loadCheckpoint(checkpoint, ckptConfig, spec, cfg.optimizer) : null;
  if (resumed) {
    disposeTree(params);
    disposeTree(state);
    ({ params, state, history, t, secondsBefore, trainSeconds } = resumed);
    startEpoch = resumed.epoch + 1;
  }
  let diverged: { epoch: number; step: number } | undefined;
  // Mini-batch losses stay on the device and are read LOSS_READ_EVERY steps at a time (no host sync per
  // step); the first non-finite one marks the divergence step exactly.
  let unread: { t: number; loss: Array }[] = [];
  let trained = 0;
  const record = async (epoch: number, batchLoss: number | null) => {
    const {
      train: tr,
      val: va,
      test: te,
    } = await evaluationPoint(
      ds,
      cfg.task,
      fast,
      params,
      { train: evalTrainIdx, val: split.val, test: testIdx },
      cfg.batchnorm === true,
    );
    const rec: EpochRecord = {
      epoch,
      batchLoss,
      trainLoss: finite(tr.loss),
      valLoss: finite(va.loss),
      testLoss: finite(te.loss),
      seconds: now(),
      trainSeconds,
    };
    if (cfg.task === "classification")
      Object.assign(rec, { trainAcc: tr.acc, valAcc: va.acc, testAcc: te.acc });
    history.push(rec);
    return Number.isFinite(tr.loss) && Number.isFinite(va.loss);
  };
  try {
    if (!resumed && !(await record(0, null))) diverged = { epoch: 0, step: 0 };
    for (let epoch = startEpoch; epoch <= cfg.epochs && !diverged; epoch++) {
      const order = permutation(nTrain, cfg.seed, 2, epoch);
      let sum = 0;
      const readLosses = async (): Promise<boolean> => {
        const batch = unread;
        unread = [];
        let ok = true;
        for (const { t: ts, loss } of batch) {
          const l = (await loss.data())[0];
          if (!ok) continue;
          if (!Number.isFinite(l)) {
            ok = false;
            diverged = { epoch, step: ts };
            history.push({
              epoch,
              batchLoss: null,
              trainLoss: null,
              valLoss: null,
              testLoss: null,
              seconds: now(),
              trainSeconds,
            });
          } else sum += l;
        }
        return ok;
      };
      for (let s = 0; s < stepsPerEpoch; s++) {
        const ts0 = performance.now();
        t++;
        const idx = new Uint32Array(cfg.batch);
        for (let r = 0; r < cfg.batch; r++) idx[r] = split.train[order[s * cfg.batch + r]];
        const xs = toFloat(ds.train.images, ds.dim, idx);
        const x = np.array(xs, { shape: [cfg.batch, ds.dim] });
        const y = taskTarget(cfg.task, ds, idx, xs);
        const noise = sizes
          .slice(0, -1)
          .map((fanIn, l) =>
            roles[l].noisy ? sampleStepNoise(spec, cfg.seed, t, l + 1, cfg.batch, fanIn) : null,
          );
        const r = await fast.step(params, state, x, y, noise, stepSize(cfg.optimizer, cfg.lr, t));
        params = r.params;
        state = r.state;
        unread.push({ t, loss: r.loss });
        trained += cfg.batch;
        const ok = !(unread.length >= LOSS_READ_EVERY || s === stepsPerEpoch - 1) || (await readLosses());
        trainSeconds += (performance.now() - ts0) / 1000;
        onProgress(t, total);
        if (!ok) break;
      }
      if (!diverged && !(await record(epoch, sum / stepsPerEpoch))) diverged = { epoch, step: t };
      // every k-th epoch, and always the last (the finished run's final weights, checkpoint.ts)
      if (!diverged && checkpoint && (epoch === cfg.epochs || epoch % (checkpoint.everyEpochs ?? 1) === 0)) {
        await saveCheckpoint(checkpoint.file, ckptConfig, { epoch, t, history, params, state });
      }
    }
    // a 0-epoch run's finished checkpoint holds its initial weights
    if (!resumed && !diverged && checkpoint && cfg.epochs === 0)
      await saveCheckpoint(checkpoint.file, ckptConfig, { epoch: 0, t, history, params, state });
  } finally {
    for (const { loss } of unread) loss.dispose();
    disposeTree(params);
    disposeTree(state);
    fast.dispose();
  }
  if (diverged) t = diverged.step;
  const finished = resumed !== null && resumed.epoch === cfg.epochs;
  const result = summarise(ds, cfg, split, history, diverged, {
    steps: t,
    nTest: testIdx.length,
    // a finished checkpoint trained nothing now: report the finished run's own wall time and speed
    seconds: finished ? secondsBefore : (performance.now() - t0) / 1000,
    trained: finished ? t * cfg.batch : trained,
  });
  if (resumed) result.fromCheckpoint = { epoch: resumed.epoch, finished };
  return result;
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
