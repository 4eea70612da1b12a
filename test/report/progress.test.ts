/**
 * The overall progress of `reproduce`: the ETA model (per-figure seconds per cost unit, since cost units
 * differ between figures) and one progress report for a run over several figures.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Scale } from "../../src/report/figure.js";
import { EtaModel, formatSeconds, type ProgressState } from "../../src/report/progress.js";
import { reproduce } from "../../src/report/reproduce.js";
import { fakeSimulator } from "./fakeSim.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("EtaModel", () => {
  const jobs = [
    { figure: "sim", cost: 1e9 },
    { figure: "sim", cost: 3e9 },
    { figure: "train", cost: 2 },
    { figure: "train", cost: 2 },
  ];
  it("has no estimate before any job finished, then learns each figure's own rate", () => {
    const eta = new EtaModel(jobs);
    expect(eta.remaining(0, 0, 0)).toBeNull();
    eta.record(jobs[0], 1); // 1 s per 1e9 units
    // job 1: 3e9 units at the sim rate = 3 s; train jobs: no own rate yet → median job time (1 s) each
    expect(eta.remaining(1, 0, 0)).toBeCloseTo(3 + 1 + 1, 12);
    eta.record(jobs[1], 3);
    eta.record(jobs[2], 10); // 5 s per unit: the train figure's rate, not the sim one
    expect(eta.estimate(jobs[3])).toBeCloseTo(10, 12);
    // the running job reports its own pace: half done after 4 s → 4 s left
    expect(eta.remaining(3, 0.5, 4)).toBeCloseTo(4, 12);
  });
  it("uses recorded seconds of cached jobs (a resumed run)", () => {
    const eta = new EtaModel(jobs.slice(1), [{ figure: "sim", cost: 2e9, seconds: 4 }]);
    expect(eta.estimate(jobs[1])).toBeCloseTo(6, 12);
  });
  it("formats durations", () => {
    expect(formatSeconds(42.4)).toBe("42s");
    expect(formatSeconds(185)).toBe("3m05s");
    expect(formatSeconds(3720)).toBe("1h02m");
    expect(formatSeconds(null)).toBe("…");
  });
});

describe("reproduce progress", () => {
  it("reports one run over all figures: started once, fraction rising to 1, ETA 0 at the end", async () => {
    const out = mkdtempSync(join(tmpdir(), "sigprop-progress-"));
    dirs.push(out);
    const TINY: Scale = { name: "tiny", width: 8, networks: 2, weights: "gaussian", pairs: 1 };
    const states: ProgressState[] = [];
    let starts = 0;
    let stops = 0;
    const lines: string[] = [];
    await reproduce({
      out,
      figures: ["fig2", "fig3"],
      scale: TINY,
      seed: 1,
      simulator: async () => fakeSimulator({ delayMs: 5 }),
      progress: {
        start: () => void starts++,
        update: (s) => void states.push(s),
        log: (l) => void lines.push(l),
        stop: () => void stops++,
      },
    });
    expect(starts).toBe(1);
    expect(stops).toBe(1);
    const jobs = states[0].jobs;
    expect(lines).toHaveLength(jobs);
    expect(new Set(states.map((s) => s.label.split(" ")[0]))).toEqual(new Set(["fig2", "fig3"]));
    const last = states[states.length - 1];
    expect(last.fraction).toBe(1);
    expect(last.eta).toBe(0);
    expect(last.jobsDone).toBe(jobs);
    // after the first job every state has an ETA
    expect(states.filter((s) => s.jobsDone >= 1).every((s) => s.eta !== null)).toBe(true);
    expect(lines[lines.length - 1]).toMatch(new RegExp(`^  \\[${jobs}/${jobs}\\] fig3 .*; ETA 0s$`));
  });
});
