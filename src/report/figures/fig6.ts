/**
 * Fig 6 — real data (FIGURES.md; Pretorius et al. 2018, Fig 6).
 *
 * (a) Variance propagation depth: an MNIST batch forwarded (no training) through deep ReLU networks with
 *     dropout keep p = 0.6 over σ_w² ∈ linspace(0.1, 2.5, 25); the first layer where the float32 variance
 *     over/underflows (src/train/varianceDepth.ts), mean ± std over networks, against L*(σ_w²) =
 *     (ln K − ln q⁰)/ln γ, γ = σ_w² μ2/2 (theory `overflowDepth`). Near criticality (γ → 1) L* exceeds the
 *     simulated depth; such runs are censored at the maximum depth and left out of the comparison.
 * (b), (c) Trainable depth: critical init σ_w² = 2p over keep p × depth, trained on MNIST; heat maps of the
 *     final train and validation loss divided by the best constant predictor's loss (1 = learned nothing),
 *     with the theory's trainable depth 6ξ_c overlaid. Cells that diverged (NaN/Inf) are empty and listed.
 *
 * Scales: `paper` = the paper's settings (width 1000, depth ≤ 1000, reconstruction with plain SGD lr 1e-3,
 * batch 128, 200 epochs, 90/10 split, the full grid). `quick` (≈ 10 minutes on 2 cores) keeps the σ_w²
 * grid and the theory but uses width 256 and two networks for (a), and for (b)/(c) classification
 * (cross-entropy; reconstruction needs many epochs to leave the constant predictor) with Adam on a seeded
 * 4,000-example subset, width 128, 5 keeps × 5 depths, 4 epochs. Trainability criterion: see
 * src/train/train.ts (final val loss ≤ τ × constant predictor, τ = 0.5, and no NaN/Inf).
 * CIFAR-10 (d–f) runs when a folder is given: `makeFig6({ cifar10: PATH })`.
 */
import { loadCifar10Folder, loadMnist, toFloat, permutation, type Dataset } from "../../data/index.js";
import { analyze } from "../../theory/analyze.js";
import { overflowDepth } from "../../theory/critical.js";
import { parseActivation } from "../../theory/activations.js";
import { parseNoise } from "../../theory/noise.js";
import { checkModel } from "../../theory/model.js";
import type { Merged, RunRecord } from "../../train/sweep.js";
import { trainRun, type TrainConfig } from "../../train/train.js";
import { meanSquare, varianceDepth } from "../../train/varianceDepth.js";
import type { Agreement, Figure, FigureOutput, Job, Json, Scale, Table } from "../figure.js";
import { figureSpec, heatmapPanel, lineDotBandPanel, type PanelSpec } from "../plot.js";
import { finiteOrNull, linspace } from "./common.js";

export interface Fig6Settings {
  variance: {
    width: number;
    batch: number;
    networks: number;
    keep: number;
    sigmaW2s: number[];
    maxDepth: number;
  };
  training: {
    task: "reconstruction" | "classification";
    width: number;
    keeps: number[];
    depths: number[];
    optimizer: "sgd" | "adam";
    lr: number;
    batch: number;
    epochs: number;
    limit: number | null;
    evalLimit: number;
    valFraction: number;
    threshold: number;
  };
}

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

/** Theory trainable depth 6ξ_c for critical ReLU with dropout keep p (null at p = 1: ξ_c = ∞). */
export function trainableDepth(keep: number): number | null {
  const noise = parseNoise(`dropout:keep=${keep}`);
  const a = analyze(
    checkModel({ activation: parseActivation("relu"), noise, sigmaW2: 2 * keep, sigmaB2: 0 }),
    1,
    0.5,
  );
  return a.trainable_depth !== null && Number.isFinite(a.trainable_depth) ? a.trainable_depth : null;
}

/** The theory curve 6ξ_c over p ∈ [lo, hi] (dense, for the overlay). */
export function trainableDepthCurve(lo: number, hi: number, n = 60): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (const p of linspace(lo, hi, n)) {
    const d = trainableDepth(p);
    if (d !== null) {
      x.push(p);
      y.push(d);
    }
  }
  return { x, y };
}

/** A fixed seeded batch of a split's images in [0, 1]. */
function batchOf(ds: Dataset, n: number, seed: number): Float32Array {
  const idx = permutation(ds.test.n, seed, 6).subarray(0, n);
  return toFloat(ds.test.images, ds.dim, idx);
}

interface DataChoice {
  tag: string;
  label: string;
  load: () => Dataset;
}

function varianceJobs(s: Fig6Settings, data: DataChoice, panel: string): Job[] {
  const v = s.variance;
  return v.sigmaW2s.map((sw2) => {
    const th = overflowDepth(sw2, 1 / v.keep, 1);
    const layers = Math.min(v.maxDepth, th.depth === null ? v.maxDepth : Math.ceil(Math.abs(th.depth)) + 5);
    return {
      id: `${panel}/${data.tag}/sw2=${sw2}`,
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
        const noise = parseNoise(`dropout:keep=${v.keep}`);
        const out: Json[] = [];
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
          out.push({
            depth: r.depth,
            kind: r.kind,
            signal_depth: r.signalDepth,
            log10q_first: r.log10q.slice(0, 3).map(finiteOrNull),
          });
        }
        return { nets: out, mean_square: meanSquare(x) };
      },
    };
  });
}

function trainingJobs(s: Fig6Settings, data: DataChoice, panel: string): Job[] {
  const t = s.training;
  const jobs: Job[] = [];
  for (const keep of t.keeps) {
    for (const depth of t.depths) {
      jobs.push({
        id: `${panel}/${data.tag}/p=${keep}/L=${depth}`,
        config: {
          kind: "train",
          data: data.tag,
          keep,
          depth,
          ...t,
          keeps: null,
          depths: null,
        } as unknown as Json,
        cost: t.epochs * (t.limit ?? 60000) * (784 * t.width + depth * t.width * t.width) * 1e-8,
        async run(ctx) {
          const ds = data.load();
          const cfg: TrainConfig = {
            task: t.task,
            width: t.width,
            depth,
            activation: parseActivation("relu"),
            noise: parseNoise(`dropout:keep=${keep}`),
            sigmaW2: 2 * keep,
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
          const r = await trainRun(ds, cfg, ctx.onProgress);
          return {
            status: r.status,
            trainable: r.trainable,
            train_loss: r.trainLoss,
            val_loss: r.valLoss,
            baseline: r.baselineLoss,
            ratio: r.lossRatio,
            val_acc: r.valAcc ?? null,
            seconds: r.seconds,
            diverged_at: r.divergedAt ? { epoch: r.divergedAt.epoch, step: r.divergedAt.step } : null,
            history: r.history.map((h) => ({ epoch: h.epoch, train: h.trainLoss, val: h.valLoss })),
          } as Json;
        },
      });
    }
  }
  return jobs;
}

/** One heat-map cell summary (over seeds). */
export interface Cell {
  keep: number;
  depth: number;
  trainRatio: number | null;
  valRatio: number | null;
  trainLoss: number | null;
  valLoss: number | null;
  trainable: boolean;
  diverged: number;
  runs: number;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** Heat-map panels (train, val) over (keep, depth) with the 6ξ_c curve. */
export function heatPanels(cells: Cell[], label: string, curve: boolean): PanelSpec[] {
  const keeps = [...new Set(cells.map((c) => c.keep))].sort((a, b) => a - b);
  const overlay =
    curve && keeps.length > 1
      ? { label: "6ξ_c", ...trainableDepthCurve(keeps[0], keeps[keeps.length - 1]) }
      : undefined;
  const panel = (which: "train" | "val") =>
    heatmapPanel({
      title: `${label}: final ${which === "train" ? "train" : "validation"} loss / constant predictor`,
      xLabel: "dropout keep probability p",
      yLabel: "depth (hidden layers)",
      colorLabel: `${which} loss ratio`,
      cells: cells.map((c) => ({
        x: c.keep,
        y: c.depth,
        value: which === "train" ? c.trainRatio : c.valRatio,
      })),
      curve: overlay,
      colorScale: "log",
      colorScheme: "viridis",
    });
  return [panel("train"), panel("val")];
}

function varianceBuild(s: Fig6Settings, data: DataChoice, panel: string, results: Map<string, Json>) {
  const v = s.variance;
  const mu2 = 1 / v.keep;
  const x: number[] = [];
  const m: number[] = [];
  const sd: number[] = [];
  const theoryAt: (number | null)[] = [];
  const tableRows: Record<string, number | string | null>[] = [];
  let censored = 0;
  let q0 = 1;
  for (const sw2 of v.sigmaW2s) {
    const r = results.get(`${panel}/${data.tag}/sw2=${sw2}`) as
      | {
          nets: { depth: number | null; kind: string | null; signal_depth: number | null }[];
          mean_square: number;
        }
      | undefined;
    if (!r) continue;
    q0 = 2 * r.mean_square;
    const th = overflowDepth(sw2, mu2, q0);
    const ds = r.nets.map((n) => n.depth).filter((d): d is number => d !== null);
    censored += r.nets.length - ds.length;
    const mu = mean(ds);
    const sdv =
      ds.length > 1 ? Math.sqrt(ds.reduce((a, d) => a + (d - (mu as number)) ** 2, 0) / (ds.length - 1)) : 0;
    tableRows.push({
      sigma_w2: sw2,
      gamma: th.gamma,
      theory_depth: finiteOrNull(th.depth),
      theory_kind: th.kind,
      sim_depth_mean: mu,
      sim_depth_std: sdv,
      found: ds.length,
      networks: r.nets.length,
      kinds: [...new Set(r.nets.map((n) => n.kind ?? "none"))].join("/"),
    });
    if (ds.length === r.nets.length && mu !== null) {
      x.push(sw2);
      m.push(mu);
      sd.push(sdv);
      theoryAt.push(th.depth);
    }
  }
  const dense = linspace(v.sigmaW2s[0], v.sigmaW2s[v.sigmaW2s.length - 1], 400);
  const ty = dense
    .map((w) => overflowDepth(w, mu2, q0).depth ?? NaN)
    .map((d) => (d > 0 && d <= v.maxDepth * 1.2 ? d : NaN));
  const spec = lineDotBandPanel({
    title: `(${panel}) ${data.label}: depth where float32 variance over/underflows (dropout p = ${v.keep})`,
    xLabel: "σ_w²",
    yLabel: "layer",
    yScale: "log",
    xDomain: [0, v.sigmaW2s[v.sigmaW2s.length - 1]],
    theory: (["under", "over"] as const).map((g) => {
      const keep = dense.map((w) => (g === "under" ? w < 2 * v.keep : w > 2 * v.keep));
      return {
        series: "theory L*(σ_w²)",
        group: g,
        x: dense.filter((_, i) => keep[i]),
        y: ty.filter((_, i) => keep[i]),
      };
    }),
    sim: [{ series: `simulated (width ${v.width}, ${v.networks} nets)`, x, mean: m, std: sd }],
    refLines: [{ label: `critical σ_w² = ${2 * v.keep}`, x: [2 * v.keep, 2 * v.keep], y: [1, v.maxDepth] }],
  });
  const rel = x.map((_, i) => Math.abs(m[i] - (theoryAt[i] as number)) / (theoryAt[i] as number));
  const agreement: Agreement = {
    panel,
    series: `${data.label} variance depth`,
    n: x.length,
    meanAbsDev: mean(x.map((_, i) => Math.abs(m[i] - (theoryAt[i] as number)))) ?? NaN,
    maxDevOverStd: Math.max(
      0,
      ...x.map((_, i) => (sd[i] > 0 ? Math.abs(m[i] - (theoryAt[i] as number)) / sd[i] : 0)),
    ),
    maxAbsZ: Math.max(
      0,
      ...x.map((_, i) =>
        sd[i] > 0 ? (Math.abs(m[i] - (theoryAt[i] as number)) / sd[i]) * Math.sqrt(v.networks) : 0,
      ),
    ),
    note: `max relative deviation ${(Math.max(0, ...rel) * 100).toFixed(1)} %; ${censored} network runs reached depth ${v.maxDepth} without over/underflow (near criticality) and are not compared; depths are integers, so a zero spread gives no z`,
  };
  return {
    spec,
    table: { name: `${panel}_${data.tag}_variance_depth`, rows: tableRows } as Table,
    agreement,
    q0,
  };
}

function trainingCells(s: Fig6Settings, data: DataChoice, panel: string, results: Map<string, Json>): Cell[] {
  const t = s.training;
  const cells: Cell[] = [];
  for (const keep of t.keeps) {
    for (const depth of t.depths) {
      const r = results.get(`${panel}/${data.tag}/p=${keep}/L=${depth}`) as
        | {
            status: string;
            trainable: boolean;
            train_loss: number | null;
            val_loss: number | null;
            baseline: number;
            ratio: number | null;
          }
        | undefined;
      if (!r) continue;
      cells.push({
        keep,
        depth,
        trainLoss: r.train_loss,
        valLoss: r.val_loss,
        trainRatio: r.train_loss === null ? null : r.train_loss / r.baseline,
        valRatio: r.ratio,
        trainable: r.trainable,
        diverged: r.status === "diverged" ? 1 : 0,
        runs: 1,
      });
    }
  }
  return cells;
}

/** Deepest trainable depth per keep and the theory 6ξ_c, as a table. */
function boundaryRows(cells: Cell[]): Record<string, number | string | null>[] {
  const keeps = [...new Set(cells.map((c) => c.keep))].sort((a, b) => a - b);
  return keeps.map((k) => {
    const cs = cells.filter((c) => c.keep === k);
    const tr = cs.filter((c) => c.trainable).map((c) => c.depth);
    return {
      keep: k,
      theory_6xi_c: finiteOrNull(trainableDepth(k)),
      deepest_trainable: tr.length ? Math.max(...tr) : null,
      shallowest_untrainable: cs.filter((c) => !c.trainable).length
        ? Math.min(...cs.filter((c) => !c.trainable).map((c) => c.depth))
        : null,
      diverged: cs.reduce((a, c) => a + c.diverged, 0),
    };
  });
}

export function makeFig6(opts: { cifar10?: string } = {}): Figure {
  const datas: { data: DataChoice; var: string; train: string }[] = [
    { data: { tag: "mnist", label: "MNIST", load: loadMnist }, var: "a", train: "b" },
  ];
  if (opts.cifar10) {
    const dir = opts.cifar10;
    let cached: Dataset | null = null;
    datas.push({
      data: { tag: "cifar10", label: "CIFAR-10", load: () => (cached ??= loadCifar10Folder(dir)) },
      var: "d",
      train: "e",
    });
  }
  return {
    id: "fig6",
    title: "Fig 6 — real data: variance propagation depth and trainable depth",
    jobs(scale: Scale): Job[] {
      const s = fig6Settings(scale);
      return datas.flatMap((d) => [...varianceJobs(s, d.data, d.var), ...trainingJobs(s, d.data, d.train)]);
    },
    build(scale: Scale, results: Map<string, Json>): FigureOutput {
      const s = fig6Settings(scale);
      const panels: PanelSpec[] = [];
      const tables: Table[] = [];
      const agreement: Agreement[] = [];
      const data: Record<string, Json> = {
        settings: s as unknown as Json,
        criterion: `trainable iff no NaN/Inf and final validation loss ≤ ${s.training.threshold} × the best constant predictor's validation loss`,
      };
      for (const d of datas) {
        const v = varianceBuild(s, d.data, d.var, results);
        panels.push(v.spec);
        tables.push(v.table);
        agreement.push(v.agreement);
        const cells = trainingCells(s, d.data, d.train, results);
        panels.push(...heatPanels(cells, `(${d.train}) ${d.data.label} ${s.training.task}`, true));
        const bnd = boundaryRows(cells);
        tables.push({
          name: `${d.train}_${d.data.tag}_training`,
          rows: cells.map((c) => ({
            keep: c.keep,
            depth: c.depth,
            train_loss: c.trainLoss,
            val_loss: c.valLoss,
            train_ratio: c.trainRatio,
            val_ratio: c.valRatio,
            trainable: c.trainable ? 1 : 0,
            diverged: c.diverged,
          })),
        });
        tables.push({ name: `${d.train}_${d.data.tag}_boundary`, rows: bnd });
        data[`${d.data.tag}_boundary`] = bnd as unknown as Json;
        data[`${d.data.tag}_q0`] = v.q0;
      }
      const t = s.training;
      return {
        spec: figureSpec(
          this.title,
          panels,
          `critical init σ_w² = 2p; ${t.task}, ${t.optimizer} lr ${t.lr}, ${t.epochs} epochs, width ${t.width}; white curve: 6ξ_c`,
        ),
        caption:
          `(a) first layer where the float32 variance of an MNIST batch over/underflows in a ReLU network with dropout p = ${s.variance.keep}, against L*(σ_w²) = (ln K − ln q⁰)/ln γ. ` +
          `(b) final training and validation loss (divided by the best constant predictor's) over keep p × depth at critical init σ_w² = 2p, with 6ξ_c: ` +
          `the trainable region shrinks with noise along 6ξ_c. ${data.criterion}.`,
        tables,
        agreement,
        data,
      };
    },
  };
}

/** Fig 6 with MNIST only (the registry entry). */
export const fig6: Figure = makeFig6();

/** Heat maps of a merged `sigprop sweep` (cells averaged over seeds). */
export function sweepFigure(m: Merged): { spec: ReturnType<typeof figureSpec>; cells: Cell[] } {
  const by = new Map<string, RunRecord[]>();
  for (const r of m.records) {
    const n = parseNoise(r.noise);
    const k = `${n.keep ?? 1 / n.mu2}|${r.depth}`;
    by.set(k, [...(by.get(k) ?? []), r]);
  }
  const cells: Cell[] = [...by.entries()].map(([k, rs]) => {
    const [keep, depth] = k.split("|").map(Number);
    const ok = rs.filter((r) => r.result.status === "ok");
    const fin = (xs: (number | null)[]) =>
      mean(xs.filter((x): x is number => x !== null && Number.isFinite(x)));
    return {
      keep,
      depth,
      trainLoss: fin(ok.map((r) => r.result.trainLoss)),
      valLoss: fin(ok.map((r) => r.result.valLoss)),
      trainRatio: fin(
        ok.map((r) => (r.result.trainLoss === null ? null : r.result.trainLoss / r.result.baselineLoss)),
      ),
      valRatio: fin(ok.map((r) => r.result.lossRatio)),
      trainable: rs.filter((r) => r.result.trainable).length * 2 > rs.length,
      diverged: rs.length - ok.length,
      runs: rs.length,
    };
  });
  const multiplicative = m.plan.noises.every((n) => parseNoise(n).type !== "additive");
  const curve = multiplicative && m.plan.base.init === "critical" && m.plan.base.activation === "relu";
  const b = m.plan.base;
  const spec = figureSpec(
    `sigprop sweep: ${b.task} on ${b.dataset}`,
    heatPanels(cells, b.task, curve),
    `width ${b.width}, init ${b.init}, ${b.optimizer} lr ${b.lr}, ${b.epochs} epochs; x = keep p (or 1/μ2); ${curve ? "white curve: 6ξ_c" : "no 6ξ_c curve (not critical ReLU with multiplicative noise)"}; ${m.missing.length} runs missing`,
  );
  return { spec, cells };
}
