/**
 * `reproduce after-init` at the tiny scale: every file is written, one arm's table rows are the arm
 * recomputed through `runArm` with the job's seeds (the path of `sigprop after-init`), the exact solution
 * (distance 0) always succeeds, a rerun reuses every cached job, and the CLI command answers with one
 * JSON object and refuses bad flags with exit 2.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { layerMean, runArm } from "../../src/analysis/afterInit.js";
import { jobSeed } from "../../src/report/cache.js";
import type { Scale } from "../../src/report/figure.js";
import { AFTER_INIT_SETTINGS } from "../../src/report/figures/afterInit.js";
import { reproduce } from "../../src/report/reproduce.js";
import { sigprop } from "../support/cli.js";

const TINY: Scale = { name: "tiny", width: 8, networks: 2, weights: "gaussian", pairs: 1 };
const out = mkdtempSync(join(tmpdir(), "sigprop-after-init-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** RFC 4180 rows (quoted cells may hold commas: the init labels do). */
function csv(path: string): Record<string, string>[] {
  const split = (line: string) => {
    const cells: string[] = [];
    let cur = "";
    let q = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (q && c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = !q;
      else if (c === "," && !q) {
        cells.push(cur);
        cur = "";
      } else cur += c;
    }
    cells.push(cur);
    return cells;
  };
  const [head, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  const keys = split(head);
  return lines.map((l) => Object.fromEntries(split(l).map((v, i) => [keys[i], v])));
}

describe("reproduce after-init", () => {
  it("writes the figure and tables; a table row equals the arm recomputed; a rerun is all cached", async () => {
    const s1 = await reproduce({ out, figures: ["after-init"], scale: TINY, seed: 2, command: "test" });
    const dir = join(out, "after-init");
    for (const f of [
      "after-init.svg",
      "after-init.png",
      "data.json",
      "parity.csv",
      "parity_noise.csv",
      "landscape_plane.csv",
    ])
      expect(existsSync(join(dir, f)), f).toBe(true);
    const data = JSON.parse(readFileSync(join(dir, "data.json"), "utf8"));
    expect(data.caption).toMatch(/Prediction/);
    expect(data.caption).toMatch(/Nye & Saxe/);

    // parity, ReLU, critical: recompute seed 0 and 1 through runArm with the job's seeds
    const s = AFTER_INIT_SETTINGS.tiny;
    const js = jobSeed(2, "after-init", "parity/relu/critical");
    const runs = [];
    for (let k = 0; k < s.seeds; k++)
      runs.push(
        await runArm({
          task: "parity",
          size: s.parity.bits,
          width: s.parity.width,
          depth: Math.log2(s.parity.bits),
          activation: "relu",
          init: "critical",
          lr: s.parity.lr,
          steps: s.steps,
          snapshots: s.snapshots,
          probe: s.probe,
          batch: 2 ** s.parity.bits,
          seed: (js + 7919 * (k + 1)) >>> 0,
          taskSeed: k + 1,
        }),
      );
    const rows = csv(join(dir, "parity.csv")).filter((r) => r.activation === "relu" && r.init === "critical");
    expect(rows.length).toBe(runs[0].steps.length);
    const last = rows[rows.length - 1];
    const m =
      runs.reduce((a, r) => a + layerMean(r.svccaSolution[r.svccaSolution.length - 1]), 0) / runs.length;
    expect(Number(last.svcca_solution_mean)).toBeCloseTo(m, 12);

    // from the exact solution (distance 0) every trial succeeds
    const d0 = csv(join(dir, "parity_noise.csv")).find((r) => r.distance === "0")!;
    expect(Number(d0.success_rate)).toBe(1);

    const s2 = await reproduce({ out, figures: ["after-init"], scale: TINY, seed: 2, command: "test" });
    expect(s2.jobs.ran).toBe(0);
    expect(s2.jobs.cached).toBe(s1.jobs.total);
  });
});

describe("sigprop after-init", () => {
  it("--json: one object with the summary and per-seed curves", async () => {
    const r = await sigprop(
      "after-init",
      "--task",
      "parity",
      "--size",
      "4",
      "--width",
      "4",
      "--steps",
      "5",
      "--seeds",
      "2",
      "--json",
    );
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out);
    expect(o.task).toBe("parity");
    expect(o.init.sigma_w2).toBe(2);
    expect(o.runs).toHaveLength(2);
    expect(o.summary.svcca_solution_mean.length).toBe(o.runs[0].steps.length);
  });

  it("refuses bad flags with exit 2 naming the flag", async () => {
    const a = await sigprop("after-init", "--task", "sorting", "--json");
    expect(a.code).toBe(2);
    expect(JSON.parse(a.out).error.flag).toBe("--task");
    const b = await sigprop("after-init", "--size", "6");
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/--size/);
  });
});
