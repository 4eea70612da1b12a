/**
 * Shared panel builders of the figure modules: one simulated series set against theory (curves, dots,
 * agreement row, CSV table), and the "(a) variance map + (b) variance dynamics" pair of Fig 2 and Fig 3.
 */
import { varianceDynamics } from "../../theory/dynamics.js";
import { varianceMap } from "../../theory/maps.js";
import { agreement } from "../agreement.js";
import type { Agreement, Json, Scale, Table } from "../figure.js";
import {
  asDynamics,
  asStats,
  asVarianceQuantiles,
  dynamicsJob,
  modelOf,
  resultOf,
  varianceMapJob,
  type DynamicsJob,
  type MapJob,
  type ModelSpec,
} from "../jobs.js";
import { noiseFourthMoment, reluVarianceLaw, type VarianceLaw } from "../../theory/finiteWidthNoise.js";
import { lineDotBandPanel, type PanelSpec, type SimPoints, type TheoryCurve } from "../plot.js";
import type { LayerStats } from "../simulator.js";
import { linspace, rows, short, slug } from "./common.js";

/** The theory curves and simulation points of one panel. */
export interface PanelSeries {
  theory: TheoryCurve[];
  sim: SimPoints[];
}

/** What a figure's build collects over its panels: agreement rows and CSV tables, in order. */
export interface Collected {
  agree: Agreement[];
  tables: Table[];
}

/** One simulated series against theory. */
export interface Comparison {
  /** panel label of the agreement row, e.g. "(a)" */
  panel: string;
  series: string;
  /** the line group within the series (several trajectories per series); also the agreement row's name */
  group?: string;
  /** the theory line as drawn */
  curve: { x: number[]; y: number[] };
  /** where the simulation was run */
  x: number[];
  /** theory at those x */
  theory: (number | null)[];
  sim: LayerStats;
  /** CSV table name and the names of its x and theory columns (then sim_mean, sim_std) */
  table: string;
  xCol: string;
  theoryCol: string;
}

/** Add one comparison: its theory line and simulation points to `panel`, its agreement row and table to `out`. */
export function compareSeries(panel: PanelSeries, out: Collected, networks: number, c: Comparison): void {
  const group = c.group === undefined ? {} : { group: c.group };
  panel.theory.push({ series: c.series, ...group, x: c.curve.x, y: c.curve.y });
  panel.sim.push({ series: c.series, ...group, x: c.x, ...c.sim });
  out.agree.push(agreement(c.panel, c.group ?? c.series, c.sim, c.theory, networks));
  out.tables.push({
    name: c.table,
    rows: rows({ [c.xCol]: c.x, [c.theoryCol]: c.theory, sim_mean: c.sim.mean, sim_std: c.sim.std }),
  });
}

/** The settings of a variance-map / variance-dynamics figure. */
export interface VarianceSetup {
  models: { name: string; spec: ModelSpec }[];
  /** input variances of panel (a) */
  q0s: number[];
  /** layers and starting variance of panel (b) */
  depth: number;
  q0: number;
}

/** Panel (a)'s job of one model: one layer of the variance map at each input variance. */
export function varianceMapJobOf(m: { name: string; spec: ModelSpec }, scale: Scale, q0s: number[]): MapJob {
  return varianceMapJob(`a/${m.name}`, m.spec, scale, q0s);
}

/** Panel (b)'s job of one model: `depth` layers of variance dynamics from q⁰, with quantiles over networks. */
export function varianceDynamicsJobOf(
  m: { name: string; spec: ModelSpec },
  scale: Scale,
  depth: number,
  q0: number,
): DynamicsJob {
  return dynamicsJob(`b/${m.name}`, m.spec, scale, depth, q0, [], Infinity, { varianceQuantiles: true });
}

/** The jobs of a variance figure (Fig 2, Fig 3): per model, (a) then (b). */
export function varianceFigureJobs(setup: VarianceSetup, scale: Scale): (MapJob | DynamicsJob)[] {
  return setup.models.flatMap((m) => [
    varianceMapJobOf(m, scale, setup.q0s),
    varianceDynamicsJobOf(m, scale, setup.depth, setup.q0),
  ]);
}

/**
 * Panels (a) one layer of the variance map over q⁰ ∈ [0, 15] and (b) `depth` layers of variance
 * dynamics from q⁰, per model: theory against the simulation jobs `a/<name>` and `b/<name>`, with
 * agreement rows and tables `a_<slug>`, `b_<slug>` in model order.
 */
export function varianceMapAndDynamics(
  setup: VarianceSetup,
  scale: Scale,
  results: ReadonlyMap<string, Json>,
): { a: PanelSeries; b: PanelSeries } & Collected {
  const grid = linspace(0, 15, 151);
  const layers = Array.from({ length: setup.depth + 1 }, (_, l) => l);
  const a: PanelSeries = { theory: [], sim: [] };
  const b: PanelSeries = { theory: [], sim: [] };
  const out: Collected = { agree: [], tables: [] };
  for (const m of setup.models) {
    const model = modelOf(m.spec);
    const thAtQ0 = setup.q0s.map((q) => varianceMap(model, q));
    compareSeries(a, out, scale.networks, {
      panel: "(a)",
      series: m.name,
      curve: { x: grid, y: grid.map((q) => varianceMap(model, q)) },
      x: setup.q0s,
      theory: thAtQ0,
      sim: asStats(resultOf(varianceMapJobOf(m, scale, setup.q0s), results)),
      table: `a_${slug(m.name)}`,
      xCol: "q0",
      theoryCol: "theory_q1",
    });
    const qTheory = varianceDynamics(model, { depth: setup.depth, q0: setup.q0 });
    const dyn = resultOf(varianceDynamicsJobOf(m, scale, setup.depth, setup.q0), results);
    const nb = b.sim.length;
    compareSeries(b, out, scale.networks, {
      panel: "(b)",
      series: m.name,
      curve: { x: layers, y: qTheory },
      x: layers,
      theory: qTheory,
      sim: asDynamics(dyn).variance,
      table: `b_${slug(m.name)}`,
      xCol: "layer",
      theoryCol: "theory_q",
    });
    // bands: the 16–84 % quantiles over networks when the job kept them (the spread of a skewed law;
    // on a log axis a ± 1 sd band would reach below zero)
    const qs = asVarianceQuantiles(dyn);
    if (qs) {
      b.sim[nb].lo = qs[0];
      b.sim[nb].hi = qs[2];
      const t = out.tables[out.tables.length - 1];
      t.rows.forEach((r, l) => {
        r.sim_q16 = qs[0][l] ?? null;
        r.sim_median = qs[1][l] ?? null;
        r.sim_q84 = qs[2][l] ?? null;
      });
    }
    const law = finiteWidthVarianceLaw(m.spec, scale, setup.depth, setup.q0);
    if (law) {
      b.theory.push({ series: m.name, group: `${m.name} median`, x: layers, y: law.median, dashed: true });
      const t = out.tables[out.tables.length - 1];
      t.rows.forEach((r, l) => {
        r.finite_width_median = law.median[l];
        r.finite_width_rel_var = law.relVar[l];
      });
    }
  }
  return { a, b, ...out };
}

/**
 * The finite-width law of the per-network variance (theory/finiteWidthNoise.ts) where it applies: ReLU,
 * σ_b² = 0, Gaussian weights, no noise or multiplicative noise with a known fourth moment; else null.
 */
export function finiteWidthVarianceLaw(
  spec: ModelSpec,
  scale: Scale,
  depth: number,
  q0: number,
): VarianceLaw | null {
  const model = modelOf(spec);
  if (spec.activation !== "relu" || spec.sigmaB2 !== 0 || scale.weights !== "gaussian") return null;
  if (model.noise.type === "additive") return null;
  const mu4 = noiseFourthMoment(model.noise);
  if (mu4 === null) return null;
  const mu2 = model.noise.type === "none" ? 1 : model.noise.mu2;
  return reluVarianceLaw({ width: scale.width, depth, q0, sigmaW2: spec.sigmaW2, mu2, mu4 });
}

/**
 * One caption sentence on panel (b)'s last layer for the models where the finite-width law applies: the
 * exact mean (= mean field), the median and 16–84 % range of one network's variance, the standard error
 * of the mean over the networks, and where this run's mean lies in units of it.
 */
export function finiteWidthNote(
  models: { name: string; spec: ModelSpec }[],
  scale: Scale,
  results: ReadonlyMap<string, Json>,
  depth: number,
  q0: number,
): string {
  const parts: string[] = [];
  for (const m of models) {
    const law = finiteWidthVarianceLaw(m.spec, scale, depth, q0);
    if (!law) continue;
    const sim = asDynamics(resultOf(varianceDynamicsJobOf(m, scale, depth, q0), results)).variance;
    const mean = law.mean[depth];
    const se = mean * Math.sqrt(law.relVar[depth] / scale.networks);
    const got = sim.mean[depth];
    parts.push(
      `${m.name}: mean ${short(mean, 3)}, median ${short(law.median[depth], 3)}, 16–84 % ${short(law.lo[depth], 3)}–${short(law.hi[depth], 3)}; ` +
        `the mean of ${scale.networks} networks has standard error ${short(se, 2)} and this run gives ${short(got, 3)} (${short((got - mean) / se, 2)} standard errors)`,
    );
  }
  if (!parts.length) return "";
  return (
    `Why dots can sit below a flat line: one network's variance at layer ${depth} follows a right-skewed finite-width law (a product of ${depth} independent layer gains; theory/finiteWidthNoise.ts), whose mean equals the mean-field q exactly but whose median is lower. ` +
    `The dots are the unbiased statistic (the mean over all units and networks pooled); with ${scale.networks} networks its standard error is large and, the law being skewed and all layers sharing the same networks, a whole trajectory tends to sit low together. ` +
    `Dashed: the finite-width median of one network's variance; bands: 16–84 % quantiles over networks. At layer ${depth} (width ${scale.width}) — ${parts.join("; ")}.`
  );
}

/** Panel (a) of Fig 2 and Fig 3: one layer of the variance map with the identity line. */
export function varianceMapPanel(a: PanelSeries, seriesOrder: string[]): PanelSpec {
  return lineDotBandPanel({
    title: "(a) variance map, one layer",
    xLabel: "input variance q⁰",
    yLabel: "output variance q¹",
    theory: a.theory,
    sim: a.sim,
    refLines: [{ label: "identity", x: [0, 15], y: [0, 15] }],
    seriesOrder,
    xDomain: [0, 15],
  });
}
