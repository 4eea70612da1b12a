/**
 * Report figures for issue 5 (dynamical isometry, finite width, Hayou rates, SVCCA): data builders that
 * run the theory and the simulations, and Vega-Lite specs built with src/report/plot.ts. Rendering
 * (SVG/PNG) is left to the report (renderSvg/renderPng there).
 */
import type { TopLevelSpec } from "vega-lite";
import { figureSpec, lineDotBandPanel, type PanelSpec } from "../report/plot.js";
import { makeActivation } from "../theory/activations.js";
import { finiteWidthLaw } from "../theory/finiteWidth.js";
import { eocModel } from "../theory/critical.js";
import { hayouComparison } from "../theory/rates.js";
import { criticalFromQStar } from "../theory/critical.js";
import { pwlDensity, pwlSpectrum } from "../theory/spectrum/density.js";
import { smoothDensity } from "../theory/spectrum/smoothDensity.js";
import type { WeightLaw } from "../theory/spectrum/moments.js";
import { svccaExperiment, type SvccaCurve } from "../analysis/svccaExperiment.js";
import { kurtosisEstimate, sampleReluNetworkOutputs } from "./finiteWidth.js";
import { spectrumHistogram, type DensityTheory } from "./histogram.js";
import { empiricalSpectrum } from "./jacobian.js";

export interface SpectrumPanelData {
  label: string;
  weights: WeightLaw;
  depth: number;
  p: number;
  sigma_w2: number;
  edge: number | null;
  atoms: { x: number; mass: number }[];
  theory: { x: number[]; rho: number[] };
  histogram: { x: number[]; empirical: number[]; predicted: number[] | null };
  zero_fraction: number;
  width: number;
  networks: number;
}

/** Density of J Jᵀ vs the histogram of simulated networks for one configuration. */
export function spectrumPanelData(opts: {
  label: string;
  activation: string;
  qStar: number;
  weights: WeightLaw;
  depth: number;
  width?: number;
  networks?: number;
  bins?: number;
  seed?: number;
}): SpectrumPanelData {
  const [name, par] = opts.activation.split(":");
  const act = makeActivation(
    name,
    par ? Object.fromEntries(par.split(",").map((kv) => [kv.split("=")[0], Number(kv.split("=")[1])])) : {},
  );
  const c = criticalFromQStar(act, opts.qStar);
  let p: number;
  let theory: DensityTheory;
  let edge: number | null;
  let atoms: { x: number; mass: number }[];
  let supportMax: number;
  let d: { x: number[]; density: number[] };
  if (act.piecewiseLinear01) {
    p = c.p as number;
    theory = { p, sigmaW2: c.sigma_w2, depth: opts.depth, weights: opts.weights };
    const sp = pwlSpectrum(theory);
    edge = sp.edge;
    atoms = sp.atoms;
    supportMax = sp.support_max;
    d = pwlDensity(theory, { points: 150, power: 1.5 });
  } else {
    p = 1;
    theory = {
      activation: act,
      q: opts.qStar,
      sigmaW2: c.sigma_w2,
      depth: opts.depth,
      weights: opts.weights,
    };
    const sd = smoothDensity(theory, { points: 150 });
    edge = sd.edge;
    atoms = sd.atom0 > 0 ? [{ x: 0, mass: sd.atom0 }] : [];
    supportMax = sd.edge;
    d = sd;
  }
  const hi = supportMax * 1.05;
  const width = opts.width ?? 128;
  const networks = opts.networks ?? 4;
  const em = empiricalSpectrum(
    {
      activation: act,
      sigmaW2: c.sigma_w2,
      sigmaB2: c.sigma_b2,
      width,
      depth: opts.depth,
      weights: opts.weights,
      q0: opts.qStar,
    },
    networks,
    opts.seed ?? 1,
    1,
  );
  const h = spectrumHistogram(em.eigenvalues, opts.bins ?? 30, hi, theory);
  const centres = h.edges.slice(0, -1).map((e, i) => (e + h.edges[i + 1]) / 2);
  return {
    label: opts.label,
    weights: opts.weights,
    depth: opts.depth,
    p,
    sigma_w2: c.sigma_w2,
    edge,
    atoms,
    theory: { x: d.x, rho: d.density },
    histogram: { x: centres, empirical: h.empirical, predicted: h.predicted },
    zero_fraction: h.zero_fraction,
    width,
    networks,
  };
}

export function spectrumPanel(d: SpectrumPanelData): PanelSpec {
  // the density diverges like λ^{1/L − 1} at 0: cap the axis at 1.5× the histogram away from the first bin
  const top =
    1.5 * Math.max(...d.histogram.empirical.slice(1), ...(d.histogram.predicted ?? []).slice(1), 1e-12);
  return lineDotBandPanel({
    yDomain: [0, top],
    title: `${d.label}: ${d.weights}, L = ${d.depth}${d.p < 1 ? `, p = ${d.p.toFixed(3)}` : ""}`,
    xLabel: "eigenvalue λ of J Jᵀ",
    yLabel: "density (continuous part)",
    theory: [{ series: "free probability", x: d.theory.x, y: d.theory.rho }],
    sim: [
      {
        series: `simulated N = ${d.width} (${d.networks} nets)`,
        x: d.histogram.x,
        mean: d.histogram.empirical,
        std: d.histogram.x.map(() => 0),
      },
    ],
    refLines:
      d.edge !== null
        ? [
            {
              label: "edge",
              x: [d.edge, d.edge],
              y: [0, Math.max(...d.theory.rho.filter(Number.isFinite), 0) || 1],
            },
          ]
        : [],
  });
}

export interface KurtosisData {
  widths: number[];
  depths: number[];
  /** exact kurtosis per width per depth (fixed input, L weight layers → L − 1 stages) */
  exact: number[][];
  /** Monte Carlo of actual networks: mean and SE per width per sampled depth */
  mc_depths: number[];
  mc: { kurtosis: number; se: number }[][];
}

/** Kurtosis of the output vs depth at He init for several widths (exact and Monte Carlo). */
export function kurtosisData(
  widths = [10, 25, 100],
  maxDepth = 30,
  mcDepths = [2, 5, 10],
  networks = 2000,
  seed = 1,
): KurtosisData {
  const depths = Array.from({ length: maxDepth }, (_, i) => i + 1);
  const exact = widths.map(
    (N) => finiteWidthLaw({ width: N, stages: maxDepth - 1, sigmaW2: 2, sigmaB2: 0, s0: 1 }).kurtosis,
  );
  const mc = widths.map((N, wi) =>
    mcDepths.map((L, li) => {
      const o = sampleReluNetworkOutputs(N, L, 2, 0, 0.5, networks, seed + 100 * wi + li);
      const k = kurtosisEstimate(o.h2, o.h4);
      return { kurtosis: k.kurtosis, se: k.se };
    }),
  );
  return { widths, depths, exact, mc_depths: mcDepths, mc };
}

export function kurtosisPanel(d: KurtosisData): PanelSpec {
  return lineDotBandPanel({
    title: "Output kurtosis at He init (Burkholz & Dubatovka)",
    xLabel: "depth L (weight layers)",
    yLabel: "kurtosis E[h⁴]/E[h²]²",
    yScale: "log",
    theory: d.widths.map((N, i) => ({ series: `N = ${N}`, x: d.depths, y: d.exact[i] })),
    sim: d.widths.map((N, i) => ({
      series: `N = ${N}`,
      x: d.mc_depths,
      mean: d.mc[i].map((m) => m.kurtosis),
      std: d.mc[i].map((m) => m.se),
    })),
    refLines: [{ label: "mean field (3)", x: [1, d.depths[d.depths.length - 1]], y: [3, 3] }],
  });
}

export interface HayouData {
  series: {
    label: string;
    kind: string;
    constant: number;
    l: number[];
    one_minus_c: number[];
    predicted: number[];
  }[];
}

/** 1 − c^l on the EOC for ReLU, erf and tanh against Hayou's asymptotic rates. */
export function hayouData(depth = 1000): HayouData {
  const out: HayouData["series"] = [];
  for (const [name, sb2, d] of [
    ["relu", 0, depth],
    ["erf", 0.1, depth],
    ["tanh", 0.05, Math.min(depth, 300)],
  ] as const) {
    const { model, qStar } = eocModel(makeActivation(name), sb2);
    const h = hayouComparison(model, qStar, d, 0.5, 1);
    // keep ~60 log-spaced layers
    const keep = new Set<number>();
    for (let i = 0; i <= 60; i++) keep.add(Math.round(Math.pow(d, i / 60)));
    const idx = h.l.map((l, i) => (keep.has(l) ? i : -1)).filter((i) => i >= 0);
    out.push({
      label: `${name}${sb2 ? ` (σ_b² = ${sb2})` : ""}`,
      kind: h.kind,
      constant: h.constant,
      l: idx.map((i) => h.l[i]),
      one_minus_c: idx.map((i) => h.one_minus_c[i]),
      predicted: idx.map((i) => h.predicted[i]),
    });
  }
  return { series: out };
}

export function hayouPanel(d: HayouData): PanelSpec {
  return lineDotBandPanel({
    title: "Correlation convergence on the EOC (Hayou et al.)",
    xLabel: "layer l",
    yLabel: "1 − c^l",
    xScale: "log",
    yScale: "log",
    theory: d.series.map((s) => ({ series: s.label, x: s.l, y: s.predicted })),
    sim: d.series.map((s) => ({ series: s.label, x: s.l, mean: s.one_minus_c, std: s.l.map(() => 0) })),
  });
}

export function svccaPanel(curves: SvccaCurve[]): PanelSpec {
  return lineDotBandPanel({
    title: "SVCCA similarity of layer l to the input",
    xLabel: "layer l",
    yLabel: "mean canonical correlation",
    yDomain: [0, 1],
    sim: curves.map((c) => ({ series: c.label, x: c.layers, mean: c.mean, std: c.std })),
  });
}

export interface IsometryFigures {
  spectra: SpectrumPanelData[];
  kurtosis: KurtosisData;
  hayou: HayouData;
  svcca: SvccaCurve[];
  specs: { spectrum: TopLevelSpec; finite_width: TopLevelSpec; hayou: TopLevelSpec; svcca: TopLevelSpec };
}

/** All figures of the issue with report-sized defaults (≈ 1 minute on one core). */
export function isometryFigures(opts: { quick?: boolean } = {}): IsometryFigures {
  const q = opts.quick ?? false;
  const spectra = [
    spectrumPanelData({
      label: "ReLU",
      activation: "relu",
      qStar: 1,
      weights: "gaussian",
      depth: 4,
      width: q ? 32 : 128,
      networks: q ? 1 : 4,
    }),
    spectrumPanelData({
      label: "ReLU",
      activation: "relu",
      qStar: 1,
      weights: "orthogonal",
      depth: 4,
      width: q ? 32 : 128,
      networks: q ? 1 : 4,
    }),
    spectrumPanelData({
      label: "hard-tanh q* = 0.5",
      activation: "hard_tanh",
      qStar: 0.5,
      weights: "orthogonal",
      depth: 8,
      width: q ? 32 : 128,
      networks: q ? 1 : 4,
    }),
    spectrumPanelData({
      label: "shifted ReLU α = 1, q* = 1",
      activation: "shifted_relu:alpha=1",
      qStar: 1,
      weights: "orthogonal",
      depth: 8,
      width: q ? 32 : 128,
      networks: q ? 1 : 4,
    }),
    spectrumPanelData({
      label: "tanh q* = 0.05",
      activation: "tanh",
      qStar: 0.05,
      weights: "orthogonal",
      depth: 16,
      width: q ? 32 : 128,
      networks: q ? 1 : 4,
    }),
  ];
  const kurtosis = kurtosisData(q ? [10] : [10, 25, 100], q ? 5 : 30, q ? [2] : [2, 5, 10], q ? 200 : 2000);
  const hayou = hayouData(q ? 50 : 1000);
  const svcca = svccaExperiment(q ? { width: 16, depth: 3, samples: 40, seeds: 1 } : {});
  return {
    spectra,
    kurtosis,
    hayou,
    svcca,
    specs: {
      spectrum: figureSpec(
        "Jacobian spectra at criticality: free probability vs simulated networks",
        spectra.map(spectrumPanel),
      ),
      finite_width: figureSpec("Finite-width output law of ReLU networks", [kurtosisPanel(kurtosis)]),
      hayou: figureSpec("Edge-of-chaos correlation rates", [hayouPanel(hayou)]),
      svcca: figureSpec("SVCCA: critical vs off-critical, ReLU vs shifted ReLU", [svccaPanel(svcca)]),
    },
  };
}
