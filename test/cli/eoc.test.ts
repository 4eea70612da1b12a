/**
 * Issue 16: `sigprop eoc --activation relu` prints no "NaN" and no silently dropped σ_b² points: ReLU's
 * edge of chaos is the single point σ_w² = 2/μ2 at σ_b² = 0 (every q a fixed point there), and each
 * σ_b² > 0 of the range is listed with its reason (text and --json).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

function sigprop(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: root,
    encoding: "utf8",
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("sigprop eoc --activation relu", () => {
  it("text: the single point with q* 'any q' and one line per excluded σ_b²", () => {
    const r = sigprop(
      "eoc",
      "--activation",
      "relu",
      "--noise",
      "dropout:keep=0.5",
      "--sigma-b2-range",
      "0:1:5",
    );
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/NaN/);
    // σ_w² = 2/μ2 = 2·0.5 = 1 at σ_b² = 0
    expect(r.out).toMatch(/^0\s+1\s+any q\s+1\s+yes$/m);
    for (const sb2 of ["0.25", "0.5", "0.75", "1"])
      expect(r.out).toMatch(
        new RegExp(`^σ_b² = ${sb2.replace(".", "\\.")}: no point: .*needs σ_b² = 0`, "m"),
      );
  });

  it("--json: q_star null with its note, every excluded σ_b² with a reason", () => {
    const r = sigprop("eoc", "--activation", "relu", "--sigma-b2-range", "0:1:3", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.points).toHaveLength(1);
    expect(j.points[0]).toMatchObject({ sigma_b2: 0, sigma_w2: 2, q_star: null });
    expect(j.points[0].q_star_note).toMatch(/every q is a fixed point/);
    expect(j.excluded.map((e: { sigma_b2: number }) => e.sigma_b2)).toEqual([0.5, 1]);
  });
});
