/**
 * Fig 3 — critical initialisation for multiplicative noise (FIGURES.md). Dropout (keep p = 0.6) and
 * multiplicative Gaussian noise (s = 0.25), each at the critical σ_w² = 2/μ2 and at an underflow /
 * overflow initialisation (σ_w scaled by 0.85 / 1.15 for dropout, 0.75 / 1.25 for Gaussian noise).
 * (a) one layer of the variance map; (b) 15 layers from q⁰ = 4 (log scale); (c) the analytic boundary
 * σ_w² = 2/μ2 over μ2 ∈ [1, 2] between underflow and overflow.
 */
import type { Figure, Json, Scale } from "../figure.js";
import type { ModelSpec } from "../jobs.js";
import { figureSpec, lineDotBandPanel, type Marker } from "../plot.js";
import { criticalRelu, linspace, mu2Of, rows, short } from "./common.js";
import {
  finiteWidthNote,
  varianceFigureJobs,
  varianceMapAndDynamics,
  varianceMapPanel,
  type VarianceSetup,
} from "./panels.js";

interface Fig3Model {
  name: string;
  spec: ModelSpec;
  /** the factor applied to the critical σ_w */
  sigmaWScale: number;
}

function family(label: string, noise: string, under: number, over: number): Fig3Model[] {
  return [
    { name: `${label}, σ_w×${under}`, spec: criticalRelu(noise, under), sigmaWScale: under },
    { name: `${label}, critical`, spec: criticalRelu(noise), sigmaWScale: 1 },
    { name: `${label}, σ_w×${over}`, spec: criticalRelu(noise, over), sigmaWScale: over },
  ];
}

export const FIG3_MODELS: Fig3Model[] = [
  ...family("dropout", "dropout:keep=0.6", 0.85, 1.15),
  ...family("Gaussian", "gauss_mult:std=0.25", 0.75, 1.25),
];

export const FIG3_Q0S = linspace(0.5, 15, 30);
export const FIG3_DEPTH = 15;
export const FIG3_Q0 = 4;
/** μ2 range of the boundary panel (c) */
export const FIG3_MU2_RANGE: [number, number] = [1, 2];

/** The critical boundary σ_w² = 2/μ2 of panel (c), sampled on n points over [1, 2]. */
export function criticalBoundary(n = 101): { mu2: number[]; sigmaW2: number[] } {
  const mu2 = linspace(FIG3_MU2_RANGE[0], FIG3_MU2_RANGE[1], n);
  return { mu2, sigmaW2: mu2.map((m) => 2 / m) };
}

const FIG3_SETUP: VarianceSetup = { models: FIG3_MODELS, q0s: FIG3_Q0S, depth: FIG3_DEPTH, q0: FIG3_Q0 };

export const fig3: Figure = {
  id: "fig3",
  title: "Fig 3 — critical initialisation for multiplicative noise",
  jobs(scale: Scale) {
    return varianceFigureJobs(FIG3_SETUP, scale);
  },
  build(scale: Scale, results: Map<string, Json>) {
    const names = FIG3_MODELS.map((m) => m.name);
    const { a, b, agree, tables } = varianceMapAndDynamics(FIG3_SETUP, scale, results);
    const markers: Marker[] = FIG3_MODELS.map((m) => ({
      series: m.name,
      x: mu2Of(m.spec.noise),
      y: m.spec.sigmaW2,
      label: m.sigmaWScale === 1 ? "critical" : `σ_w×${m.sigmaWScale}`,
    }));
    const boundary = criticalBoundary();
    tables.push({
      name: "c_boundary",
      rows: rows({ mu2: boundary.mu2, critical_sigma_w2: boundary.sigmaW2 }),
    });
    const top = 3.2;
    const panelA = varianceMapPanel(a, names);
    const panelB = lineDotBandPanel({
      title: `(b) variance dynamics from q⁰ = ${FIG3_Q0}`,
      xLabel: "layer l",
      yLabel: "variance q^l (log scale)",
      yScale: "log",
      theory: b.theory,
      sim: b.sim,
      seriesOrder: names,
    });
    const panelC = lineDotBandPanel({
      title: "(c) critical boundary σ_w² = 2/μ2",
      xLabel: "second moment of the noise μ2",
      yLabel: "weight variance σ_w²",
      xDomain: FIG3_MU2_RANGE,
      yDomain: [0.5, top],
      theory: [{ series: "critical σ_w² = 2/μ2", x: boundary.mu2, y: boundary.sigmaW2 }],
      regions: [
        {
          label: "underflow",
          x: boundary.mu2,
          lo: boundary.mu2.map(() => 0.5),
          hi: boundary.sigmaW2,
          color: "#9ecae9",
          labelAt: { x: 1.3, y: 0.9 },
        },
        {
          label: "overflow",
          x: boundary.mu2,
          lo: boundary.sigmaW2,
          hi: boundary.mu2.map(() => top),
          color: "#fdbba1",
          labelAt: { x: 1.7, y: 2.8 },
        },
      ],
      markers: markers.map((mk) => ({ ...mk, series: "critical σ_w² = 2/μ2" })),
      seriesOrder: ["critical σ_w² = 2/μ2"],
    });
    const d = FIG3_MODELS[0].spec;
    const caption =
      `ReLU with dropout (keep p = 0.6, μ2 = ${short(mu2Of("dropout:keep=0.6"))}) and multiplicative Gaussian noise (s = 0.25, μ2 = 1.0625) ` +
      `at the critical σ_w² = 2/μ2 and with σ_w scaled below (underflow) or above (overflow) it (e.g. σ_w² = ${short(d.sigmaW2)} for dropout × 0.85). ` +
      `(a) One layer of the variance map (lines: theory; dots and bands: simulation mean ± 1 std over ${scale.networks} networks of width ${scale.width}); ` +
      `(b) ${FIG3_DEPTH} layers from q⁰ = ${FIG3_Q0} (log scale; dots: mean over networks, bands: 16–84 % quantiles over networks, which stay positive on a log axis unlike ± 1 std): only the critical initialisation preserves the variance; ` +
      "(c) the boundary σ_w² = 2/μ2 separating underflow from overflow, with the six initialisations of (a, b) marked. " +
      finiteWidthNote(
        FIG3_MODELS.filter((m) => m.sigmaWScale === 1),
        scale,
        results,
        FIG3_DEPTH,
        FIG3_Q0,
      );
    return {
      spec: figureSpec(
        fig3.title,
        [panelA, panelB, panelC],
        `scale: ${scale.name} (width ${scale.width}, ${scale.networks} networks)`,
      ),
      caption,
      tables,
      agreement: agree,
      data: {
        models: FIG3_MODELS.map((m) => ({
          name: m.name,
          sigma_w_scale: m.sigmaWScale,
          mu2: mu2Of(m.spec.noise),
          ...m.spec,
        })),
        q0s_panel_a: FIG3_Q0S,
        depth_panel_b: FIG3_DEPTH,
        q0_panel_b: FIG3_Q0,
        boundary: { mu2: boundary.mu2, critical_sigma_w2: boundary.sigmaW2 },
      },
    };
  },
};
