/**
 * Shared panel builders of the figure modules: one simulated series set against theory (curves, dots,
 * agreement row, CSV table), and the "(a) variance map + (b) variance dynamics" pair of Fig 2 and Fig 3.
 */
import { varianceDynamics } from "../../theory/dynamics.js";
import { varianceMap } from "../../theory/maps.js";
import { agreement } from "../agreement.js";
import type { Agreement, Json, Scale, Table } from "../figure.js";
import { asDynamics, asStats, modelOf, type ModelSpec } from "../jobs.js";
import { lineDotBandPanel, type PanelSpec, type SimPoints, type TheoryCurve } from "../plot.js";
import type { LayerStats } from "../simulator.js";
import { linspace, rows, slug } from "./common.js";

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

/**
 * Panels (a) one layer of the variance map over q⁰ ∈ [0, 15] and (b) `depth` layers of variance
 * dynamics from q⁰, per model: theory against the simulation jobs `a/<name>` and `b/<name>`, with
 * agreement rows and tables `a_<slug>`, `b_<slug>` in model order.
 */
export function varianceMapAndDynamics(
  setup: VarianceSetup,
  scale: Scale,
  results: Map<string, Json>,
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
      sim: asStats(results.get(`a/${m.name}`)),
      table: `a_${slug(m.name)}`,
      xCol: "q0",
      theoryCol: "theory_q1",
    });
    const qTheory = varianceDynamics(model, setup.depth, setup.q0);
    compareSeries(b, out, scale.networks, {
      panel: "(b)",
      series: m.name,
      curve: { x: layers, y: qTheory },
      x: layers,
      theory: qTheory,
      sim: asDynamics(results.get(`b/${m.name}`)).variance,
      table: `b_${slug(m.name)}`,
      xCol: "layer",
      theoryCol: "theory_q",
    });
  }
  return { a, b, ...out };
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
