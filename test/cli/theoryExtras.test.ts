/**
 * CLI contract of the issue-11 theory commands through the real entry: `analyze --residual/--batchnorm`,
 * `dynamics --residual`, `rates`, `draws`: one JSON object with the library's values, readable text,
 * exit 2 naming the flag on bad input.
 */
import { describe, expect, it } from "vitest";
import { makeActivation } from "../../src/theory/activations.js";
import { parseNoise } from "../../src/theory/noise.js";
import { residualDynamics, residualLaw } from "../../src/theory/residual.js";
import { sigprop } from "../support/cli.js";

async function json(...args: string[]) {
  const r = await sigprop(...args, "--json");
  expect(r.code, r.err).toBe(0);
  const lines = r.out.trim().split("\n");
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]);
}

describe("analyze --residual --batchnorm", () => {
  it("reports the residual law, q^L, c^L and bn_gradient_growth = π/(π−1) for ReLU", async () => {
    const j = await json(
      "analyze",
      "--activation",
      "relu",
      "--sigma-w2",
      "2",
      "--residual",
      "reduced",
      "--batchnorm",
    );
    expect(Math.abs(j.bn_gradient_growth / (Math.PI / (Math.PI - 1)) - 1)).toBeLessThan(1e-10);
    const m = { activation: makeActivation("relu"), noise: parseNoise("none"), sigmaW2: 2, sigmaB2: 0 };
    const law = residualLaw(m, { variant: "reduced" });
    expect(j.residual.variant).toBe("reduced");
    expect(j.residual.law.kind).toBe("relu_inverse_square");
    expect(j.residual.law.constant).toBe(law.kind === "relu_inverse_square" ? law.constant : NaN);
    expect(j.residual.law.hayou_gamma).toBe(0.25);
    expect(j.residual.c_at_depth).toBe(
      residualDynamics(m, { variant: "reduced", depth: 50, q0: 1, c0: 0.5 }).c[50],
    );
    expect(j.q_star).toBe(1); // the plain analysis is still there
    const t = await sigprop(
      "analyze",
      "--activation",
      "tanh",
      "--sigma-w2",
      "1",
      "--residual",
      "full",
      "--batchnorm",
    );
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/residual \(full, σ_v² = 1, σ_a² = 0\)/);
    expect(t.out).toMatch(/batch norm \(large batch\)/);
  });
  it("bad residual flags exit 2 naming the flag", async () => {
    const a = await sigprop("analyze", "--activation", "tanh", "--sigma-w2", "1", "--residual", "dense");
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/--residual 'dense'.*reduced \| full/);
    const b = await sigprop("dynamics", "--activation", "tanh", "--sigma-w2", "1", "--sigma-v2", "2");
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/--sigma-v2/);
  });
});

describe("dynamics --residual full", () => {
  it("prints the full recursion (q, c, p) and the depth law", async () => {
    const j = await json(
      "dynamics",
      "--activation",
      "erf",
      "--sigma-w2",
      "1",
      "--sigma-b2",
      "0.2",
      "--residual",
      "full",
      "--sigma-v2",
      "1.5",
      "--sigma-a2",
      "0.3",
      "--depth",
      "20",
    );
    const m = { activation: makeActivation("erf"), noise: parseNoise("none"), sigmaW2: 1, sigmaB2: 0.2 };
    const t = residualDynamics(m, { variant: "full", sigmaV2: 1.5, sigmaA2: 0.3, depth: 20, q0: 1, c0: 0.5 });
    expect(j.q).toEqual(t.q);
    expect(j.c).toEqual(t.c);
    expect(j.p).toEqual(t.p);
    expect(j.law.kind).toBe("bounded_odd");
  });
});

describe("rates", () => {
  it("ReLU: constant 9π²/2 and l²(1 − c^l) within 4 % of it at l = 1000", async () => {
    const j = await json("rates");
    expect(j.kind).toBe("inverse_square");
    expect(j.constant).toBeCloseTo((9 * Math.PI ** 2) / 2, 12);
    expect(j.l[j.l.length - 1]).toBe(1000);
    // O(ln l / l) corrections: 42.96 vs 44.41 at l = 1000 (3.3 %)
    expect(Math.abs(j.scaled[j.scaled.length - 1] / j.constant - 1)).toBeLessThan(0.04);
  });
  it("tanh at σ_b² = 0 (q* → 0) is an input error naming --sigma-b2", async () => {
    const r = await sigprop("rates", "--activation", "tanh");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--sigma-b2/);
  });
});

describe("draws", () => {
  it("JSON with angles and outputs per draw; the same seed gives the same outputs", async () => {
    const args = ["draws", "--width", "40", "--depth", "4", "--draws", "2", "--points", "16", "--seed", "3"];
    const a = await json(...args);
    const b = await json(...args);
    expect(a.angles).toHaveLength(16);
    expect(a.outputs).toHaveLength(2);
    expect(a.outputs[0]).toHaveLength(16);
    expect(a.outputs).toEqual(b.outputs);
    expect(a.theory.neighbour_correlation).toBeGreaterThan(0.9);
    const r = await sigprop(
      "draws",
      "--noise",
      "dropout:keep=0.9",
      "--points",
      "8",
      "--width",
      "8",
      "--depth",
      "2",
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--noise/);
  });
});
