/**
 * `sigprop train`: train one noisy MLP on real data (embedded MNIST by default) and report the final
 * train/validation loss and whether it is trainable under the stated criterion (src/train/train.ts).
 * A bad or corrupt data file is exit 2 with a message; divergence (NaN/Inf) is a result, exit 0.
 */
import type { Command } from "commander";
import { resolve } from "node:path";
import { DATASET_SPECS, loadDataset } from "../../data/index.js";
import type { Dataset } from "../../data/dataset.js";
import { writeFileAtomic } from "../../io/atomic.js";
import { checkWritableOutput } from "../../io/outputPath.js";
import { InputError } from "../../theory/errors.js";
import { SNIPPET_FORMATS, type SnippetFormat } from "../../theory/snippets.js";
import { DEFAULT_TRAINABLE_THRESHOLD } from "../../train/defaults.js";
import { architectureProblem } from "../../train/arch.js";
import { addResidualOptions, residualFrom } from "../residualOptions.js";
import { INIT_KINDS, initSnippetFor, resolveInit, type InitKind } from "../../train/initChoice.js";
import type { TrainConfig } from "../../train/train.js";
import {
  action,
  activationFrom,
  addActivationOption,
  addDeviceOption,
  deviceFrom,
  emit,
  fmt,
  int,
  noiseFrom,
  num,
} from "../common.js";
import { checkEstimate, trainEstimate } from "../limits.js";
import { progressBar } from "../progress.js";
import { snakeKeys } from "../snakeJson.js";

/** Options shared by `train` and `sweep`. */
export function addTrainOptions(cmd: Command, { grid = false } = {}): Command {
  addActivationOption(cmd)
    .option("--dataset <spec>", DATASET_SPECS, "mnist")
    .option(
      "--task <task>",
      "reconstruction (MSE, targets = inputs, as in the paper) | classification (cross-entropy)",
      "reconstruction",
    )
    .option("--width <n>", "hidden layer width", "256")
    .option(
      "--init <kind>",
      `weight init: ${INIT_KINDS.join(" | ")} (eoc: σ_w² on the edge of chaos at --sigma-b2, default 0; ordered: (σ_b², σ_w²) = (1, 1/μ2), checked to be ordered; custom needs --sigma-w2; looks-linear: Burkholz & Dubatovka's [g; −g] construction for relu / leaky_relu, even --width, zero biases)`,
      "critical",
    )
    .option("--sigma-w2 <x>", "σ_w² for --init custom")
    .option(
      "--weights <law>",
      "gaussian | orthogonal (Haar; a rectangular layer is a scaled isometry with Var W_ij = σ_w²/fan_in)",
      "gaussian",
    )
    .option("--sigma-b2 <y>", "bias variance σ_b² (default 0)")
    .option(
      "--batchnorm",
      "batch-normalise every hidden layer's product a·W before its bias and φ (no learned scale; the bias is the learned shift); evaluation uses the training examples' population statistics",
    );
  addResidualOptions(cmd);
  cmd
    .option("--optimizer <name>", "sgd | adam", "adam")
    .option("--lr <x>", "learning rate", "0.001")
    .option("--batch <n>", "mini-batch size", "128")
    .option("--epochs <n>", "epochs", "5")
    .option(
      "--val-fraction <f>",
      "held-out validation fraction of the (subset of the) training part (seeded)",
      "0.1",
    )
    .option("--limit <n>", "use a seeded subset of this many training-part examples")
    .option("--eval-limit <n>", "evaluate the train loss on at most this many examples", "10000")
    .option("--test-limit <n>", "evaluate on the first n examples of the test split (default: all of it)")
    .option(
      "--threshold <tau>",
      "trainable iff final val loss ≤ τ × best-constant-predictor loss",
      String(DEFAULT_TRAINABLE_THRESHOLD),
    )
    .option("--seed <s>", "seed (weights, split, order, noise)", "0");
  if (!grid) {
    cmd
      .option("--noise <spec>", "noise, e.g. none, dropout:keep=0.8, gauss_mult:std=0.25", "none")
      .option("--depth <L>", "number of hidden layers", "10");
  }
  return cmd;
}

type Opts = Record<string, string | boolean | undefined>;

/**
 * The optimisation settings of a base config as the CLI records them, in this order (train's record and
 * the sweep plan's base both carry them).
 */
export function optimisationJson(
  base: Pick<TrainConfig, "optimizer" | "lr" | "batch" | "epochs" | "valFraction" | "limit">,
) {
  return {
    optimizer: base.optimizer,
    lr: base.lr,
    batch: base.batch,
    epochs: base.epochs,
    val_fraction: base.valFraction,
    limit: base.limit ?? null,
  };
}

/** The base config (everything but noise and depth) from the shared options. */
export function baseConfigFrom(
  opts: Opts,
): Omit<TrainConfig, "noise" | "depth" | "sigmaW2" | "sigmaB2"> & { initKind: InitKind } {
  // --residual none is the plain network (the theory commands know reduced | full only)
  const res =
    opts.residual === undefined || String(opts.residual).trim().toLowerCase() === "none"
      ? residualFrom({
          sigmaV2: opts.sigmaV2 as string | undefined,
          sigmaA2: opts.sigmaA2 as string | undefined,
        })
      : residualFrom({
          residual: String(opts.residual),
          sigmaV2: opts.sigmaV2 as string | undefined,
          sigmaA2: opts.sigmaA2 as string | undefined,
        });
  const task = String(opts.task);
  if (task !== "reconstruction" && task !== "classification")
    throw new InputError("--task", task, "reconstruction | classification");
  const optimizer = String(opts.optimizer);
  if (optimizer !== "sgd" && optimizer !== "adam")
    throw new InputError("--optimizer", optimizer, "sgd | adam");
  const weights = String(opts.weights ?? "gaussian");
  if (weights !== "gaussian" && weights !== "orthogonal")
    throw new InputError("--weights", weights, "gaussian | orthogonal");
  const initKind = String(opts.init) as InitKind;
  if (!INIT_KINDS.includes(initKind)) throw new InputError("--init", initKind, INIT_KINDS.join(" | "));
  const valFraction = num("--val-fraction", opts.valFraction, "a number in (0, 1)");
  if (!(valFraction > 0 && valFraction < 1))
    throw new InputError("--val-fraction", String(opts.valFraction), "a number in (0, 1)");
  const lr = num("--lr", opts.lr, "a number > 0");
  if (!(lr > 0)) throw new InputError("--lr", String(opts.lr), "a number > 0");
  const threshold = num("--threshold", opts.threshold, "a number > 0");
  if (!(threshold > 0)) throw new InputError("--threshold", String(opts.threshold), "a number > 0");
  return {
    task,
    optimizer,
    initKind,
    // gaussian is left out of the config (and so of checkpoints and sweep hashes made before --weights)
    weights: weights === "gaussian" ? undefined : weights,
    // likewise the architecture options at their defaults (plain network, i.i.d. init)
    init: initKind === "looks-linear" ? "looks-linear" : undefined,
    batchnorm: opts.batchnorm ? true : undefined,
    residual: res?.variant,
    sigmaV2: res?.variant === "full" ? res.sigmaV2 : undefined,
    sigmaA2: res?.variant === "full" ? res.sigmaA2 : undefined,
    width: int("--width", opts.width, 1, 65536),
    activation: activationFrom({ activation: String(opts.activation) }),
    lr,
    batch: int("--batch", opts.batch, 1, 1 << 20),
    epochs: int("--epochs", opts.epochs, 0, 1e6),
    valFraction,
    limit: opts.limit === undefined ? undefined : int("--limit", opts.limit, 2),
    evalLimit: int("--eval-limit", opts.evalLimit, 1),
    testLimit: opts.testLimit === undefined ? undefined : int("--test-limit", opts.testLimit, 1),
    seed: int("--seed", opts.seed, 0, 2 ** 32 - 1),
    threshold,
  };
}

/**
 * Refuse a run whose tensors or time are out of reach (src/cli/limits.ts), naming the flag that drives
 * the size (--width when the N² weights dominate, else --depth or --epochs), and a batch larger than the
 * training examples.
 */
export function checkTrainSize(
  ds: Dataset,
  base: ReturnType<typeof baseConfigFrom>,
  depth: number,
  opts: Opts,
) {
  const problem = architectureProblem({ ...base, inputDim: ds.dim }, base);
  if (problem !== null) throw problem;
  if (base.init === "looks-linear" && depth < 1)
    throw new InputError("--depth", String(opts.depth), "≥ 1 with --init looks-linear");
  if (ds.train.n < 2)
    throw new InputError(
      "--dataset",
      String(opts.dataset),
      "a data set with at least 2 training examples (one to train on, one to validate)",
      `its training part has ${ds.train.n} example${ds.train.n === 1 ? "" : "s"}`,
    );
  const m = Math.min(ds.train.n, base.limit ?? ds.train.n);
  const nTrain = m - Math.max(1, Math.round(m * base.valFraction));
  if (nTrain >= 1 && base.batch > nTrain)
    throw new InputError("--batch", String(opts.batch), `an integer ≤ ${nTrain} (the training examples)`);
  const e = trainEstimate({
    width: base.width,
    // a full residual block has two N × N matrices
    depth: base.residual === "full" ? Math.max(1, 2 * depth - 1) : depth,
    inputDim: ds.dim,
    outputDim: base.task === "classification" ? ds.classes : ds.dim,
    batch: base.batch,
    samplesSeen: base.epochs * (nTrain + Math.min(nTrain, base.evalLimit ?? 10000)),
  });
  const wide = base.width * base.width > 784 * base.width * 2 && base.width >= 1024;
  const flag = wide ? "--width" : depth >= 1000 ? "--depth" : "--epochs";
  const value = String(flag === "--width" ? opts.width : flag === "--depth" ? opts.depth : opts.epochs);
  checkEstimate({
    flag,
    value,
    what: `training width ${base.width}, depth ${depth}, ${base.epochs} epochs of ${nTrain} examples`,
    ...e,
  });
}

export function register(program: Command) {
  const cmd = program
    .command("train")
    .description(
      "train one noisy MLP on MNIST (embedded) / IDX / CIFAR-10 files; report final losses and trainability",
    );
  addDeviceOption(addTrainOptions(cmd))
    .option("--format <fw>", "also print the initialiser as a snippet: torch | tfjs | jax")
    .option("--out <file>", "write the result record (JSON) atomically to this file")
    .option(
      "--checkpoint <file>",
      "save training state after every epoch (the last included) here and resume from it if present; a finished run's checkpoint reports its result without training (a corrupt one, or one of another configuration, is exit 2)",
    )
    .option("--fresh", "with --checkpoint: ignore an existing checkpoint and start afresh (it is replaced)")
    .option("--json", "one JSON object on stdout")
    .action(
      action(async (opts: Opts) => {
        const { trainRun } = await import("../../train/train.js");
        const base = baseConfigFrom(opts);
        const noise = noiseFrom({ noise: String(opts.noise) });
        const depth = int("--depth", opts.depth, 0, 100000);
        if (opts.format !== undefined && !SNIPPET_FORMATS.includes(opts.format as SnippetFormat)) {
          throw new InputError("--format", String(opts.format), SNIPPET_FORMATS.join(" | "));
        }
        const init = resolveInit(base.initKind, base.activation, noise, {
          sigmaW2: opts.sigmaW2 === undefined ? undefined : num("--sigma-w2", opts.sigmaW2, "a number > 0"),
          sigmaB2: opts.sigmaB2 === undefined ? undefined : num("--sigma-b2", opts.sigmaB2, "a number ≥ 0"),
        });
        // Output paths are checked before any work (exit 2), not found unwritable after training.
        const outFile = opts.out === undefined ? undefined : String(opts.out);
        const ckptFile = opts.checkpoint === undefined ? undefined : String(opts.checkpoint);
        if (outFile !== undefined) checkWritableOutput("--out", outFile, "file");
        if (ckptFile !== undefined) checkWritableOutput("--checkpoint", ckptFile, "file");
        if (outFile !== undefined && ckptFile !== undefined && resolve(outFile) === resolve(ckptFile))
          throw new InputError("--checkpoint", ckptFile, "a file other than --out", "it is the --out file");
        if (opts.fresh && ckptFile === undefined)
          throw new InputError("--fresh", "true", "only with --checkpoint FILE");
        const ds = loadDataset(String(opts.dataset));
        checkTrainSize(ds, base, depth, opts);
        const device = await deviceFrom(opts);
        const cfg: TrainConfig = { ...base, noise, depth, sigmaW2: init.sigmaW2, sigmaB2: init.sigmaB2 };
        const bar = progressBar(`train L=${depth} ${noise.spec}`);
        let r;
        try {
          r = await trainRun(ds, cfg, {
            onProgress: bar.update,
            checkpoint: ckptFile !== undefined ? { file: ckptFile, fresh: !!opts.fresh } : undefined,
          });
        } finally {
          bar.stop();
        }
        const record = {
          dataset: String(opts.dataset),
          task: base.task,
          width: base.width,
          depth,
          activation: base.activation.spec,
          noise: noise.spec,
          mu2: noise.mu2,
          init: base.initKind,
          init_label: init.label,
          sigma_w2: init.sigmaW2Value,
          sigma_b2: init.sigmaB2,
          weights: base.weights ?? "gaussian",
          batchnorm: base.batchnorm === true,
          residual: base.residual ?? "none",
          ...(base.residual === "full" ? { sigma_v2: base.sigmaV2, sigma_a2: base.sigmaA2 } : {}),
          ...optimisationJson(base),
          seed: base.seed,
          criterion: `trainable iff no NaN/Inf and final val loss ≤ ${base.threshold} × best-constant-predictor val loss`,
          test_limit: base.testLimit ?? null,
          ...(snakeKeys(r) as Record<string, unknown>),
          device: device.record,
          ...(opts.format
            ? { format: opts.format, snippet: initSnippetFor(opts.format as SnippetFormat, init, noise) }
            : {}),
        };
        if (outFile !== undefined)
          writeFileAtomic(
            outFile,
            JSON.stringify(record, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) +
              "\n",
            { what: "the train result" },
          );
        emit(!!opts.json, record, () =>
          [
            `${base.task} on ${record.dataset}: depth ${depth}, width ${base.width}, ${noise.spec} (μ2 = ${fmt(noise.mu2, 6)}), ${init.label}, ${base.optimizer} lr ${base.lr}, ${base.epochs} epochs`,
            ...(r.fromCheckpoint?.finished
              ? [
                  `already finished: the result of the finished run in ${ckptFile} (nothing trained now; --fresh retrains)`,
                ]
              : r.fromCheckpoint
                ? [`resumed from ${ckptFile} after epoch ${r.fromCheckpoint.epoch}`]
                : []),
            r.status === "diverged"
              ? `DIVERGED (NaN/Inf) at epoch ${r.divergedAt?.epoch}, step ${r.divergedAt?.step}`
              : `final train loss ${fmt(r.trainLoss, 6)}   val loss ${fmt(r.valLoss, 6)}${r.valAcc !== null && r.valAcc !== undefined ? `   val acc ${fmt(r.valAcc, 4)}` : ""}\n` +
                `test loss ${fmt(r.testLoss, 6)}${r.testAcc !== null && r.testAcc !== undefined ? `   test acc ${fmt(r.testAcc, 4)}` : ""} (${r.nTest} test-split examples)`,
            `baseline (best constant predictor) ${fmt(r.baselineLoss, 6)}   ratio ${fmt(r.lossRatio, 4)}   trainable (ratio ≤ ${r.threshold}): ${r.trainable ? "yes" : "no"}`,
            `${r.steps} steps, ${r.nTrain} train / ${r.nVal} val examples, ${r.seconds.toFixed(1)} s (${r.samplesPerSecond.toFixed(0)} samples/s incl. evaluation)`,
            ...(record.snippet ? [record.snippet] : []),
          ].join("\n"),
        );
      }),
    );
}
