/**
 * Fig 6 assembly from (synthetic) job results: the job list matches the settings, the boundary table
 * reports the deepest trainable depth per keep next to 6ξ_c (theory check values from THEORY.md), the
 * variance panel compares against L*, and the spec renders to SVG.
 */
import { describe, expect, it } from "vitest";
import { SCALES, type Json } from "../../src/report/figure.js";
import { FIG6_SETTINGS, fig6, trainableDepth } from "../../src/report/figures/fig6.js";
import { renderSvg } from "../../src/report/plot.js";
import { overflowDepth } from "../../src/theory/critical.js";

describe("fig6", () => {
  it("6ξ_c matches THEORY.md's check values (p = 0.6: ξ_c = 0.9655330257; p = 0.9: 2.274034322); ∞ at p = 1", () => {
    expect(trainableDepth(0.6) as number).toBeCloseTo(6 * 0.9655330257, 8);
    expect(trainableDepth(0.9) as number).toBeCloseTo(6 * 2.274034322, 7);
    expect(trainableDepth(1)).toBeNull();
  });

  it("builds panels, tables and agreement from job results", async () => {
    const s = FIG6_SETTINGS.quick;
    const jobs = fig6.jobs(SCALES.quick);
    expect(jobs).toHaveLength(
      s.variance.sigmaW2s.length + s.training.keeps.length * s.training.depths.length,
    );
    expect(new Set(jobs.map((j) => j.id)).size).toBe(jobs.length);
    const results = new Map<string, Json>();
    const ms = 0.1;
    for (const j of jobs) {
      const c = j.config as Record<string, number>;
      if (j.id.startsWith("a/")) {
        const th = overflowDepth(c.sigma_w2, 1 / 0.6, 2 * ms);
        const d = th.depth !== null && th.depth < 1000 ? Math.round(th.depth) : null;
        results.set(j.id, {
          nets: [0, 1].map(() => ({
            depth: d,
            kind: d === null ? null : th.kind,
            signal_depth: null,
            log10q_first: [],
          })),
          mean_square: ms,
        });
      } else {
        // synthetic truth: trainable iff depth ≤ 6ξ_c (p < 1) — the boundary table must report it
        const lim = trainableDepth(c.keep) ?? Infinity;
        const ok = c.depth <= lim;
        results.set(j.id, {
          status: "ok",
          trainable: ok,
          train_loss: ok ? 0.2 : 2.3,
          val_loss: ok ? 0.25 : 2.3,
          baseline: 2.3,
          ratio: ok ? 0.25 / 2.3 : 1,
          val_acc: null,
          seconds: 1,
          diverged_at: null,
          history: [],
        });
      }
    }
    const out = fig6.build(SCALES.quick, results);
    const bnd = out.tables.find((t) => t.name === "b_mnist_boundary")!.rows;
    for (const r of bnd) {
      const lim = (r.theory_6xi_c as number | null) ?? Infinity;
      const deepest = Math.max(...s.training.depths.filter((d) => d <= lim), -Infinity);
      expect(r.deepest_trainable).toBe(Number.isFinite(deepest) ? deepest : null);
    }
    const a = out.agreement[0];
    expect(a.n).toBeGreaterThan(15);
    expect(a.meanAbsDev).toBeLessThan(0.5); // rounding to whole layers only
    const svg = await renderSvg(out.spec);
    expect(svg).toContain("<svg");
    expect(svg).toContain("6ξ_c");
  });
});
