/**
 * Figures of loss landscapes (src/train/landscape.ts; Li et al., "Visualizing the loss landscape of
 * neural nets", NeurIPS 2018): the loss along the line from the initialisation to the trained weights,
 * and a contour plot of a 2-D slice through the trained weights along two filter-normalised directions.
 *
 * `landscapeFigure` builds the Vega-Lite spec (one or both panels side by side) and the data tables
 * (CSV rows) from the library's results; `sigprop landscape` and `reproduce` figures render it with
 * plot.ts. Contour lines are traced here by marching squares on the evaluated grid (Vega-Lite has no
 * contour mark): within each grid cell the loss is interpolated linearly along the edges, each level's
 * crossing points are joined by straight segments (a saddle cell, all four edges crossed, is split by
 * the cell's mean value, the usual disambiguation); levels are geometric between the smallest and the
 * largest loss on the grid, so the basin around the minimum gets as many lines as the walls.
 */
import type { TopLevelSpec } from "vega-lite";
import type { LossLine, LossPlane } from "../train/landscape.js";
import { figureSpec, lineDotBandPanel, PALETTE, type PanelSpec } from "./chartSpec.js";
import type { Table } from "./figure.js";

/** A straight piece of a contour line, in (α, β) units. */
export interface Segment {
  level: number;
  x: number;
  y: number;
  x2: number;
  y2: number;
}

/**
 * Contour segments of z at `level` by marching squares; z[i][j] is at (xs[i], ys[j]); cells with a
 * null corner are skipped.
 */
export function contourSegments(
  xs: number[],
  ys: number[],
  z: (number | null)[][],
  level: number,
): Segment[] {
  const out: Segment[] = [];
  const at = (i: number, j: number, i2: number, j2: number) => {
    const a = z[i][j] as number;
    const b = z[i2][j2] as number;
    const f = (level - a) / (b - a);
    return { x: xs[i] + f * (xs[i2] - xs[i]), y: ys[j] + f * (ys[j2] - ys[j]) };
  };
  for (let i = 0; i + 1 < xs.length; i++)
    for (let j = 0; j + 1 < ys.length; j++) {
      const c = [z[i][j], z[i + 1][j], z[i + 1][j + 1], z[i][j + 1]];
      if (c.some((v) => v === null || !Number.isFinite(v))) continue;
      // corners in order around the cell: (i,j) (i+1,j) (i+1,j+1) (i,j+1); edge k joins corner k and k+1
      const corner = [
        [i, j],
        [i + 1, j],
        [i + 1, j + 1],
        [i, j + 1],
      ];
      const above = c.map((v) => (v as number) >= level);
      const cross: { x: number; y: number; edge: number }[] = [];
      for (let k = 0; k < 4; k++) {
        const k2 = (k + 1) % 4;
        if (above[k] !== above[k2]) {
          const [a, b] = [corner[k], corner[k2]];
          cross.push({ ...at(a[0], a[1], b[0], b[1]), edge: k });
        }
      }
      const seg = (p: { x: number; y: number }, q: { x: number; y: number }) =>
        out.push({ level, x: p.x, y: p.y, x2: q.x, y2: q.y });
      if (cross.length === 2) seg(cross[0], cross[1]);
      else if (cross.length === 4) {
        // saddle: the cell mean decides whether the corners above are joined through the centre
        const mean = (c as number[]).reduce((s, v) => s + v, 0) / 4;
        const joinAbove = mean >= level === above[0];
        if (joinAbove) {
          seg(cross[0], cross[1]);
          seg(cross[2], cross[3]);
        } else {
          seg(cross[3], cross[0]);
          seg(cross[1], cross[2]);
        }
      }
    }
  return out;
}

/** `n` geometric levels strictly between the smallest and the largest finite positive value. */
export function contourLevels(values: (number | null)[], n = 12): number[] {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x) && x > 0);
  if (v.length < 2) return [];
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  if (!(hi > lo)) return [];
  return Array.from({ length: n }, (_, k) => lo * Math.pow(hi / lo, (k + 0.5) / n));
}

/** The CSV rows of the line: t, loss, accuracy. */
export function lineTable(line: LossLine): Table {
  return {
    name: "line",
    rows: line.t.map((t, k) => ({ t, loss: line.loss[k], accuracy: line.accuracy?.[k] ?? null })),
  };
}

/** The CSV rows of the plane: alpha, beta, loss, accuracy. */
export function planeTable(plane: LossPlane): Table {
  const rows: Table["rows"] = [];
  plane.alpha.forEach((a, i) =>
    plane.beta.forEach((b, j) =>
      rows.push({ alpha: a, beta: b, loss: plane.loss[i][j], accuracy: plane.accuracy?.[i][j] ?? null }),
    ),
  );
  return { name: "plane", rows };
}

/** The line panel: loss against t, the initialisation and the trained weights marked. */
export function linePanel(line: LossLine, title = "Loss from init (t = 0) to trained (t = 1)"): PanelSpec {
  const ok = line.t.map((t, k) => [t, line.loss[k]] as const).filter(([, l]) => l !== null);
  const marks = [
    { t: 0, label: "init" },
    { t: 1, label: "trained" },
  ]
    .map(({ t, label }) => ({ k: line.t.indexOf(t), label }))
    .filter(({ k }) => k >= 0 && line.loss[k] !== null)
    .map(({ k, label }) => ({ series: "loss", x: line.t[k], y: line.loss[k] as number, label }));
  return lineDotBandPanel({
    title,
    xLabel: "t  (θ = (1 − t)·θ₀ + t·θ₁)",
    yLabel: `loss (${line.examples} training examples)`,
    theory: [{ series: "loss", x: ok.map(([t]) => t), y: ok.map(([, l]) => l as number) }],
    markers: marks,
  });
}

/**
 * The contour panel of the plane: cells coloured by loss (log scale), contour lines at geometric
 * levels, the trained weights (the origin) marked.
 */
export function planePanel(
  plane: LossPlane,
  title = "Loss on a 2-D slice (filter-normalised directions)",
): PanelSpec {
  const { alpha: xs, beta: ys } = plane;
  const half = (v: number[], k: number) =>
    v.length < 2 ? 0.5 : (k + 1 < v.length ? v[k + 1] - v[k] : v[k] - v[k - 1]) / 2;
  const cells: Record<string, unknown>[] = [];
  xs.forEach((a, i) =>
    ys.forEach((b, j) => {
      const l = plane.loss[i][j];
      cells.push({
        x: a - half(xs, Math.max(0, i - 1)),
        x2: a + half(xs, i),
        y: b - half(ys, Math.max(0, j - 1)),
        y2: b + half(ys, j),
        loss: l !== null && l > 0 ? l : null,
      });
    }),
  );
  const levels = contourLevels(plane.loss.flat());
  const segs = levels.flatMap((lv) => contourSegments(xs, ys, plane.loss, lv));
  const domain = (lo: string, hi: string) => [
    Math.min(...cells.map((c) => c[lo] as number)),
    Math.max(...cells.map((c) => c[hi] as number)),
  ];
  const x = {
    field: "x",
    type: "quantitative",
    title: "α",
    scale: { domain: domain("x", "x2"), nice: false },
  };
  const y = {
    field: "y",
    type: "quantitative",
    title: "β",
    scale: { domain: domain("y", "y2"), nice: false },
  };
  const layers: PanelSpec[] = [
    {
      data: { values: cells },
      mark: { type: "rect", clip: true },
      encoding: {
        x,
        x2: { field: "x2" },
        y,
        y2: { field: "y2" },
        color: {
          field: "loss",
          type: "quantitative",
          title: "loss",
          scale: { type: "log", scheme: "viridis" },
        },
      },
    },
  ];
  if (segs.length)
    layers.push({
      data: { values: segs },
      mark: { type: "rule", color: "white", strokeWidth: 1, opacity: 0.85, clip: true },
      encoding: { x, y, x2: { field: "x2" }, y2: { field: "y2" } },
    });
  layers.push({
    data: { values: [{ x: 0, y: 0, label: "trained" }] },
    mark: { type: "point", shape: "cross", size: 120, filled: true, color: PALETTE[2], clip: true },
    encoding: { x, y },
  });
  return {
    title: { text: title, anchor: "start", fontSize: 13 },
    width: 300,
    height: 300,
    layer: layers,
  };
}

/** What the landscape figure shows: the line, the plane, or both. */
export interface LandscapeFigureInput {
  line?: LossLine | null;
  plane?: LossPlane | null;
  title?: string;
  subtitle?: string;
}

/**
 * The landscape figure: the line panel and/or the contour panel side by side, with the data tables and
 * a caption (the shape of a report FigureOutput's spec, caption and tables).
 */
export function landscapeFigure(input: LandscapeFigureInput): {
  spec: TopLevelSpec;
  caption: string;
  tables: Table[];
} {
  const panels: PanelSpec[] = [];
  const tables: Table[] = [];
  const parts: string[] = [];
  if (input.line) {
    panels.push(linePanel(input.line));
    tables.push(lineTable(input.line));
    parts.push(
      `Left: clean training loss along θ(t) = (1 − t)·θ₀ + t·θ₁ from the initial (t = 0) to the trained weights (t = 1), on ${input.line.examples} fixed training examples.`,
    );
  }
  if (input.plane) {
    panels.push(planePanel(input.plane));
    tables.push(planeTable(input.plane));
    parts.push(
      `${input.line ? "Right" : "The figure"}: loss on θ₁ + α·δ + β·η, with δ, η random directions filter-normalised as in Li et al. (2018) (each neuron's weights scaled to the norm of the trained neuron's, biases unperturbed; direction seed ${input.plane.seed}), ${input.plane.alpha.length}² points on ${input.plane.examples} examples; contour lines at geometric levels.`,
    );
  }
  if (!panels.length) throw new RangeError("landscapeFigure: give a line, a plane or both");
  const spec = figureSpec(input.title ?? "Loss landscape", panels, input.subtitle);
  return { spec, caption: parts.join(" "), tables };
}
