/**
 * `reproduce hayou` — Hayou, Doucet & Rousseau (2019), "On the impact of the activation function on deep
 * neural networks training", ICML (seed: /work/shared/seeds, slides 16–18): deep plain networks trained
 * with SGD from an initialisation on the edge of chaos (EOC), on the EOC with batch normalisation after
 * every hidden layer (EOC + BN), and in the ordered phase. The paper's claim: at depth 200, width 300, EOC
 * networks train (ELU 97.62 %, tanh 97.20 %, ReLU 93.57 % on MNIST after 100 epochs) while ordered-phase
 * networks stay at chance (≈ 10 %); smooth activations (ELU, tanh) beat ReLU on the EOC.
 *
 * Arms (src/train/initChoice.ts): EOC = `--init eoc` at the σ_b² of `HAYOU_ACTIVATIONS` (ReLU σ_b² = 0,
 * σ_w² = 2; the others' σ_w² from the theory's EOC solver); EOC + BN = the same weights with
 * `batchnorm: true`; ordered = `--init ordered`, Hayou's ordered point (σ_b², σ_w²) = (1, 1).
 * Each (activation, arm, seed) is one cached job (a killed reproduction resumes at the first unfinished
 * run); the figure shows the mean ± sd over seeds of the test accuracy per epoch, against epochs and
 * against wall seconds, and the final accuracies as Hayou's table with the published numbers beside.
 *
 * Scales: `quick` is sized for ≤ 10 minutes on two idle cores (depth 20, width 64, SGD, 4 epochs of a
 * 3,000-digit subset, 2 seeds); `paper` (depth 200, width 300, SGD, 100 epochs) is a `sigprop sweep` plan:
 * `reproduce hayou --scale paper` prints the commands (one sweep per activation × arm × data set, sharded
 * for Slurm arrays / Kubernetes indexed Jobs) and `--from-sweep DIR` renders the finished sweep folders
 * (`hayouPlan`, `makeHayou({ sweeps })`). Any other scale (the tests' "tiny") is a seconds-long setting.
 */
import { existsSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { loadCifar10Folder, loadMnist, type Dataset } from "../../data/index.js";
import { parseActivation } from "../../theory/activations.js";
import { InputError } from "../../theory/errors.js";
import { parseNoise } from "../../theory/noise.js";
import { resolveInit } from "../../train/initChoice.js";
import { mergeSweeps, type RunRecord, type SweepPlan } from "../../train/sweep.js";
import type { EpochRecord, TrainConfig, TrainResult } from "../../train/train.js";
import type { Figure, FigureOutput, Job, Json, Scale, Table } from "../figure.js";
import { resultOf } from "../jobs.js";
import {
  figureObject,
  lineDotBandPanel,
  topLevelSpec,
  type PanelSpec,
  type SimPoints,
  type TheoryCurve,
} from "../plot.js";
import { rows, settingsAt } from "./common.js";

/** The compared activations: display name, activation spec, σ_b² of the EOC point (as in hayou-rates). */
export const HAYOU_ACTIVATIONS: { name: string; spec: string; eocSigmaB2: number }[] = [
  { name: "ReLU", spec: "relu", eocSigmaB2: 0 },
  { name: "ELU", spec: "elu:alpha=1", eocSigmaB2: 0.1 },
  { name: "Tanh", spec: "tanh", eocSigmaB2: 0.05 },
  { name: "S-Softplus", spec: "s_softplus", eocSigmaB2: 0.1 },
];

export type HayouArmId = "eoc" | "eoc_bn" | "ordered";
export interface HayouArm {
  id: HayouArmId;
  name: string;
  init: "eoc" | "ordered";
  batchnorm: boolean;
}
export const HAYOU_ARMS: HayouArm[] = [
  { id: "eoc", name: "EOC", init: "eoc", batchnorm: false },
  { id: "eoc_bn", name: "EOC + BN", init: "eoc", batchnorm: true },
  { id: "ordered", name: "Ord Phase", init: "ordered", batchnorm: false },
];

/**
 * Whether training supports batch normalisation (`TrainConfig.batchnorm`, since issue 11). Set to false,
 * the EOC + BN arm is left out of jobs, plan and table, and the caption says so.
 */
export const BATCHNORM_AVAILABLE = true;

/** The arms this build runs. */
export function hayouArms(): HayouArm[] {
  return HAYOU_ARMS.filter((a) => BATCHNORM_AVAILABLE || !a.batchnorm);
}

type Cell = { mean: number; sd: number } | null;

/** Rows of (activation, [mean, sd] of EOC, EOC + BN, ordered) as the published table's cells. */
function publishedTable(
  rows: [string, [number, number], [number, number], [number, number]][],
): Record<string, Record<HayouArmId, Cell>> {
  const cell = ([mean, sd]: [number, number]) => ({ mean, sd });
  return Object.fromEntries(
    rows.map(([name, eoc, bn, ordered]) => [
      name,
      { eoc: cell(eoc), eoc_bn: cell(bn), ordered: cell(ordered) },
    ]),
  );
}

/**
 * The seed's Table (slide 17): test accuracy (%) after 100 epochs, width 300, depth 200, SGD. The
 * extracted slide text puts some row labels after their numbers; rows are assigned by matching the
 * "Epoch 100" column of the smoothness table (slide 18: ReLU 93.57, ELU 97.62, Tanh 97.20 on MNIST).
 */
export const HAYOU_PUBLISHED: Record<"mnist" | "cifar10", Record<string, Record<HayouArmId, Cell>>> = {
  // activation, then mean and sd of EOC, EOC + BN, ordered phase
  mnist: publishedTable([
    ["ReLU", [93.57, 0.18], [93.11, 0.21], [10.09, 0.61]],
    ["ELU", [97.62, 0.21], [93.41, 0.3], [10.14, 0.51]],
    ["Tanh", [97.2, 0.3], [10.74, 0.1], [10.02, 0.13]],
    ["S-Softplus", [10.32, 0.41], [9.92, 0.12], [10.09, 0.53]],
  ]),
  cifar10: publishedTable([
    ["ReLU", [36.55, 1.15], [35.91, 1.52], [9.91, 0.93]],
    ["ELU", [45.76, 0.91], [44.12, 0.93], [10.11, 0.65]],
    ["Tanh", [44.11, 1.02], [10.15, 0.85], [9.82, 0.88]],
    ["S-Softplus", [10.13, 0.11], [9.81, 0.63], [10.05, 0.71]],
  ]),
};

/** Where the seed contradicts itself: slide 18 gives CIFAR-10 ELU at epoch 100 as 47.76 ± 0.91. */
export const HAYOU_CONTRADICTIONS = [
  {
    data: "cifar10",
    activation: "ELU",
    arm: "eoc" as HayouArmId,
    table: 45.76,
    other: 47.76,
    note: "the seed's 100-epoch table gives CIFAR-10 ELU (EOC) 45.76 ± 0.91, its smoothness table 47.76 ± 0.91 at epoch 100 of the same setting",
  },
];

export type HayouSettings = {
  depth: number;
  width: number;
  optimizer: "sgd";
  lr: number;
  batch: number;
  epochs: number;
  /** seeded subset of the training part (null: all of it) */
  limit: number | null;
  evalLimit: number;
  /** first n test examples (null: the whole test split) */
  testLimit: number | null;
  valFraction: number;
  seeds: number;
};

export const HAYOU_SETTINGS: Record<"quick" | "paper" | "tiny", HayouSettings> = {
  // ≤ 10 min on 2 idle cores: deep enough that the ordered phase cannot train (χ ≤ 0.6 per layer:
  // gradients shrink by ≥ 10⁴ over 20 layers), short enough for CI-sized machines
  quick: {
    depth: 20,
    width: 64,
    optimizer: "sgd",
    lr: 0.05,
    batch: 64,
    epochs: 4,
    limit: 3000,
    evalLimit: 500,
    testLimit: 1000,
    valFraction: 0.1,
    seeds: 2,
  },
  // Hayou et al.: depth 200, width 300, SGD, 100 epochs; the learning rate, batch and number of seeds
  // are not in the seed (ours: SGD lr 0.01, batch 64, 5 seeds)
  paper: {
    depth: 200,
    width: 300,
    optimizer: "sgd",
    lr: 0.01,
    batch: 64,
    epochs: 100,
    limit: null,
    evalLimit: 10000,
    testLimit: null,
    valFraction: 0.1,
    seeds: 5,
  },
  tiny: {
    depth: 3,
    width: 8,
    optimizer: "sgd",
    lr: 0.05,
    batch: 16,
    epochs: 1,
    limit: 160,
    evalLimit: 64,
    testLimit: 64,
    valFraction: 0.1,
    seeds: 2,
  },
};

export function hayouSettings(scale: Scale): HayouSettings {
  return settingsAt(HAYOU_SETTINGS, scale);
}

/** Accuracy below which a run counts as "near chance" (10 classes: chance ≈ 0.1), and at which it "trains". */
export const HAYOU_TRAINS_AT = 0.2;

interface DataChoice {
  tag: "mnist" | "cifar10";
  label: string;
  /** the `--dataset` text of `sigprop sweep` */
  spec: string;
  load: () => Dataset;
}

/** The σ_w², σ_b² of an arm (the library's named initialisations; throws an InputError if impossible). */
export function armInit(actSpec: string, eocSigmaB2: number, arm: HayouArm) {
  const act = parseActivation(actSpec);
  return resolveInit(arm.init, act, parseNoise("none"), arm.init === "eoc" ? { sigmaB2: eocSigmaB2 } : {});
}

/** What a job keeps of a training run (and what is read back from a sweep record). */
export type HayouRun = {
  status: string;
  test_acc: number | null;
  test_loss: number | null;
  train_loss: number | null;
  seconds: number;
  sigma_w2: number;
  sigma_b2: number;
  history: { epoch: number; seconds: number; test_acc: number | null; train_loss: number | null }[];
};

function slimRun(r: TrainResult, sw2: number, sb2: number): HayouRun {
  return {
    status: r.status,
    test_acc: r.testAcc ?? null,
    test_loss: r.testLoss,
    train_loss: r.trainLoss,
    seconds: r.seconds,
    sigma_w2: sw2,
    sigma_b2: sb2,
    history: r.history.map((h: EpochRecord) => ({
      epoch: h.epoch,
      seconds: h.seconds,
      test_acc: h.testAcc ?? null,
      train_loss: h.trainLoss,
    })),
  };
}

const jobId = (d: string, act: string, arm: HayouArmId, seed: number) => `${d}/${act}/${arm}/s${seed}`;

/** A training job's config: the arm's initialisation, the replicate and the settings (seed count not). */
type TrainJobConfig = {
  kind: "train";
  data: string;
  activation: string;
  arm: HayouArmId;
  sigma_w2: number;
  sigma_b2: number;
  replicate: number;
} & Omit<HayouSettings, "seeds"> & { seeds: null };

/** A job that reads one finished sweep record (paper scale with --from-sweep). */
type SweepJobConfig = {
  kind: "sweep_record";
  sweep: string;
  hash: string | null;
  finished_at: string | null;
};

/** Every hayou job ends in a run summary; a sweep job whose record is missing, in null. */
type HayouJob = Job<TrainJobConfig | SweepJobConfig, HayouRun | null>;

function trainingJobs(s: HayouSettings, data: DataChoice): HayouJob[] {
  const jobs: HayouJob[] = [];
  for (const a of HAYOU_ACTIVATIONS) {
    for (const arm of hayouArms()) {
      const init = armInit(a.spec, a.eocSigmaB2, arm);
      for (let k = 0; k < s.seeds; k++) {
        jobs.push({
          id: jobId(data.tag, a.name, arm.id, k),
          config: {
            kind: "train",
            data: data.tag,
            activation: a.spec,
            arm: arm.id,
            sigma_w2: init.sigmaW2Value,
            sigma_b2: init.sigmaB2,
            replicate: k,
            ...s,
            seeds: null,
          },
          cost:
            s.epochs *
            (s.limit ?? 60000) *
            ((data.tag === "cifar10" ? 3072 : 784) + s.depth * s.width) *
            s.width *
            (arm.batchnorm ? 1.3 : 1) *
            1e-8,
          async run(ctx) {
            const { trainRun } = await import("../../train/train.js");
            const ds = data.load();
            const cfg: TrainConfig = {
              task: "classification",
              width: s.width,
              depth: s.depth,
              activation: parseActivation(a.spec),
              noise: parseNoise("none"),
              sigmaW2: init.sigmaW2,
              sigmaB2: init.sigmaB2,
              optimizer: s.optimizer,
              lr: s.lr,
              batch: s.batch,
              epochs: s.epochs,
              valFraction: s.valFraction,
              limit: s.limit ?? undefined,
              evalLimit: s.evalLimit,
              testLimit: s.testLimit ?? undefined,
              seed: ctx.seed,
              ...(arm.batchnorm ? { batchnorm: true } : {}),
            };
            const r = await trainRun(ds, cfg, { onProgress: ctx.onProgress });
            return slimRun(r, init.sigmaW2Value, init.sigmaB2);
          },
        });
      }
    }
  }
  return jobs;
}

/** The sweep folder (under a `--from-sweep` root) of one data set × activation × arm. */
export function sweepName(data: string, act: string, arm: HayouArmId): string {
  return `${data}_${act.toLowerCase().replace(/[^a-z0-9]+/g, "_")}_${arm}`;
}

export interface HayouPlan {
  settings: HayouSettings;
  /** one sweep per data set × activation × arm */
  sweeps: { name: string; data: string; activation: string; arm: HayouArmId; command: string }[];
  /** how to run the shards and render the result */
  slurm: string;
  kubernetes: string;
  render: string;
  runs: number;
}

/**
 * The paper-scale plan: `sigprop sweep run` commands (noise none, depth 200, seeds 0..n−1) into
 * `root/<data>_<activation>_<arm>`, each runnable as shards, and the `reproduce` line that renders them.
 */
export function hayouPlan(root: string, opts: { cifar10?: string; shards?: number } = {}): HayouPlan {
  const s = HAYOU_SETTINGS.paper;
  const shards = opts.shards ?? s.seeds;
  const datas = [{ tag: "mnist", spec: "mnist" }];
  if (opts.cifar10) datas.push({ tag: "cifar10", spec: `cifar10:${opts.cifar10}` });
  const sweeps: HayouPlan["sweeps"] = [];
  for (const d of datas) {
    for (const a of HAYOU_ACTIVATIONS) {
      for (const arm of hayouArms()) {
        const name = sweepName(d.tag, a.name, arm.id);
        const init = arm.init === "eoc" ? `--init eoc --sigma-b2 ${a.eocSigmaB2}` : "--init ordered";
        const command =
          `sigprop sweep run --dataset ${d.spec} --task classification --activation ${a.spec} ${init}` +
          `${arm.batchnorm ? " --batchnorm" : ""} --noises none --depths ${s.depth} --width ${s.width}` +
          ` --optimizer ${s.optimizer} --lr ${s.lr} --batch ${s.batch} --epochs ${s.epochs}` +
          ` --val-fraction ${s.valFraction} --seeds ${s.seeds} --seed 0 --out ${join(root, name)}` +
          ` --shard $SHARD/${shards}`;
        sweeps.push({ name, data: d.tag, activation: a.name, arm: arm.id, command });
      }
    }
  }
  return {
    settings: s,
    sweeps,
    slurm: `sbatch --array=0-${shards - 1} --wrap 'SHARD=$SLURM_ARRAY_TASK_ID; <command>' (one array per sweep; ${s.seeds} seeds over ${shards} shards)`,
    kubernetes: `an indexed Job with completions: ${shards}, command with SHARD=$JOB_COMPLETION_INDEX`,
    render: `sigprop reproduce hayou --scale paper --from-sweep ${root}${opts.cifar10 ? ` --cifar10 ${opts.cifar10}` : ""} --out DIR`,
    runs: sweeps.length * s.seeds,
  };
}

/** Plain text of a plan (what `reproduce hayou --scale paper` prints). */
export function hayouPlanText(p: HayouPlan): string {
  return [
    `# Hayou et al. at paper scale: ${p.sweeps.length} sweeps × ${p.settings.seeds} seeds = ${p.runs} training runs (depth ${p.settings.depth}, width ${p.settings.width}, ${p.settings.optimizer.toUpperCase()} lr ${p.settings.lr}, ${p.settings.epochs} epochs)`,
    `# run each command once per shard (SHARD = 0..N−1); reruns resume. Slurm: ${p.slurm}; Kubernetes: ${p.kubernetes}`,
    ...p.sweeps.map((w) => w.command),
    `# then render: ${p.render}`,
  ].join("\n");
}

/** A sweep record as the figure's job result (σ_b² of the arm's init: a plan omits it at its default). */
function fromRecord(r: RunRecord, sigmaB2: number): HayouRun {
  return slimRun(r.result, r.sigma_w2, r.base.sigma_b2 ?? sigmaB2);
}

/**
 * The folders of sweep `name` among the `--from-sweep` folders: a folder that is that sweep (by its name,
 * e.g. one shard's copy), or the folder of that name inside one (the plan's root).
 */
function sweepDirs(dirs: string[], name: string): string[] {
  return dirs
    .map((d) => (basename(resolve(d)) === name ? d : join(d, name)))
    .filter((d) => existsSync(join(d, "sweep.json")));
}

/** Whether a folder is, or holds, one of the sweeps of the paper-scale plan (for `--from-sweep` dispatch). */
export function isHayouSweepFolder(dir: string): boolean {
  const names = ["mnist", "cifar10"].flatMap((d) =>
    HAYOU_ACTIVATIONS.flatMap((a) => HAYOU_ARMS.map((arm) => sweepName(d, a.name, arm.id))),
  );
  return names.some((n) => sweepDirs([dir], n).length > 0);
}

/** Jobs that read finished sweep records instead of training (paper scale with `--from-sweep`). */
function sweepJobs(s: HayouSettings, data: DataChoice, roots: string[]): HayouJob[] {
  const jobs: HayouJob[] = [];
  for (const a of HAYOU_ACTIVATIONS) {
    for (const arm of hayouArms()) {
      const name = sweepName(data.tag, a.name, arm.id);
      const sb2 = armInit(a.spec, a.eocSigmaB2, arm).sigmaB2;
      const dirs = sweepDirs(roots, name);
      const merged = dirs.length ? mergeSweeps(dirs) : null;
      if (merged) checkSweepPlan(merged.plan, s, a, arm, name);
      for (let k = 0; k < s.seeds; k++) {
        const rec = merged?.records.find((r) => r.seed === k) ?? null;
        jobs.push({
          id: jobId(data.tag, a.name, arm.id, k),
          config: {
            kind: "sweep_record",
            sweep: name,
            hash: rec?.hash ?? null,
            finished_at: rec?.finished_at ?? null,
          },
          cost: 1,
          async run() {
            return rec ? fromRecord(rec, sb2) : null;
          },
        });
      }
    }
  }
  return jobs;
}

/** A sweep folder must hold the planned setting (another depth or activation is exit 2, not a figure). */
function checkSweepPlan(
  p: SweepPlan,
  s: HayouSettings,
  a: (typeof HAYOU_ACTIVATIONS)[number],
  arm: HayouArm,
  name: string,
) {
  const b = p.base as SweepPlan["base"] & { batchnorm?: boolean };
  const problems: string[] = [];
  if (parseActivation(b.activation).spec !== parseActivation(a.spec).spec)
    problems.push(`activation ${b.activation}`);
  if (b.init !== arm.init) problems.push(`init ${b.init}`);
  if (!!b.batchnorm !== arm.batchnorm) problems.push(`batchnorm ${!!b.batchnorm}`);
  if (b.width !== s.width || !p.depths.includes(s.depth))
    problems.push(`width ${b.width}, depths ${p.depths}`);
  if (problems.length)
    throw new InputError(
      "fromSweep",
      name,
      `the sweep planned by \`sigprop reproduce hayou --scale paper\``,
      `it holds ${problems.join(", ")}`,
    );
}

/** Mean and sample sd (n − 1) of finite values; null when none. */
export function meanSd(xs: (number | null | undefined)[]): { mean: number; sd: number; n: number } | null {
  const v = xs.filter((x): x is number => typeof x === "number" && Number.isFinite(x));
  if (!v.length) return null;
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) : 0;
  return { mean: m, sd, n: v.length };
}

/** Per-epoch mean ± sd over seeds of test accuracy and wall seconds (epochs every seed reached). */
function curves(runs: HayouRun[]) {
  const epochs = [...new Set(runs.flatMap((r) => r.history.map((h) => h.epoch)))].sort((a, b) => a - b);
  const out: { epoch: number; acc: number; accSd: number; seconds: number; n: number }[] = [];
  for (const e of epochs) {
    const hs = runs.map((r) => r.history.find((h) => h.epoch === e)).filter((h) => h !== undefined);
    const acc = meanSd(hs.map((h) => h.test_acc));
    const sec = meanSd(hs.map((h) => h.seconds));
    if (acc && sec) out.push({ epoch: e, acc: acc.mean, accSd: acc.sd, seconds: sec.mean, n: acc.n });
  }
  return out;
}

type Summary = {
  activation: string;
  arm: HayouArmId;
  armName: string;
  sigmaW2: number | null;
  sigmaB2: number | null;
  runs: number;
  diverged: number;
  /** final test accuracy in %, mean ± sd over seeds (diverged runs count as missing) */
  acc: { mean: number; sd: number; n: number } | null;
  published: Cell;
  seconds: number | null;
};

const pct = (x: number) => 100 * x;

function buildData(s: HayouSettings, data: DataChoice, runOf: (id: string) => HayouRun | null | undefined) {
  const summaries: Summary[] = [];
  const tables: Table[] = [];
  const epochPanels: PanelSpec[] = [];
  const timePanels: PanelSpec[] = [];
  const armNames = hayouArms().map((a) => a.name);
  for (const a of HAYOU_ACTIVATIONS) {
    const simE: SimPoints[] = [];
    const lineE: TheoryCurve[] = [];
    const simT: SimPoints[] = [];
    const lineT: TheoryCurve[] = [];
    for (const arm of hayouArms()) {
      const runs: HayouRun[] = [];
      for (let k = 0; k < s.seeds; k++) {
        const r = runOf(jobId(data.tag, a.name, arm.id, k));
        if (r) runs.push(r);
      }
      const ok = runs.filter((r) => r.status === "ok");
      const acc = meanSd(ok.map((r) => r.test_acc));
      summaries.push({
        activation: a.name,
        arm: arm.id,
        armName: arm.name,
        sigmaW2: runs[0]?.sigma_w2 ?? null,
        sigmaB2: runs[0]?.sigma_b2 ?? null,
        runs: runs.length,
        diverged: runs.length - ok.length,
        acc: acc ? { mean: pct(acc.mean), sd: pct(acc.sd), n: acc.n } : null,
        published: HAYOU_PUBLISHED[data.tag][a.name][arm.id],
        seconds: meanSd(runs.map((r) => r.seconds))?.mean ?? null,
      });
      const c = curves(ok);
      const x = c.map((p) => p.epoch);
      const t = c.map((p) => p.seconds);
      const m = c.map((p) => pct(p.acc));
      const sd = c.map((p) => pct(p.accSd));
      simE.push({ series: arm.name, x, mean: m, std: sd });
      lineE.push({ series: arm.name, x, y: m });
      simT.push({ series: arm.name, x: t, mean: m, std: sd });
      lineT.push({ series: arm.name, x: t, y: m });
      tables.push({
        name: `${data.tag}_${a.name.toLowerCase().replace(/[^a-z0-9]+/g, "_")}_${arm.id}_curve`,
        rows: rows({
          epoch: x,
          seconds_mean: t,
          test_acc_mean: m,
          test_acc_sd: sd,
          seeds: c.map((p) => p.n),
        }),
      });
    }
    const common = {
      yLabel: "test accuracy (%)",
      seriesOrder: armNames,
      yDomain: [0, 100] as [number, number],
      refLines: [{ label: "chance", x: [0, 1e9], y: [10, 10] }],
      width: 220,
      height: 180,
    };
    epochPanels.push(
      lineDotBandPanel({
        ...common,
        refLines: [{ label: "chance", x: [0, s.epochs], y: [10, 10] }],
        title: `${data.label} ${a.name}`,
        xLabel: "epoch",
        theory: lineE,
        sim: simE,
      }),
    );
    const tmax = Math.max(1, ...simT.flatMap((p) => p.x).filter(Number.isFinite));
    timePanels.push(
      lineDotBandPanel({
        ...common,
        refLines: [{ label: "chance", x: [0, tmax], y: [10, 10] }],
        title: `${data.label} ${a.name} vs wall time`,
        xLabel: "wall seconds (mean over seeds)",
        theory: lineT,
        sim: simT,
      }),
    );
  }
  tables.push({
    name: `${data.tag}_table`,
    rows: summaries.map((x) => ({
      activation: x.activation,
      arm: x.armName,
      sigma_w2: x.sigmaW2,
      sigma_b2: x.sigmaB2,
      runs: x.runs,
      diverged: x.diverged,
      test_acc_mean: x.acc?.mean ?? null,
      test_acc_sd: x.acc?.sd ?? null,
      published_mean: x.published?.mean ?? null,
      published_sd: x.published?.sd ?? null,
      seconds_mean: x.seconds,
    })),
  });
  return { summaries, tables, epochPanels, timePanels };
}

/** Panels in rows (figureSpec puts everything side by side): figureSpec's title and look, no panels, rows. */
function gridSpec(title: string, panelRows: PanelSpec[][], subtitle: string) {
  return topLevelSpec({
    ...figureObject(title, [], subtitle),
    vconcat: panelRows.map((r) => ({ hconcat: r, spacing: 30 })),
  });
}

const f1 = (x: number | null | undefined) =>
  typeof x === "number" && Number.isFinite(x) ? x.toFixed(1) : "—";

/** "a ± b" of a summary (or "—"). */
function cellText(c: { mean: number; sd: number } | null): string {
  return c ? `${f1(c.mean)} ± ${f1(c.sd)}` : "—";
}

/** The caption's findings for one data set, from the summaries. */
function findings(data: DataChoice, sm: Summary[]): string {
  const get = (act: string, arm: HayouArmId) => sm.find((x) => x.activation === act && x.arm === arm);
  const thr = 100 * HAYOU_TRAINS_AT;
  const parts: string[] = [];
  const eocTrains = HAYOU_ACTIVATIONS.filter((a) => (get(a.name, "eoc")?.acc?.mean ?? 0) >= thr).map(
    (a) => a.name,
  );
  const ordChance = HAYOU_ACTIVATIONS.filter((a) => {
    const m = get(a.name, "ordered")?.acc?.mean;
    return m !== undefined && m < thr;
  }).map((a) => a.name);
  const table = HAYOU_ACTIVATIONS.map((a) => {
    const arms = hayouArms()
      .map((arm) => {
        const x = get(a.name, arm.id);
        const pub = x?.published;
        return `${arm.name} ${cellText(x?.acc ?? null)} (paper ${pub ? `${pub.mean} ± ${pub.sd}` : "—"})`;
      })
      .join(", ");
    return `${a.name}: ${arms}`;
  }).join("; ");
  parts.push(`${data.label} final test accuracy (%) mean ± sd over seeds — ${table}.`);
  const smooth = ["ELU", "Tanh"].map((n) => get(n, "eoc")?.acc?.mean ?? NaN);
  const relu = get("ReLU", "eoc")?.acc?.mean ?? NaN;
  const smoothBeat = smooth.filter((m) => m > relu).length;
  // where ours and the paper differ on "trains" vs "near chance"
  const cells = HAYOU_ACTIVATIONS.flatMap((a) =>
    hayouArms().map((arm) => ({ a: a.name, arm: arm.name, x: get(a.name, arm.id) })),
  ).filter((c) => c.x?.acc && c.x.published);
  const differ = cells.filter((c) => c.x!.acc!.mean >= thr !== c.x!.published!.mean >= thr);
  parts.push(
    `Outcome: on the EOC ${eocTrains.length} of ${HAYOU_ACTIVATIONS.length} activations reached ≥ ${thr} % (${eocTrains.join(", ") || "none"}); ` +
      `in the ordered phase ${ordChance.length} of ${HAYOU_ACTIVATIONS.length} stayed below ${thr} % (near chance, 10 %) (${ordChance.join(", ") || "none"}); ` +
      `${smoothBeat} of 2 smooth activations (ELU ${f1(smooth[0])} %, Tanh ${f1(smooth[1])} %) ended above ReLU (${f1(relu)} %) on the EOC. ` +
      `Trains vs near chance agrees with the paper in ${cells.length - differ.length} of ${cells.length} cells` +
      (differ.length
        ? `; it differs for ${differ.map((c) => `${c.a} ${c.arm} (paper ${f1(c.x!.published!.mean)} %, here ${f1(c.x!.acc!.mean)} %)`).join(", ")}.`
        : "."),
  );
  if (BATCHNORM_AVAILABLE) {
    const bnBelow = HAYOU_ACTIVATIONS.filter((a) => {
      const e = get(a.name, "eoc")?.acc?.mean;
      const b = get(a.name, "eoc_bn")?.acc?.mean;
      return e !== undefined && b !== undefined && b < e;
    }).map((a) => a.name);
    const pub = HAYOU_PUBLISHED[data.tag];
    const paperBelow = HAYOU_ACTIVATIONS.filter(
      (a) => (pub[a.name].eoc_bn?.mean ?? Infinity) < (pub[a.name].eoc?.mean ?? -Infinity),
    ).length;
    parts.push(
      `EOC + BN ended below EOC for ${bnBelow.length} of ${HAYOU_ACTIVATIONS.length} activations (${bnBelow.join(", ") || "none"}; in the paper's table ${paperBelow} of ${HAYOU_ACTIVATIONS.length}).`,
    );
  }
  const div = sm.filter((x) => x.diverged > 0);
  if (div.length)
    parts.push(
      `Diverged (NaN/Inf) runs, left out of the means: ${div.map((x) => `${x.activation} ${x.armName} ${x.diverged}/${x.runs}`).join(", ")}.`,
    );
  for (const c of HAYOU_CONTRADICTIONS.filter((c) => c.data === data.tag))
    parts.push(`Note: ${c.note}; the table shows ${c.table}.`);
  return parts.join(" ");
}

/** The hayou figure; `cifar10` adds the CIFAR-10 arms, `sweeps` renders paper-scale sweep folders. */
export function makeHayou(opts: { cifar10?: string; sweeps?: string[] } = {}): Figure {
  const datas: DataChoice[] = [{ tag: "mnist", label: "MNIST", spec: "mnist", load: loadMnist }];
  if (opts.cifar10) {
    const dir = opts.cifar10;
    let cached: Dataset | null = null;
    datas.push({
      tag: "cifar10",
      label: "CIFAR-10",
      spec: `cifar10:${dir}`,
      load: () => (cached ??= loadCifar10Folder(dir)),
    });
  }
  // the jobs of a scale, made once: at paper scale they read the sweep folders, and build reads them back
  const jobsAt = new Map<string, HayouJob[]>();
  const jobsOf = (scale: Scale): HayouJob[] => {
    const key = JSON.stringify(scale);
    let jobs = jobsAt.get(key);
    if (!jobs) {
      jobs = makeJobs(scale);
      jobsAt.set(key, jobs);
    }
    return jobs;
  };
  const makeJobs = (scale: Scale): HayouJob[] => {
    const s = hayouSettings(scale);
    if (scale.name === "paper") {
      if (!opts.sweeps?.length)
        throw new InputError(
          "scale",
          "paper",
          "quick, or paper with --from-sweep DIR",
          "the paper scale of hayou is a sweep plan: `sigprop reproduce hayou --scale paper` prints it; render the finished sweeps with --from-sweep DIR",
        );
      return datas.flatMap((d) => sweepJobs(s, d, opts.sweeps as string[]));
    }
    return datas.flatMap((d) => trainingJobs(s, d));
  };
  const fig: Figure = {
    id: "hayou",
    title: BATCHNORM_AVAILABLE
      ? "Hayou et al. — training from the edge of chaos, with batch norm, and from the ordered phase"
      : "Hayou et al. — training from the edge of chaos and from the ordered phase",
    jobs: jobsOf,
    build(scale: Scale, results: Map<string, Json>): FigureOutput {
      const s = hayouSettings(scale);
      const tables: Table[] = [];
      const panelRows: PanelSpec[][] = [];
      const runs = new Map(jobsOf(scale).map((j) => [j.id, resultOf(j, results)]));
      const data: Record<string, Json> = {
        settings: s,
        arms: hayouArms().map((a) => a.name),
        batchnorm_available: BATCHNORM_AVAILABLE,
        trains_at: HAYOU_TRAINS_AT,
        published: HAYOU_PUBLISHED,
        contradictions: HAYOU_CONTRADICTIONS,
      };
      const caps: string[] = [];
      for (const d of datas) {
        const b = buildData(s, d, (id) => runs.get(id));
        tables.push(...b.tables);
        panelRows.push(b.epochPanels, b.timePanels);
        data[d.tag] = b.summaries;
        caps.push(findings(d, b.summaries));
      }
      const missing = [...results.values()].filter((v) => v === null).length;
      const armText = hayouArms()
        .map((a) => a.name)
        .join(", ");
      const caption =
        `Plain fully connected networks of depth ${s.depth}, width ${s.width}, trained with ${s.optimizer.toUpperCase()} (lr ${s.lr}, batch ${s.batch}) for ${s.epochs} epochs` +
        `${s.limit ? ` on a seeded ${s.limit}-example subset` : ""}, ${s.seeds} seeds per cell; test accuracy on ${s.testLimit ? `the first ${s.testLimit}` : "all"} test examples. ` +
        `Arms: ${armText}; EOC σ_b² = ${HAYOU_ACTIVATIONS.map((a) => `${a.name} ${a.eocSigmaB2}`).join(", ")} with σ_w² from the EOC solver; ordered phase (σ_b², σ_w²) = (1, 1). ` +
        (BATCHNORM_AVAILABLE
          ? ""
          : "The EOC + BN arm is NOT shown: batch normalisation is not available to training in this build. ") +
        `Prediction (Hayou et al., seed table after 100 epochs at depth 200, width 300): EOC networks train (MNIST ReLU 93.57, ELU 97.62, Tanh 97.20, but S-Softplus 10.32), ordered-phase networks stay at chance (≈ 10 %), smooth ELU/Tanh beat ReLU on the EOC. ` +
        `"Trains" here means a final test accuracy ≥ ${100 * HAYOU_TRAINS_AT} %, "near chance" below it. Wall seconds are those of the machine that ran the jobs (and its load at the time). ` +
        caps.join(" ") +
        (scale.name === "paper"
          ? ""
          : ` This is the ${scale.name} scale (not the paper's depth and epochs): compare the ordering, not the numbers.`) +
        (missing ? ` ${missing} runs were missing from the sweep folders.` : "");
      return {
        spec: gridSpec(
          fig.title,
          panelRows,
          `scale ${scale.name}: depth ${s.depth}, width ${s.width}, ${s.optimizer.toUpperCase()} lr ${s.lr}, ${s.epochs} epochs, ${s.seeds} seeds (mean ± sd); top: vs epoch, bottom: vs wall time`,
        ),
        caption,
        tables,
        agreement: [],
        data,
      };
    },
  };
  return fig;
}

/** The registry entry (MNIST; `--cifar10 DIR` and `--from-sweep DIR` build their own with `makeHayou`). */
export const hayou: Figure = makeHayou();
