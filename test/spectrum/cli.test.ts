/**
 * CLI contract of `spectrum`, `finite-width`, `svcca`: --json prints one object with snake_case keys and
 * the library's values; bad input exits 2 naming the parameter. Runs through the real entry
 * (src/cli/main.ts), so the exit codes are the ones users get.
 */
import { describe, expect, it } from "vitest";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sigprop } from "../support/cli.js";

function json(out: string) {
  const lines = out.trim().split("\n");
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]);
}

const snake = (o: Record<string, unknown>) => Object.keys(o).every((k) => /^[a-z0-9_]+$/.test(k));

describe("sigprop spectrum", () => {
  it("orthogonal ReLU: edge L^L/(L−1)^{L−1}, variance L, empirical block with --simulate", async () => {
    const r = await sigprop(
      "spectrum",
      "--activation",
      "relu",
      "--weights",
      "orthogonal",
      "--depth",
      "4",
      "--points",
      "20",
      "--simulate",
      "--width",
      "32",
      "--networks",
      "2",
      "--json",
    );
    expect(r.code).toBe(0);
    const j = json(r.out);
    expect(snake(j)).toBe(true);
    expect(j.edge).toBeCloseTo(256 / 27, 12);
    expect(j.variance).toBeCloseTo(4, 10);
    expect(j.density.x).toHaveLength(20);
    expect(j.empirical.moments).toHaveLength(3);
    expect(snake(j.empirical)).toBe(true);
  });
  it("critical hard-tanh from --q-star", async () => {
    const j = json(
      (
        await sigprop(
          "spectrum",
          "--activation",
          "hard_tanh",
          "--q-star",
          "0.2",
          "--depth",
          "5",
          "--points",
          "5",
          "--json",
        )
      ).out,
    );
    expect(j.chi1).toBeCloseTo(1, 12);
    expect(j.q_star).toBe(0.2);
    expect(j.atoms[0].x).toBe(0);
  });
  it("bad input exits 2 naming the parameter", async () => {
    for (const [args, flag] of [
      [["--weights", "unitary"], "--weights"],
      [["--depth", "0"], "--depth"],
      [["--activation", "hard_tanh"], "--q-star"],
      [["--activation", "relu", "--q-star", "-1"], "--q-star"],
    ] as const) {
      const r = await sigprop("spectrum", ...args);
      expect(r.code).toBe(2);
      expect(r.err).toContain(flag);
    }
  });
});

describe("sigprop finite-width", () => {
  it("He kurtosis, p_dead, Monte Carlo and looks-linear blocks", async () => {
    const r = await sigprop(
      "finite-width",
      "--width",
      "10",
      "--depth",
      "3",
      "--simulate",
      "--samples",
      "2000",
      "--looks-linear",
      "--json",
    );
    expect(r.code).toBe(0);
    const j = json(r.out);
    expect(snake(j)).toBe(true);
    expect(j.kurtosis[2]).toBeCloseTo(3 * 1.5 ** 2, 10);
    expect(j.p_dead).toBeCloseTo(1 - (1 - 2 ** -10) ** 2, 14);
    expect(j.looks_linear.singular_value_min).toBeCloseTo(1, 10);
    expect(j.monte_carlo.recursion.samples).toBe(2000);
  });
  it("bad --input exits 2", async () => {
    const r = await sigprop("finite-width", "--input", "random");
    expect(r.code).toBe(2);
    expect(r.err).toContain("--input");
  });
});

describe("sigprop svcca", () => {
  it("pair mode on CSV files, and exit 2 when only --x is given", async () => {
    const dir = mkdtempSync(join(tmpdir(), "svcca-"));
    const x = join(dir, "x.csv");
    const y = join(dir, "y.csv");
    const rows = Array.from({ length: 30 }, (_, i) => [Math.sin(i), Math.cos(3 * i), i % 7]);
    writeFileSync(x, "a,b,c\n" + rows.map((r) => r.join(",")).join("\n"));
    writeFileSync(y, rows.map((r) => [2 * r[0] + r[1], r[1] - r[2], r[2] + 1].join(",")).join("\n"));
    const j = json((await sigprop("svcca", "--x", x, "--y", y, "--variance-kept", "1", "--json")).out);
    expect(j.mode).toBe("pair");
    expect(j.similarity).toBeCloseTo(1, 10);
    const bad = await sigprop("svcca", "--x", x);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--y");
  });
});
