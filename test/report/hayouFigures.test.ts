/**
 * The issue-11 report figures: `hayou-rates` (theory: EOC rates and Hayou's Prop. 1) and `draws` (plain-TS
 * float64 random networks). Built at a tiny scale; their numbers are checked against values computed
 * another way (the closed-form constants, Hayou's γ, the mean-field correlation of neighbouring outputs).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Figure, Json, Scale } from "../../src/report/figure.js";
import { drawsFigure } from "../../src/report/figures/draws.js";
import { hayouRates } from "../../src/report/figures/hayouRates.js";
import { reproduce } from "../../src/report/reproduce.js";
import { fakeSimulator } from "./fakeSim.js";

const TINY: Scale = { name: "tiny", width: 8, networks: 3, weights: "gaussian", pairs: 1 };
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function build(fig: Figure) {
  const results = new Map<string, Json>();
  for (const j of fig.jobs(TINY))
    results.set(j.id, await j.run({ sim: fakeSimulator(), seed: 7, onProgress: () => {} }));
  return fig.build(TINY, results);
}

describe("hayou-rates", () => {
  it("records the constants and Hayou's γ, and the caption states prediction and outcome", async () => {
    const out = await build(hayouRates);
    const d = out.data as {
      eoc: { label: string; constant: number; scaled_last: number }[];
      prop1: { gamma: number; ratio_at_last: number };
    };
    const relu = d.eoc.find((s) => s.label.startsWith("relu"))!;
    expect(relu.constant).toBeCloseTo((9 * Math.PI ** 2) / 2, 12);
    // l²(1 − c^l) at l = 1000 within 4 % of 9π²/2 (O(ln l/l) corrections: 3.3 %)
    expect(Math.abs(relu.scaled_last / relu.constant - 1)).toBeLessThan(0.04);
    expect(d.prop1.gamma).toBeCloseTo(0.25, 14);
    expect(Math.abs(d.prop1.ratio_at_last / 0.25 - 1)).toBeLessThan(0.05);
    expect(out.caption).toMatch(/44\.41/);
    expect(out.caption).toMatch(/unstable EOC fixed point/); // shifted softplus
  });
});

describe("draws", () => {
  it("ordered outputs are smooth and chaotic ones rough, as mean field predicts", async () => {
    const out = await build(drawsFigure);
    const [ordered, chaotic] = out.agreement;
    expect(ordered.panel).toBe("ordered");
    expect(chaotic.panel).toBe("chaotic");
    expect(out.tables.map((t) => t.name)).toEqual(["ordered", "chaotic"]);
    expect(out.caption).toMatch(/1 − correlation/);
  });
  it("reproduce writes both figures, deterministic for a seed", async () => {
    const out = mkdtempSync(join(tmpdir(), "sigprop-hayou-"));
    dirs.push(out);
    const run = () =>
      reproduce({
        out,
        figures: ["hayou-rates", "draws"],
        scale: TINY,
        seed: 3,
        simulator: async () => fakeSimulator(),
        fresh: true,
      });
    await run();
    const first = readFileSync(join(out, "draws", "data.json"), "utf8");
    await run();
    expect(readFileSync(join(out, "draws", "data.json"), "utf8")).toBe(first);
    expect(readFileSync(join(out, "index.html"), "utf8")).toContain('id="hayou-rates"');
  });
});
