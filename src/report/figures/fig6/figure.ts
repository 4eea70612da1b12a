/**
 * Fig 6 — real data (FIGURES.md; Pretorius et al. 2018, Fig 6), assembled from its jobs (jobs.ts) or from a
 * merged `sigprop sweep` (the paper-scale heat maps).
 *
 * (a)/(d) Variance propagation depth: an MNIST / CIFAR-10 batch forwarded (no training) through deep ReLU
 *     networks with dropout keep p = 0.6 over σ_w² ∈ linspace(0.1, 2.5, 25); the first layer where the
 *     float32 variance over/underflows (src/train/varianceDepth.ts), mean ± std over networks, against
 *     L*(σ_w²) = (ln K − ln q⁰)/ln γ, γ = σ_w² μ2/2. Near criticality (γ → 1) no network over/underflows
 *     within the maximum depth: those σ_w² are drawn as "≥ max depth" markers and not compared.
 * (b, c)/(e, f) Trainable depth: critical init σ_w² = 2p over keep p × depth; heat maps of the final train
 *     (b/e) and validation (c/f) loss divided by the best constant predictor's (1 = learned nothing), with
 *     the theory's trainable depth 6ξ_c (white, dashed) and the measured trainable boundary (red steps:
 *     the deepest trainable depth per p). Cells that diverged (NaN/Inf) are empty and listed.
 *
 * Layout: two rows per data set (the variance panel, then the two heat maps), about 900 px wide, so the
 * text keeps its size on the report page; each panel is also written as its own SVG/PNG (fig6a.png, …).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadCifar10Folder, loadMnist, type Dataset } from "../../../data/index.js";
import { InputError } from "../../../theory/errors.js";
import { parseNoise } from "../../../theory/noise.js";
import {
  canonical,
  mergeSweeps,
  planProblem,
  planRuns,
  readPlan,
  recordProblem,
  type Merged,
  type RunRecord,
  type SweepPlan,
} from "../../../train/sweep.js";
import type { TopLevelSpec } from "vega-lite";
import { figureRows, heatmapPanel, lineDotBandPanel, panelFigure, type PanelSpec } from "../../chartSpec.js";
import type { Agreement, Figure, FigureOutput, Job, Json, Scale, Table } from "../../figure.js";
import { resultOf } from "../../jobs.js";
import { finiteOrNull, linspace, short } from "../common.js";
import { trainingJobs, varianceJobs, type DataChoice, type TrainJob, type VarianceJob } from "./jobs.js";
import {
  epochs,
  fig6Settings,
  protocolText,
  trainingDifferences,
  varianceDifferences,
  type Fig6Settings,
  type TrainingSettings,
} from "./settings.js";
import { criticalSigmaW2, overflowDepth, trainableDepth, trainableDepthCurve } from "./theory.js";

/** One heat-map cell (averaged over seeds when it comes from a sweep). */
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

/** The `description` of the measured trainable boundary's Vega-Lite layer (tests look for it). */
export const BOUNDARY_LAYER = "trainable_boundary";
/** The measured boundary's colour (visible on every viridis cell). */
const BOUNDARY_COLOR = "#ff2a1a";

const HEAT_W = 280;
const HEAT_H = 240;
const VAR_W = 620;
const VAR_H = 250;

/**
 * Break text into lines of at most `width` characters at spaces. A Vega title does not wrap, and headless
 * Vega sizes text as 0.8 × characters × font size, so one long subtitle line would widen the whole figure
 * (and shrink its text on the page): 100 characters at 11 px are ≈ 880 px.
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const w of text.split(" ")) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/**
 * The measured trainable boundary as a step line over the heat map's bands: in column p it lies on the
 * top edge of the deepest trainable cell (on the bottom edge of the grid when no depth is trainable).
 * Coordinates are fractional band indices, as the heat map's overlays use.
 */
export function boundarySteps(cells: Cell[]): { gx: number; gy: number; k: number }[] {
  const xs = [...new Set(cells.map((c) => c.keep))].sort((a, b) => a - b);
  const ys = [...new Set(cells.map((c) => c.depth))].sort((a, b) => a - b);
  const pts: { gx: number; gy: number; k: number }[] = [];
  xs.forEach((keep, i) => {
    const tr = cells.filter((c) => c.keep === keep && c.trainable).map((c) => c.depth);
    const gy = tr.length ? ys.indexOf(Math.max(...tr)) + 0.5 : -0.5;
    pts.push({ gx: i - 0.5, gy, k: pts.length }, { gx: i + 0.5, gy, k: pts.length + 1 });
  });
  return pts;
}

/** The boundary layer for a heat map of `cells` drawn at w × h (same overlay scales as heatmapPanel's). */
function boundaryLayer(cells: Cell[], w: number, h: number): PanelSpec {
  const nx = new Set(cells.map((c) => c.keep)).size;
  const ny = new Set(cells.map((c) => c.depth)).size;
  return {
    description: BOUNDARY_LAYER,
    data: { values: boundarySteps(cells) },
    mark: { type: "line", color: BOUNDARY_COLOR, strokeWidth: 3, clip: false },
    encoding: {
      x: {
        field: "gx",
        type: "quantitative",
        scale: { domain: [-0.5, nx - 0.5], range: [0, w] },
        axis: null,
      },
      y: {
        field: "gy",
        type: "quantitative",
        scale: { domain: [-0.5, ny - 0.5], range: [h, 0] },
        axis: null,
      },
      order: { field: "k", type: "quantitative" },
    },
  };
}

/** Heat-map panels (train, val) over (keep, depth) with 6ξ_c and the measured boundary. */
export function heatPanels(
  cells: Cell[],
  opts: { titles: [string, string]; subtitle: string; curve: boolean },
): PanelSpec[] {
  const keeps = [...new Set(cells.map((c) => c.keep))].sort((a, b) => a - b);
  const overlay =
    opts.curve && keeps.length > 1
      ? { label: "6ξ_c", ...trainableDepthCurve(keeps[0], keeps[keeps.length - 1]) }
      : undefined;
  const panel = (which: "train" | "val", title: string) => {
    const spec = heatmapPanel({
      title,
      xLabel: "dropout keep probability p",
      yLabel: "depth (hidden layers)",
      colorLabel: "loss ratio",
      cells: cells.map((c) => ({
        x: c.keep,
        y: c.depth,
        value: which === "train" ? c.trainRatio : c.valRatio,
      })),
      curve: overlay,
      colorScale: "log",
      colorScheme: "viridis",
      width: HEAT_W,
      height: HEAT_H,
    });
    const layers = spec.layer as PanelSpec[];
    return {
      ...spec,
      title: {
        text: title,
        subtitle: wrapText(opts.subtitle, 44),
        anchor: "start",
        fontSize: 13,
        subtitleFontSize: 11,
      },
      layer: cells.length ? [...layers, boundaryLayer(cells, HEAT_W, HEAT_H)] : layers,
    };
  };
  return [panel("train", opts.titles[0]), panel("val", opts.titles[1])];
}

/** Panel (a)/(d) and its table and agreement row. */
function varianceBuild(
  s: Fig6Settings,
  data: DataChoice,
  jobs: VarianceJob[],
  results: ReadonlyMap<string, Json>,
) {
  const v = s.variance;
  const mu2 = 1 / v.keep;
  const critical = criticalSigmaW2(v.keep);
  const x: number[] = [];
  const m: number[] = [];
  const sd: number[] = [];
  const theoryAt: number[] = [];
  const censoredAt: number[] = [];
  const tableRows: Record<string, number | string | null>[] = [];
  let q0 = 1;
  for (const job of jobs) {
    const r = resultOf(job, results);
    if (!r) continue;
    const sw2 = job.config.sigma_w2;
    q0 = 2 * r.mean_square;
    const th = overflowDepth(sw2, mu2, q0);
    const ds = r.nets.map((n) => n.depth).filter((d): d is number => d !== null);
    const mu = mean(ds);
    const sdv =
      mu !== null && ds.length > 1
        ? Math.sqrt(ds.reduce((a, d) => a + (d - mu) ** 2, 0) / (ds.length - 1))
        : 0;
    const censored = ds.length < r.nets.length;
    tableRows.push({
      sigma_w2: sw2,
      gamma: th.gamma,
      theory_depth: finiteOrNull(th.depth),
      theory_kind: th.kind,
      sim_depth_mean: censored ? null : mu,
      sim_depth_std: censored ? null : sdv,
      // "≥ max_depth" when a network reached the maximum depth without over/underflow
      sim_depth_bound: censored ? `>= ${v.maxDepth}` : null,
      found: ds.length,
      networks: r.nets.length,
      kinds: [...new Set(r.nets.map((n) => n.kind ?? "none"))].join("/"),
    });
    if (censored) censoredAt.push(sw2);
    else if (mu !== null && th.depth !== null) {
      x.push(sw2);
      m.push(mu);
      sd.push(sdv);
      theoryAt.push(th.depth);
    }
  }
  const lo = v.sigmaW2s[0];
  const hi = v.sigmaW2s[v.sigmaW2s.length - 1];
  const dense = linspace(lo, hi, 400);
  const ty = dense
    .map((w) => overflowDepth(w, mu2, q0).depth ?? NaN)
    .map((d) => (d > 0 && d <= v.maxDepth * 1.2 ? d : NaN));
  const simSeries = `simulated (width ${v.width}, ${v.networks} networks)`;
  const censSeries = `no over/underflow within ${v.maxDepth} layers`;
  const theorySeries = "theory L*(σ_w²)";
  const title = `(${data.panels[0]}) ${data.label}: layer where the float32 variance over/underflows`;
  const spec = lineDotBandPanel({
    title,
    xLabel: "σ_w²",
    yLabel: "layer (log scale)",
    yScale: "log",
    xDomain: [0, hi],
    yDomain: [1, v.maxDepth * 1.5],
    width: VAR_W,
    height: VAR_H,
    seriesOrder: [theorySeries, simSeries, censSeries],
    theory: (["under", "over"] as const).map((g) => {
      const keep = dense.map((w) => (g === "under" ? w < critical : w > critical));
      return {
        series: theorySeries,
        group: g,
        x: dense.filter((_, i) => keep[i]),
        y: ty.filter((_, i) => keep[i]),
      };
    }),
    // one band each side of the critical point (a band across the censored σ_w² would invent data there)
    sim: (["under", "over"] as const).map((g) => {
      const idx = x.map((_, i) => i).filter((i) => (g === "under" ? x[i] < critical : x[i] > critical));
      return {
        series: simSeries,
        group: g,
        x: idx.map((i) => x[i]),
        mean: idx.map((i) => m[i]),
        std: idx.map((i) => sd[i]),
      };
    }),
    markers: censoredAt.map((w, i) => ({
      series: censSeries,
      x: w,
      y: v.maxDepth,
      label: i === 0 ? `≥ ${v.maxDepth}` : "",
    })),
    refLines: [
      { label: `critical σ_w² = ${short(critical)}`, x: [critical, critical], y: [1, v.maxDepth * 1.5] },
    ],
  });
  spec.title = {
    text: title,
    subtitle: wrapText(
      `ReLU, dropout p = ${v.keep} (critical σ_w² = ${short(critical)}, dashed); ◆ = no over/underflow within ${v.maxDepth} layers`,
      100,
    ),
    anchor: "start",
    fontSize: 13,
    subtitleFontSize: 11,
  };
  // z = (sim − theory)/(std/√networks) needs a spread: where every network stopped at the same layer
  // (depths are whole layers) the std is 0 and no z exists; those points count in the mean deviation only.
  const dev = x.map((_, i) => Math.abs(m[i] - theoryAt[i]));
  const withSpread = x.map((_, i) => i).filter((i) => sd[i] > 0);
  const rel = x.map((_, i) => dev[i] / theoryAt[i]);
  const agreement: Agreement = {
    panel: data.panels[0],
    series: `${data.label} variance depth`,
    n: x.length,
    meanAbsDev: mean(dev) ?? NaN,
    maxDevOverStd: withSpread.length ? Math.max(...withSpread.map((i) => dev[i] / sd[i])) : NaN,
    maxAbsZ: withSpread.length
      ? Math.max(...withSpread.map((i) => (dev[i] / sd[i]) * Math.sqrt(v.networks)))
      : NaN,
    note:
      `max relative deviation ${(Math.max(0, ...rel) * 100).toFixed(1)} %; ` +
      (withSpread.length === x.length
        ? `z over all ${x.length} points`
        : `z over the ${withSpread.length} of ${x.length} points whose networks stopped at different layers; at the other ${x.length - withSpread.length} every network stopped at the same layer (std 0, no z)`) +
      `; ${censoredAt.length} σ_w² (${censoredAt.map((w) => short(w)).join(", ") || "none"}) reached depth ${v.maxDepth} without over/underflow (near criticality) and are not compared`,
  };
  return {
    spec,
    table: { name: `${data.panels[0]}_${data.tag}_variance_depth`, rows: tableRows },
    agreement,
    q0,
    censored: censoredAt,
  };
}

/** Heat-map cells from the figure's own training jobs. */
function cellsFromJobs(jobs: TrainJob[], results: ReadonlyMap<string, Json>): Cell[] {
  const cells: Cell[] = [];
  for (const job of jobs) {
    const r = resultOf(job, results);
    if (!r) continue;
    cells.push({
      keep: job.config.keep,
      depth: job.config.depth,
      trainLoss: r.train_loss,
      valLoss: r.val_loss,
      trainRatio: r.train_loss === null ? null : r.train_loss / r.baseline,
      valRatio: r.ratio,
      trainable: r.trainable,
      diverged: r.status === "diverged" ? 1 : 0,
      runs: 1,
    });
  }
  return cells;
}

/** Keep probability of a sweep's noise spec (1/μ2 for a noise without one). */
function keepOf(noise: string): number {
  const n = parseNoise(noise);
  return n.keep ?? 1 / n.mu2;
}

/** Heat-map cells of a merged sweep (averaged over seeds; trainable when most seeds are). */
export function cellsFromSweep(m: Merged): Cell[] {
  const by = new Map<string, Merged["records"]>();
  for (const r of m.records) {
    const k = `${keepOf(r.noise)}|${r.depth}`;
    by.set(k, [...(by.get(k) ?? []), r]);
  }
  return [...by.entries()].map(([k, rs]) => {
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
}

/** Deepest trainable depth per keep and the theory 6ξ_c, as a table. */
function boundaryRows(cells: Cell[]): Record<string, number | string | null>[] {
  const keeps = [...new Set(cells.map((c) => c.keep))].sort((a, b) => a - b);
  return keeps.map((k) => {
    const cs = cells.filter((c) => c.keep === k);
    const tr = cs.filter((c) => c.trainable).map((c) => c.depth);
    const un = cs.filter((c) => !c.trainable).map((c) => c.depth);
    return {
      keep: k,
      theory_6xi_c: finiteOrNull(trainableDepth(k)),
      deepest_trainable: tr.length ? Math.max(...tr) : null,
      shallowest_untrainable: un.length ? Math.min(...un) : null,
      diverged: cs.reduce((a, c) => a + c.diverged, 0),
    };
  });
}

/** The training settings a sweep plan ran (for the footer and the differences from the paper). */
function sweepTraining(m: Merged): TrainingSettings {
  const b = m.plan.base;
  return {
    task: b.task,
    width: b.width,
    keeps: [...new Set(m.plan.noises.map(keepOf))].sort((a, c) => a - c),
    depths: [...new Set(m.plan.depths)].sort((a, c) => a - c),
    optimizer: b.optimizer,
    lr: b.lr,
    batch: b.batch,
    epochs: b.epochs,
    limit: b.limit,
    evalLimit: b.eval_limit,
    valFraction: b.val_fraction,
    threshold: b.threshold,
  };
}

/** Which Fig 6 data set a sweep trained on: mnist or cifar10 (anything else is not Fig 6). */
export function sweepDataTag(m: Merged, flag = "fromSweep", dir = "DIR"): "mnist" | "cifar10" {
  const b = m.plan.base;
  const valid =
    "a sweep of critical ReLU networks with dropout on mnist or cifar10:DIR (sigprop sweep run --keep …)";
  const why = (what: string) => new InputError(flag, dir, valid, what);
  if (b.activation !== "relu") throw why(`its activation is ${b.activation}, Fig 6 is ReLU`);
  if (b.init !== "critical") throw why(`its init is ${b.init}, Fig 6 uses the critical σ_w² = 2p`);
  const bad = m.plan.noises.find(
    (n) => parseNoise(n).type !== "multiplicative" && parseNoise(n).type !== "none",
  );
  if (bad !== undefined) throw why(`noise ${bad} is not dropout`);
  if (b.dataset === "mnist") return "mnist";
  if (/^cifar-?10:/.test(b.dataset)) return "cifar10";
  throw why(`its data set is ${b.dataset}; Fig 6 has MNIST and CIFAR-10 panels`);
}

/** All panel titles of a spec built here (the text of each panel's title, in order). */
export function panelTitles(spec: unknown): string[] {
  const out: string[] = [];
  const walk = (s: unknown, top: boolean) => {
    if (!s || typeof s !== "object") return;
    const o = s as Record<string, unknown>;
    if (!top && o.title && typeof o.title === "object" && "text" in o.title)
      out.push(String((o.title as { text: unknown }).text));
    for (const k of ["vconcat", "hconcat"])
      if (Array.isArray(o[k])) for (const c of o[k] as unknown[]) walk(c, false);
  };
  walk(spec, true);
  return out;
}

export interface Fig6Options {
  /** the cifar-10-batches-bin folder: adds panels (d–f) */
  cifar10?: string;
  /** settings for every scale (tests); default FIG6_SETTINGS by scale name */
  settings?: Fig6Settings;
  /** merged sweeps (MNIST and/or CIFAR-10) whose runs replace the training jobs of their heat maps */
  sweeps?: Merged[];
}

/** Why the CIFAR-10 panels are absent when no folder is given. */
export const CIFAR_LEFT_OUT =
  "CIFAR-10 panels (d–f) are left out: CIFAR-10 is not bundled (licence and 160 MB); pass --cifar10 DIR (the cifar-10-batches-bin folder) to add them";

/** Fig 6 with MNIST and, given a folder, CIFAR-10; heat maps from its own jobs or from merged sweeps. */
export function makeFig6(opts: Fig6Options = {}): Figure {
  const sweepBy = new Map<string, Merged>();
  for (const m of opts.sweeps ?? []) {
    const tag = sweepDataTag(m);
    if (sweepBy.has(tag))
      throw new InputError(
        "fromSweep",
        m.plan.base.dataset,
        "at most one sweep per data set",
        `two ${tag} sweeps`,
      );
    sweepBy.set(tag, m);
  }
  // a CIFAR-10 sweep names its folder; the variance panel (d) forwards batches of the same data
  const cifarDir =
    opts.cifar10 ?? sweepBy.get("cifar10")?.plan.base.dataset.replace(/^cifar-?10:/, "") ?? undefined;
  const datas: DataChoice[] = [{ tag: "mnist", label: "MNIST", panels: ["a", "b", "c"], load: loadMnist }];
  if (cifarDir !== undefined) {
    let cached: Dataset | null = null;
    datas.push({
      tag: "cifar10",
      label: "CIFAR-10",
      panels: ["d", "e", "f"],
      load: () => (cached ??= loadCifar10Folder(cifarDir)),
    });
  }
  const settingsOf = (scale: Scale) => opts.settings ?? fig6Settings(scale);
  const jobsOf = (s: Fig6Settings, d: DataChoice) => ({
    variance: varianceJobs(s, d),
    training: sweepBy.has(d.tag) ? [] : trainingJobs(s, d),
  });
  return {
    id: "fig6",
    title: "Fig 6 — real data: variance propagation depth and trainable depth",
    jobs(scale: Scale): Job[] {
      const s = settingsOf(scale);
      return datas.flatMap((d) => {
        const j = jobsOf(s, d);
        return [...j.variance, ...j.training];
      });
    },
    build(scale: Scale, results: ReadonlyMap<string, Json>): FigureOutput {
      const s = settingsOf(scale);
      const rows: PanelSpec[][] = [];
      const standalonePanels: { name: string; spec: TopLevelSpec }[] = [];
      const tables: Table[] = [];
      const agreement: Agreement[] = [];
      const footer: string[] = [];
      // the heat maps' differences from the paper's protocol, once per distinct protocol
      const captions: { labels: string[]; text: string }[] = [];
      const data: Record<string, Json> = {
        settings: { variance: { ...s.variance }, training: { ...s.training } },
        criterion: `trainable iff no NaN/Inf and final validation loss ≤ ${s.training.threshold} × the best constant predictor's validation loss`,
      };
      const vdiff = varianceDifferences(s.variance);
      footer.push(
        `(${datas.map((d) => d.panels[0]).join("/")}) width ${s.variance.width}, ${s.variance.networks} networks × batch ${s.variance.batch}, dropout p = ${s.variance.keep}, depth ≤ ${s.variance.maxDepth}${vdiff.length ? ` — differs from the paper: ${vdiff.join(", ")}` : " (the paper's settings)"}`,
      );
      for (const d of datas) {
        const j = jobsOf(s, d);
        const v = varianceBuild(s, d, j.variance, results);
        tables.push(v.table);
        agreement.push(v.agreement);
        data[`${d.tag}_q0`] = v.q0;
        data[`${d.tag}_censored_sigma_w2`] = v.censored;
        const sweep = sweepBy.get(d.tag);
        const t = sweep ? sweepTraining(sweep) : s.training;
        const cells = sweep ? cellsFromSweep(sweep) : cellsFromJobs(j.training, results);
        const [, pb, pc] = d.panels;
        const heat = heatPanels(cells, {
          titles: [`(${pb}) ${d.label}: final training loss`, `(${pc}) ${d.label}: final validation loss`],
          subtitle: `÷ the best constant predictor's; ${t.task}, ${t.optimizer === "sgd" ? "SGD" : "Adam"}, ${epochs(t.epochs)}, width ${t.width}; white dashed: 6ξ_c; red: trainable boundary`,
          curve: true,
        });
        rows.push([v.spec], heat);
        standalonePanels.push(
          { name: `fig6${d.panels[0]}`, spec: panelFigure(v.spec) },
          { name: `fig6${pb}`, spec: panelFigure(heat[0]) },
          { name: `fig6${pc}`, spec: panelFigure(heat[1]) },
        );
        const diffs = trainingDifferences(t);
        const source = sweep
          ? `merged sweep: ${sweep.records.length} runs, ${sweep.missing.length} missing, ${[...new Set(sweep.plan.seeds)].length} seed(s) per cell`
          : "this run's training jobs";
        footer.push(
          `(${pb}, ${pc}) ${protocolText(t)}, σ_w² = 2p (${source})${diffs.length ? ` — differs from the paper: ${diffs.join(", ")}` : " (the paper's protocol)"}`,
        );
        if (diffs.length) {
          const text = diffs.join("; ");
          const same = captions.find((c) => c.text === text);
          if (same) same.labels.push(d.label);
          else captions.push({ labels: [d.label], text });
        }
        const bnd = boundaryRows(cells);
        tables.push({
          name: `${pb}_${d.tag}_training`,
          rows: cells.map((c) => ({
            keep: c.keep,
            depth: c.depth,
            train_loss: c.trainLoss,
            val_loss: c.valLoss,
            train_ratio: c.trainRatio,
            val_ratio: c.valRatio,
            trainable: c.trainable ? 1 : 0,
            diverged: c.diverged,
            runs: c.runs,
          })),
        });
        tables.push({ name: `${pb}_${d.tag}_boundary`, rows: bnd });
        data[`${d.tag}_boundary`] = bnd;
        data[`${d.tag}_training_protocol`] = { ...t, source: sweep ? "sweep" : "jobs", differences: diffs };
      }
      const hasCifar = datas.some((d) => d.tag === "cifar10");
      data.cifar10 = hasCifar
        ? { included: true, reason: null }
        : { included: false, reason: CIFAR_LEFT_OUT };
      if (!hasCifar) footer.push(CIFAR_LEFT_OUT);
      const letters = datas.map((d) => d.panels);
      const caption =
        `(${letters.map((l) => l[0]).join(", ")}) first layer where the float32 variance of a ${datas.map((d) => d.label).join(" / ")} batch over/underflows in a ReLU network with dropout p = ${s.variance.keep}, against L*(σ_w²) = (ln K − ln q⁰)/ln γ; ◆ marks σ_w² where no network over/underflowed within ${s.variance.maxDepth} layers (≥ ${s.variance.maxDepth}, not compared). ` +
        `(${letters.map((l) => `${l[1]}, ${l[2]}`).join("; ")}) final training and validation loss (divided by the best constant predictor's) over keep p × depth at critical init σ_w² = 2p, with the theory's trainable depth 6ξ_c (white, dashed) and the measured trainable boundary (red: the deepest trainable depth per p). ` +
        `${data.criterion}. ${captions.map((c) => `The ${c.labels.join(" and ")} heat maps here train a different task from the paper's: ${c.text}. Their boundary is this protocol's, not the paper's.`).join(" ")}${hasCifar ? "" : ` ${CIFAR_LEFT_OUT}.`}`;
      data.footer = footer;
      return {
        spec: figureRows(
          this.title,
          rows,
          footer.flatMap((l) => wrapText(l, 100)),
        ),
        caption,
        footer: footer.join("; "),
        panels: standalonePanels,
        tables,
        agreement,
        data,
      };
    },
  };
}

/** Fig 6 with MNIST only (the registry entry; `--cifar10 DIR` and `--from-sweep` build their own). */
export const fig6: Figure = makeFig6();

/** Heat maps of any merged `sigprop sweep` (`sigprop sweep merge`; cells averaged over seeds). */
export function sweepFigure(m: Merged): { spec: TopLevelSpec; cells: Cell[] } {
  const cells = cellsFromSweep(m);
  const multiplicative = m.plan.noises.every((n) => parseNoise(n).type !== "additive");
  const b = m.plan.base;
  const curve = multiplicative && b.init === "critical" && b.activation === "relu";
  const spec = figureRows(
    `sigprop sweep: ${b.task} on ${b.dataset}`,
    [
      heatPanels(cells, {
        titles: ["final training loss", "final validation loss"],
        subtitle: `÷ the best constant predictor's; ${b.task}, ${b.dataset}`,
        curve,
      }),
    ],
    wrapText(
      `width ${b.width}, init ${b.init}, ${b.optimizer} lr ${b.lr}, ${epochs(b.epochs)}; x = keep p (or 1/μ2); ${curve ? "white: 6ξ_c" : "no 6ξ_c curve (not critical ReLU with multiplicative noise)"}; red: trainable boundary; ${m.missing.length} runs missing`,
      100,
    ),
  );
  return { spec, cells };
}

/**
 * The sweeps of `--from-sweep DIR…`: each DIR is a sweep folder (`sweep.json` + `runs/`, e.g. one per
 * shard) or the output of `sigprop sweep merge` (`results.json`). Folders of the same plan are merged into
 * one; every file is validated (an InputError names the file and the fault).
 */
export function loadFig6Sweeps(dirs: string[], flag = "fromSweep"): Merged[] {
  const groups = new Map<string, string[]>();
  const merged: Merged[] = [];
  for (const dir of dirs) {
    const plan = existsSync(join(dir, "sweep.json")) ? readPlan(dir, flag) : null;
    if (plan) {
      const k = canonical(plan);
      groups.set(k, [...(groups.get(k) ?? []), dir]);
      continue;
    }
    const f = join(dir, "results.json");
    if (!existsSync(f))
      throw new InputError(
        flag,
        dir,
        "a sweep folder (sweep.json) or a `sigprop sweep merge` folder (results.json)",
      );
    merged.push(readMergedResults(dir, f, flag));
  }
  for (const ds of groups.values()) merged.push(mergeSweeps(ds));
  return merged;
}

/** A `sweep merge` results.json read back and checked against its plan. */
function readMergedResults(dir: string, file: string, flag: string): Merged {
  const bad = (what: string) =>
    new InputError(flag, dir, "a sweep folder or a `sigprop sweep merge` folder", `${file}: ${what}`);
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw bad(`not valid JSON (${(e as Error).message})`);
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw bad("not a JSON object");
  const o = v as { plan?: unknown; records?: unknown };
  const problem = planProblem(o.plan);
  if (problem) throw bad(`plan: ${problem}`);
  const plan = o.plan as SweepPlan;
  if (!Array.isArray(o.records)) throw bad("'records' is missing or not a list");
  const runs = planRuns(plan);
  const byId = new Map(runs.map((r) => [r.id, r]));
  const records: RunRecord[] = [];
  for (const rec of o.records as unknown[]) {
    const id = rec && typeof rec === "object" ? (rec as { id?: unknown }).id : undefined;
    const run = typeof id === "string" ? byId.get(id) : undefined;
    if (!run) throw bad(`a record ${JSON.stringify(id)} is not a run of its plan`);
    const p = recordProblem(rec, run);
    if (p) throw bad(`record ${run.id}: ${p}`);
    records.push(rec as RunRecord);
  }
  const have = new Set(records.map((r) => r.id));
  return { plan, records, missing: runs.filter((r) => !have.has(r.id)) };
}
