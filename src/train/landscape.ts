/**
 * Loss landscapes of trained networks (Li, Xu, Taylor, Studer, Goldstein, "Visualizing the loss
 * landscape of neural nets", NeurIPS 2018), for the noisy MLPs that `sigprop train` checkpoints.
 *
 * - **The line from the initialisation** (Goodfellow, Vinyals, Saxe 2015; Li et al. §3):
 *   θ(t) = (1 − t)·θ₀ + t·θ₁ for t in a range such as [−0.25, 1.25], every parameter (weights and
 *   biases) interpolated. θ₁ are the checkpoint's weights; θ₀ are **re-derived**, not stored: the
 *   initialisation is a deterministic function of (seed, σ_w², σ_b², weight law, layer sizes) —
 *   `initParams` / `sampleParamsHost` (mlp.ts) draw each layer from its own seeded stream — and all of
 *   these are recorded in the checkpoint's config, so format 2 needs no change (tests check that the
 *   re-derived θ₀ gives the run's recorded epoch-0 loss). The same holds for every architecture that
 *   `train` builds: the looks-linear init (`init: "looks-linear"`, engine/looksLinear.ts through
 *   `sampleParamsHost`'s `looksLinear`), the full residual variant's second matrices V and biases a
 *   (σ_v², σ_a² from the config; 2·depth weight layers in `layerRoles` order), the reduced variant and
 *   batch normalisation (plain i.i.d. draws for their layers).
 * - The checkpoint is normally a finished run's (`train --checkpoint` saves the last epoch too), so θ₁
 *   are the final weights; an interrupted run's checkpoint gives the weights of its last saved epoch.
 * - **2-D slices with filter normalisation** (Li et al. §4, eq. for d_{i,j}): f(α, β) = L(θ₁ + α·δ + β·η)
 *   with δ, η random Gaussian directions, each rescaled filter by filter so that
 *   ‖d_{i,j}‖ = ‖θ_{i,j}‖, where d_{i,j} is the j-th filter of layer i. For a dense layer a filter is
 *   one output neuron: the weights feeding output unit j, i.e. **column j** of W (stored fan_in ×
 *   fan_out here, h = x W + b), the row of the usual fan_out × fan_in layout. Li et al. leave biases and
 *   batch-norm parameters unperturbed ("we set the direction … to zero" for them), so the directions'
 *   bias entries are 0. Two random directions in ≥ 10⁴ dimensions are nearly orthogonal; like Li et al.
 *   we do not orthogonalise them. Every weight layer is normalised on its own: with a full residual
 *   block that is W and V separately; with batch normalisation W of a BN layer, whose output is
 *   invariant to rescaling a column (the scale invariance that motivates filter normalisation) — there
 *   is no learned BN scale γ here, only the bias b added after the normalisation, which is a bias and
 *   stays unperturbed. A looks-linear θ₁ is perturbed by unstructured directions (δ does not keep the
 *   [W0; −W0] pattern), as any trained network is.
 *
 * Losses are clean (noise off, as the training code evaluates), on a fixed seeded subset: the first
 * `examples` of the run's own seeded training split (data/index.ts `trainValSplit` with the run's seed),
 * evaluated by the training code's own evaluator (evaluate.ts `evaluateExamples`: the same batches of
 * 500, the same per-layer blocks of step.ts) — so with `examples` equal to the run's eval limit (or both
 * at least its training examples), f at the origin is the recorded train loss of the checkpoint's epoch
 * and the line at t = 0 the recorded epoch-0 loss.
 *
 * **Batch normalisation** evaluates as training does (evaluate.ts, "precise BN"): with population
 * statistics over the run's train-loss subset (the first min(training examples, eval limit) of its
 * split, *not* the `examples` evaluated), recomputed **at every landscape point with that point's
 * weights** (`bnPopulationStats`). So every point is the network training would evaluate with those
 * weights, and the origin and t = 0 reproduce the recorded losses. The price: one more forward pass
 * over that subset per point. (Statistics frozen at θ₁ would make the BN layers affine away from θ₁,
 * a different network from the one trained.)
 * Weights at a grid point are formed on the host in float64 and rounded once to float32.
 *
 * Directions come from the project's seeded stream (engine/rng.ts), one per (seed, direction, layer):
 * the same seed gives the same landscape. Long evaluations report progress and, given a `partialFile`,
 * save the values done so far atomically and resume from them after a kill.
 */
import { numpy as np } from "@jax-js/jax";
import { readFileSync, rmSync } from "node:fs";
import { loadDataset, trainValSplit } from "../data/index.js";
import type { Dataset } from "../data/dataset.js";
import { Stream } from "../engine/rng.js";
import type { WeightLaw } from "../engine/weights.js";
import { writeFileAtomic } from "../io/atomic.js";
import { initJax } from "../sim/jax.js";
import { parseActivation } from "../theory/activations.js";
import { InputError } from "../theory/errors.js";
import { parseNoise } from "../theory/noise.js";
import { architectureProblem } from "./arch.js";
import { CheckpointError, decodeCheckpoint } from "./checkpoint.js";
import { bnPopulationStats, evaluateExamples } from "./evaluate.js";
import { layerSizes, sampleParamsHost, type MlpSpec, type ResidualKind, type Task } from "./mlp.js";
import { disposeBnStats, makeFastStep, type FastStep } from "./step.js";
import type { EpochRecord } from "./train.js";

/** Stream id of the landscape directions: (seed, DIRECTION_STREAM, direction index, layer). */
const DIRECTION_STREAM = 0x6c73;
/** The config fields of a `train` run (train.ts `TrainConfig`, checkpoint.ts `checkpointConfig`). */
const KNOWN_CONFIG_KEYS = new Set([
  "init",
  "batchnorm",
  "residual",
  "sigmaV2",
  "sigmaA2",
  "task",
  "width",
  "depth",
  "activation",
  "noise",
  "sigmaW2",
  "sigmaB2",
  "weights",
  "optimizer",
  "lr",
  "batch",
  "epochs",
  "valFraction",
  "limit",
  "evalLimit",
  "testLimit",
  "seed",
  "threshold",
  "initKind",
  "data",
]);

/** One dense layer's parameters on the host: W (fan_in × fan_out, row-major) and b (fan_out). */
export interface HostLayer {
  w: Float32Array;
  b: Float32Array;
  fanIn: number;
  fanOut: number;
}
export type HostParams = HostLayer[];

/** A direction in parameter space, layer by layer, in float64 (same shapes as HostParams). */
export interface Direction {
  w: Float64Array;
  b: Float64Array;
  fanIn: number;
  fanOut: number;
}

/** What a landscape needs of a trained run: its network, data, weights and the settings that re-derive its init. */
export interface LandscapeModel {
  spec: MlpSpec;
  task: Task;
  dataset: Dataset;
  /** the run's seed (weights, split, order, noise) */
  seed: number;
  valFraction: number;
  limit?: number;
  /** the run's eval limit for its recorded train loss (default 10,000) */
  evalLimit: number;
  /** the run's training examples (its seeded split's training part; set by `loadLandscapeModel`) */
  trainExamples?: number;
  sigmaW2: number;
  sigmaB2: number;
  weights: WeightLaw;
  /** the looks-linear init (train.ts `TrainConfig.init`; default false) */
  looksLinear?: boolean;
  /** `residual: "full"`: σ_v², σ_a² of the blocks' V and a (as the run's config, defaults 1 and 0) */
  sigmaV2?: number;
  sigmaA2?: number;
  /** the trained weights θ₁ */
  trained: HostParams;
  /** the checkpoint's epoch and the run's epochs (equal for a finished run's checkpoint) */
  epoch: number;
  epochs: number;
  history: EpochRecord[];
  /** SHA-256 of the checkpoint (its stored checksum), hex */
  sha256: string;
  /** the run's config as stored in the checkpoint */
  config: Record<string, unknown>;
}

/** Options of `loadLandscapeModel`. */
export interface LoadModelOptions {
  /** the data set (a `--dataset` text); default: the one the checkpoint records */
  dataset?: string;
  /** the flag or argument error messages name (default "CHECKPOINT") */
  flag?: string;
}

function need<T>(ok: boolean, v: T, flag: string, file: string, what: string): T {
  if (!ok) throw new CheckpointError(flag, file, "format", `not a checkpoint of a \`train\` run (${what})`);
  return v;
}

/**
 * Read a `sigprop train` checkpoint (format 2, checksum verified) with its data set, as a landscape
 * model. The data set is the one the checkpoint records (embedded MNIST, or the recorded IDX / CIFAR-10
 * folder) unless `dataset` names another with the same size and dimension. Throws CheckpointError /
 * InputError (exit 2) for a missing, corrupt or foreign file.
 */
export function loadLandscapeModel(file: string, opts: LoadModelOptions = {}): LandscapeModel {
  const flag = opts.flag ?? "CHECKPOINT";
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CheckpointError(
      flag,
      file,
      "unreadable",
      code === "ENOENT" ? "no such file" : `cannot read it (${code ?? String(e)})`,
    );
  }
  const { header, tensors } = decodeCheckpoint(raw, file, flag);
  const c = header.config;
  // Only what a `train` config holds is understood; anything else that is set would change the network
  // or its init in a way this sigprop does not know, so it is refused rather than evaluated wrongly.
  const other = Object.keys(c).filter(
    (k) => !KNOWN_CONFIG_KEYS.has(k) && c[k] !== undefined && c[k] !== null && c[k] !== false,
  );
  if (other.length)
    throw new CheckpointError(
      flag,
      file,
      "format",
      `its run sets ${other.map((k) => `${k} = ${JSON.stringify(c[k])}`).join(", ")}, which this sigprop does not know`,
    );
  need(c.init === undefined || c.init === "looks-linear", 0, flag, file, "config.init");
  need(c.batchnorm === undefined || typeof c.batchnorm === "boolean", 0, flag, file, "config.batchnorm");
  need(
    c.residual === undefined || c.residual === "none" || c.residual === "reduced" || c.residual === "full",
    0,
    flag,
    file,
    "config.residual",
  );
  for (const k of ["sigmaV2", "sigmaA2"])
    need(
      c[k] === undefined || (typeof c[k] === "number" && Number.isFinite(c[k])),
      0,
      flag,
      file,
      `config.${k}`,
    );
  // a looks-linear run records its init twice (init and initKind): they must agree
  need(
    (c.init === "looks-linear") === (c.initKind === "looks-linear") || c.initKind === undefined,
    0,
    flag,
    file,
    "config.init and config.initKind disagree",
  );
  const str = (k: string) => need(typeof c[k] === "string", String(c[k]), flag, file, `config.${k}`);
  const numb = (k: string) =>
    need(typeof c[k] === "number" && Number.isFinite(c[k]), c[k] as number, flag, file, `config.${k}`);
  const task = str("task");
  need(task === "reconstruction" || task === "classification", 0, flag, file, "config.task");
  const data = c.data as unknown[];
  need(
    Array.isArray(data) && data.length === 4 && typeof data[0] === "string" && typeof data[1] === "string",
    0,
    flag,
    file,
    "config.data",
  );
  let sigmaW2: number;
  if (typeof c.sigmaW2 === "number") sigmaW2 = c.sigmaW2;
  else
    throw new CheckpointError(
      flag,
      file,
      "format",
      "its σ_w² is a per-layer rule, which cannot be re-derived from the checkpoint",
    );
  const width = numb("width");
  const depth = numb("depth");
  let dataset: Dataset;
  if (opts.dataset !== undefined) dataset = loadDataset(opts.dataset);
  else {
    const [name, source] = data as [string, string];
    const text = name === "mnist" ? "mnist" : name === "cifar10" ? `cifar10:${source}` : `idx:${source}`;
    try {
      dataset = loadDataset(text);
    } catch (e) {
      if (e instanceof InputError)
        throw new InputError(
          "dataset",
          text,
          "the checkpoint's data set, or pass --dataset",
          `the recorded data set cannot be loaded: ${e.message}`,
        );
      throw e;
    }
  }
  if (dataset.train.n !== data[2] || dataset.dim !== data[3])
    throw new InputError(
      "dataset",
      opts.dataset ?? String(data[1]),
      `a data set of ${String(data[2])} training examples of dimension ${String(data[3])} (the checkpoint's)`,
      `it has ${dataset.train.n} of dimension ${dataset.dim}`,
    );
  const spec: MlpSpec = {
    inputDim: dataset.dim,
    width,
    depth,
    outputDim: task === "reconstruction" ? dataset.dim : dataset.classes,
    activation: parseActivation(str("activation")),
    noise: parseNoise(str("noise")),
    batchnorm: c.batchnorm === true ? true : undefined,
    residual: c.residual === undefined ? undefined : (c.residual as ResidualKind),
  };
  const weights: WeightLaw = c.weights === "orthogonal" ? "orthogonal" : "gaussian";
  const sigmaV2 = typeof c.sigmaV2 === "number" ? c.sigmaV2 : undefined;
  const sigmaA2 = typeof c.sigmaA2 === "number" ? c.sigmaA2 : undefined;
  const looksLinear = c.init === "looks-linear";
  // the training code's own check of the combination (a checkpoint it could not have written)
  const problem = architectureProblem(spec, {
    init: looksLinear ? "looks-linear" : undefined,
    weights,
    sigmaV2,
    sigmaA2,
  });
  if (problem !== null)
    throw new CheckpointError(flag, file, "format", `its architecture cannot be built: ${problem.message}`);
  const sizes = layerSizes(spec);
  const L = sizes.length - 1;
  const shapesOk =
    header.tensors.length >= 2 * L &&
    sizes.slice(1).every((fanOut, l) => {
      const [w, b] = [header.tensors[2 * l], header.tensors[2 * l + 1]];
      return w[0] === sizes[l] && w[1] === fanOut && b[0] === 1 && b[1] === fanOut;
    });
  if (!shapesOk)
    throw new CheckpointError(flag, file, "mismatch", "its tensor shapes do not fit the network it records");
  const trained: HostParams = sizes.slice(1).map((fanOut, l) => ({
    w: tensors[2 * l].slice(),
    b: tensors[2 * l + 1].slice(),
    fanIn: sizes[l],
    fanOut,
  }));
  for (const [l, p] of trained.entries())
    if (!p.w.every(Number.isFinite) || !p.b.every(Number.isFinite))
      throw new CheckpointError(flag, file, "corrupt", `layer ${l + 1} holds NaN or ±Inf`);
  const seed = numb("seed");
  const valFraction = numb("valFraction");
  const limit = typeof c.limit === "number" ? c.limit : undefined;
  return {
    spec,
    task: task as Task,
    dataset,
    seed,
    valFraction,
    limit,
    evalLimit: typeof c.evalLimit === "number" ? c.evalLimit : 10000,
    trainExamples: trainValSplit(dataset.train.n, { valFraction, seed, limit }).train.length,
    sigmaW2,
    sigmaB2: numb("sigmaB2"),
    weights,
    looksLinear,
    sigmaV2,
    sigmaA2,
    trained,
    epoch: header.epoch,
    epochs: numb("epochs"),
    history: header.history,
    sha256: raw.subarray(raw.length - 32).toString("hex"),
    config: c,
  };
}

/**
 * The run's initial weights θ₀, re-derived from its seed and config with the training code's own
 * sampler (mlp.ts `sampleParamsHost`, the numbers `initParams` uploads at step 0, with the same init
 * options as train.ts: weight law, looks-linear, σ_v², σ_a²).
 */
export function initialParams(model: LandscapeModel): HostParams {
  return sampleParamsHost(model.spec, model.sigmaW2, model.sigmaB2, model.seed, {
    law: model.weights,
    looksLinear: model.looksLinear,
    sigmaV2: model.sigmaV2,
    sigmaA2: model.sigmaA2,
  });
}

/** ‖column j‖ for each output unit j of a fan_in × fan_out row-major matrix (float64). */
export function filterNorms(w: ArrayLike<number>, fanIn: number, fanOut: number): Float64Array {
  const s = new Float64Array(fanOut);
  for (let i = 0; i < fanIn; i++)
    for (let j = 0; j < fanOut; j++) {
      const v = w[i * fanOut + j];
      s[j] += v * v;
    }
  return s.map(Math.sqrt);
}

/**
 * A random direction with filter normalisation (Li et al. 2018, §4): d ~ N(0, I) of θ's shape, then per
 * filter d_{i,j} ← d_{i,j} / ‖d_{i,j}‖ · ‖θ_{i,j}‖, a filter of a dense layer being one output unit
 * (column j of W); bias entries are 0 (Li et al. leave biases and batch-norm parameters unperturbed).
 * Seeded: stream (seed, DIRECTION_STREAM, index, layer).
 */
export function filterNormalizedDirection(params: HostParams, seed: number, index: number): Direction[] {
  return params.map((p, l) => {
    const d = new Stream(seed, DIRECTION_STREAM, index, l + 1).fillNormal(
      new Float64Array(p.fanIn * p.fanOut),
    ) as Float64Array;
    const dn = filterNorms(d, p.fanIn, p.fanOut);
    const tn = filterNorms(p.w, p.fanIn, p.fanOut);
    const scale = tn.map((t, j) => (dn[j] > 0 ? t / dn[j] : 0));
    for (let i = 0; i < p.fanIn; i++) for (let j = 0; j < p.fanOut; j++) d[i * p.fanOut + j] *= scale[j];
    return { w: d, b: new Float64Array(p.fanOut), fanIn: p.fanIn, fanOut: p.fanOut };
  });
}

/** Loss (and, for classification, accuracy) of one parameter point; null when non-finite. */
export interface LossPoint {
  loss: number | null;
  accuracy: number | null;
}

/** Options shared by the line and the plane. */
export interface LandscapeOptions {
  /** examples of the fixed subset (the first n of the run's seeded training split; default 1000) */
  examples?: number;
  /** called after every evaluation with (done, total) */
  onProgress?: (done: number, total: number) => void;
  /** save the values done so far here (atomically) and resume from it; removed when done */
  partialFile?: string;
  /** save the partial file at most this often (default 2000 ms; 0: after every point) */
  saveEveryMs?: number;
}

/** The loss along θ(t) = (1 − t)θ₀ + tθ₁. */
export interface LossLine {
  t: number[];
  loss: (number | null)[];
  /** classification only (null for reconstruction) */
  accuracy: (number | null)[] | null;
  examples: number;
}

/** The loss on the plane θ₁ + αδ + βη; `loss[i][j]` is at (alpha[i], beta[j]). */
export interface LossPlane {
  alpha: number[];
  beta: number[];
  loss: (number | null)[][];
  accuracy: (number | null)[][] | null;
  /** seed of the two directions */
  seed: number;
  examples: number;
}

/**
 * n points from a to b, computed as ((n−1−k)a + kb)/(n−1) so that representable grid values (0 and 1
 * on [−0.25, 1.25] with 31 points, 0 on a symmetric grid of odd size) come out exactly.
 */
export function gridPoints(a: number, b: number, n: number): number[] {
  if (n === 1) return [a];
  return Array.from({ length: n }, (_, k) => ((n - 1 - k) * a + k * b) / (n - 1));
}

/**
 * The fixed evaluation subset with the training code's evaluator (evaluate.ts): the loss on the first
 * `examples` of the run's training split, batch norm with population statistics over the run's
 * train-loss subset at the evaluated weights (module doc).
 */
class Evaluator {
  private readonly fast: FastStep;
  private readonly idx: Uint32Array;
  private readonly statsIdx: Uint32Array;
  readonly examples: number;

  constructor(
    private readonly model: LandscapeModel,
    examples: number,
  ) {
    const split = trainValSplit(model.dataset.train.n, {
      valFraction: model.valFraction,
      seed: model.seed,
      limit: model.limit,
    });
    this.idx = split.train.subarray(0, Math.min(split.train.length, examples));
    // train.ts `evalTrainIdx`: the examples of the recorded train loss, and of the BN statistics
    this.statsIdx = split.train.subarray(0, Math.min(split.train.length, model.evalLimit));
    this.examples = this.idx.length;
    this.fast = makeFastStep(model.spec, model.task, "sgd");
  }

  /** Clean loss and accuracy of one parameter point (host float32), as train.ts records them. */
  async evaluate(params: HostParams): Promise<LossPoint> {
    const { dataset: ds, task } = this.model;
    const dev = params.map((p) => ({
      w: np.array(p.w, { shape: [p.fanIn, p.fanOut] }),
      b: np.array(p.b, { shape: [1, p.fanOut] }),
    }));
    const stats = this.model.spec.batchnorm
      ? await bnPopulationStats(ds, this.fast, dev, this.statsIdx)
      : undefined;
    let r;
    try {
      r = await evaluateExamples(this.fast, dev, { ds, task, idx: this.idx, stats });
    } finally {
      if (stats) disposeBnStats(stats);
      for (const p of dev) {
        p.w.dispose();
        p.b.dispose();
      }
    }
    return { loss: Number.isFinite(r.loss) ? r.loss : null, accuracy: r.acc };
  }

  dispose() {
    this.fast.dispose();
  }
}

/** Σ_k c_k · a_k layer by layer in float64, rounded once to float32 (a_k host params or directions). */
function combine(terms: { c: number; p: (HostLayer | Direction)[] }[]): HostParams {
  const first = terms[0].p;
  return first.map((lay, l) => {
    const w = new Float32Array(lay.w.length);
    const b = new Float32Array(lay.b.length);
    for (let i = 0; i < w.length; i++) {
      let s = 0;
      for (const t of terms) s += t.c * t.p[l].w[i];
      w[i] = s;
    }
    for (let i = 0; i < b.length; i++) {
      let s = 0;
      for (const t of terms) s += t.c * t.p[l].b[i];
      b[i] = s;
    }
    return { w, b, fanIn: lay.fanIn, fanOut: lay.fanOut };
  });
}

interface Partial {
  key: string;
  done: LossPoint[];
}

/** Evaluate `count` points in order, resuming from and saving to `partialFile` (keyed by `key`). */
async function evaluateAll(
  count: number,
  point: (k: number) => HostParams,
  ev: Evaluator,
  key: string,
  opts: LandscapeOptions,
): Promise<LossPoint[]> {
  let done: LossPoint[] = [];
  if (opts.partialFile) {
    try {
      const p = JSON.parse(readFileSync(opts.partialFile, "utf8")) as Partial;
      if (p.key === key && Array.isArray(p.done) && p.done.length <= count) done = p.done;
    } catch {
      done = []; // none, or unreadable: start afresh (it is replaced at the first save)
    }
  }
  let saved = performance.now();
  const save = () => {
    if (opts.partialFile)
      writeFileAtomic(opts.partialFile, JSON.stringify({ key, done } satisfies Partial), {
        what: "the partial landscape",
      });
    saved = performance.now();
  };
  opts.onProgress?.(done.length, count);
  for (let k = done.length; k < count; k++) {
    done.push(await ev.evaluate(point(k)));
    if (performance.now() - saved >= (opts.saveEveryMs ?? 2000) && k + 1 < count) save();
    opts.onProgress?.(k + 1, count);
  }
  if (opts.partialFile) rmSync(opts.partialFile, { force: true });
  return done;
}

function checkCount(parameter: string, v: number, lo: number, hi: number) {
  if (!(Number.isInteger(v) && v >= lo && v <= hi))
    throw new InputError(parameter, String(v), `an integer in [${lo}, ${hi}]`);
}

/** Options of the line. */
export interface LineOptions extends LandscapeOptions {
  /** the range of t (default −0.25 to 1.25) */
  tMin?: number;
  tMax?: number;
  /** points on the line (default 31: steps of 0.05) */
  steps?: number;
}

/** The loss along the straight line from the re-derived initialisation θ₀ (t = 0) to the trained θ₁ (t = 1). */
export async function lossLine(model: LandscapeModel, opts: LineOptions = {}): Promise<LossLine> {
  const tMin = opts.tMin ?? -0.25;
  const tMax = opts.tMax ?? 1.25;
  const steps = opts.steps ?? 31;
  if (!(Number.isFinite(tMin) && Number.isFinite(tMax) && tMin < tMax))
    throw new InputError("tMin", String(tMin), `a number below tMax = ${tMax}`);
  checkCount("steps", steps, 2, 10001);
  const examples = opts.examples ?? 1000;
  checkCount("examples", examples, 1, 1e8);
  await initJax();
  const init = initialParams(model);
  const t = gridPoints(tMin, tMax, steps);
  const ev = new Evaluator(model, examples);
  try {
    const key = JSON.stringify({ kind: "line", sha256: model.sha256, t, examples: ev.examples });
    const r = await evaluateAll(
      steps,
      (k) =>
        combine([
          { c: 1 - t[k], p: init },
          { c: t[k], p: model.trained },
        ]),
      ev,
      key,
      opts,
    );
    return {
      t,
      loss: r.map((x) => x.loss),
      accuracy: model.task === "classification" ? r.map((x) => x.accuracy) : null,
      examples: ev.examples,
    };
  } finally {
    ev.dispose();
  }
}

/** Options of the plane. */
export interface PlaneOptions extends LandscapeOptions {
  /** grid points per axis (default 21) */
  grid?: number;
  /** α and β run over [−range, range] (default 1) */
  range?: number;
  /** seed of the two random directions (default 0) */
  seed?: number;
}

/** The loss on a 2-D slice θ₁ + αδ + βη through the trained weights along two filter-normalised directions. */
export async function lossPlane(model: LandscapeModel, opts: PlaneOptions = {}): Promise<LossPlane> {
  const grid = opts.grid ?? 21;
  const range = opts.range ?? 1;
  const seed = opts.seed ?? 0;
  checkCount("grid", grid, 2, 1001);
  if (!(Number.isFinite(range) && range > 0)) throw new InputError("range", String(range), "a number > 0");
  checkCount("seed", seed, 0, 2 ** 32 - 1);
  const examples = opts.examples ?? 1000;
  checkCount("examples", examples, 1, 1e8);
  await initJax();
  const delta = filterNormalizedDirection(model.trained, seed, 0);
  const eta = filterNormalizedDirection(model.trained, seed, 1);
  const axis = gridPoints(-range, range, grid);
  const ev = new Evaluator(model, examples);
  try {
    const key = JSON.stringify({ kind: "plane", sha256: model.sha256, axis, seed, examples: ev.examples });
    const r = await evaluateAll(
      grid * grid,
      (k) =>
        combine([
          { c: 1, p: model.trained },
          { c: axis[Math.floor(k / grid)], p: delta },
          { c: axis[k % grid], p: eta },
        ]),
      ev,
      key,
      opts,
    );
    const rows = <T>(f: (x: LossPoint) => T): T[][] =>
      axis.map((_, i) => axis.map((_, j) => f(r[i * grid + j])));
    return {
      alpha: axis,
      beta: axis.slice(),
      loss: rows((x) => x.loss),
      accuracy: model.task === "classification" ? rows((x) => x.accuracy) : null,
      seed,
      examples: ev.examples,
    };
  } finally {
    ev.dispose();
  }
}

/** The loss of the trained weights themselves (the origin of the plane, t = 1 of the line). */
export async function trainedLoss(
  model: LandscapeModel,
  opts: { examples?: number } = {},
): Promise<LossPoint> {
  await initJax();
  const ev = new Evaluator(model, opts.examples ?? 1000);
  try {
    return await ev.evaluate(model.trained);
  } finally {
    ev.dispose();
  }
}
