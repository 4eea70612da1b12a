/**
 * The SVCCA experiment proposed in the seed talk (Pretorius 2018, "Tentative plan"): how similar are the
 * layer representations of a deep network at initialisation to its input, for critical vs off-critical
 * initialisation, and for ReLU vs shifted ReLU?
 *
 * Inputs: n points on a d-dimensional random linear manifold in R^N (h⁰ = A z, z ~ N(0, I_d), scaled so
 * that the pre-activation variance is q0). For each configuration and seed a width-N network of the
 * model in docs/THEORY.md §1 (Gaussian or orthogonal weights, noiseless) is sampled and the SVCCA similarity
 * between the pre-activation representation h^l (l ≥ 1) and the input h⁰ is recorded per layer.
 * Mean-field intuition: at criticality correlations between inputs decay polynomially and the geometry
 * of the input is kept for many layers; in the ordered phase inputs collapse onto one direction
 * (c → 1 exponentially) and the representation loses the input's dimensions.
 */
import type { Activation } from "../theory/activations.js";
import { makeActivation } from "../theory/activations.js";
import { criticalFromQStar } from "../theory/critical.js";
import type { WeightLaw } from "../theory/spectrum/moments.js";
import { forward64 } from "../engine/forward64.js";
import { layerStream, type NetworkKey } from "../engine/network.js";
import { parseNoise } from "../theory/noise.js";
import { svcca } from "./svcca.js";

export interface SvccaConfig {
  label: string;
  activation: Activation;
  sigmaW2: number;
  sigmaB2: number;
  /** the input variance (q* for critical configurations) */
  q0: number;
}

export interface SvccaExperimentOptions {
  width?: number;
  depth?: number;
  samples?: number;
  manifoldDim?: number;
  seeds?: number;
  weights?: WeightLaw;
  varianceKept?: number;
  seed?: number;
  configs?: SvccaConfig[];
}

export interface SvccaCurve {
  label: string;
  activation: string;
  sigmaW2: number;
  sigmaB2: number;
  q0: number;
  layers: number[];
  /** mean and std over seeds of the SVCCA similarity of layer l to the input */
  mean: number[];
  std: number[];
}

/** The default configurations (labels give (σ_w², σ_b²)): ReLU critical / ordered, shifted ReLU critical / ordered. */
export function defaultSvccaConfigs(): SvccaConfig[] {
  const relu = makeActivation("relu");
  const sr = makeActivation("shifted_relu", { alpha: 1 });
  const srCrit = criticalFromQStar(sr, 1);
  return [
    { label: "ReLU critical (2, 0)", activation: relu, sigmaW2: 2, sigmaB2: 0, q0: 1 },
    { label: "ReLU ordered (1, 0.5)", activation: relu, sigmaW2: 1, sigmaB2: 0.5, q0: 1 },
    {
      label: "sReLU α=1 critical (q*=1)",
      activation: sr,
      sigmaW2: srCrit.sigmaW2,
      sigmaB2: srCrit.sigmaB2,
      q0: 1,
    },
    {
      label: "sReLU α=1 ordered (0.6 σ_w²*)",
      activation: sr,
      sigmaW2: 0.6 * srCrit.sigmaW2,
      sigmaB2: srCrit.sigmaB2,
      q0: 1,
    },
  ];
}

/** Run the experiment; returns one curve per configuration. */
export function svccaExperiment(opts: SvccaExperimentOptions = {}): SvccaCurve[] {
  const N = opts.width ?? 64;
  const L = opts.depth ?? 20;
  const n = opts.samples ?? 256;
  const d = opts.manifoldDim ?? 8;
  const seeds = opts.seeds ?? 3;
  const law = opts.weights ?? "gaussian";
  const configs = opts.configs ?? defaultSvccaConfigs();
  const out: SvccaCurve[] = [];
  configs.forEach((cfg, ci) => {
    const perSeed: number[][] = [];
    for (let s = 0; s < seeds; s++) {
      const key: NetworkKey = { seed: (opts.seed ?? 1) * 1000003 + ci * 7919, net: s };
      const rng = layerStream(key, 0, "inputs");
      // inputs h⁰ = A z / √d · √q0 (row per sample)
      const A = rng.normals(N * d);
      const h0 = new Float64Array(n * N);
      for (let i = 0; i < n; i++) {
        const z = rng.normals(d);
        for (let a = 0; a < N; a++) {
          let v = 0;
          for (let b = 0; b < d; b++) v += A[a * d + b] * z[b];
          h0[i * N + a] = v * Math.sqrt(cfg.q0 / d);
        }
      }
      const rows = (h: Float64Array) =>
        Array.from({ length: n }, (_, i) => Array.from(h.subarray(i * N, (i + 1) * N)));
      const H0 = rows(h0);
      const sims: number[] = [];
      const spec = {
        model: {
          activation: cfg.activation,
          noise: parseNoise("none"),
          sigmaW2: cfg.sigmaW2,
          sigmaB2: cfg.sigmaB2,
        },
        width: N,
        depth: L,
        weights: law,
      };
      forward64(spec, key, h0, {
        keep: false,
        onLayer: (_l, h) => {
          const H = rows(h);
          let sim = NaN;
          try {
            sim = svcca(H0, H, { varianceKept: opts.varianceKept ?? 0.99 }).similarity;
          } catch {
            sim = NaN; // a constant representation (collapsed network)
          }
          sims.push(sim);
        },
      });
      perSeed.push(sims);
    }
    const layers = Array.from({ length: L }, (_, i) => i + 1);
    const mean = layers.map((_, i) => perSeed.reduce((s, r) => s + r[i], 0) / seeds);
    const std = layers.map((_, i) =>
      seeds > 1 ? Math.sqrt(perSeed.reduce((s, r) => s + (r[i] - mean[i]) ** 2, 0) / (seeds - 1)) : 0,
    );
    out.push({
      label: cfg.label,
      activation: cfg.activation.spec,
      sigmaW2: cfg.sigmaW2,
      sigmaB2: cfg.sigmaB2,
      q0: cfg.q0,
      layers,
      mean,
      std,
    });
  });
  return out;
}
