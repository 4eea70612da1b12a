/**
 * Report fixes of issue 16: clipped theory lines, distinguishable dot styles, long subtitles wrapped, the
 * pass/flag criterion of the agreement tables, Fig 5 against μ2 with a caption computed from the data,
 * and Figs 2b/3b with quantile bands and the finite-width median.
 */
import { describe, expect, it } from "vitest";
import { agreement, judgeAgreement } from "../../src/report/agreement.js";
import { clipCurve, lineDotBandPanel, wrapText } from "../../src/report/chartSpec.js";
import type { Figure, Json, Scale } from "../../src/report/figure.js";
import { fig2 } from "../../src/report/figures/fig2.js";
import { fig3 } from "../../src/report/figures/fig3.js";
import { fig5, fig5Findings, type Fig5Row } from "../../src/report/figures/fig5.js";
import { studentTwoSidedTail } from "../../src/numerics/studentT.js";
import { fakeSimulator } from "./fakeSim.js";

const TINY: Scale = { name: "tiny", width: 8, networks: 3, weights: "gaussian", pairs: 1 };

async function build(fig: Figure) {
  const results = new Map<string, Json>();
  const sim = fakeSimulator({ noise: 0.001 });
  for (const j of fig.jobs(TINY)) results.set(j.id, await j.run({ sim, seed: 7, onProgress: () => {} }));
  return fig.build(TINY, results);
}

type Layer = { data: { values: Record<string, unknown>[] }; mark: Record<string, unknown> };
const layersOf = (spec: unknown, panel: number) =>
  (spec as { concat: { layer: Layer[] }[] }).concat[panel].layer;

describe("chart fixes", () => {
  it("a curve leaving a log y domain stops exactly at its edge (interpolated in log space)", () => {
    // y = 10^{−x}: leaves [1e-4, 1] at x = 4
    const x = [0, 1, 2, 3, 4.5, 5, 6];
    const y = x.map((v) => 10 ** -v);
    const pieces = clipCurve(x, y, [1e-4, 1], true);
    expect(pieces).toHaveLength(1);
    const p = pieces[0];
    expect(p.x[p.x.length - 1]).toBeCloseTo(4, 12);
    expect(p.y[p.y.length - 1]).toBeCloseTo(1e-4, 15);
    expect(Math.min(...p.y)).toBeGreaterThanOrEqual(1e-4 * (1 - 1e-12));
    // a curve that leaves and comes back is two pieces
    expect(clipCurve([0, 1, 2], [0.5, 2, 0.5], [0, 1], false)).toHaveLength(2);
  });

  it("dots outside an explicit domain are left out; styled series get their own point layer", () => {
    const panel = lineDotBandPanel({
      title: "t",
      xLabel: "x",
      yLabel: "y",
      yDomain: [0, 1],
      sim: [
        { series: "a", x: [0, 1, 2], mean: [0.5, 2, 0.2], std: [0, 0, 0] },
        {
          series: "b",
          x: [0, 1],
          mean: [0.5, 0.6],
          std: [0, 0],
          marker: { shape: "triangle-up", filled: false, xOffset: 7 },
        },
      ],
    }) as { layer: Layer[] };
    const points = panel.layer.filter((l) => l.mark.type === "point");
    expect(points).toHaveLength(2);
    expect(points[0].data.values).toHaveLength(2); // y = 2 dropped
    expect(points[1].mark).toMatchObject({ shape: "triangle-up", filled: false, xOffset: 7 });
  });

  it("long subtitles wrap at spaces", () => {
    const w = wrapText("aaa bbb ccc ddd", 7);
    expect(w).toEqual(["aaa bbb", "ccc ddd"]);
    expect(wrapText("short", 80)).toBe("short");
  });
});

describe("agreement criterion", () => {
  it("relative error, Student-t dof and a Šidák threshold over all comparisons of the figure", () => {
    const networks = 12;
    const sim = { mean: [1.05, 2, 3], std: [0.1, 0.1, 0.1] };
    const row = agreement("(a)", "s", sim, [1, 2, 3], networks);
    expect(row.maxRelErr).toBeCloseTo(0.05, 12);
    expect(row.dof).toBe(11);
    expect(row.maxAbsZ).toBeCloseTo(0.5 * Math.sqrt(12), 10);
    const far = { ...row, series: "far", maxAbsZ: 9 };
    const { rows, criterion } = judgeAgreement([row, far]);
    expect(criterion?.comparisons).toBe(6);
    // under the threshold, P(|t_11| > T) is the Šidák level for 6 comparisons at 5 %
    const T = rows[0].threshold as number;
    expect(studentTwoSidedTail(T, 11)).toBeCloseTo(1 - 0.95 ** (1 / 6), 9);
    expect(rows.map((r) => r.verdict)).toEqual(["pass", "flag"]);
    expect(criterion?.text).toMatch(/6 comparisons/);
  });
});

describe("Fig 5", () => {
  it("plots ξ_c against μ2 (log axis), clips panel (c) at 1e-4 and styles the authors' fit apart", async () => {
    const out = await build(fig5);
    const a = layersOf(out.spec, 0);
    const pts = a.filter((l) => l.mark.type === "point");
    expect(pts).toHaveLength(2);
    expect(pts[1].mark).toMatchObject({ shape: "triangle-up", filled: false });
    const xs = pts[0].data.values.map((v) => v.x as number);
    expect(Math.max(...xs)).toBeGreaterThan(1); // μ2 = 1/p ≥ 1.11, not p ≤ 0.9
    const c = layersOf(out.spec, 2);
    const lines = c.filter((l) => l.mark.type === "line").flatMap((l) => l.data.values);
    expect(Math.min(...lines.map((v) => v.y as number))).toBeGreaterThanOrEqual(1e-4 * (1 - 1e-9));
  });

  it("the caption's statements are computed from the table, not asserted", () => {
    const row = (o: Partial<Fig5Row>): Fig5Row =>
      ({
        name: "x",
        family: "dropout",
        level: 0.9,
        mu2: 1 / 0.9,
        xi_theory: 2.27,
        xi_fit: 2.19,
        xi_fit_se: 0.1,
        xi_fit_against_last_layer: 2.35,
        xi_theory_trajectory: 2.27,
        xi_theory_trajectory_against_last_layer: 2.27,
        ...o,
      }) as Fig5Row;
    const text = fig5Findings([
      row({}),
      row({
        level: 0.1,
        mu2: 10,
        xi_theory: 0.34,
        xi_fit: null,
        xi_fit_se: null,
        xi_fit_against_last_layer: null,
      }),
    ]);
    expect(text).toMatch(/No fit for p = 0\.1 .*: strong noise decorrelates/);
    const weakMissing = fig5Findings([
      row({ family: "gaussian", level: 0.1, xi_theory: 6.18, xi_fit: null, xi_fit_against_last_layer: null }),
    ]);
    expect(weakMissing).toMatch(/No fit for s = 0\.1 .*: fewer than two layers/);
    expect(weakMissing).not.toMatch(/strong noise/);
    expect(text).toMatch(/below ours at 0 of 1/);
    expect(text).toMatch(/p = 0\.9: authors 2\.35, ours 2\.19/);
    expect(text).toMatch(/less than 1 % at every configuration/);
    const biased = fig5Findings([row({ xi_theory_trajectory_against_last_layer: 2.0 })]);
    expect(biased).toMatch(/changes ξ_c by -12 % at p = 0\.9/);
  });
});

describe("Figs 2b and 3b", () => {
  it("bands are 16–84 % quantiles over networks and the finite-width median is drawn dashed where it applies", async () => {
    for (const fig of [fig2, fig3]) {
      const out = await build(fig);
      const b = layersOf(out.spec, 1);
      expect(b.some((l) => l.mark.type === "line" && Array.isArray(l.mark.strokeDash))).toBe(true);
      expect(out.caption).toMatch(/finite-width median/);
    }
    const out = await build(fig3);
    const critical = out.tables.find((t) => t.name === "b_dropout_critical");
    expect(critical?.rows[15].finite_width_median).toBeLessThan(4);
  });
});
