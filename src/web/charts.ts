/**
 * The explorer's charts as Vega-Lite specs, built with the report's spec builders (src/report/chartSpec.ts)
 * so the page and the report draw the same way. Pure data → spec; `render.ts` draws them with Vega.
 */
import type { TopLevelSpec } from "vega-lite";
import {
  CHART_CONFIG,
  heatmapPanel,
  lineDotBandPanel,
  type PanelSpec,
  type SimPoints,
  type TheoryCurve,
  topLevelSpec,
} from "../report/chartSpec.js";
import type { EocCurvePoint } from "../theory/index.js";
import { PHASE_SB, PHASE_SW, type DepthScales, type Main, type Spectrum } from "./compute.js";
import type { State } from "./state.js";

/** Panel size in chart units; the SVG scales to its box (see style.css). The phase diagram is W × W. */
const W = 300;
const H = 200;

/** One panel as a top-level spec with the report's look. */
export function single(panel: PanelSpec): TopLevelSpec {
  return topLevelSpec({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    background: "white",
    padding: 6,
    ...panel,
    title: undefined,
    config: CHART_CONFIG,
  });
}

const finite = (v: number | null | undefined): v is number =>
  v !== null && v !== undefined && Number.isFinite(v);

/** A map x ↦ f(x) with the identity and its fixed point marked (the variance and correlation maps). */
function mapSpec(
  name: string,
  x: number[],
  y: number[],
  fixed: { label: string; value: number | null },
  labels: { x: string; y: string },
  yDomain?: [number, number],
): TopLevelSpec {
  const v = fixed.value;
  return single(
    lineDotBandPanel({
      title: "",
      xLabel: labels.x,
      yLabel: labels.y,
      xDomain: [x[0], x[x.length - 1]],
      yDomain,
      theory: [{ series: name, x, y }],
      refLines: [{ label: "identity", x, y: x }],
      markers: finite(v) ? [{ series: name, x: v, y: v, label: `${fixed.label} = ${v.toPrecision(4)}` }] : [],
      width: W,
      height: H,
    }),
  );
}

/** V(q) with the identity and q*. */
export const varianceMapSpec = (m: Pick<Main, "analysis" | "vmap">): TopLevelSpec =>
  mapSpec(
    "V(q)",
    m.vmap.q,
    m.vmap.v,
    { label: "q*", value: m.analysis.qStar },
    { x: "qˡ⁻¹", y: "qˡ = V(qˡ⁻¹)" },
  );

/** C(c) at q* with the identity and c*. */
export const correlationMapSpec = (m: Main): TopLevelSpec =>
  mapSpec(
    "C(c)",
    m.cmap.c,
    m.cmap.v,
    { label: "c*", value: m.analysis.cStar },
    { x: "cˡ⁻¹", y: "cˡ = C(cˡ⁻¹)" },
    [-1, 1],
  );

/** Monte Carlo statistics per layer (mean ± std over networks), as the sim worker returns them. */
export interface McResult {
  variance: { mean: number[]; std: number[] };
  correlation: { mean: number[]; std: number[] };
}

/** q^l / q* and c^l over depth, with Monte Carlo dots and ±1 std bands when a simulation ran. */
export function dynamicsSpec(m: Main, mc: McResult | null): TopLevelSpec {
  const qs = m.analysis.qStar;
  const qn = finite(qs) && qs > 0 ? qs : 1;
  const l = m.traj.q.map((_, i) => i);
  const qLabel = finite(qs) && qs > 0 ? "qˡ / q*" : "qˡ";
  const theory: TheoryCurve[] = [
    { series: qLabel, x: l, y: m.traj.q.map((q) => q / qn) },
    { series: "cˡ", x: l, y: m.traj.c.map((c) => c ?? NaN) },
  ];
  const sim: SimPoints[] = mc
    ? [
        {
          series: qLabel,
          x: l,
          mean: mc.variance.mean.map((v) => v / qn),
          std: mc.variance.std.map((v) => v / qn),
        },
        { series: "cˡ", x: l, mean: mc.correlation.mean, std: mc.correlation.std },
      ]
    : [];
  return single(
    lineDotBandPanel({
      title: "",
      xLabel: "layer l",
      yLabel: mc ? "theory (lines), simulation (dots ± 1 sd)" : "theory",
      theory,
      sim,
      seriesOrder: [qLabel, "cˡ"],
      width: W,
      height: H,
    }),
  );
}

/**
 * The deciding slope (χ1, or χ_grad with multiplicative noise: `slope`) over the σ_w² × σ_b² grid (blue
 * ordered, orange chaotic, grey no positive q*), the EOC curve (that slope = 1) and the current point.
 */
export function phaseSpec(
  grid: (number | null)[][],
  eocPts: EocCurvePoint[],
  s: State,
  slope: "chi1" | "chi_grad" = "chi1",
): TopLevelSpec {
  const cells = grid.flatMap((row, i) =>
    row.map((chi, j) => ({ x: PHASE_SW[j], y: PHASE_SB[i], value: chi })),
  );
  return single(
    heatmapPanel({
      title: "",
      xLabel: "σ_w²",
      yLabel: "σ_b²",
      colorLabel: slope === "chi_grad" ? "χ_grad" : "χ₁",
      cells,
      colorScheme: "blueorange",
      colorScale: "log",
      colorMid: 1,
      axisFormat: ".2~f",
      axisEvery: 4,
      nullColor: "#bbb",
      curve: eocPts.length
        ? { label: "EOC", x: eocPts.map((p) => p.sigmaW2), y: eocPts.map((p) => p.sigmaB2) }
        : undefined,
      curveColor: "black",
      markers: [{ label: "you", x: s.sigmaW2, y: s.sigmaB2, color: "#0a0" }],
      width: W,
      height: W,
    }),
  );
}

/** 6ξ_c and ξ_q along σ_w² (log y), the current depth as a dashed line, the current σ_w² marked. */
export function depthScaleSpec(d: DepthScales, s: State): TopLevelSpec {
  const y = (v: (number | null)[]) => v.map((x) => (finite(x) ? x : NaN));
  const here = d.sigmaW2.indexOf(s.sigmaW2);
  const td = here >= 0 ? d.trainableDepth[here] : null;
  const xMax = d.sigmaW2[d.sigmaW2.length - 1];
  return single(
    lineDotBandPanel({
      title: "",
      xLabel: `σ_w² (σ_b² = ${s.sigmaB2})`,
      yLabel: "layers",
      yScale: "log",
      theory: [
        { series: "trainable depth 6ξ_c", x: d.sigmaW2, y: y(d.trainableDepth) },
        { series: "ξ_q", x: d.sigmaW2, y: y(d.xiQ) },
      ],
      refLines: [{ label: "depth", x: [d.sigmaW2[0], xMax], y: [s.depth, s.depth] }],
      markers: finite(td)
        ? [{ series: "trainable depth 6ξ_c", x: s.sigmaW2, y: td, label: `6ξ_c = ${td.toPrecision(3)}` }]
        : [],
      seriesOrder: ["trainable depth 6ξ_c", "ξ_q"],
      width: W,
      height: H,
    }),
  );
}

/** The density of the eigenvalues of J Jᵀ (log y), its right edge and the atom at 0 in the legend. */
export function spectrumSpec(sp: Spectrum & { ok: true }): TopLevelSpec {
  const d = sp.density!;
  const atom = sp.atoms.find((a) => a.x === 0)?.mass ?? 0;
  const series = atom > 0 ? `ρ(λ) (+ atom ${atom.toPrecision(3)} at 0)` : "ρ(λ)";
  return single(
    lineDotBandPanel({
      title: "",
      xLabel: "λ (eigenvalue of J Jᵀ)",
      yLabel: "density",
      yScale: "log",
      theory: [{ series, x: d.x, y: d.rho }],
      width: W,
      height: H,
    }),
  );
}
