/**
 * Fig 2 — noise breaks signal propagation (FIGURES.md). tanh (σ_w² = 1) and ReLU at He init (σ_w² = 2),
 * each without and with additive Gaussian noise (std 1). (a) one application of the variance map at 30
 * input variances in (0, 15]; (b) 15 layers of variance dynamics from q⁰ = 4: tanh + noise converges to
 * its q*, ReLU + additive noise grows by 2μ2 per layer and has no critical point.
 */
import { findQStar } from "../../theory/fixedPoints.js";
import type { Figure, Json, Scale } from "../figure.js";
import { modelOf, type ModelSpec } from "../jobs.js";
import { figureSpec, lineDotBandPanel } from "../plot.js";
import { finiteOrNull, linspace, short } from "./common.js";
import {
  finiteWidthNote,
  varianceFigureJobs,
  varianceMapAndDynamics,
  varianceMapPanel,
  type VarianceSetup,
} from "./panels.js";

export const FIG2_MODELS: { name: string; spec: ModelSpec }[] = [
  { name: "tanh", spec: { activation: "tanh", noise: "none", sigmaW2: 1, sigmaB2: 0 } },
  { name: "tanh + noise", spec: { activation: "tanh", noise: "gauss_add:std=1", sigmaW2: 1, sigmaB2: 0 } },
  { name: "ReLU", spec: { activation: "relu", noise: "none", sigmaW2: 2, sigmaB2: 0 } },
  { name: "ReLU + noise", spec: { activation: "relu", noise: "gauss_add:std=1", sigmaW2: 2, sigmaB2: 0 } },
];

/** The 30 input variances of panel (a): evenly spaced in (0, 15]. */
export const FIG2_Q0S = linspace(0.5, 15, 30);
export const FIG2_DEPTH = 15;
export const FIG2_Q0 = 4;

const FIG2_SETUP: VarianceSetup = { models: FIG2_MODELS, q0s: FIG2_Q0S, depth: FIG2_DEPTH, q0: FIG2_Q0 };

export const fig2: Figure = {
  id: "fig2",
  title: "Fig 2 — noise breaks signal propagation",
  jobs(scale: Scale) {
    return varianceFigureJobs(FIG2_SETUP, scale);
  },
  build(scale: Scale, results: Map<string, Json>) {
    const names = FIG2_MODELS.map((m) => m.name);
    const { a, b, agree, tables } = varianceMapAndDynamics(FIG2_SETUP, scale, results);
    const qStars: Record<string, { q_star: number | null; status: string }> = {};
    for (const m of FIG2_MODELS) {
      const qs = findQStar(modelOf(m.spec), FIG2_Q0);
      qStars[m.name] = { q_star: finiteOrNull(qs.qStar), status: qs.status };
    }
    const tanhNoise = qStars["tanh + noise"];
    const panelA = varianceMapPanel(a, names);
    const panelB = lineDotBandPanel({
      title: `(b) variance dynamics from q⁰ = ${FIG2_Q0}`,
      xLabel: "layer l",
      yLabel: "variance q^l",
      theory: b.theory,
      sim: b.sim,
      seriesOrder: names,
      markers:
        tanhNoise.q_star === null
          ? []
          : [
              {
                series: "tanh + noise",
                x: FIG2_DEPTH,
                y: tanhNoise.q_star,
                label: `q* = ${short(tanhNoise.q_star, 6)}`,
              },
            ],
    });
    const caption =
      "Additive noise (Gaussian, std 1) changes the variance map of tanh (σ_w² = 1) and of ReLU at He init (σ_w² = 2). " +
      `(a) One layer of the variance map (lines: theory; dots and bands: simulation mean ± 1 std over ${scale.networks} networks of width ${scale.width}). ` +
      `(b) ${FIG2_DEPTH} layers from q⁰ = ${FIG2_Q0}: noisy tanh settles at q* = ${tanhNoise.q_star === null ? "—" : short(tanhNoise.q_star, 10)}, ` +
      "while noisy ReLU grows by 2μ2 = 2 per layer without bound: with additive noise no critical initialisation exists. " +
      "In (b) dots are the mean over networks and bands the 16–84 % quantiles over networks. " +
      finiteWidthNote(FIG2_MODELS, scale, results, FIG2_DEPTH, FIG2_Q0);
    return {
      spec: figureSpec(
        fig2.title,
        [panelA, panelB],
        `scale: ${scale.name} (width ${scale.width}, ${scale.networks} networks)`,
      ),
      caption,
      tables,
      agreement: agree,
      data: {
        models: FIG2_MODELS.map((m) => ({ name: m.name, ...m.spec })),
        q0s_panel_a: FIG2_Q0S,
        depth_panel_b: FIG2_DEPTH,
        q0_panel_b: FIG2_Q0,
        q_star: qStars,
      },
    };
  },
};
