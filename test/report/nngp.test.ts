/**
 * `reproduce nngp` at a small scale: every file is written, the accuracy table is the GP protocol of
 * `sigprop gp` (one cell recomputed through gpRun on the same seeded subset), and the verdict table follows
 * from the accuracy table by its stated rule.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gpRun, gpSubset } from "../../src/analysis/gpExperiment.js";
import { loadMnist } from "../../src/data/index.js";
import { jobSeed } from "../../src/report/cache.js";
import type { Scale } from "../../src/report/figure.js";
import { reproduce, packageVersion } from "../../src/report/reproduce.js";
import { parseActivation } from "../../src/theory/activations.js";
import { parseNoise } from "../../src/theory/noise.js";

const TINY: Scale = { name: "tiny", width: 8, networks: 2, weights: "gaussian", pairs: 1 };
const out = mkdtempSync(join(tmpdir(), "sigprop-nngp-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function csv(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  const keys = head.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [keys[i], v])));
}

describe("reproduce nngp", () => {
  it("writes the figure, its tables and a verdict consistent with the accuracies", async () => {
    const s = await reproduce({ out, figures: ["nngp"], scale: TINY, seed: 3, command: "test" });
    expect(s.figures[0].id).toBe("nngp");
    const acc = csv(join(out, "nngp", "accuracy.csv"));
    expect(acc.length).toBe(2 * 3);
    // one cell through the single-run path of `sigprop gp`
    const cell = acc.find((r) => r.keep === "0.8" && r.sigma_w2 === "1.6")!;
    const seed = jobSeed(3, "nngp", "depth2/keep0.8");
    const sub = gpSubset(loadMnist(), 60, 40, seed);
    const r = gpRun(sub, {
      model: {
        activation: parseActivation("relu"),
        noise: parseNoise("dropout:keep=0.8"),
        sigmaW2: 1.6,
        sigmaB2: 0.05,
      },
      depth: 2,
    });
    expect(Number(cell.accuracy)).toBe(r.accuracy);
    expect(Number(cell.mse)).toBeCloseTo(r.mse, 12);
    for (const v of csv(join(out, "nngp", "verdict.csv"))) {
      const row = acc.filter((a) => a.keep === v.keep && a.depth === v.depth).map((a) => Number(a.accuracy));
      const best = Math.max(...row);
      const se = Math.sqrt((best * (1 - best)) / 40);
      expect(Number(v.best_accuracy)).toBe(best);
      const status =
        best - Math.min(...row) <= 2 * se
          ? "flat"
          : Number(v.accuracy_at_critical) >= best - 2 * se
            ? "agrees"
            : "disagrees";
      expect(v.status).toBe(status);
    }
    const data = JSON.parse(readFileSync(join(out, "nngp", "data.json"), "utf8"));
    expect(data.versions.sigprop).toBe(packageVersion());
  });
});
