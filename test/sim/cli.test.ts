/** `sigprop simulate`: the --json contract, reproducibility by seed, and exit 2 on bad input. */
import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { register } from "../../src/cli/commands/simulate.js";

afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

async function run(args: string[]): Promise<{ code: number | undefined; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const program = new Command().exitOverride();
  register(program);
  process.exitCode = undefined;
  await program.parseAsync(["node", "sigprop", "simulate", ...args]);
  vi.restoreAllMocks();
  return { code: process.exitCode as number | undefined, stdout, stderr };
}

const small = ["--width", "64", "--networks", "3", "--seed", "5"];

describe("sigprop simulate", () => {
  it("--json dynamics: one object with per-layer arrays, theory side by side and max_abs_z", async () => {
    const r = await run([
      "--noise",
      "dropout:keep=0.6",
      "--sigma-w2",
      "1.2",
      "--depth",
      "4",
      "--c0",
      "0,0.9",
      "--json",
      ...small,
    ]);
    expect(r.code ?? 0).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const o = JSON.parse(lines[0]);
    for (const k of ["variance_mean", "variance_std", "theory_variance", "z_variance"])
      expect(o[k]).toHaveLength(5);
    for (const k of ["correlation_mean", "correlation_std", "theory_correlation", "z_correlation"]) {
      expect(o[k]).toHaveLength(2);
      expect(o[k][0]).toHaveLength(5);
    }
    expect(o.correlation_mean[1][0]).toBeCloseTo(0.9, 6);
    // theory columns by the closed form: ReLU + dropout(keep 0.6), σ_w² = 1.2, σ_b² = 0 gives
    // V(q) = σ_w² μ2 q/2 = q and c ↦ g(c)/μ2 with g the degree-1 arc-cosine kernel (Cho & Saul 2009)
    const g = (c: number) => (c * Math.asin(c) + Math.sqrt(1 - c * c)) / Math.PI + c / 2;
    for (const q of o.theory_variance) expect(q).toBeCloseTo(1, 9);
    [0, 0.9].forEach((c0, k) => {
      let c = c0;
      for (let l = 0; l <= 4; l++) {
        expect(o.theory_correlation[k][l]).toBeCloseTo(c, 9);
        c = g(c) * 0.6;
      }
    });
    // z columns are (mean − theory)/(std/√networks) of the printed columns, max_abs_z their largest |z|
    const zs: number[] = [];
    const check = (z: (number | null)[], m: number[], sd: number[], t: number[]) =>
      z.forEach((v, l) => {
        if (v === null) return;
        expect(v).toBeCloseTo((m[l] - t[l]) / (sd[l] / Math.sqrt(3)), 5);
        zs.push(Math.abs(v));
      });
    check(o.z_variance, o.variance_mean, o.variance_std, o.theory_variance);
    for (let k = 0; k < 2; k++)
      check(o.z_correlation[k], o.correlation_mean[k], o.correlation_std[k], o.theory_correlation[k]);
    expect(zs.length).toBeGreaterThan(8);
    expect(o.max_abs_z).toBeCloseTo(Math.max(...zs), 6);
    expect(typeof o.max_abs_z).toBe("number");
    expect(o.comparison).toBe("ok");
    expect(o.non_finite_layers).toEqual({ variance: [], correlation: [[], []] });
    expect(o.seed).toBe(5);
    expect(o.config).toMatchObject({
      noise: "dropout:keep=0.6",
      mu2: 1 / 0.6,
      width: 64,
      networks: 3,
      weights: "gaussian",
    });
    expect(o.versions.jax_js).toMatch(/\d+\.\d+/);
    expect(o.c_star).toBeCloseTo(0.2839086535, 8);
  });

  it("same seed → identical JSON (apart from the elapsed time)", async () => {
    const args = [
      "--activation",
      "tanh",
      "--noise",
      "gauss_add:std=1",
      "--sigma-w2",
      "1",
      "--depth",
      "3",
      "--json",
      ...small,
    ];
    const strip = (s: string) => ({ ...JSON.parse(s), elapsed_s: 0 });
    expect(strip((await run(args)).stdout)).toEqual(strip((await run(args)).stdout));
  });

  it("variance_map and correlation_map experiments", async () => {
    const v = JSON.parse(
      (
        await run([
          "--experiment",
          "variance_map",
          "--q0",
          "0:15:4",
          "--activation",
          "tanh",
          "--sigma-w2",
          "1",
          "--json",
          ...small,
        ])
      ).stdout,
    );
    expect(v.q0).toEqual([0, 5, 10, 15]);
    expect(v.variance_mean).toHaveLength(4);
    expect(v.theory_variance).toHaveLength(4);
    const c = JSON.parse(
      (
        await run([
          "--experiment",
          "correlation_map",
          "--c0",
          "0,0.5,1",
          "--sigma-w2",
          "2",
          "--json",
          ...small,
        ])
      ).stdout,
    );
    expect(c.correlation_mean).toHaveLength(3);
    expect(c.theory_correlation[2]).toBeCloseTo(1, 12);
  });

  it("a simulation that overflows float32: non-finite layers listed, comparison failed, exit 1", async () => {
    // ReLU at σ_w² = 10⁶: variance × 5·10⁵ per layer passes float32 max (3.4·10³⁸) at layer 7 (compare.test.ts)
    const args = ["--activation", "relu", "--sigma-w2", "1e6", "--depth", "10", "--width", "50"];
    const r = await run([...args, "--networks", "4", "--json"]);
    expect(r.code).toBe(1);
    const o = JSON.parse(r.stdout.trim());
    expect(o.comparison).toBe("non_finite");
    expect(o.max_abs_z).toBeNull();
    const bad: number[] = o.non_finite_layers.correlation[0];
    expect(bad.length).toBeGreaterThan(0);
    for (const l of bad) expect(o.correlation_mean[0][l]).toBeNull();
    expect(r.stderr).toMatch(/FAILED: non-finite simulated values at correlation c0=0.5 layers \d/);
    const t = await run([...args, "--networks", "4"]);
    expect(t.code).toBe(1);
    expect(t.stdout).toMatch(/FAILED: non-finite/);
    expect(t.stdout).not.toMatch(/largest \|z\|: 0\b/);
  });

  it.each([
    [["--width", "0"], /--width '0'.*integer in \[2, 16384\]/],
    [["--networks", "2.5"], /--networks '2.5'.*integer/],
    [["--weights", "haar"], /--weights 'haar'.*gaussian \| orthogonal/],
    [["--c0", "1.5"], /--c0 '1.5'.*\[-1, 1\]/],
    [["--q0", "-1"], /--q0 '-1'/],
    [["--experiment", "fig9"], /--experiment 'fig9'.*dynamics \| variance_map \| correlation_map/],
    [["--noise", "dropout:0.5"], /ambiguous/],
  ])("bad input %j → exit 2 naming parameter, value and valid range", async (args, msg) => {
    const r = await run(["--sigma-w2", "2", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
  });

  it("σ_w² is required", async () => {
    const r = await run(["--width", "8"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--sigma-w2");
  });
});
