/**
 * Hayou et al.'s pictures of random tanh networks (300×20) along a 1-D input path (src/sim/draws.ts):
 * (a) ordered phase (σ_b, σ_w) = (1, 1): smooth outputs; (b) chaotic phase (0.3, 2): outputs that look
 * discontinuous. The number the figure tests is the correlation of outputs at neighbouring points,
 * mean field c^L(2π/P) vs the drawn networks (mean ± std over draws).
 */
import { networkDraws } from "../../sim/draws.js";
import { parseActivation } from "../../theory/activations.js";
import { parseNoise } from "../../theory/noise.js";
import { agreement } from "../agreement.js";
import type { Figure, Job, Json, Scale } from "../figure.js";
import { resultOf } from "../jobs.js";
import { figureSpec, lineDotBandPanel } from "../plot.js";
import { rows, short } from "./common.js";

type DrawsModel = { id: string; title: string; sigmaW2: number; sigmaB2: number };

export const DRAWS_MODELS: DrawsModel[] = [
  { id: "ordered", title: "(a) ordered: (σ_b, σ_w) = (1, 1)", sigmaW2: 1, sigmaB2: 1 },
  { id: "chaotic", title: "(b) chaotic: (σ_b, σ_w) = (0.3, 2)", sigmaW2: 4, sigmaB2: 0.09 },
];
const DEPTH = 20;
const POINTS = 200;

function settings(scale: Scale) {
  return {
    width: Math.min(300, scale.width),
    draws: Math.min(5, scale.networks),
    depth: DEPTH,
    points: POINTS,
  };
}

type DrawsSettings = ReturnType<typeof settings>;

type DrawsConfig = { kind: "draws"; activation: "tanh"; sigma_w2: number; sigma_b2: number } & DrawsSettings;

type DrawsJson = {
  angles: number[];
  outputs: number[][];
  theory: { q_out: number; neighbour_correlation: number | null };
  empirical: {
    q_out: number;
    q_out_std: number;
    neighbour_correlation: number;
    neighbour_correlation_std: number;
  };
};

/** The job of one model: `draws` networks' outputs along the input circle, with theory and empirical summaries. */
function drawsJob(m: DrawsModel, s: DrawsSettings): Job<DrawsConfig, DrawsJson> {
  return {
    id: m.id,
    config: { kind: "draws", activation: "tanh", sigma_w2: m.sigmaW2, sigma_b2: m.sigmaB2, ...s },
    cost: s.draws * s.depth * s.width * s.width * s.points,
    async run(ctx) {
      const r = networkDraws({
        model: {
          activation: parseActivation("tanh"),
          noise: parseNoise("none"),
          sigmaW2: m.sigmaW2,
          sigmaB2: m.sigmaB2,
        },
        ...s,
        seed: ctx.seed,
        onProgress: ctx.onProgress,
      });
      return {
        angles: r.angles,
        outputs: r.outputs,
        theory: { q_out: r.theory.qOut, neighbour_correlation: r.theory.neighbourCorrelation },
        empirical: {
          q_out: r.empirical.qOut,
          q_out_std: r.empirical.qOutStd,
          neighbour_correlation: r.empirical.neighbourCorrelation,
          neighbour_correlation_std: r.empirical.neighbourCorrelationStd,
        },
      };
    },
  };
}

export const drawsFigure: Figure = {
  id: "draws",
  title: "Hayou et al. — random tanh networks along a great circle, ordered vs chaotic",
  jobs(scale: Scale) {
    const s = settings(scale);
    return DRAWS_MODELS.map((m) => drawsJob(m, s));
  },
  build(scale: Scale, results: Map<string, Json>) {
    const s = settings(scale);
    const panels = [];
    const agree = [];
    const tables = [];
    const parts: string[] = [];
    for (const m of DRAWS_MODELS) {
      const r = resultOf(drawsJob(m, s), results);
      if (!r) throw new Error(`missing draws result of ${m.id}`);
      panels.push(
        lineDotBandPanel({
          title: m.title,
          xLabel: "angle θ on the input circle",
          yLabel: `output y^${DEPTH}_1(θ)`,
          theory: r.outputs.map((o, k) => ({ series: `draw ${k + 1}`, x: r.angles, y: o })),
          width: 320,
        }),
      );
      agree.push(
        agreement(
          m.id,
          "neighbour correlation",
          { mean: [r.empirical.neighbour_correlation], std: [r.empirical.neighbour_correlation_std] },
          [r.theory.neighbour_correlation],
          r.outputs.length,
          "correlation of outputs at neighbouring points Δθ = 2π/P, mean field vs drawn networks",
        ),
      );
      tables.push({
        name: m.id,
        rows: rows({ theta: r.angles, ...Object.fromEntries(r.outputs.map((o, k) => [`draw_${k + 1}`, o])) }),
      });
      const tc = r.theory.neighbour_correlation;
      const gap = (x: number) => (x < 1e-3 ? x.toExponential(2) : short(x, 4));
      parts.push(
        `${m.id} (σ_w² = ${m.sigmaW2}, σ_b² = ${m.sigmaB2}): neighbouring outputs (Δθ = 2π/${s.points}) have 1 − correlation ` +
          `${tc === null ? "—" : gap(1 - tc)} in mean field vs ${gap(1 - r.empirical.neighbour_correlation)} (std ${short(r.empirical.neighbour_correlation_std, 2)}) drawn; ` +
          `output variance ${short(r.theory.q_out, 4)} vs ${short(r.empirical.q_out, 4)} ± ${short(r.empirical.q_out_std, 2)}`,
      );
    }
    const caption =
      `${s.draws} draws of ${s.width}×${DEPTH} tanh networks, output along a great circle of the input space (${s.points} points). ` +
      "Mean field predicts smooth outputs in the ordered phase (neighbour correlation ≈ 1) and rough ones in the chaotic phase. " +
      parts.join("; ") +
      ". (In the ordered phase each draw is nearly constant in θ, so its mean square is one sample of q^L: the spread over draws is large.)";
    return {
      spec: figureSpec(drawsFigure.title, panels, `width ${s.width}, depth ${DEPTH}, ${s.draws} draws`),
      caption,
      tables,
      agreement: agree,
      data: { settings: s, models: DRAWS_MODELS },
    };
  },
};
