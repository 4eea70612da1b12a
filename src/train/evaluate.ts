/**
 * Clean evaluation of a training run (noise off): the loss and, for classification, the accuracy of the
 * network on a set of examples, in chunks of `EVAL_BATCH`; the targets of a task; the best-constant
 * baseline of the trainability criterion (train.ts).
 *
 * Batch normalisation evaluates with population statistics ("precise BN"): the per-feature mean and
 * variance over the training examples of the train-loss evaluation (train.ts `evalTrainIdx`, up to
 * evalLimit), recomputed with the current parameters at every evaluation point (`evaluationPoint`) and
 * used for the train, validation and test losses and accuracies alike, so the three are comparable and
 * none depends on how its examples are chunked; no running averages are kept (nothing extra to
 * checkpoint).
 */
import { numpy as np, type Array } from "@jax-js/jax";
import { toFloat } from "../data/index.js";
import type { Dataset, Split } from "../data/dataset.js";
import { taskLoss, type Params, type Task } from "./mlp.js";
import { disposeBnStats, type BnStats, type FastStep } from "./step.js";

/** Examples per evaluation chunk. */
export const EVAL_BATCH = 500;

/** Best-constant-predictor validation loss (float64, host). */
export function baselineLoss(task: Task, ds: Dataset, train: Uint32Array, val: Uint32Array): number {
  const d = ds.dim;
  if (task === "reconstruction") {
    const mean = new Float64Array(d);
    for (const i of train) for (let j = 0; j < d; j++) mean[j] += ds.train.images[i * d + j] / 255;
    for (let j = 0; j < d; j++) mean[j] /= train.length;
    let s = 0;
    for (const i of val) for (let j = 0; j < d; j++) s += (ds.train.images[i * d + j] / 255 - mean[j]) ** 2;
    return s / (val.length * d);
  }
  const freq = new Float64Array(ds.classes);
  for (const i of train) freq[ds.train.labels[i]] += 1;
  let s = 0;
  for (const i of val) s -= Math.log(Math.max(freq[ds.train.labels[i]], 0.5) / train.length);
  return s / val.length;
}

function oneHot(labels: Uint8Array, idx: ArrayLike<number>, classes: number): Float32Array {
  const out = new Float32Array(idx.length * classes);
  for (let r = 0; r < idx.length; r++) out[r * classes + labels[idx[r]]] = 1;
  return out;
}

/** The targets of examples `idx` of a split: the clean inputs `x` (reconstruction) or one-hot labels. */
export function taskTarget(
  task: Task,
  ds: Dataset,
  idx: ArrayLike<number>,
  x: Float32Array,
  part: Split = ds.train,
): Array {
  return task === "reconstruction"
    ? np.array(x, { shape: [idx.length, ds.dim] })
    : np.array(oneHot(part.labels, idx, ds.classes), { shape: [idx.length, ds.classes] });
}

/** Mean clean loss and (classification) accuracy on one set of examples. */
export interface EvalResult {
  loss: number;
  acc: number | null;
}

/**
 * Population batch-norm statistics ("precise BN", module doc) of `params` over the training examples
 * `idx` (in EVAL_BATCH chunks); all null without batch normalisation. Dispose with `disposeBnStats`.
 */
export async function bnPopulationStats(
  ds: Dataset,
  fast: FastStep,
  params: Params,
  idx: Uint32Array,
): Promise<BnStats> {
  const xs: Array[] = [];
  for (let off = 0; off < idx.length; off += EVAL_BATCH) {
    const part = idx.subarray(off, Math.min(idx.length, off + EVAL_BATCH));
    xs.push(np.array(toFloat(ds.train.images, ds.dim, part), { shape: [part.length, ds.dim] }));
  }
  return fast.bnStatistics(params, xs);
}

/** The examples of one clean evaluation: examples `idx` of `split` (default the training part) of `ds`. */
export interface EvalExamples {
  ds: Dataset;
  task: Task;
  idx: Uint32Array;
  split?: Split;
  /** population batch-norm statistics (`bnPopulationStats`); none without batch normalisation */
  stats?: BnStats;
}

/**
 * Mean clean loss and (classification) accuracy of `params` on examples `idx` of `split`, in EVAL_BATCH
 * chunks (each chunk's mean loss weighted by its size, summed in float64), batch norm with `stats`.
 * An empty set gives NaN and null. Does not consume `params` or `stats`.
 */
export async function evaluateExamples(
  fast: FastStep,
  params: Params,
  { ds, task, idx, split = ds.train, stats }: EvalExamples,
): Promise<EvalResult> {
  if (idx.length === 0) return { loss: NaN, acc: null };
  let sum = 0;
  let correct = 0;
  for (let off = 0; off < idx.length; off += EVAL_BATCH) {
    const part = idx.subarray(off, Math.min(idx.length, off + EVAL_BATCH));
    const xs = toFloat(split.images, ds.dim, part);
    const out = await fast.evaluate(params, np.array(xs, { shape: [part.length, ds.dim] }), stats);
    if (task === "classification") {
      const pred = (await np.argmax(out.ref, 1).data()) as Int32Array;
      for (let r = 0; r < part.length; r++) if (pred[r] === split.labels[part[r]]) correct++;
    }
    const l = (await taskLoss(task, out, taskTarget(task, ds, part, xs, split)).data())[0];
    sum += l * part.length;
  }
  return { loss: sum / idx.length, acc: task === "classification" ? correct / idx.length : null };
}

/**
 * Evaluate the current parameters on the train-loss subset, the validation split and the test examples
 * (one evaluation point of train.ts' history), with the batch-norm statistics of the first when the
 * network has batch normalisation (module doc). An empty set gives NaN and null.
 */
export async function evaluationPoint(
  fast: FastStep,
  params: Params,
  opts: {
    ds: Dataset;
    task: Task;
    /** training examples (train-loss subset, also the batch-norm statistics'), validation, test split */
    sets: { train: Uint32Array; val: Uint32Array; test: Uint32Array };
    batchnorm: boolean;
  },
): Promise<{ train: EvalResult; val: EvalResult; test: EvalResult }> {
  const { ds, task, sets } = opts;
  const stats = opts.batchnorm ? await bnPopulationStats(ds, fast, params, sets.train) : undefined;
  try {
    return {
      train: await evaluateExamples(fast, params, { ds, task, idx: sets.train, stats }),
      val: await evaluateExamples(fast, params, { ds, task, idx: sets.val, stats }),
      test: await evaluateExamples(fast, params, { ds, task, idx: sets.test, split: ds.test, stats }),
    };
  } finally {
    if (stats) disposeBnStats(stats);
  }
}
