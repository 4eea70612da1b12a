/** `sigprop shape`: --json contract, the library's values, exit 2 on bad input, and the printed spec as --activation. */
import { describe, expect, it } from "vitest";
import { makeActivation } from "../../src/theory/activations.js";
import { solveTat } from "../../src/theory/shaping.js";
import { sigprop } from "../support/cli.js";

describe("sigprop shape", () => {
  it("--json: one object with the parameters, the library's values, and a spec analyze accepts", async () => {
    const r = await sigprop(
      "shape",
      "--method",
      "tat",
      "--activation",
      "tanh",
      "--depth",
      "20",
      "--tau",
      "0.5",
      "--json",
    );
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]);
    for (const k of [
      "method",
      "activation",
      "depth",
      "targets",
      "local_targets",
      "in_scale",
      "in_shift",
      "out_scale",
      "out_shift",
      "spec",
      "sigma_w2",
      "sigma_b2",
      "local",
      "network",
      "residual",
    ])
      expect(j).toHaveProperty(k);
    const lib = solveTat({ base: makeActivation("tanh"), depth: 20, tau: 0.5 });
    expect(j.in_scale).toBe(lib.transform.inScale);
    expect(j.out_shift).toBe(lib.transform.outShift);
    expect(j.network.c_curv1).toBeCloseTo(0.5, 10);
    // the printed spec is an --activation: analyze at σ_w² = 1 sees q* = 1 (Q(1) = 1) and χ1 = C′(1) = 1
    const a = await sigprop("analyze", "--activation", j.spec, "--sigma-w2", "1", "--json");
    expect(a.code).toBe(0);
    const aj = JSON.parse(a.out);
    expect(aj.q_star).toBeCloseTo(1, 10);
    expect(aj.chi1).toBeCloseTo(1, 10);
  });

  it("readable output names the parameters; bad input exits 2 naming the flag", async () => {
    const r = await sigprop("shape", "--method", "dks", "--activation", "relu", "--depth", "5");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/α = 0\.82367373039/);
    const cases = [
      [["--method", "foo", "--depth", "5"], "--method"],
      [["--method", "dks", "--depth", "0"], "--depth"],
      [["--method", "dks", "--depth", "5", "--zeta", "1"], "--zeta"],
      [["--method", "tat", "--activation", "leaky_relu", "--depth", "5", "--eta", "1.2"], "--eta"],
      [["--method", "dks", "--activation", "dks:tanh:depth=3", "--depth", "5"], "--activation"],
    ] as const;
    const runs = await Promise.all(cases.map(([args]) => sigprop("shape", ...args)));
    cases.forEach(([args, flag], i) => {
      expect(runs[i].code, args.join(" ")).toBe(2);
      expect(runs[i].err).toContain(`invalid ${flag}`);
    });
  });
});
