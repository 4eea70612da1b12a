/**
 * Fig 6 settings per scale, and what of them differs from the paper's experiment (said on the figure).
 *
 * `paper` = the paper's settings (FIGURES.md): width 1000, depth ≤ 1000, reconstruction (MSE, targets =
 * inputs) with plain SGD lr 1e-3, batch 128, 200 epochs, 90/10 split, keep p ∈ {0.1, …, 1} × depth ∈
 * {2, 6, …, 40}. It is days of work on one machine: `sigprop reproduce fig6 --scale paper` prints the plan
 * (a sharded `sigprop sweep`) instead, and `--from-sweep DIR` renders the merged sweep.
 * `quick` (minutes on 2 cores) keeps the σ_w² grid and the theory but uses width 256 and two networks for
 * (a)/(d), and for the heat maps classification (cross-entropy; reconstruction needs many epochs to leave the
 * constant predictor) with Adam on a seeded 4,000-example subset, width 128, 5 keeps × 5 depths, 4 epochs.
 * Trainability criterion: src/train/train.ts (final val loss ≤ τ × constant predictor, τ = 0.5, no NaN/Inf).
 */
import type { Scale } from "../../figure.js";
import { linspace } from "../common.js";

/** Settings of the variance-depth panels (a)/(d): forwarding only. */
export type VarianceSettings = {
  width: number;
  batch: number;
  networks: number;
  keep: number;
  sigmaW2s: number[];
  maxDepth: number;
};

/** Settings of the trainable-depth heat maps (b, c)/(e, f). */
export type TrainingSettings = {
  task: "reconstruction" | "classification";
  width: number;
  keeps: number[];
  depths: number[];
  optimizer: "sgd" | "adam";
  lr: number;
  batch: number;
  epochs: number;
  /** seeded training subset (null: the whole training part) */
  limit: number | null;
  evalLimit: number;
  valFraction: number;
  threshold: number;
};

export type Fig6Settings = { variance: VarianceSettings; training: TrainingSettings };

const SW2 = linspace(0.1, 2.5, 25).map((v) => +v.toFixed(4));

export const FIG6_SETTINGS: Record<"quick" | "paper", Fig6Settings> = {
  paper: {
    variance: { width: 1000, batch: 128, networks: 5, keep: 0.6, sigmaW2s: SW2, maxDepth: 1000 },
    training: {
      task: "reconstruction",
      width: 1000,
      keeps: linspace(0.1, 1, 10).map((v) => +v.toFixed(2)),
      depths: [2, 6, 10, 14, 18, 23, 27, 31, 35, 40],
      optimizer: "sgd",
      lr: 1e-3,
      batch: 128,
      epochs: 200,
      limit: null,
      evalLimit: 10000,
      valFraction: 0.1,
      threshold: 0.5,
    },
  },
  quick: {
    variance: { width: 256, batch: 32, networks: 2, keep: 0.6, sigmaW2s: SW2, maxDepth: 1000 },
    training: {
      task: "classification",
      width: 128,
      keeps: [0.2, 0.4, 0.6, 0.8, 1],
      depths: [2, 5, 10, 15, 20],
      optimizer: "adam",
      lr: 1e-3,
      batch: 128,
      epochs: 4,
      limit: 4000,
      evalLimit: 1000,
      valFraction: 0.1,
      threshold: 0.5,
    },
  },
};

export function fig6Settings(scale: Scale): Fig6Settings {
  return scale.name === "paper" ? FIG6_SETTINGS.paper : FIG6_SETTINGS.quick;
}

/** "1 epoch", "4 epochs". */
export function epochs(n: number): string {
  return `${n} epoch${n === 1 ? "" : "s"}`;
}

/** "classification (cross-entropy)" / "reconstruction (MSE, targets = inputs)". */
export function taskText(task: TrainingSettings["task"]): string {
  return task === "classification"
    ? "classification (cross-entropy)"
    : "reconstruction (MSE, targets = inputs)";
}

/**
 * The training protocol in snake_case, as one record for a training job's config and the paper-scale
 * plan's JSON (the grid, keeps × depths, is not in it).
 */
export function trainingRecord(t: TrainingSettings) {
  return {
    task: t.task,
    width: t.width,
    optimizer: t.optimizer,
    lr: t.lr,
    batch: t.batch,
    epochs: t.epochs,
    limit: t.limit,
    eval_limit: t.evalLimit,
    val_fraction: t.valFraction,
    threshold: t.threshold,
  };
}

/** One line of the training protocol: task, optimiser, epochs, data, width. */
export function protocolText(t: {
  task: TrainingSettings["task"];
  optimizer: string;
  lr: number;
  epochs: number;
  width: number;
  limit: number | null;
  batch: number;
}): string {
  const data = t.limit === null ? "the whole training part" : `a seeded ${t.limit}-example subset`;
  return `${taskText(t.task)}, ${t.optimizer === "sgd" ? "plain SGD" : "Adam"} lr ${t.lr}, batch ${t.batch}, ${epochs(t.epochs)} on ${data}, width ${t.width}`;
}

/**
 * What this training protocol does differently from the paper's (empty when it is the paper's): the task,
 * optimiser, epochs, width, data and grid, each as "ours (paper: theirs)".
 */
export function trainingDifferences(t: TrainingSettings): string[] {
  const p = FIG6_SETTINGS.paper.training;
  const out: string[] = [];
  if (t.task !== p.task) out.push(`task ${taskText(t.task)} (paper: ${taskText(p.task)})`);
  if (t.optimizer !== p.optimizer || t.lr !== p.lr)
    out.push(`optimiser ${t.optimizer} lr ${t.lr} (paper: ${p.optimizer} lr ${p.lr})`);
  if (t.epochs !== p.epochs) out.push(`${epochs(t.epochs)} (paper: ${p.epochs})`);
  if (t.width !== p.width) out.push(`width ${t.width} (paper: ${p.width})`);
  if (t.limit !== p.limit) out.push(`${t.limit ?? "all"} training examples (paper: all)`);
  const grid = (s: TrainingSettings) =>
    `${s.keeps.length} keeps × ${s.depths.length} depths ≤ ${Math.max(...s.depths)}`;
  if (grid(t) !== grid(p)) out.push(`grid ${grid(t)} (paper: ${grid(p)})`);
  return out;
}

/** What the variance-depth run does differently from the paper's (empty when it is the paper's). */
export function varianceDifferences(v: VarianceSettings): string[] {
  const p = FIG6_SETTINGS.paper.variance;
  const out: string[] = [];
  if (v.width !== p.width) out.push(`width ${v.width} (paper: ${p.width})`);
  if (v.networks !== p.networks || v.batch !== p.batch)
    out.push(`${v.networks} networks × batch ${v.batch} (paper: ${p.networks} × ${p.batch})`);
  if (v.maxDepth !== p.maxDepth) out.push(`depth ≤ ${v.maxDepth} (paper: ${p.maxDepth})`);
  return out;
}
