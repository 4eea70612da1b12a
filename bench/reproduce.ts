/**
 * Benchmark of `sigprop reproduce` (issue 3): wall time of the quick reproduction of Figs 2–5 from an empty
 * folder with the real simulator (per figure and in total), and of a fully cached rerun (median of 3),
 * which is the cost of building, rendering and writing alone. SIGPROP_BENCH_SCALE=paper measures the
 * paper scale instead (tens of minutes). The quick run is done once: it takes minutes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SCALES } from "../src/report/figure.js";
import { FIGURES } from "../src/report/figures/index.js";
import { reproduce } from "../src/report/reproduce.js";
import { time } from "./stats.js";

export async function run(): Promise<Record<string, unknown>> {
  const scale = process.env.SIGPROP_BENCH_SCALE === "paper" ? SCALES.paper : SCALES.quick;
  const out = mkdtempSync(join(tmpdir(), "sigprop-bench-reproduce-"));
  try {
    const perFigure: Record<string, { wall_s: number; simulation_s: number; jobs: number }> = {};
    const t0 = performance.now();
    for (const f of FIGURES) {
      const t = performance.now();
      const s = await reproduce({ out, figures: [f.id], scale, seed: 0 });
      perFigure[f.id] = {
        wall_s: (performance.now() - t) / 1000,
        simulation_s: s.simulationSeconds,
        jobs: s.jobs.ran,
      };
    }
    const total = (performance.now() - t0) / 1000;
    const cached = await time(() => reproduce({ out, scale, seed: 0 }), 3, 0);
    return {
      scale,
      figures: FIGURES.map((f) => f.id),
      fresh_total_wall_s: total,
      fresh_per_figure: perFigure,
      cached_rerun: cached,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
