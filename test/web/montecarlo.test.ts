/**
 * The explorer's Monte Carlo (sim.worker.ts runs `simulateDynamics(simConfigOf(state, …))`) uses the
 * weight law chosen in the page. With orthogonal weights its per-layer means agree with the mean-field
 * dynamics (|z| < Z_MAX over networks; rationale in test/sim/helpers.ts). That the law is really used is
 * seen in the layer-1 spread over networks of a linear network without bias: with W = σ_w Q the
 * pre-activation variance is σ_w²(1/N)|h⁰|² = σ_w² q⁰ exactly (spread: float32 rounding, ~1e-7), while
 * Gaussian weights give a spread ≈ σ_w² q⁰ √(2/(N·rows)) ≈ 0.05; we require orthogonal < 1e-3 × Gaussian.
 */
import { describe, expect, it } from "vitest";
import { simulateDynamics, zScores } from "../../src/sim/index.js";
import { dynamics } from "../../src/theory/dynamics.js";
import { C0, modelOf, Q0, simConfigOf } from "../../src/web/compute.js";
import { DEFAULT_STATE, type State } from "../../src/web/state.js";
import { worst, Z_MAX } from "../sim/helpers.js";

const NETS = 24;

describe("explorer Monte Carlo with the chosen weight law", () => {
  // noiseless tanh off criticality (the page's start is ReLU with dropout; noise would blur the layer-1
  // spread that shows the weight law)
  const state: State = {
    ...DEFAULT_STATE,
    activation: "tanh",
    noise: "none",
    sigmaW2: 1.5,
    sigmaB2: 0.05,
    width: 400,
    depth: 10,
    weights: "orthogonal",
  };

  it("passes the state's weight law to the simulation", () => {
    expect(simConfigOf(state, 4, 1).weights).toBe("orthogonal");
    expect(simConfigOf({ ...state, weights: "gaussian" }, 4, 1).weights).toBe("gaussian");
  });

  it("orthogonal weights: variance and correlation agree with the theory over 10 layers", async () => {
    const res = await simulateDynamics(simConfigOf(state, NETS, 3), Q0, [C0]);
    const th = dynamics(modelOf(state), { depth: state.depth, q0: Q0, c0: C0 });
    expect(worst(zScores(res.variance, th.q, NETS))).toBeLessThan(Z_MAX);
    expect(worst(zScores(res.correlation[0], th.c, NETS))).toBeLessThan(Z_MAX);
  });

  it("orthogonal weights remove the weight part of the layer-1 spread (the law is really used)", async () => {
    const one: State = { ...state, activation: "linear", sigmaB2: 0, depth: 1 };
    const orth = await simulateDynamics(simConfigOf(one, NETS, 4), Q0, [C0]);
    const gauss = await simulateDynamics(simConfigOf({ ...one, weights: "gaussian" }, NETS, 4), Q0, [C0]);
    expect(orth.variance.std[1]).toBeLessThan(1e-3 * gauss.variance.std[1]);
  });
});
