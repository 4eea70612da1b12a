/**
 * Benchmarks for issue 5 (Jacobian spectra, finite-width law, Hayou rates, SVCCA): median wall times.
 * Run alone with `SIGPROP_BENCH=spectrum npm run bench`.
 */
import { makeActivation } from "../src/theory/activations.js";
import { spectrumMoments } from "../src/theory/spectrum/moments.js";
import { pwlDensity, pwlSpectrum } from "../src/theory/spectrum/density.js";
import { smoothDensity } from "../src/theory/spectrum/smoothDensity.js";
import { finiteWidthLaw, scaleDensity } from "../src/theory/finiteWidth.js";
import { eocModel } from "../src/theory/critical.js";
import { hayouComparison } from "../src/theory/rates.js";
import { empiricalSpectrum, hutchinsonMoments, sampleNetwork } from "../src/spectra/jacobian.js";
import { svcca } from "../src/analysis/svcca.js";
import { Stream } from "../src/engine/rng.js";
import { time } from "./stats.js";

export async function run(): Promise<Record<string, unknown>> {
  const relu = makeActivation("relu");
  const tanh = makeActivation("tanh");
  const out: Record<string, unknown> = {};
  out.moments_relu_L100_order3 = await time(
    () => spectrumMoments({ activation: relu, sigmaW2: 2, depth: 100, weights: "gaussian", q: 1 }),
    20,
  );
  out.moments_tanh_L10_order3_quadrature = await time(
    () => spectrumMoments({ activation: tanh, sigmaW2: 1.2, depth: 10, weights: "orthogonal", q: 0.7 }),
    5,
  );
  out.edge_and_atoms_L100 = await time(
    () => pwlSpectrum({ p: 0.5, sigmaW2: 2, depth: 100, weights: "orthogonal" }),
    50,
  );
  out.density_200pts_L10_gaussian = await time(
    () => pwlDensity({ p: 0.5, sigmaW2: 2, depth: 10, weights: "gaussian" }, { points: 200 }),
    10,
  );
  out.density_200pts_L100_orthogonal = await time(
    () => pwlDensity({ p: 0.5, sigmaW2: 2, depth: 100, weights: "orthogonal" }, { points: 200 }),
    10,
  );
  out.smooth_density_tanh_200pts_L10_orthogonal = await time(
    () =>
      smoothDensity(
        { activation: tanh, q: 0.2, sigmaW2: 1.05, depth: 10, weights: "orthogonal" },
        { points: 200 },
      ),
    3,
  );
  out.finite_width_moments_N1000_L100 = await time(
    () => finiteWidthLaw({ width: 1000, stages: 100, sigmaW2: 2, sigmaB2: 0, s0: 1 }),
    20,
  );
  out.finite_width_density_N50_L10_grid2048 = await time(
    () => scaleDensity({ width: 50, stages: 10, sigmaW2: 2, sigmaB2: 0, s0: 1 }, { gridPoints: 2048 }),
    3,
  );
  const { model, qStar } = eocModel(makeActivation("erf"), 0.1);
  out.hayou_erf_10000_layers = await time(
    () => hayouComparison(model, qStar, { depth: 10000, c0: 0.5, every: 100 }),
    3,
  );
  out.empirical_svd_N128_L4_gaussian_1net = await time(
    () =>
      empiricalSpectrum(
        { activation: relu, sigmaW2: 2, sigmaB2: 0, width: 128, depth: 4, weights: "gaussian", q0: 1 },
        { networks: 1, seed: 1, order: 3 },
      ),
    3,
  );
  out.empirical_svd_N256_L4_orthogonal_1net = await time(
    () =>
      empiricalSpectrum(
        { activation: relu, sigmaW2: 2, sigmaB2: 0, width: 256, depth: 4, weights: "orthogonal", q0: 1 },
        { networks: 1, seed: 1, order: 3 },
      ),
    3,
  );
  const net = sampleNetwork(
    { activation: relu, sigmaW2: 2, sigmaB2: 0, width: 512, depth: 10, weights: "gaussian", q0: 1 },
    { seed: 1, net: 0 },
  );
  out.hutchinson_N512_L10_20probes_3moments = await time(
    () => hutchinsonMoments(net, { probes: 20, order: 3, rng: new Stream(2) }),
    3,
  );
  const rng = new Stream(3);
  const X = Array.from({ length: 500 }, () => Array.from({ length: 64 }, () => rng.normal()));
  const Y = X.map((r) => r.map((v) => v + rng.normal()));
  out.svcca_500x64 = await time(() => svcca(X, Y), 5);
  return out;
}
