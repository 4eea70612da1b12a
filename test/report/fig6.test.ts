/**
 * Fig 6 assembly (issues 11, 15, 16): from synthetic job results whose truth is known (the variance depths
 * are the theory's L* rounded to whole layers; a cell is trainable iff depth ≤ 6ξ_c), the figure must report
 * that truth back (boundary table, boundary layer), have distinct panel titles, a footer that is the config
 * it ran, "≥ max depth" markers for σ_w² that never over/underflow, a consistent z, the quick protocol's
 * differences from the paper said on the figure, and stay readable (≤ 1000 px wide, text ≥ 11 px).
 */
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SCALES, type Job, type Json } from "../../src/report/figure.js";
import {
  BOUNDARY_LAYER,
  CIFAR_LEFT_OUT,
  boundarySteps,
  fig6,
  makeFig6,
  panelTitles,
} from "../../src/report/figures/fig6/figure.js";
import { fig6PaperPlan } from "../../src/report/figures/fig6/plan.js";
import { FIG6_SETTINGS } from "../../src/report/figures/fig6/settings.js";
import { criticalSigmaW2, trainableDepth } from "../../src/report/figures/fig6/theory.js";
import type { TrainJobConfig, VarianceJobConfig } from "../../src/report/figures/fig6/jobs.js";
import { renderPng, renderSvg } from "../../src/report/plot.js";
import { overflowDepth } from "../../src/theory/critical.js";

const MS = 0.1; // synthetic mean square pixel: q⁰ = 2 × 0.1

/**
 * Results whose truth is known: every network over/underflows at round(L*) (or never, when L* > max depth);
 * `spread` gives network k the depth round(L*) + k (so the std over networks is > 0).
 */
function synthetic(jobs: Job[], spread = false): Map<string, Json> {
  const results = new Map<string, Json>();
  for (const j of jobs) {
    const c = j.config as VarianceJobConfig | TrainJobConfig;
    if (c.kind === "variance_depth") {
      const th = overflowDepth(c.sigma_w2, 1 / c.keep, 2 * MS);
      const d = th.depth !== null && th.depth < c.max_depth ? Math.round(th.depth) : null;
      results.set(j.id, {
        nets: Array.from({ length: c.networks }, (_, k) => ({
          depth: d === null ? null : d + (spread ? k : 0),
          kind: d === null ? null : th.kind === "none" ? null : th.kind,
          signal_depth: null,
          log10q_first: [],
        })),
        mean_square: MS,
      });
    } else {
      const ok = c.depth <= (trainableDepth(c.keep) ?? Infinity);
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
  return results;
}

type Layered = { description?: string; layer?: Layered[]; data?: { values: Record<string, unknown>[] } };
/** The heat-map panels of a built spec (rows 2, 4: two panels each). */
function panelsOf(spec: unknown): Layered[] {
  const rows = (spec as { vconcat: { hconcat: Layered[] }[] }).vconcat;
  return rows.flatMap((r) => r.hconcat);
}

describe("fig6 theory", () => {
  it("6ξ_c matches docs/THEORY.md's check values (p = 0.6: ξ_c = 0.9655330257; p = 0.9: 2.274034322); ∞ at p = 1", () => {
    expect(trainableDepth(0.6) as number).toBeCloseTo(6 * 0.9655330257, 8);
    expect(trainableDepth(0.9) as number).toBeCloseTo(6 * 2.274034322, 7);
    expect(trainableDepth(1)).toBeNull();
  });

  it("the critical σ_w² comes from criticalInit and equals the closed form 2/μ2 = 2p", () => {
    for (const p of [0.1, 0.6, 0.9, 1]) expect(criticalSigmaW2(p)).toBeCloseTo(2 * p, 14);
  });
});

describe("fig6 build (quick settings, synthetic results)", () => {
  const s = FIG6_SETTINGS.quick;
  const jobs = fig6.jobs(SCALES.quick);
  const out = fig6.build(SCALES.quick, synthetic(jobs));

  it("has one job per σ_w² and per (keep, depth) cell, with distinct ids", () => {
    expect(jobs).toHaveLength(
      s.variance.sigmaW2s.length + s.training.keeps.length * s.training.depths.length,
    );
    expect(new Set(jobs.map((j) => j.id)).size).toBe(jobs.length);
    // every training job runs at the critical σ_w² = 2p
    for (const j of jobs) {
      const c = j.config as TrainJobConfig;
      if (c.kind === "train") expect(c.sigma_w2).toBeCloseTo(2 * c.keep, 14);
    }
  });

  it("every panel title is distinct and the panels are (a), (b), (c)", () => {
    const titles = panelTitles(out.spec);
    expect(titles).toHaveLength(3);
    expect(new Set(titles).size).toBe(titles.length);
    expect(titles.map((t) => t.slice(0, 3))).toEqual(["(a)", "(b)", "(c)"]);
    expect(out.panels!.map((p) => p.name)).toEqual(["fig6a", "fig6b", "fig6c"]);
  });

  it("the footer is the config the figure ran, not the simulation scale's", () => {
    const f = out.footer!;
    expect(f).toContain(
      `width ${s.variance.width}, ${s.variance.networks} networks × batch ${s.variance.batch}`,
    );
    expect(f).toContain(`width ${s.training.width}`);
    expect(f).toContain(`${s.training.epochs} epochs`);
    expect(f).not.toContain(`width ${SCALES.quick.width}`);
    expect(f).not.toContain(`${SCALES.quick.networks} networks`);
    // the figure's own subtitle carries the same lines
    const sub = (out.spec as { title: { subtitle: string[] } }).title.subtitle.join(" ");
    expect(sub).toBe((out.data.footer as string[]).join(" "));
  });

  it("says that the quick heat maps train a different task from the paper's, and why CIFAR-10 is absent", () => {
    expect(out.caption).toContain("different task from the paper's");
    expect(out.caption).toContain(
      "classification (cross-entropy) (paper: reconstruction (MSE, targets = inputs))",
    );
    expect(out.caption).toContain("optimiser adam lr 0.001 (paper: sgd lr 0.001)");
    expect(out.caption).toContain("4 epochs (paper: 200)");
    expect(out.caption).toContain(CIFAR_LEFT_OUT);
    expect(out.footer).toContain(CIFAR_LEFT_OUT);
    expect(out.data.cifar10).toEqual({ included: false, reason: CIFAR_LEFT_OUT });
  });

  it("draws the measured trainable boundary on both heat maps, at the deepest trainable depth per p", () => {
    const heat = panelsOf(out.spec).slice(1);
    expect(heat).toHaveLength(2);
    const bnd = out.tables.find((t) => t.name === "b_mnist_boundary")!.rows;
    const depths = [...s.training.depths].sort((a, b) => a - b);
    for (const h of heat) {
      const layer = h.layer!.find((l) => l.description === BOUNDARY_LAYER);
      expect(layer).toBeDefined();
      const pts = layer!.data!.values as { gx: number; gy: number }[];
      expect(pts).toHaveLength(2 * bnd.length);
      bnd.forEach((r, i) => {
        // synthetic truth: trainable iff depth ≤ 6ξ_c
        const lim = (r.theory_6xi_c as number | null) ?? Infinity;
        const deepest = Math.max(...depths.filter((d) => d <= lim), -Infinity);
        expect(r.deepest_trainable).toBe(Number.isFinite(deepest) ? deepest : null);
        const gy = Number.isFinite(deepest) ? depths.indexOf(deepest) + 0.5 : -0.5;
        expect(pts[2 * i]).toMatchObject({ gx: i - 0.5, gy });
        expect(pts[2 * i + 1]).toMatchObject({ gx: i + 0.5, gy });
      });
    }
  });

  it("marks σ_w² without over/underflow within the maximum depth as ≥ max depth (1.2 and 1.3 at p = 0.6)", () => {
    const censored = out.data.mnist_censored_sigma_w2 as number[];
    // L* = (ln K − ln q⁰)/ln γ > 1000 exactly where the theory says so
    const expected = s.variance.sigmaW2s.filter((w) => {
      const d = overflowDepth(w, 1 / 0.6, 2 * MS).depth;
      return d === null || d >= s.variance.maxDepth;
    });
    expect(censored).toEqual(expected);
    expect(censored).toEqual(expect.arrayContaining([1.2, 1.3]));
    const rows = out.tables.find((t) => t.name === "a_mnist_variance_depth")!.rows;
    for (const r of rows) {
      if (censored.includes(r.sigma_w2 as number)) {
        expect(r.sim_depth_bound).toBe(">= 1000");
        expect(r.sim_depth_mean).toBeNull();
      } else expect(r.sim_depth_bound).toBeNull();
    }
    const markers = panelsOf(out.spec)[0]
      .layer!.filter((l) => l.data?.values.some((v) => v.series === "no over/underflow within 1000 layers"))
      .flatMap((l) => l.data!.values);
    expect(new Set(markers.map((m) => m.x))).toEqual(new Set(censored));
    expect(markers.every((m) => m.y === 1000)).toBe(true);
    expect(markers.some((m) => m.label === "≥ 1000")).toBe(true);
  });

  it("agreement: no z where every network stopped at the same layer, and the note says so", () => {
    const a = out.agreement[0];
    expect(a.n).toBe(s.variance.sigmaW2s.length - (out.data.mnist_censored_sigma_w2 as number[]).length);
    expect(a.meanAbsDev).toBeLessThan(0.5); // rounding to whole layers only
    expect(a.maxAbsZ).toBeNaN();
    expect(a.maxDevOverStd).toBeNaN();
    expect(a.note).toContain(`z over the 0 of ${a.n} points`);
    // with a spread (network k stops k layers later) z exists: |round(L*) + k̄ − L*| / (sd/√n)
    const spread = fig6.build(SCALES.quick, synthetic(jobs, true)).agreement[0];
    expect(spread.note).toContain(`z over all ${spread.n} points`);
    const zs = s.variance.sigmaW2s.flatMap((w) => {
      const d = overflowDepth(w, 1 / 0.6, 2 * MS).depth;
      if (d === null || d >= 1000) return [];
      // two networks at round(L*) and round(L*) + 1: mean round(L*) + 0.5, sd √0.5
      return [(Math.abs(Math.round(d) + 0.5 - d) / Math.sqrt(0.5)) * Math.sqrt(2)];
    });
    expect(spread.maxAbsZ).toBeCloseTo(Math.max(...zs), 10);
  });

  it("renders narrow enough to keep its text size on the page (≤ 1000 px, no font below 11 px)", async () => {
    const svg = await renderSvg(out.spec);
    if (process.env.FIG6_PNG) writeFileSync(process.env.FIG6_PNG, renderPng(svg, 1));
    const width = Number(/<svg[^>]*width="([\d.]+)"/.exec(svg)![1]);
    expect(width).toBeLessThanOrEqual(1000);
    const sizes = [...svg.matchAll(/font-size="([\d.]+)px"/g)].map((m) => Number(m[1]));
    expect(sizes.length).toBeGreaterThan(0);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(10);
    expect(svg).toContain("6ξ_c");
    for (const p of out.panels!) {
      const one = await renderSvg(p.spec);
      expect(Number(/<svg[^>]*width="([\d.]+)"/.exec(one)![1])).toBeLessThanOrEqual(1000);
    }
  });
});

describe("fig6 with CIFAR-10 panels", () => {
  it("adds (d), (e), (f) with distinct titles and no left-out note", () => {
    const f = makeFig6({ cifar10: "/nonexistent/cifar" }); // the folder is read only when a job runs
    const jobs = f.jobs(SCALES.quick);
    expect(jobs.filter((j) => j.id.startsWith("d/cifar10/"))).toHaveLength(25);
    expect(jobs.filter((j) => j.id.startsWith("e/cifar10/"))).toHaveLength(25);
    const out = f.build(SCALES.quick, synthetic(jobs));
    const titles = panelTitles(out.spec);
    expect(titles.map((t) => t.slice(0, 3))).toEqual(["(a)", "(b)", "(c)", "(d)", "(e)", "(f)"]);
    expect(new Set(titles).size).toBe(6);
    expect(titles[3]).toContain("CIFAR-10");
    expect(out.caption).not.toContain(CIFAR_LEFT_OUT);
    expect(out.tables.map((t) => t.name)).toContain("e_cifar10_boundary");
  });
});

describe("fig6 paper plan", () => {
  it("shards the paper's grid into Slurm and Kubernetes commands and a render step", () => {
    const p = fig6PaperPlan({ cifar10: "/data/cifar-10-batches-bin", shards: 8 });
    expect(p.datasets.map((d) => d.tag)).toEqual(["mnist", "cifar10"]);
    for (const d of p.datasets) {
      expect(d.runs).toBe(100);
      expect(d.slurm).toContain("#SBATCH --array=0-7");
      expect(d.slurm).toContain(
        "--task reconstruction --activation relu --init critical --optimizer sgd --lr 0.001",
      );
      expect(d.slurm).toContain("--epochs 200 --width 1000");
      expect(d.slurm).toContain(
        "--keep 0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1 --depths 2,6,10,14,18,23,27,31,35,40",
      );
      expect(d.kubernetes).toContain("completionMode: Indexed");
      expect(d.kubernetes).toContain("--shard $JOB_COMPLETION_INDEX/8");
    }
    expect(p.datasets[1].dataset).toBe("cifar10:/data/cifar-10-batches-bin");
    expect(p.render).toContain(
      "--from-sweep $SCRATCH/sigprop-fig6/mnist --from-sweep $SCRATCH/sigprop-fig6/cifar10",
    );
    expect(p.varianceJobs).toBe(50);
  });

  it("the boundary steps put a column with no trainable depth at the grid's bottom edge", () => {
    const cells = [
      { keep: 0.5, depth: 2, trainable: false },
      { keep: 0.5, depth: 4, trainable: false },
      { keep: 1, depth: 2, trainable: true },
      { keep: 1, depth: 4, trainable: true },
    ].map((c) => ({ ...c, trainRatio: 1, valRatio: 1, trainLoss: 1, valLoss: 1, diverged: 0, runs: 1 }));
    expect(boundarySteps(cells).map((p) => [p.gx, p.gy])).toEqual([
      [-0.5, -0.5],
      [0.5, -0.5],
      [0.5, 1.5],
      [1.5, 1.5],
    ]);
  });
});
