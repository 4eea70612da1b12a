/**
 * After initialisation (issue 12; the plan that ends the seed talk "Theory for Deep Learning",
 * Pretorius 2018): train students from critical vs random initialisations towards known optimal
 * solutions and follow, per layer and over training, the SVCCA similarity of their representations to
 * the solution's (src/analysis/afterInit.ts). Panels:
 * (a) parity: layer-mean SVCCA to the XOR-tree solution over training, per activation × initialisation
 *     (mean ± sd over seeds);
 * (b) teacher–student: the same towards a planted network;
 * (c) FFT (deep linear): relative loss over training per initialisation (SVCCA is 1 at every layer of
 *     an invertible linear network, so the caption reports the butterfly sparsity instead);
 * (d) parity from the exact solution plus noise: success rate against ‖θ₀ − θ*‖/‖θ*‖, with the random
 *     initialisations placed at their own distance;
 * (e), (f) loss landscape (Li et al. 2018, via train/landscape.ts directions): the probe loss along the
 *     line from each initialisation to its trained network, and a filter-normalised 2-D slice around the
 *     critical ReLU network after training.
 *
 * Pairing: task instance s (teacher, probe and training inputs) is shared by every arm, so arms are
 * compared on the same instances; the students' draws use each job's own seed.
 */
import {
  layerMean,
  meanSd,
  summariseArm,
  type ArmConfig,
  type ArmInit,
  type ArmResult,
  type ArmSummary,
} from "../../analysis/afterInit.js";
import { gridPoints, type LossPlane } from "../../train/landscape.js";
import type { Figure, FigureOutput, Job, Json, JsonOf, Scale, Table } from "../figure.js";
import { resultOf } from "../jobs.js";
import { planePanel, planeTable } from "../landscape.js";
import {
  figureObject,
  lineDotBandPanel,
  topLevelSpec,
  type Marker,
  type SimPoints,
  type TheoryCurve,
} from "../plot.js";
import { settingsAt, short, slug } from "./common.js";

export const SHIFTED = "shifted_relu:alpha=0.5";

export type AfterInitSettings = {
  seeds: number;
  steps: number;
  snapshots: number;
  parity: { bits: number; width: number; lr: number };
  teacher: { size: number; width: number; depth: number; lr: number; batch: number };
  fft: { points: number; lr: number; batch: number };
  probe: number;
  noise: { distances: number[]; trials: number; activations: string[] };
  landscape: { line: number[]; span: number; points: number };
  activations: string[];
  inits: ArmInit[];
  fftInits: ArmInit[];
};

const LINE_T = gridPoints(-0.25, 1.25, 31);

export const AFTER_INIT_SETTINGS: Record<"tiny" | "quick" | "paper", AfterInitSettings> = {
  tiny: {
    seeds: 2,
    steps: 20,
    snapshots: 4,
    parity: { bits: 4, width: 4, lr: 0.01 },
    teacher: { size: 4, width: 4, depth: 2, lr: 0.01, batch: 16 },
    fft: { points: 4, lr: 0.003, batch: 16 },
    probe: 32,
    noise: { distances: [0, 0.5], trials: 2, activations: ["relu"] },
    landscape: { line: [0, 0.5, 1], span: 0.5, points: 3 },
    activations: ["relu", SHIFTED],
    inits: ["critical", "ordered"],
    fftInits: ["critical", "orthogonal"],
  },
  quick: {
    seeds: 3,
    steps: 600,
    snapshots: 10,
    parity: { bits: 8, width: 8, lr: 0.01 },
    teacher: { size: 8, width: 8, depth: 3, lr: 0.01, batch: 64 },
    fft: { points: 8, lr: 0.003, batch: 64 },
    probe: 256,
    noise: { distances: [0, 0.1, 0.2, 0.35, 0.5, 0.75, 1], trials: 4, activations: ["relu", SHIFTED] },
    landscape: { line: LINE_T, span: 1, points: 21 },
    activations: ["relu", SHIFTED],
    inits: ["critical", "ordered", "chaotic", "he", "xavier"],
    fftInits: ["critical", "orthogonal", "ordered", "chaotic"],
  },
  paper: {
    seeds: 10,
    steps: 3000,
    snapshots: 14,
    parity: { bits: 16, width: 16, lr: 0.003 },
    teacher: { size: 16, width: 16, depth: 4, lr: 0.003, batch: 128 },
    fft: { points: 32, lr: 0.001, batch: 128 },
    probe: 1024,
    noise: {
      distances: [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1],
      trials: 10,
      activations: ["relu", SHIFTED],
    },
    landscape: { line: LINE_T, span: 1, points: 31 },
    activations: ["relu", SHIFTED],
    inits: ["critical", "ordered", "chaotic", "he", "xavier"],
    fftInits: ["critical", "orthogonal", "ordered", "chaotic"],
  },
};

export function afterInitSettings(scale: Scale): AfterInitSettings {
  return settingsAt(AFTER_INIT_SETTINGS, scale);
}

/** Short activation names for series labels. */
export function actName(spec: string): string {
  return spec === "relu"
    ? "ReLU"
    : spec === "linear"
      ? "linear"
      : spec.replace(/^shifted_relu:alpha=/, "sReLU α=");
}

/** The arms of a task: activation × init, He skipped for ReLU (it is ReLU's critical point). */
function arms(
  s: AfterInitSettings,
  task: "parity" | "teacher" | "fft",
): { activation: string; init: ArmInit }[] {
  if (task === "fft") return s.fftInits.map((init) => ({ activation: "linear", init }));
  return s.activations.flatMap((activation) =>
    s.inits.filter((i) => !(activation === "relu" && i === "he")).map((init) => ({ activation, init })),
  );
}

function seriesName(activation: string, init: ArmInit): string {
  const i = activation === "relu" && init === "critical" ? "critical = He" : init;
  return `${actName(activation)} ${i}`;
}

/** The arm configuration of a task at this scale (seed fields filled in per run). */
function armConfig(
  s: AfterInitSettings,
  task: "parity" | "teacher" | "fft",
  activation: string,
  init: ArmInit,
): Omit<ArmConfig, "seed"> {
  const common = {
    steps: s.steps,
    snapshots: s.snapshots,
    probe: s.probe,
    varianceKept: 0.99,
    optimizer: "adam" as const,
    distance: 0,
  };
  if (task === "parity")
    return {
      ...common,
      task,
      size: s.parity.bits,
      width: s.parity.width,
      depth: Math.log2(s.parity.bits),
      activation,
      init,
      lr: s.parity.lr,
      batch: 2 ** s.parity.bits,
    };
  if (task === "teacher")
    return {
      ...common,
      task,
      size: s.teacher.size,
      width: s.teacher.width,
      depth: s.teacher.depth,
      activation,
      init,
      lr: s.teacher.lr,
      batch: s.teacher.batch,
    };
  return {
    ...common,
    task,
    size: s.fft.points,
    width: 2 * s.fft.points,
    depth: Math.log2(s.fft.points) - 1,
    activation: "linear",
    init,
    lr: s.fft.lr,
    batch: s.fft.batch,
  };
}

/** A student seed per (job seed, seed index). */
function studentSeed(jobSeed: number, k: number): number {
  return (jobSeed + 7919 * (k + 1)) >>> 0;
}

/**
 * `v` as the cache holds it: JSON (non-finite → null), without the networks (`nets`). The JSON round
 * trip is the boundary where a typed value becomes its JSON shape.
 */
function stored<T>(v: T): JsonOf<T> {
  return JSON.parse(
    JSON.stringify(v, (k, x) =>
      k === "nets" ? undefined : typeof x === "number" && !Number.isFinite(x) ? null : x,
    ),
  );
}

/** A stored student run: an ArmResult without networks, whose number series hold null for NaN. */
type ArmJson = Omit<
  JsonOf<Omit<ArmResult, "nets">>,
  "loss" | "relLoss" | "svccaSolution" | "svccaInit" | "distance"
> & {
  loss: (number | null)[];
  relLoss: (number | null)[];
  svccaSolution: (number | null)[][];
  svccaInit: (number | null)[][];
  distance: (number | null)[];
};

/** Student runs as the cache holds them. */
function storedRuns(runs: ArmResult[]): ArmJson[] {
  return stored(runs);
}

/** Cached results back as ArmResults (nulls → NaN in the number series). */
function asRuns(j: ArmJson[] | undefined): ArmResult[] {
  if (!Array.isArray(j)) throw new Error("missing after-init result");
  const nan = (v: (number | null)[]) => v.map((x) => x ?? NaN);
  return j.map((r) => ({
    ...r,
    loss: nan(r.loss),
    relLoss: nan(r.relLoss),
    svccaSolution: r.svccaSolution.map(nan),
    svccaInit: r.svccaInit.map(nan),
    distance: nan(r.distance),
  }));
}

type ArmJobConfig = { kind: "after-init arm"; seeds: number } & Omit<ArmConfig, "seed">;
type NoiseJobConfig = { kind: "after-init solution+noise"; trials: number } & Omit<ArmConfig, "seed">;

/** One arm (task × activation × init): `seeds` students trained from their own draws. */
function armJob(
  s: AfterInitSettings,
  task: "parity" | "teacher" | "fft",
  activation: string,
  init: ArmInit,
): Job<ArmJobConfig, ArmJson[]> {
  const cfg = armConfig(s, task, activation, init);
  return {
    id: `${task}/${slug(activation)}/${init}`,
    config: { kind: "after-init arm", ...cfg, seeds: s.seeds },
    cost:
      s.seeds *
      s.steps *
      (task === "parity" ? 2 ** cfg.size : cfg.batch) *
      cfg.width *
      cfg.width *
      (cfg.depth + 1),
    async run(ctx) {
      const { runArm } = await import("../../analysis/afterInit.js");
      const out: ArmResult[] = [];
      for (let k = 0; k < s.seeds; k++) {
        out.push(
          await runArm({ ...cfg, seed: studentSeed(ctx.seed, k), taskSeed: k + 1 }, (d) =>
            ctx.onProgress(k * s.steps + d, s.seeds * s.steps),
          ),
        );
      }
      return storedRuns(out);
    },
  };
}

/** Parity from the exact solution moved to relative distance `distance`: `trials` students. */
function noiseJob(
  s: AfterInitSettings,
  activation: string,
  distance: number,
): Job<NoiseJobConfig, ArmJson[]> {
  const cfg = { ...armConfig(s, "parity", activation, "solution"), distance };
  return {
    id: `noise/${slug(activation)}/d${distance}`,
    config: { kind: "after-init solution+noise", ...cfg, trials: s.noise.trials },
    cost: s.noise.trials * s.steps * 2 ** cfg.size * cfg.width * cfg.width * (cfg.depth + 1),
    async run(ctx) {
      const { runArm } = await import("../../analysis/afterInit.js");
      const out: ArmResult[] = [];
      for (let k = 0; k < s.noise.trials; k++)
        out.push(
          await runArm({ ...cfg, snapshots: 2, seed: studentSeed(ctx.seed, k), taskSeed: k + 1 }, (d) =>
            ctx.onProgress(k * s.steps + d, s.noise.trials * s.steps),
          ),
        );
      return storedRuns(out);
    },
  };
}

type LandscapeJson = {
  lines: { init: ArmInit; label: string; t: number[]; loss: (number | null)[] }[];
  solutionLine: { t: number[]; loss: (number | null)[] };
  plane: JsonOf<LossPlane>;
};

type LandscapeJobConfig = { kind: "after-init landscape"; inits: ArmInit[] } & Omit<ArmConfig, "seed"> &
  AfterInitSettings["landscape"];

/** The landscape of parity with ReLU: line from each init to its trained net, and a slice around the critical one. */
function landscapeJob(s: AfterInitSettings): Job<LandscapeJobConfig, LandscapeJson> {
  const inits = s.inits.filter((i) => i !== "he");
  const base = armConfig(s, "parity", "relu", "critical");
  return {
    id: "landscape/parity/relu",
    config: { kind: "after-init landscape", ...base, inits, ...s.landscape },
    cost: inits.length * s.steps * 2 ** base.size * base.width * base.width * (base.depth + 1),
    async run(ctx) {
      const a = await import("../../analysis/afterInit.js");
      const setup = a.taskSetup({ ...a.DEFAULT_ARM, ...base, seed: 1, taskSeed: 1 });
      const lines: LandscapeJson["lines"] = [];
      let plane: LossPlane | null = null;
      let solutionLine: LandscapeJson["solutionLine"] | null = null;
      for (const [k, init] of inits.entries()) {
        const r = await a.runArm(
          { ...base, init, seed: studentSeed(ctx.seed, 0), taskSeed: 1, keepNets: true, snapshots: 2 },
          (d) => ctx.onProgress(k * s.steps + d, inits.length * s.steps),
        );
        if (!r.nets) continue;
        lines.push({
          init,
          label: r.init.label,
          t: s.landscape.line,
          loss: a.lossOnLine(setup, r.nets.start, r.nets.final, s.landscape.line),
        });
        if (init === "critical") {
          plane = a.lossPlaneAround(setup, r.nets.final, {
            span: s.landscape.span,
            points: s.landscape.points,
            seed: ctx.seed,
          });
          solutionLine = {
            t: s.landscape.line,
            loss: a.lossOnLine(setup, setup.solution, r.nets.final, s.landscape.line),
          };
        }
      }
      if (!plane || !solutionLine)
        throw new Error("after-init landscape: no critical initialisation to slice around");
      return stored({ lines, plane, solutionLine });
    },
  };
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "—");
const pm = (m: number, sd: number, d = 3) =>
  `${Number.isFinite(m) ? m.toFixed(d) : "—"} ± ${Number.isFinite(sd) ? sd.toFixed(d) : "—"}`;

function curvePanel(
  title: string,
  yLabel: string,
  sums: ArmSummary[],
  pick: (a: ArmSummary) => { mean: number[]; sd: number[] },
  yScale?: "log",
) {
  const theory: TheoryCurve[] = [];
  const sim: SimPoints[] = [];
  for (const a of sums) {
    const name = seriesName(a.activation, a.init);
    const v = pick(a);
    theory.push({ series: name, x: a.steps, y: v.mean });
    sim.push({ series: name, x: a.steps, mean: v.mean, std: v.sd });
  }
  return lineDotBandPanel({
    title,
    xLabel: "training step",
    yLabel,
    theory,
    sim,
    yScale,
    width: 330,
    height: 260,
  });
}

function summaryTable(name: string, sums: ArmSummary[]): Table {
  return {
    name,
    rows: sums.flatMap((a) =>
      a.steps.map((step, i) => ({
        activation: a.activation,
        init: a.init,
        init_label: a.label,
        step,
        svcca_solution_mean: a.svccaSolution.mean[i],
        svcca_solution_sd: a.svccaSolution.sd[i],
        svcca_init_mean: a.svccaInit.mean[i],
        svcca_init_sd: a.svccaInit.sd[i],
        rel_loss_mean: a.relLoss.mean[i],
        rel_loss_sd: a.relLoss.sd[i],
        solved_rate: i === a.steps.length - 1 ? a.solvedRate : null,
      })),
    ),
  };
}

function layerTable(name: string, sums: ArmSummary[]): Table {
  return {
    name,
    rows: sums.flatMap((a) =>
      a.finalSvccaSolution.mean.map((m, l) => ({
        activation: a.activation,
        init: a.init,
        layer: l + 1,
        svcca_solution_mean: m,
        svcca_solution_sd: a.finalSvccaSolution.sd[l],
      })),
    ),
  };
}

/** "critical beats the random inits" verdict on final layer-mean SVCCA to the solution, per activation. */
function verdict(sums: ArmSummary[], activation: string): string {
  const mine = sums.filter((a) => a.activation === activation);
  const crit = mine.find((a) => a.init === "critical");
  if (!crit) return "";
  const last = (a: ArmSummary) => a.svccaSolution.mean[a.svccaSolution.mean.length - 1];
  const lastSd = (a: ArmSummary) => a.svccaSolution.sd[a.svccaSolution.sd.length - 1];
  const others = mine.filter((a) => a !== crit);
  const better = others.filter((o) => last(crit) > last(o));
  const parts = mine.map(
    (a) => `${a.init} ${pm(last(a), lastSd(a))} (solved ${a.solvedRate * a.seeds}/${a.seeds})`,
  );
  return `${actName(activation)}: ${parts.join(", ")} — critical ${better.length === others.length ? "highest" : `above ${better.length} of ${others.length}`}`;
}

export const afterInit: Figure = {
  id: "after-init",
  title:
    "After initialisation — SVCCA towards known solutions (parity, teacher, FFT), critical vs random init",
  jobs(scale: Scale) {
    const s = afterInitSettings(scale);
    return [
      ...arms(s, "parity").map((a) => armJob(s, "parity", a.activation, a.init)),
      ...arms(s, "teacher").map((a) => armJob(s, "teacher", a.activation, a.init)),
      ...arms(s, "fft").map((a) => armJob(s, "fft", a.activation, a.init)),
      ...s.noise.activations.flatMap((act) => s.noise.distances.map((d) => noiseJob(s, act, d))),
      landscapeJob(s),
    ];
  },
  build(scale: Scale, results: Map<string, Json>): FigureOutput {
    const s = afterInitSettings(scale);
    const runsOf = (task: "parity" | "teacher" | "fft", activation: string, init: ArmInit) =>
      asRuns(resultOf(armJob(s, task, activation, init), results));
    const sumOf = (task: "parity" | "teacher" | "fft") =>
      arms(s, task).map((a) => summariseArm(runsOf(task, a.activation, a.init)));
    const parity = sumOf("parity");
    const teacher = sumOf("teacher");
    const fftRuns = arms(s, "fft").map((a) => runsOf("fft", a.activation, a.init));
    const fft = fftRuns.map(summariseArm);
    const tables: Table[] = [
      summaryTable("parity", parity),
      summaryTable("teacher", teacher),
      summaryTable("fft", fft),
    ];
    tables.push(layerTable("parity_layers", parity), layerTable("teacher_layers", teacher));

    // (d) success vs distance
    const noiseSim: SimPoints[] = [];
    const noiseTheory: TheoryCurve[] = [];
    const noiseRows: Record<string, number | string | null>[] = [];
    const noiseText: string[] = [];
    for (const act of s.noise.activations) {
      const rates: number[] = [];
      const sds: number[] = [];
      const before: number[] = [];
      for (const d of s.noise.distances) {
        const runs = asRuns(resultOf(noiseJob(s, act, d), results));
        const p = runs.filter((r) => r.solved).length / runs.length;
        const p0 = runs.filter((r) => r.accuracy && r.accuracy[0] === 1).length / runs.length;
        rates.push(p);
        sds.push(Math.sqrt((p * (1 - p)) / runs.length));
        before.push(p0);
        noiseRows.push({
          activation: act,
          distance: d,
          trials: runs.length,
          success_rate: p,
          correct_before_training: p0,
        });
      }
      noiseTheory.push({ series: actName(act), x: s.noise.distances, y: rates });
      noiseSim.push({ series: actName(act), x: s.noise.distances, mean: rates, std: sds });
      const half = s.noise.distances.find((_, i) => rates[i] < 0.5);
      noiseText.push(
        `${actName(act)}: success ${s.noise.distances.map((d, i) => `${short(d, 2)}→${short(rates[i], 2)}`).join(", ")} (correct before training: ${before.map((b) => short(b, 2)).join(", ")}); below 50 % from d = ${half ?? "—"}`,
      );
    }
    const markers: Marker[] = parity
      .map((a) => {
        const runs = runsOf("parity", a.activation, a.init);
        const d = meanSd(runs.map((r) => r.distance[0])).mean;
        return {
          series: actName(a.activation),
          x: d,
          y: a.solvedRate,
          label: a.init === "critical" && a.activation === "relu" ? "random inits" : "",
        };
      })
      .filter((m) => s.noise.activations.map(actName).includes(m.series));
    tables.push({ name: "parity_noise", rows: noiseRows });
    tables.push({
      name: "parity_random_init_distance",
      rows: parity.map((a) => {
        const runs = runsOf("parity", a.activation, a.init);
        return {
          activation: a.activation,
          init: a.init,
          distance_mean: meanSd(runs.map((r) => r.distance[0])).mean,
          solved_rate: a.solvedRate,
        };
      }),
    });

    // (e), (f) landscape
    const land = resultOf(landscapeJob(s), results);
    const lineTheory: TheoryCurve[] = [];
    let landscapeText = "";
    if (land) {
      for (const l of land.lines) {
        const ok = l.t
          .map((t, k) => [t, l.loss[k]] as const)
          .filter(([, v]) => v !== null && (v as number) > 0);
        lineTheory.push({
          series: `ReLU ${l.init}`,
          x: ok.map(([t]) => t),
          y: ok.map(([, v]) => v as number),
        });
      }
      tables.push({
        name: "landscape_lines",
        rows: land.lines.flatMap((l) => l.t.map((t, k) => ({ init: l.init, t, loss: l.loss[k] }))),
      });
      tables.push({ ...planeTable(land.plane), name: "landscape_plane" });
      const barrier = land.lines.map((l) => {
        const inside = l.t
          .map((t, k) => ({ t, v: l.loss[k] }))
          .filter((p) => p.t >= 0 && p.t <= 1 && p.v !== null);
        const vals = inside.map((p) => p.v as number);
        let monotone = true;
        for (let i = 1; i < vals.length; i++) if (vals[i] > vals[i - 1] * (1 + 1e-9)) monotone = false;
        return `${l.init}: ${f3(vals[0])} → ${f3(vals[vals.length - 1])}${monotone ? " (monotone)" : ` (max ${f3(Math.max(...vals))}, not monotone)`}`;
      });
      const sl = land.solutionLine.loss.filter(
        (v, k) => land.solutionLine.t[k] >= 0 && land.solutionLine.t[k] <= 1 && v !== null,
      ) as number[];
      landscapeText =
        `(e) Li et al. (2018) and Goodfellow et al. (2015) report that the loss along the straight line from the initialisation to the trained network typically decreases monotonically. Parity (ReLU, probe loss along θ(t), t ∈ [0, 1]): ${barrier.join("; ")}. ` +
        `Between the exact solution (t = 0) and the trained critical network (t = 1) the loss peaks at ${f3(Math.max(...sl))} (ends ${f3(sl[0])}, ${f3(sl[sl.length - 1])}): ${Math.max(...sl) > 2 * Math.max(sl[0], sl[sl.length - 1], 1e-3) ? "a barrier, so training found a different basin from the hand-coded one" : "no large barrier"}. ` +
        `(f) Filter-normalised slice (Li et al. §4) around the trained critical ReLU network, ${land.plane.alpha.length}² points on [−${s.landscape.span}, ${s.landscape.span}]².`;
    }

    const fftLast = (r: ArmResult) => r.relLoss[r.relLoss.length - 1];
    const fftText = fft.map((a, i) => {
      const runs = fftRuns[i];
      const sp = meanSd(runs.map((r) => layerMean(r.sparsity![r.sparsity!.length - 1]))).mean;
      const sp0 = meanSd(runs.map((r) => layerMean(r.sparsity![0]))).mean;
      const dist = meanSd(runs.map((r) => r.distance[r.distance.length - 1])).mean;
      const rl = meanSd(runs.map(fftLast));
      return `${a.init}: relative loss ${rl.mean.toExponential(1)} (solved ${a.solvedRate * a.seeds}/${a.seeds}), top-4 weight mass ${f3(sp0)} → ${f3(sp)} (butterfly: 1), ‖θ − θ*‖/‖θ*‖ ${f3(dist)}`;
    });
    const fftSvcca = Math.min(...fft.flatMap((a) => a.svccaSolution.mean.filter(Number.isFinite)));

    const parityInit = parity.map(
      (a) => `${seriesName(a.activation, a.init)} ${f3(a.svccaSolution.mean[0])}`,
    );
    const relu = verdict(parity, "relu");
    const sr = verdict(parity, SHIFTED);
    const tRelu = verdict(teacher, "relu");
    const tSr = verdict(teacher, SHIFTED);
    const srVsRelu = (sums: ArmSummary[]) => {
      const last = (a?: ArmSummary) => (a ? a.svccaSolution.mean[a.svccaSolution.mean.length - 1] : NaN);
      const r = sums.find((a) => a.activation === "relu" && a.init === "critical");
      const q = sums.find((a) => a.activation === SHIFTED && a.init === "critical");
      return `${f3(last(q))} vs ${f3(last(r))}`;
    };
    const caption =
      `Students trained with MSE (Adam, ${s.steps} steps, ${s.seeds} seeds; mean ± sd over seeds) from critical and random initialisations towards known solutions; ` +
      `SVCCA (99 % of Σ s² kept; a dead layer scores 0) between each hidden layer's post-activations and the solution's on the probe set, averaged over layers. ` +
      `Prediction (seed talk's plan): critical initialisation leads to representations closer to the optimal solution than ordered/chaotic/random ones, and the generalised shifted ReLU (α = 0.5, better-conditioned Jacobian) closer than ReLU. ` +
      `(a) Parity of ${s.parity.bits} bits (inputs ±1; solution: XOR tree, ${Math.log2(s.parity.bits)} hidden layers of width ${s.parity.width}), final layer-mean SVCCA to the solution: ${relu}; ${sr}. ` +
      `At step 0: ${parityInit.join(", ")}. Shifted vs plain ReLU (critical): ${srVsRelu(parity)}. ` +
      `(b) Teacher–student (planted critical network ${s.teacher.size}→${s.teacher.width}×${s.teacher.depth}→${s.teacher.size}): ${tRelu}; ${tSr}; shifted vs plain ReLU (critical) ${srVsRelu(teacher)}. ` +
      `(c) FFT of ${s.fft.points} points (deep linear, ${Math.log2(s.fft.points)} layers of width ${2 * s.fft.points}): SVCCA to the butterfly is ≥ ${f3(fftSvcca)} at every layer and step: 1 up to the 1 % discarded by the SV step, as it must be (each layer is an invertible linear image of the input, and SVCCA is invariant to those), so SVCCA cannot tell the butterfly from any other factorisation. Nye & Saxe (2018) predicted the map is learned but not the sparse butterfly: ${fftText.join("; ")}. ` +
      `(d) Nye & Saxe (2018) predicted parity is learned only from very near the hand-coded solution: ${noiseText.join("; ")} (${s.noise.trials} trials per point; random initialisations, at relative distance ${f3(meanSd(markers.map((m) => m.x)).mean)} on average, are the diamonds). ` +
      landscapeText;

    const panels = [
      curvePanel(
        "(a) parity: SVCCA to the XOR-tree solution",
        "layer-mean SVCCA to solution",
        parity,
        (a) => a.svccaSolution,
      ),
      curvePanel(
        "(b) teacher–student: SVCCA to the teacher",
        "layer-mean SVCCA to teacher",
        teacher,
        (a) => a.svccaSolution,
      ),
      curvePanel(
        "(c) FFT (deep linear): relative loss",
        "probe MSE / mean square target",
        fft,
        (a) => a.relLoss,
        "log",
      ),
      lineDotBandPanel({
        title: "(d) parity from solution + noise",
        xLabel: "‖θ₀ − θ*‖ / ‖θ*‖",
        yLabel: "success rate (all 2ⁿ signs right)",
        theory: noiseTheory,
        sim: noiseSim,
        markers,
        yDomain: [0, 1],
        width: 300,
        height: 260,
      }),
    ];
    if (land) {
      panels.push(
        lineDotBandPanel({
          title: "(e) parity: loss from init (t=0) to trained (t=1)",
          xLabel: "t",
          yLabel: "probe MSE",
          yScale: "log",
          theory: lineTheory,
          width: 300,
          height: 260,
        }),
        planePanel(land.plane, "(f) slice around trained critical ReLU"),
      );
    }
    // two rows of three panels (figureSpec lays panels out in one row)
    const base = figureObject(afterInit.title, [], `${s.seeds} seeds, ${s.steps} steps; scale ${scale.name}`);
    const spec = topLevelSpec({
      ...base,
      vconcat: [
        { hconcat: panels.slice(0, 3), spacing: 30, resolve: base.resolve },
        { hconcat: panels.slice(3), spacing: 30, resolve: base.resolve },
      ],
    });
    return {
      spec,
      caption,
      tables,
      agreement: [],
      data: {
        settings: s,
        parity: stored(parity),
        teacher: stored(teacher),
        fft: stored(fft),
      },
    };
  },
};
