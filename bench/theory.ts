/**
 * Theory-engine benchmarks (issue: theory engine): analyze for ReLU, tanh, ELU and SELU, a 200-point tanh EOC curve,
 * a 100×100 tanh phase diagram of χ1 and ξ_c (target ≤ 5 s on 2 cores) and of χ1 alone. Baseline in the same
 * process: the same c* solve with the Mehler series disabled (2-D adaptive quadrature only), as a ratio.
 */
import { makeActivation } from "../src/theory/activations.js";
import { analyze } from "../src/theory/analyze.js";
import { eocCurve } from "../src/theory/critical.js";
import { parseNoise } from "../src/theory/noise.js";
import { phaseGrid } from "../src/theory/phase.js";
import { brent } from "../src/numerics/roots.js";
import { ePhi2, kernelQuadrature } from "../src/theory/expectations.js";
import { findQStar } from "../src/theory/fixedPoints.js";
import { time } from "./stats.js";

const lin = (a: number, b: number, n: number) =>
  Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

export async function run(): Promise<Record<string, unknown>> {
  const none = parseNoise("none");
  const drop = parseNoise("dropout:keep=0.6");
  // fresh activation objects defeat the per-activation Hermite cache, so each repeat does the full work
  const reluT = await time(
    () => analyze({ activation: makeActivation("relu"), noise: drop, sigmaW2: 1.2, sigmaB2: 0 }),
    200,
    10,
  );
  const tanhChaotic = await time(
    () => analyze({ activation: makeActivation("tanh"), noise: none, sigmaW2: 2.5, sigmaB2: 0.1 }),
    20,
    2,
  );
  const tanhOrdered = await time(
    () => analyze({ activation: makeActivation("tanh"), noise: none, sigmaW2: 0.8, sigmaB2: 0.1 }),
    20,
    2,
  );
  // ELU/SELU: closed-form kernels (quadrant split, tilting, Φ2); before them, nested 2-D quadrature
  const eluDropout = await time(
    () => analyze({ activation: makeActivation("elu"), noise: drop, sigmaW2: 1.2, sigmaB2: 0.1 }),
    20,
    2,
  );
  const selu = await time(
    () => analyze({ activation: makeActivation("selu"), noise: none, sigmaW2: 1, sigmaB2: 0 }),
    20,
    2,
  );
  const eoc = await time(() => eocCurve(makeActivation("tanh"), none, lin(0, 1, 200)), 3, 0);

  const n = Number(process.env.SIGPROP_PHASE_N ?? 100);
  const sw = lin(0.5, 4, n);
  const sb = lin(0, 0.5, n);
  const t0 = performance.now();
  const g = phaseGrid(makeActivation("tanh"), none, { sigmaW2s: sw, sigmaB2s: sb });
  const phaseMs = performance.now() - t0;
  const chaotic = g.phase.flat().filter((p) => p === "chaotic").length;
  // χ1 alone (the explorer's phase panel): q* and χ1 per point, no c* solve
  const t1 = performance.now();
  phaseGrid(makeActivation("tanh"), none, { sigmaW2s: sw, sigmaB2s: sb, q0: 1, c0: 0.5, fields: ["chi1"] });
  const chi1Ms = performance.now() - t1;

  // Baseline: c* for the chaotic tanh point by Brent on C(c) − c with the 2-D quadrature kernel only.
  const m = { activation: makeActivation("tanh"), noise: none, sigmaW2: 2.5, sigmaB2: 0.1 };
  const q = findQStar(m).qStar as number;
  const base = await time(
    () => {
      const act = m.activation;
      const V = m.sigmaW2 * ePhi2(act, q) + m.sigmaB2;
      return brent((c) => (m.sigmaW2 * kernelQuadrature(act, q, q, c) + m.sigmaB2) / V - c, 0, 0.999);
    },
    3,
    0,
  );

  return {
    analyze_relu_dropout: reluT,
    analyze_tanh_chaotic: tanhChaotic,
    analyze_tanh_ordered: tanhOrdered,
    analyze_elu_dropout: eluDropout,
    analyze_selu: selu,
    eoc_tanh_200_points: eoc,
    phase_tanh: {
      grid: `${n}x${n}`,
      sigma_w2: [sw[0], sw[n - 1]],
      sigma_b2: [sb[0], sb[n - 1]],
      wall_s: phaseMs / 1000,
      per_point_ms: phaseMs / (n * n),
      chaotic_points: chaotic,
      target_s: n === 100 ? 5 : null,
      meets_target: n === 100 ? phaseMs / 1000 <= 5 : null,
    },
    phase_tanh_chi1_only: { grid: `${n}x${n}`, wall_s: chi1Ms / 1000, per_point_ms: chi1Ms / (n * n) },
    baseline_cstar_quadrature_only: base,
    speedup_cstar_series_vs_quadrature: base.median_ms / tanhChaotic.median_ms,
  };
}
