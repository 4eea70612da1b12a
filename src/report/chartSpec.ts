/**
 * A small typed layer over Vega-Lite for the report's and the explorer's charts (pure spec builders, no
 * rendering, so the browser bundle can import them; `plot.ts` renders them without a browser):
 *
 * - `lineDotBandPanel`: theory lines, simulation dots (mean over networks) with ±1 std bands, optional
 *   dashed reference lines (e.g. the identity), labelled markers (e.g. c*) and shaded regions;
 * - `heatmapPanel`: a heat map on a grid with an overlaid curve (e.g. Fig 6's trainable depth 6ξ_c);
 * - `figureSpec`: panels side by side under one title (the paper's (a), (b), (c)).
 */
import type { TopLevelSpec } from "vega-lite";

/** A sampled theory curve of one series. */
export interface TheoryCurve {
  series: string;
  /** separate lines of the same colour (e.g. several c⁰ of one model); defaults to the series */
  group?: string;
  x: number[];
  y: number[];
  /** drawn dashed and thinner (e.g. a finite-width prediction next to the mean-field line) */
  dashed?: boolean;
}

/** Simulated points of one series: mean over networks and the std over networks at each x. */
export interface SimPoints {
  series: string;
  /** separate bands of the same colour; defaults to the series */
  group?: string;
  x: number[];
  mean: number[];
  std: number[];
  /**
   * Band edges to draw instead of mean ± std (e.g. quantiles over networks, or a geometric-sd band on a
   * log axis); the dots stay at `mean`.
   */
  lo?: number[];
  hi?: number[];
  /** how the dots are drawn (default: filled circles), e.g. hollow triangles offset beside another series */
  marker?: DotStyle;
}

/** The look of one series' dots. */
export interface DotStyle {
  /** a Vega point shape: "circle", "square", "triangle-up", "diamond", "cross", … */
  shape?: string;
  filled?: boolean;
  /** horizontal offset in pixels (so coinciding series stay visible side by side) */
  xOffset?: number;
  opacity?: number;
  size?: number;
}

/** A dashed reference line (drawn in grey, not in the legend). */
export interface RefLine {
  label: string;
  x: number[];
  y: number[];
}

/** A labelled point marker (e.g. the fixed point c* on a correlation map). */
export interface Marker {
  series: string;
  x: number;
  y: number;
  label?: string;
}

/** A shaded region between two curves over the same x grid, with a text label. */
export interface Region {
  label: string;
  x: number[];
  lo: number[];
  hi: number[];
  color: string;
  /** where to print the label */
  labelAt: { x: number; y: number };
}

export type AxisScale = "linear" | "log";

export interface LinePanelInput {
  title: string;
  xLabel: string;
  yLabel: string;
  xScale?: AxisScale;
  yScale?: AxisScale;
  /** explicit axis domains */
  xDomain?: [number, number];
  yDomain?: [number, number];
  theory?: TheoryCurve[];
  sim?: SimPoints[];
  refLines?: RefLine[];
  markers?: Marker[];
  regions?: Region[];
  /** the order (and so the colours) of the series in the legend */
  seriesOrder?: string[];
  legendTitle?: string;
  width?: number;
  height?: number;
}

export interface HeatmapInput {
  title: string;
  xLabel: string;
  yLabel: string;
  colorLabel: string;
  /** one cell per grid point; x and y are treated as ordinal categories (sorted numerically) */
  cells: { x: number; y: number; value: number | null }[];
  /** an overlaid curve in the same x/y units, e.g. 6ξ_c; drawn on a quantitative overlay */
  curve?: { label: string; x: number[]; y: number[] };
  colorScheme?: string;
  /** "log" colours by log10(value) */
  colorScale?: AxisScale;
  /** the colour scale's midpoint for a diverging scheme (e.g. χ1 = 1 between ordered and chaotic) */
  colorMid?: number;
  /** the curve's colour (default white) */
  curveColor?: string;
  /** d3-format for the numeric grid labels on both axes (e.g. ".2~f") */
  axisFormat?: string;
  /** label every k-th grid value only (default: every one) */
  axisEvery?: number;
  /** fill for cells without a value (default: none, the background shows) */
  nullColor?: string;
  /** labelled rings in the same x/y units as the grid (e.g. the current point), like the curve */
  markers?: { label: string; x: number; y: number; color?: string }[];
  width?: number;
  height?: number;
}

/** A Vega-Lite unit or layer spec for one panel (no top-level config). */
export type PanelSpec = Record<string, unknown>;

/**
 * A chart built here as plain JSON, handed to vega-lite's types: the one place the report's untyped
 * spec builders meet `TopLevelSpec` (vega-lite's own union of generic spec types, which a
 * `Record<string, unknown>` cannot be narrowed to). Vega-Lite checks the spec when it compiles it.
 */
export function topLevelSpec(spec: PanelSpec): TopLevelSpec {
  return spec as unknown as TopLevelSpec;
}

/** The categorical palette (Vega's tableau10), fixed so colours do not depend on data order. */
export const PALETTE = [
  "#4c78a8",
  "#f58518",
  "#e45756",
  "#72b7b2",
  "#54a24b",
  "#eeca3b",
  "#b279a2",
  "#ff9da6",
  "#9d755d",
  "#bab0ac",
];

/** The font used for all text: present on most Linux systems, with generic fallbacks. */
export const FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** Clip values for a log axis (non-positive values cannot be drawn; they are dropped by callers). */
function positive(v: number, log: boolean): number | null {
  if (!Number.isFinite(v)) return null;
  if (log && v <= 0) return null;
  return v;
}

/**
 * Split a curve into the pieces that lie inside [lo, hi] in y, ending each piece exactly where it leaves
 * the range (linear interpolation, in log space on a log axis), so a line that leaves the axis stops at
 * its edge instead of running along it.
 */
export function clipCurve(
  x: number[],
  y: number[],
  domain: [number, number] | undefined,
  log: boolean,
): { x: number[]; y: number[] }[] {
  const pieces: { x: number[]; y: number[] }[] = [];
  let cur: { x: number[]; y: number[] } | null = null;
  const f = (v: number) => (log ? Math.log(v) : v);
  const inv = (v: number) => (log ? Math.exp(v) : v);
  const ok = (v: number) => Number.isFinite(v) && (!log || v > 0);
  const inside = (v: number) => ok(v) && (!domain || (v >= domain[0] && v <= domain[1]));
  const edgeBetween = (a: number, b: number): number | null => {
    // the domain edge crossed going from a to b (one inside, one outside but drawable), or null
    if (!domain || !ok(a) || !ok(b)) return null;
    const edge = Math.min(a, b) < domain[0] ? domain[0] : domain[1];
    const t = (f(edge) - f(a)) / (f(b) - f(a));
    return t >= 0 && t <= 1 ? t : null;
  };
  for (let i = 0; i < x.length; i++) {
    const yi = y[i];
    if (inside(yi)) {
      if (!cur) {
        cur = { x: [], y: [] };
        pieces.push(cur);
        if (i > 0) {
          const t = edgeBetween(y[i - 1], yi);
          if (t !== null) {
            cur.x.push(x[i - 1] + t * (x[i] - x[i - 1]));
            cur.y.push(inv(f(y[i - 1]) + t * (f(yi) - f(y[i - 1]))));
          }
        }
      }
      cur.x.push(x[i]);
      cur.y.push(yi);
    } else {
      if (cur && i > 0) {
        const t = edgeBetween(y[i - 1], yi);
        if (t !== null) {
          cur.x.push(x[i - 1] + t * (x[i] - x[i - 1]));
          cur.y.push(inv(f(y[i - 1]) + t * (f(yi) - f(y[i - 1]))));
        }
      }
      cur = null;
    }
  }
  return pieces.filter((p) => p.x.length > 0);
}

function scaleOf(kind: AxisScale | undefined, domain?: [number, number]): Record<string, unknown> {
  const s: Record<string, unknown> = kind === "log" ? { type: "log" } : { type: "linear", zero: false };
  if (domain) {
    s.domain = domain;
    s.clamp = true;
  }
  return s;
}

/** One layer of a layered chart: inline data values, a mark and its encoding. */
function layerOf(
  values: unknown[],
  mark: Record<string, unknown>,
  encoding: Record<string, unknown>,
): PanelSpec {
  return { data: { values }, mark, encoding };
}

/** A quantitative y channel on `field` with the panel's y scale, carrying the axis title when given. */
function yChannel(field: string, scale: Record<string, unknown>, title?: string): Record<string, unknown> {
  return title === undefined
    ? { field, type: "quantitative", scale }
    : { field, type: "quantitative", title, scale };
}

/**
 * One chart of theory lines (solid), simulation means (dots) and ±1 std bands (shaded), coloured by series.
 * Points that cannot be drawn on a log axis (≤ 0, non-finite) are left out; a band whose lower edge m − sd
 * would be ≤ 0 on a log axis is drawn down to m²/(m + sd), the mirror image of m + sd in log space.
 */
export function lineDotBandPanel(p: LinePanelInput): PanelSpec {
  const xLog = p.xScale === "log";
  const yLog = p.yScale === "log";
  const theoryRows: Record<string, unknown>[] = [];
  for (const t of p.theory ?? []) {
    // a curve leaving an explicit y domain stops at its edge (pieces are drawn as separate lines)
    clipCurve(t.x, t.y, p.yDomain, yLog).forEach((piece, k) => {
      piece.x.forEach((x, i) => {
        const xx = positive(x, xLog);
        if (xx !== null)
          theoryRows.push({
            series: t.series,
            group: `${t.group ?? t.series}#${k}`,
            dashed: !!t.dashed,
            x: xx,
            y: piece.y[i],
          });
      });
    });
  }
  const simRows: Record<string, unknown>[] = [];
  const inY = (v: number) => !p.yDomain || (v >= p.yDomain[0] && v <= p.yDomain[1]);
  for (const [k, s] of (p.sim ?? []).entries()) {
    s.x.forEach((x, i) => {
      const xx = positive(x, xLog);
      const m = positive(s.mean[i], yLog);
      // dots outside an explicit y domain are left out rather than pinned to its edge
      if (xx === null || m === null || !inY(m)) return;
      const sd = Number.isFinite(s.std[i]) ? s.std[i] : 0;
      // on a log axis a band reaching zero is drawn symmetric in log space (lo = m²/(m + sd))
      let lo = s.lo?.[i] ?? m - sd;
      let hi = s.hi?.[i] ?? m + sd;
      if (!Number.isFinite(lo)) lo = m;
      if (!Number.isFinite(hi)) hi = m;
      if (yLog && lo <= 0) lo = (m * m) / (m + Math.max(sd, hi - m));
      simRows.push({ series: s.series, group: s.group ?? s.series, style: k, x: xx, mean: m, lo, hi });
    });
  }
  const order =
    p.seriesOrder ?? uniq([...(p.theory ?? []).map((t) => t.series), ...(p.sim ?? []).map((s) => s.series)]);
  const color = {
    field: "series",
    type: "nominal",
    title: p.legendTitle ?? null,
    scale: { domain: order, range: PALETTE.slice(0, Math.max(1, order.length)) },
    sort: order,
    legend: {
      orient: "bottom",
      columns: order.length <= 3 ? 1 : 2,
      labelLimit: order.length <= 3 ? 320 : 170,
      symbolType: "stroke",
      symbolStrokeWidth: 3,
      symbolOpacity: 1,
    },
  };
  const x = { field: "x", type: "quantitative", title: p.xLabel, scale: scaleOf(p.xScale, p.xDomain) };
  const yScale = scaleOf(p.yScale, p.yDomain);
  // the y channel on `field`; `titled` layers carry the y axis title
  const y = (field: string, titled = false) => yChannel(field, yScale, titled ? p.yLabel : undefined);
  const band = () => ({ x, y: y("lo", true), y2: { field: "hi" } });
  const line = () => ({ x, y: y("y", true) });
  const layers: PanelSpec[] = [];
  for (const r of p.regions ?? []) {
    const vals = r.x.map((xx, i) => ({ x: xx, lo: r.lo[i], hi: r.hi[i] }));
    layers.push(layerOf(vals, { type: "area", color: r.color, opacity: 0.35 }, band()));
    layers.push(
      layerOf(
        [{ x: r.labelAt.x, y: r.labelAt.y, text: r.label }],
        { type: "text", fontSize: 13, fontWeight: "bold", color: "#333" },
        { x, y: y("y"), text: { field: "text" } },
      ),
    );
  }
  for (const r of p.refLines ?? []) {
    const vals = r.x
      .map((xx, i) => ({ x: positive(xx, xLog), y: positive(r.y[i], yLog), label: r.label }))
      .filter((v) => v.x !== null && v.y !== null);
    layers.push(layerOf(vals, { type: "line", color: "#888", strokeDash: [4, 4], strokeWidth: 1 }, line()));
  }
  if (simRows.length) {
    const enc = { ...band(), color, detail: { field: "group" } };
    layers.push(layerOf(simRows, { type: "area", opacity: 0.18 }, enc));
  }
  const solid = theoryRows.filter((r) => !r.dashed);
  const dashed = theoryRows.filter((r) => r.dashed);
  if (solid.length) {
    const enc = { ...line(), color, detail: { field: "group" } };
    layers.push(layerOf(solid, { type: "line", strokeWidth: 2, clip: true }, enc));
  }
  if (dashed.length) {
    const enc = { ...line(), color, detail: { field: "group" } };
    const mark = { type: "line", strokeWidth: 1.5, strokeDash: [5, 3], clip: true };
    layers.push(layerOf(dashed, mark, enc));
  }
  // one dot layer per distinct style (series with the default look share one layer)
  const styleKey = (d: DotStyle | undefined) => JSON.stringify(d ?? {});
  const styles = uniq((p.sim ?? []).map((s) => styleKey(s.marker)));
  for (const key of styles) {
    const members = new Set(
      (p.sim ?? []).map((s, k) => (styleKey(s.marker) === key ? k : -1)).filter((k) => k >= 0),
    );
    const rowsOf = simRows.filter((r) => members.has(r.style as number));
    if (!rowsOf.length) continue;
    const d = JSON.parse(key) as DotStyle;
    const filled = d.filled ?? true;
    const mark = {
      type: "point",
      shape: d.shape ?? "circle",
      filled,
      size: d.size ?? 28,
      opacity: d.opacity ?? 0.95,
      ...(filled ? {} : { strokeWidth: 1.6 }),
      ...(d.xOffset ? { xOffset: d.xOffset } : {}),
      clip: true,
    };
    layers.push(layerOf(rowsOf, mark, { x, y: y("mean", true), color }));
  }
  if (p.markers?.length) {
    const vals = p.markers.map((m) => ({ series: m.series, x: m.x, y: m.y, label: m.label ?? "" }));
    const diamond = {
      type: "point",
      shape: "diamond",
      size: 120,
      filled: true,
      stroke: "black",
      strokeWidth: 1,
    };
    layers.push(layerOf(vals, diamond, { x, y: y("y"), color }));
    const text = { type: "text", dx: 8, dy: -8, align: "left", fontSize: MIN_FONT_PX };
    layers.push(layerOf(vals, text, { x, y: y("y"), text: { field: "label" } }));
  }
  return {
    title: { text: p.title, anchor: "start", fontSize: 13 },
    width: p.width ?? 300,
    height: p.height ?? 240,
    layer: layers,
  };
}

/** A heat map over an (x, y) grid with an optional overlaid curve. */
export function heatmapPanel(p: HeatmapInput): PanelSpec {
  const xs = uniq(p.cells.map((c) => c.x)).sort((a, b) => a - b);
  const ys = uniq(p.cells.map((c) => c.y)).sort((a, b) => a - b);
  const log = p.colorScale === "log";
  const rows = p.cells.map((c) => ({
    x: c.x,
    y: c.y,
    value: c.value === null || !Number.isFinite(c.value) || (log && c.value <= 0) ? null : c.value,
  }));
  const fmt = p.axisFormat ? { format: p.axisFormat, formatType: "number" } : {};
  const every = (grid: number[]) =>
    p.axisEvery && p.axisEvery > 1 ? { values: grid.filter((_, i) => i % p.axisEvery! === 0) } : {};
  const colorScale: Record<string, unknown> = {
    scheme: p.colorScheme ?? "viridis",
    type: log ? "log" : "linear",
  };
  if (p.colorMid !== undefined) colorScale.domainMid = p.colorMid;
  const layers: PanelSpec[] = [
    {
      data: { values: rows },
      mark: { type: "rect", ...(p.nullColor ? { invalid: "show" } : {}) },
      encoding: {
        x: {
          field: "x",
          type: "ordinal",
          title: p.xLabel,
          sort: xs,
          axis: { labelAngle: 0, grid: false, ...fmt, ...every(xs) },
        },
        y: {
          field: "y",
          type: "ordinal",
          title: p.yLabel,
          sort: [...ys].reverse(),
          axis: { grid: false, ...fmt, ...every(ys) },
        },
        color: {
          field: "value",
          type: "quantitative",
          title: p.colorLabel,
          scale: colorScale,
          ...(p.nullColor ? { condition: { test: "!isValid(datum.value)", value: p.nullColor } } : {}),
        },
      },
    },
  ];
  // Overlays live on the band centres: their x and y map to fractional grid positions.
  const w = p.width ?? 320;
  const h = p.height ?? 260;
  const overlay = {
    x: {
      field: "gx",
      type: "quantitative",
      scale: { domain: [-0.5, xs.length - 0.5], range: [0, w] },
      axis: null,
    },
    y: {
      field: "gy",
      type: "quantitative",
      scale: { domain: [-0.5, ys.length - 0.5], range: [h, 0] },
      axis: null,
    },
  };
  if (p.curve) {
    const color = p.curveColor ?? "white";
    const pts = p.curve.x
      .map((xv, i) => ({
        gx: interpolateIndex(xv, xs),
        gy: interpolateIndex(p.curve!.y[i], ys),
        label: p.curve!.label,
      }))
      .filter((v) => v.gx !== null && v.gy !== null);
    layers.push({
      data: { values: pts },
      mark: { type: "line", color, strokeWidth: 2.5, strokeDash: [6, 3], clip: true },
      encoding: overlay,
    });
    layers.push({
      data: { values: pts.length ? [pts[pts.length - 1]] : [] },
      mark: { type: "text", color, dx: -4, dy: -8, align: "right", fontSize: 11, fontWeight: "bold" },
      encoding: { ...overlay, text: { field: "label" } },
    });
  }
  for (const m of p.markers ?? []) {
    const gx = interpolateIndex(m.x, xs);
    const gy = interpolateIndex(m.y, ys);
    if (gx === null || gy === null) continue;
    const color = m.color ?? "black";
    const values = [{ gx, gy, label: m.label }];
    layers.push({
      data: { values },
      mark: { type: "point", shape: "circle", size: 140, strokeWidth: 3, filled: false, color, clip: true },
      encoding: overlay,
    });
    layers.push({
      data: { values },
      mark: { type: "text", dx: 9, dy: -9, align: "left", fontSize: 11, fontWeight: "bold", color },
      encoding: { ...overlay, text: { field: "label" } },
    });
  }
  return {
    title: { text: p.title, anchor: "start", fontSize: 13 },
    width: p.width ?? 320,
    height: p.height ?? 260,
    layer: layers,
    resolve: { scale: { x: "independent", y: "independent" } },
  };
}

/**
 * The fractional index of v on a sorted grid (linear between grid points; extrapolated half a cell
 * beyond the ends; null further out), so a curve in data units can be drawn over ordinal bands.
 */
export function interpolateIndex(v: number, grid: number[]): number | null {
  if (!Number.isFinite(v) || grid.length === 0) return null;
  if (grid.length === 1) return v === grid[0] ? 0 : null;
  const n = grid.length;
  let i = 0;
  while (i < n - 2 && v > grid[i + 1]) i++;
  const f = i + (v - grid[i]) / (grid[i + 1] - grid[i]);
  return f < -0.5 || f > n - 0.5 ? null : f;
}

/** The smallest font size (px) in any chart: with page scaling ≥ 10/11 no text renders below 10 px. */
export const MIN_FONT_PX = 11;

/** The widest a whole figure may be (px at 1×) before its panels wrap into further rows. */
export const MAX_FIGURE_WIDTH = 1360;

/** Estimated outer width of a panel: its plot width plus axes, titles and a side legend. */
function panelOuterWidth(p: PanelSpec): number {
  return (typeof p.width === "number" ? p.width : 300) + 140;
}

/**
 * Panels under one title, side by side as long as the figure stays within MAX_FIGURE_WIDTH (then wrapped
 * into rows: Vega-Lite `concat` with `columns`), with each panel's scales independent. The panels are kept
 * as `concat` so the report can also render each on its own (`panelSpecs`).
 */
export function figureSpec(title: string, panels: PanelSpec[], subtitle?: string): TopLevelSpec {
  return topLevelSpec(figureObject(title, panels, subtitle));
}

/** What `figureSpec` returns, as plain JSON (for a figure that lays its panels out otherwise). */
export function figureObject(title: string, panels: PanelSpec[], subtitle?: string): PanelSpec {
  const spacing = 30;
  const widest = Math.max(0, ...panels.map(panelOuterWidth));
  const columns = Math.max(
    1,
    Math.min(panels.length, Math.floor((MAX_FIGURE_WIDTH + spacing) / (widest + spacing))),
  );
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: title,
      subtitle: wrapText(subtitle ?? "", Math.max(60, Math.floor((columns * (widest + spacing)) / 7))),
      anchor: "start",
      fontSize: 15,
    },
    background: "white",
    padding: 10,
    concat: panels,
    columns,
    spacing,
    resolve: { scale: { color: "independent", x: "independent", y: "independent", shape: "independent" } },
    config: CHART_CONFIG,
  };
}

/**
 * Rows of panels under one title: rows stacked, the panels of a row side by side, every scale independent.
 * Keeps a many-panel figure narrow enough that its text is not shrunk on a page (Fig 6: issue 16).
 */
export function figureRows(
  title: string,
  rows: PanelSpec[][],
  subtitle: string | string[] = "",
): TopLevelSpec {
  const resolve = {
    scale: { color: "independent", x: "independent", y: "independent", shape: "independent" },
  };
  return topLevelSpec({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, subtitle, anchor: "start", fontSize: 15, subtitleFontSize: 11 },
    background: "white",
    padding: 10,
    vconcat: rows.map((r) => ({ hconcat: r, spacing: 30, resolve })),
    spacing: 28,
    resolve,
    config: CHART_CONFIG,
  });
}

/** One panel as a chart of its own (e.g. written as its own PNG). */
export function panelFigure(panel: PanelSpec, config: unknown = CHART_CONFIG): TopLevelSpec {
  return topLevelSpec({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    background: "white",
    padding: 10,
    ...panel,
    config,
  });
}

/**
 * Break text into lines of at most `width` characters at spaces (a long subtitle would otherwise widen
 * the whole figure); one line is returned as a string.
 */
export function wrapText(text: string, width: number): string | string[] {
  const lines: string[] = [];
  let cur = "";
  for (const word of text.split(" ")) {
    if (cur && cur.length + 1 + word.length > width) {
      lines.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(cur);
  return lines.length <= 1 ? (lines[0] ?? "") : lines;
}

/**
 * Each panel of a figure built by `figureSpec` as a chart of its own (same look, no figure title), for a
 * page that lays panels out to fit its width; a spec without panels gives [].
 */
export function panelSpecs(spec: TopLevelSpec): TopLevelSpec[] {
  const s: { concat?: unknown; hconcat?: unknown; config?: unknown } = spec;
  const panels = s.concat ?? s.hconcat ?? [];
  return Array.isArray(panels) ? panels.map((p: PanelSpec) => panelFigure(p, s.config ?? CHART_CONFIG)) : [];
}

/** The look shared by the report's figures and the explorer's panels: font, frame, grid, legend sizes. */
export const CHART_CONFIG = {
  font: FONT,
  view: { stroke: "#ccc" },
  axis: { labelFontSize: MIN_FONT_PX, titleFontSize: 12, grid: true, gridColor: "#eee" },
  legend: { labelFontSize: MIN_FONT_PX, titleFontSize: MIN_FONT_PX, symbolSize: 60 },
};
