/**
 * The CLI contract: --json prints one object with the documented snake_case keys and the library's
 * values; bad input exits 2 naming the parameter; help exits 0.
 */
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/theory/analyze.js";
import { makeActivation } from "../../src/theory/activations.js";
import { dPhi2dq, eDphi2, ePhi2 } from "../../src/theory/expectations.js";
import { parseNoise } from "../../src/theory/noise.js";
import { sigprop } from "../support/cli.js";

describe("sigprop analyze", () => {
  it("--json has the contract keys and the library's values", async () => {
    const r = await sigprop(
      "analyze",
      "--activation",
      "relu",
      "--noise",
      "dropout:keep=0.6",
      "--sigma-w2",
      "1.2",
      "--json",
    );
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]);
    for (const k of [
      "activation",
      "noise",
      "sigma_w2",
      "sigma_b2",
      "q_star",
      "q_status",
      "chi1",
      "chi_grad",
      "chi_q",
      "c_star",
      "chi_c",
      "xi_q",
      "xi_c",
      "trainable_depth",
      "phase",
      "decided_by",
      "phase_reason",
    ]) {
      expect(j).toHaveProperty(k);
    }
    expect(j.noise.kind).toBe("dropout");
    expect(j.noise.mu2).toBeCloseTo(1 / 0.6, 14);
    const lib = analyze({
      activation: makeActivation("relu"),
      noise: parseNoise("dropout:keep=0.6"),
      sigmaW2: 1.2,
      sigmaB2: 0,
    });
    expect(j.c_star).toBe(lib.cStar);
    expect(j.xi_c).toBe(lib.xiC);
    expect(j.xi_q).toBeNull(); // χ_q = 1: infinite
    // critical for dropout (σ_w² = 2p): χ_grad = 1.2·(1/0.6)·½ = 1 decides, although χ1 = 0.6
    expect(j.phase).toBe("edge_of_chaos");
    expect(j.decided_by).toBe("chi_grad");
  });
  it("He init with dropout is unbounded (q^l = 1.25^l), and text mode names what decided the phase", async () => {
    const args = ["analyze", "--activation", "relu", "--noise", "dropout:keep=0.8", "--sigma-w2", "2"];
    const j = JSON.parse((await sigprop(...args, "--json")).out);
    expect(j.phase).toBe("unbounded");
    expect(j.decided_by).toBe("q_star");
    expect(j.chi_grad).toBe(1.25); // 2 · (1/0.8) · ½, exact in float64
    const t = await sigprop(...args);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/^phase +unbounded, decided by q\*: q\^l grows without bound/m);
    expect(t.out).toMatch(/ξ_q —/); // χ_q undefined (no q*): "—", not "∞"
    const o = await sigprop(
      "analyze",
      "--activation",
      "tanh",
      "--noise",
      "dropout:keep=0.8",
      "--sigma-w2",
      "1.2",
      "--sigma-b2",
      "0.1",
    );
    expect(o.out).toMatch(/^phase +ordered, decided by χ_grad: χ_grad = 0\.877\d* < 1/m);
  });
  it("bad input exits 2 and names parameter, value and valid range", async () => {
    const r1 = await sigprop("analyze", "--noise", "dropout:0.9", "--sigma-w2", "2");
    expect(r1.code).toBe(2);
    expect(r1.err).toMatch(/--noise 'dropout:0.9'.*keep=0.9.*rate=0.9/s);
    const r2 = await sigprop("analyze", "--sigma-w2", "-1");
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/--sigma-w2 '-1'.*valid/);
    const r3 = await sigprop("analyze", "--activation", "relu6", "--sigma-w2", "2");
    expect(r3.code).toBe(2);
    expect(r3.err).toMatch(/--activation 'relu6'/);
    const r4 = await sigprop("analyze", "--sigma-w2", "2", "--noise", "dropout:keep=1.5");
    expect(r4.code).toBe(2);
    const r5 = await sigprop("phase", "--sigma-w2-range", "1:0:5");
    expect(r5.code).toBe(2);
    expect(r5.err).toMatch(/--sigma-w2-range '1:0:5'/);
    expect((await sigprop("nosuchcommand")).code).toBe(2);
  });
  it("--help exits 0", async () => {
    expect((await sigprop("--help")).code).toBe(0);
  });
});

describe("sigprop critical / eoc / dynamics / phase", () => {
  it("critical: ReLU with dropout is 2p; additive noise has no critical point with a reason", async () => {
    const a = JSON.parse((await sigprop("critical", "--noise", "dropout:rate=0.1", "--json")).out);
    expect(a.exists).toBe(true);
    expect(a.sigma_w2).toBeCloseTo(1.8, 15);
    expect(a.mu2).toBeCloseTo(1 / 0.9, 15);
    const b = JSON.parse((await sigprop("critical", "--noise", "gauss_add:std=1", "--json")).out);
    expect(b.exists).toBe(false);
    expect(typeof b.reason).toBe("string");
  });
  it("critical --format spells out the keep-vs-rate convention", async () => {
    const t = await sigprop("critical", "--noise", "dropout:keep=0.8", "--format", "torch");
    expect(t.code).toBe(0);
    expect(t.out).toContain("nn.Dropout(p=0.2)");
    expect(t.out).toContain("keep probability p = 0.8");
    expect((await sigprop("critical", "--format", "keras")).code).toBe(2);
  });
  it("eoc: points with stability; empty with a reason for softplus", async () => {
    const e = JSON.parse(
      (await sigprop("eoc", "--activation", "tanh", "--sigma-b2-range", "0.1:0.3:3", "--json")).out,
    );
    expect(e.points).toHaveLength(3);
    expect(e.points.map((p: { sigma_b2: number }) => p.sigma_b2)).toEqual([0.1, 0.2, 0.3]);
    // each point satisfies the equations that define it, evaluated by the expectation routines (tanh, no
    // noise): χ₁ = σ_w² E[φ′(√q* z)²] = 1, q* = σ_w² E[φ(√q* z)²] + σ_b², χ_q = σ_w² dE[φ²]/dq; the solver
    // converges to ~1e-15, 1e-9 leaves room for the JSON round trip and the root finder's stopping rule
    const tanh = makeActivation("tanh");
    for (const p of e.points) {
      expect(Math.abs(p.sigma_w2 * eDphi2(tanh, p.q_star) - 1)).toBeLessThan(1e-9);
      expect(Math.abs(p.sigma_w2 * ePhi2(tanh, p.q_star) + p.sigma_b2 - p.q_star)).toBeLessThan(
        1e-9 * p.q_star,
      );
      expect(Math.abs(p.sigma_w2 * dPhi2dq(tanh, p.q_star) - p.chi_q)).toBeLessThan(1e-9);
      expect(p.stable).toBe(Math.abs(p.chi_q) < 1);
    }
    const s = JSON.parse((await sigprop("eoc", "--activation", "softplus", "--json")).out);
    expect(s.points).toEqual([]);
    expect(s.reason).toBeTruthy();
  });
  it("dynamics: q grows by 2μ2 per layer for ReLU He init with additive noise", async () => {
    const d = JSON.parse(
      (
        await sigprop(
          "dynamics",
          "--noise",
          "gauss_add:std=1",
          "--sigma-w2",
          "2",
          "--q0",
          "4",
          "--depth",
          "5",
          "--json",
        )
      ).out,
    );
    expect(d.q).toEqual([4, 6, 8, 10, 12, 14]);
    expect(d.c).toHaveLength(6);
  });
  it("phase: a grid of χ1, χ_grad, ξ_c and the phase by χ_grad (multiplicative noise)", async () => {
    const p = JSON.parse(
      (
        await sigprop(
          "phase",
          "--activation",
          "relu",
          "--noise",
          "dropout:keep=0.8",
          "--sigma-w2-range",
          "1:2:3",
          "--sigma-b2-range",
          "0:0:1",
          "--json",
        )
      ).out,
    );
    expect(p.chi1).toHaveLength(1);
    expect(p.chi1[0]).toHaveLength(3);
    expect(p.chi1[0][1]).toBeCloseTo(0.75, 14); // χ1 = σ_w²/2
    expect(p.chi_grad[0][1]).toBeCloseTo(0.9375, 14); // χ_grad = σ_w² μ2/2 = 1.5·1.25/2
    expect(p.decided_by).toBe("chi_grad");
    // σ_b² = 0: V(q) = (σ_w² μ2/2) q vanishes below σ_w² = 1.6 and explodes above it
    expect(p.phase[0]).toEqual(["vanishing", "vanishing", "unbounded"]);
  });
});
