/**
 * Fig 6's jobs, typed end to end (`Job<Config, Result>`): variance-depth jobs for panels (a)/(d) (a real
 * batch forwarded through deep noisy ReLU networks until the float32 variance over/underflows,
 * src/train/varianceDepth.ts) and one training job per (keep p, depth) cell of the heat maps (b, c)/(e, f)
 * at the critical initialisation σ_w² = 2p (src/train/train.ts).
 */
import { permutation, toFloat, type Dataset } from "../../../data/index.js";
import { parseActivation } from "../../../theory/activations.js";
import { parseNoise } from "../../../theory/noise.js";
import { trainRun, type TrainConfig } from "../../../train/train.js";
import { meanSquare, varianceDepth } from "../../../train/varianceDepth.js";
import type { Job } from "../../figure.js";
import { finiteOrNull } from "../common.js";
import { trainingRecord, type Fig6Settings } from "./settings.js";
import { criticalSigmaW2, dropoutSpec, overflowDepth } from "./theory.js";

/** A data set of the figure: MNIST (a–c) or CIFAR-10 (d–f). */
export interface DataChoice {
  tag: "mnist" | "cifar10";
  label: string;
  /** panel letters: variance depth, train-loss heat map, validation-loss heat map */
  panels: [string, string, string];
  load: () => Dataset;
}

export type VarianceJobConfig = {
  kind: "variance_depth";
  data: string;
  sigma_w2: number;
  keep: number;
  width: number;
  batch: number;
  networks: number;
  max_depth: number;
};

export type VarianceNet = {
  /** first layer whose float32 variance over/underflows; null: none up to max_depth */
  depth: number | null;
  kind: "overflow" | "underflow" | null;
  signal_depth: number | null;
  log10q_first: (number | null)[];
};

export type VarianceJobResult = { nets: VarianceNet[]; mean_square: number };

export type TrainJobConfig = {
  kind: "train";
  data: string;
  keep: number;
  depth: number;
  sigma_w2: number;
  task: "reconstruction" | "classification";
  width: number;
  optimizer: "sgd" | "adam";
  lr: number;
  batch: number;
  epochs: number;
  limit: number | null;
  eval_limit: number;
  val_fraction: number;
  threshold: number;
};

export type TrainJobResult = {
  status: "ok" | "diverged";
  trainable: boolean;
  train_loss: number | null;
  val_loss: number | null;
  /** the best constant predictor's validation loss */
  baseline: number;
  /** val_loss / baseline */
  ratio: number | null;
  val_acc: number | null;
  seconds: number;
  diverged_at: { epoch: number; step: number } | null;
  history: { epoch: number; train: number | null; val: number | null }[];
};

export type VarianceJob = Job<VarianceJobConfig, VarianceJobResult>;
export type TrainJob = Job<TrainJobConfig, TrainJobResult>;

/** A fixed seeded batch of the test split's images in [0, 1]. */
function batchOf(ds: Dataset, n: number, seed: number): Float32Array {
  const idx = permutation(ds.test.n, seed, 6).subarray(0, n);
  return toFloat(ds.test.images, ds.dim, idx);
}

export const varianceJobId = (data: DataChoice, sw2: number) => `${data.panels[0]}/${data.tag}/sw2=${sw2}`;
export const trainJobId = (data: DataChoice, keep: number, depth: number) =>
  `${data.panels[1]}/${data.tag}/p=${keep}/L=${depth}`;

/** Panel (a)/(d): one job per σ_w², each forwarding `networks` random networks. */
export function varianceJobs(s: Fig6Settings, data: DataChoice): VarianceJob[] {
  const v = s.variance;
  return v.sigmaW2s.map((sw2) => {
    const th = overflowDepth(sw2, 1 / v.keep, 1);
    // layers actually forwarded (for the ETA): about L*, at most max_depth
    const layers = Math.min(v.maxDepth, th.depth === null ? v.maxDepth : Math.ceil(Math.abs(th.depth)) + 5);
    return {
      id: varianceJobId(data, sw2),
      config: {
        kind: "variance_depth",
        data: data.tag,
        sigma_w2: sw2,
        keep: v.keep,
        width: v.width,
        batch: v.batch,
        networks: v.networks,
        max_depth: v.maxDepth,
      },
      cost: v.networks * layers * v.width * (v.width + v.batch) * 1e-6,
      async run(ctx) {
        const ds = data.load();
        const x = batchOf(ds, v.batch, ctx.seed);
        const noise = parseNoise(dropoutSpec(v.keep));
        const nets: VarianceNet[] = [];
        for (let net = 0; net < v.networks; net++) {
          const r = await varianceDepth(
            {
              x,
              dim: ds.dim,
              width: v.width,
              sigmaW2: sw2,
              noise,
              maxDepth: v.maxDepth,
              seed: ctx.seed,
              net,
            },
            (l) => ctx.onProgress(net * layers + Math.min(l, layers), v.networks * layers),
          );
          nets.push({
            depth: r.depth,
            kind: r.kind,
            signal_depth: r.signalDepth,
            log10q_first: r.log10q.slice(0, 3).map(finiteOrNull),
          });
        }
        return { nets, mean_square: meanSquare(x) };
      },
    };
  });
}

/** Panels (b, c)/(e, f): one training run per (keep, depth) at the critical σ_w² = 2p. */
export function trainingJobs(s: Fig6Settings, data: DataChoice): TrainJob[] {
  const t = s.training;
  const jobs: TrainJob[] = [];
  for (const keep of t.keeps) {
    for (const depth of t.depths) {
      const sigmaW2 = criticalSigmaW2(keep);
      const dim = data.tag === "cifar10" ? 3072 : 784;
      jobs.push({
        id: trainJobId(data, keep, depth),
        config: {
          kind: "train",
          data: data.tag,
          keep,
          depth,
          sigma_w2: sigmaW2,
          ...trainingRecord(t),
        },
        cost: t.epochs * (t.limit ?? 60000) * (dim * t.width + depth * t.width * t.width) * 1e-8,
        async run(ctx) {
          const ds = data.load();
          const cfg: TrainConfig = {
            task: t.task,
            width: t.width,
            depth,
            activation: parseActivation("relu"),
            noise: parseNoise(dropoutSpec(keep)),
            sigmaW2,
            sigmaB2: 0,
            optimizer: t.optimizer,
            lr: t.lr,
            batch: t.batch,
            epochs: t.epochs,
            valFraction: t.valFraction,
            limit: t.limit ?? undefined,
            evalLimit: t.evalLimit,
            seed: ctx.seed,
            threshold: t.threshold,
          };
          const r = await trainRun(ds, cfg, { onProgress: ctx.onProgress });
          return {
            status: r.status,
            trainable: r.trainable,
            train_loss: finiteOrNull(r.trainLoss),
            val_loss: finiteOrNull(r.valLoss),
            baseline: r.baselineLoss,
            ratio: finiteOrNull(r.lossRatio),
            val_acc: finiteOrNull(r.valAcc),
            seconds: r.seconds,
            diverged_at: r.divergedAt ? { epoch: r.divergedAt.epoch, step: r.divergedAt.step } : null,
            history: r.history.map((h) => ({
              epoch: h.epoch,
              train: finiteOrNull(h.trainLoss),
              val: finiteOrNull(h.valLoss),
            })),
          };
        },
      });
    }
  }
  return jobs;
}
