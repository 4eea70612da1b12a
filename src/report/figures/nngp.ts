/**
 * `reproduce nngp` — noisy NNGPs on MNIST (Pretorius, Kamper & Kroon 2019/2020, "On the expected behaviour
 * of noise regularised deep neural networks as Gaussian processes"): GP regression test accuracy over a
 * σ_w² × dropout keep probability grid, per depth, with the critical initialisation σ_w² = 2/μ2 = 2p
 * (docs/THEORY.md §1) drawn over it. The paper's finding: for ReLU the best-performing noisy NNGPs sit at the
 * critical initialisation. The figure says whether this run agrees, per (depth, keep) row: "flat" when
 * the row's best and worst accuracy are within two standard errors (√(a(1−a)/m), m test points: σ_w²
 * makes no measurable difference), else "agrees" when the accuracy at the grid point nearest 2p is within
 * two standard errors of the row's best, else "disagrees".
 *
 * Protocol (Lee et al. 2018; src/analysis/gpExperiment.ts): seeded subsets of the MNIST training and test
 * splits, pixels / 255, centred one-hot targets, posterior mean, argmax. ReLU with σ_b² > 0: with σ_b² = 0
 * a ReLU kernel is σ_w²-homogeneous (K ∝ (σ_w²)^{L+1}) and the GP mean would not depend on σ_w² at all.
 * No diagonal regulariser besides the noise itself (jitter only if the Cholesky needs it; recorded).
 * One job per (depth, keep): the data's Gram matrix once, then the kernel and solve per σ_w².
 */
import { loadMnist } from "../../data/index.js";
import { gpSubset } from "../../analysis/gpExperiment.js";
import { centredOneHot, gpFit, gpPredict, gpScore } from "../../theory/kernels/gp.js";
import { inputGram, nngpKernelFromGram } from "../../theory/kernels/nngp.js";
import { parseActivation } from "../../theory/activations.js";
import { parseNoise } from "../../theory/noise.js";
import { checkModel } from "../../theory/model.js";
import type { Figure, FigureOutput, Job, Json, Scale, Table } from "../figure.js";
import { resultOf } from "../jobs.js";
import { figureSpec, heatmapPanel } from "../plot.js";
import { criticalRelu, linspace } from "./common.js";

export type NngpSettings = {
  train: number;
  test: number;
  keeps: number[];
  sigmaW2s: number[];
  depths: number[];
  sigmaB2: number;
};

export const NNGP_SETTINGS: Record<"quick" | "paper", NngpSettings> = {
  quick: {
    train: 500,
    test: 500,
    keeps: [0.5, 0.6, 0.7, 0.8, 0.9, 1],
    sigmaW2s: linspace(0.4, 3.6, 17).map((v) => +v.toFixed(4)),
    depths: [2, 8],
    sigmaB2: 0.05,
  },
  paper: {
    train: 2000,
    test: 2000,
    keeps: linspace(0.1, 1, 10).map((v) => +v.toFixed(2)),
    sigmaW2s: linspace(0.2, 4, 39).map((v) => +v.toFixed(4)),
    depths: [1, 3, 10],
    sigmaB2: 0.05,
  },
};

/** A few-second setting for other scales (the tests' "tiny"). */
const SMALL: NngpSettings = {
  train: 60,
  test: 40,
  keeps: [0.8, 1],
  sigmaW2s: [1.2, 1.6, 2.4],
  depths: [2],
  sigmaB2: 0.05,
};

function settingsFor(scale: Scale): NngpSettings {
  return scale.name === "paper" ? NNGP_SETTINGS.paper : scale.name === "quick" ? NNGP_SETTINGS.quick : SMALL;
}

type Cell = {
  sigma_w2: number;
  accuracy: number;
  mse: number;
  jitter: number;
};

type NngpConfig = {
  depth: number;
  keep: number;
  train: number;
  test: number;
  sigmaW2s: number[];
  sigmaB2: number;
};

/** A row of the verdict table and of data.json. */
type Verdict = {
  depth: number;
  keep: number;
  critical_sigma_w2: number;
  best_sigma_w2: number;
  best_accuracy: number;
  accuracy_at_critical: number;
  sigma_w2_nearest_critical: number;
  worst_accuracy: number;
  standard_error: number;
  status: "flat" | "agrees" | "disagrees";
};

function noiseOf(keep: number): string {
  return keep === 1 ? "none" : `dropout:keep=${keep}`;
}

/** One (depth, keep) row: the data's Gram matrix once, then the NNGP kernel and GP fit per σ_w². */
function nngpJob(s: NngpSettings, depth: number, keep: number): Job<NngpConfig, { cells: Cell[] }> {
  return {
    id: `depth${depth}/keep${keep}`,
    config: {
      depth,
      keep,
      train: s.train,
      test: s.test,
      sigmaW2s: s.sigmaW2s,
      sigmaB2: s.sigmaB2,
    },
    cost: s.sigmaW2s.length * (s.train + s.test) ** 2,
    async run(ctx) {
      const sub = gpSubset(loadMnist(), s.train, s.test, ctx.seed);
      const gxx = inputGram(sub.train, null);
      const gsx = inputGram(sub.test, sub.train);
      const y = centredOneHot(sub.trainLabels, sub.classes);
      const cells: Cell[] = [];
      for (const [i, sw2] of s.sigmaW2s.entries()) {
        const model = checkModel({
          activation: parseActivation("relu"),
          noise: parseNoise(noiseOf(keep)),
          sigmaW2: sw2,
          sigmaB2: s.sigmaB2,
        });
        const kxx = nngpKernelFromGram(gxx, { model, depth });
        const kxs = nngpKernelFromGram(gsx, { model, depth });
        const fit = gpFit(kxx.nngp, y, sub.classes);
        const score = gpScore(gpPredict(kxs.nngp, fit.alpha, sub.classes), sub.testLabels, sub.classes);
        cells.push({ sigma_w2: sw2, accuracy: score.accuracy, mse: score.mse, jitter: fit.jitter });
        ctx.onProgress(i + 1, s.sigmaW2s.length);
      }
      return { cells };
    },
  };
}

export const nngp: Figure = {
  id: "nngp",
  title: "Noisy NNGPs on MNIST: test accuracy over σ_w² × keep probability",
  jobs(scale: Scale): Job[] {
    const s = settingsFor(scale);
    return s.depths.flatMap((depth) => s.keeps.map((keep) => nngpJob(s, depth, keep)));
  },
  build(scale: Scale, results: Map<string, Json>): FigureOutput {
    const s = settingsFor(scale);
    const rows: Record<string, number | string | null>[] = [];
    const verdicts: Verdict[] = [];
    const panels = s.depths.map((depth) => {
      const cells: { x: number; y: number; value: number | null }[] = [];
      const markers: { label: string; x: number; y: number; color?: string }[] = [];
      for (const keep of s.keeps) {
        const r = resultOf(nngpJob(s, depth, keep), results);
        if (!r) throw new Error(`missing NNGP result at depth ${depth}, keep ${keep}`);
        // critical σ_w² = 2p from the criticality module (theory/critical.ts criticalInit)
        const crit = criticalRelu(`dropout:keep=${keep}`).sigmaW2;
        let best = r.cells[0];
        for (const c of r.cells) {
          cells.push({ x: c.sigma_w2, y: keep, value: c.accuracy });
          rows.push({ depth, keep, mu2: 1 / keep, critical_sigma_w2: crit, ...c });
          if (c.accuracy > best.accuracy) best = c;
        }
        const near = r.cells.reduce((a, c) =>
          Math.abs(c.sigma_w2 - crit) < Math.abs(a.sigma_w2 - crit) ? c : a,
        );
        const se = Math.sqrt((best.accuracy * (1 - best.accuracy)) / s.test);
        const worst = Math.min(...r.cells.map((c) => c.accuracy));
        // flat: the whole row is within two standard errors (σ_w² makes no measurable difference)
        const status =
          best.accuracy - worst <= 2 * se
            ? "flat"
            : near.accuracy >= best.accuracy - 2 * se
              ? "agrees"
              : "disagrees";
        verdicts.push({
          depth,
          keep,
          critical_sigma_w2: crit,
          best_sigma_w2: best.sigma_w2,
          best_accuracy: best.accuracy,
          accuracy_at_critical: near.accuracy,
          sigma_w2_nearest_critical: near.sigma_w2,
          worst_accuracy: worst,
          standard_error: se,
          status,
        });
        markers.push({ label: "", x: best.sigma_w2, y: keep, color: "white" });
      }
      return heatmapPanel({
        title: `depth ${depth} (+ read-out): test accuracy, ring = best σ_w² per p`,
        xLabel: "σ_w²",
        yLabel: "dropout keep probability p",
        colorLabel: "test accuracy",
        cells,
        curve: {
          label: "critical σ_w² = 2p",
          x: s.keeps.map((p) => criticalRelu(`dropout:keep=${p}`).sigmaW2),
          y: s.keeps,
        },
        curveColor: "red",
        markers,
        axisFormat: ".2~f",
        axisEvery: Math.max(1, Math.round(s.sigmaW2s.length / 9)),
        colorScheme: "viridis",
        width: 360,
        height: 220,
      });
    });
    const count = (k: string) => verdicts.filter((v) => v.status === k).length;
    const verdict = `of ${verdicts.length} (depth, p) rows, ${count("agrees")} agree (accuracy at the critical σ_w² = 2p within two standard errors of the row's best), ${count("disagrees")} disagree, ${count("flat")} are flat (σ_w² changes accuracy by less than two standard errors)`;
    const tables: Table[] = [
      { name: "accuracy", rows },
      { name: "verdict", rows: verdicts },
    ];
    return {
      spec: figureSpec(
        nngp.title,
        panels,
        `ReLU, σ_b² = ${s.sigmaB2}, ${s.train} train / ${s.test} test MNIST images; ${verdict}`,
      ),
      caption: `GP regression (Lee et al. 2018's protocol, centred one-hot targets) with the NNGP kernel of a noisy ReLU network (noise on the diagonal, Pretorius, Kamper & Kroon 2019/2020), over σ_w² and dropout keep probability p, with σ_b² = ${s.sigmaB2} (with σ_b² = 0 the ReLU kernel's scale drops out of the GP mean). The red line is the critical initialisation σ_w² = 2/μ2 = 2p; rings mark each row's best σ_w². The paper found the best noisy NNGPs at criticality; in this run ${verdict} (the verdict table lists each row; standard error √(a(1−a)/m)).`,
      tables,
      agreement: [],
      data: { settings: s, verdict, rows: verdicts },
    };
  },
};
