/**
 * The three Monte Carlo experiments of THEORY.md §4 / FIGURES.md:
 *   - dynamics over `depth` layers from q⁰ and starting correlations c⁰ (Figs 2b, 3b, 4b, 5);
 *   - one application of the variance map at several q⁰ (Figs 2a, 3a);
 *   - one application of the correlation map at several c⁰ (Fig 4a).
 * Each samples `networks` independent networks; every network processes all inputs of the experiment at
 * once (rows of one batch), and the statistics are mean ± std over networks of per-network values.
 */
import { InputError } from "../theory/errors.js";
import type { DynamicsResult, LayerStats, Progress, SimConfig } from "./index.js";
import { inputOfVariance, inputPair, stackRows } from "./inputs.js";
import { initJax } from "./jax.js";
import { forwardTensor, Scratch } from "../engine/tensor.js";
import { layerStream, type NetworkKey } from "../engine/network.js";
import type { Stream } from "../engine/rng.js";
import { meanStd, rowCorrelation, rowVariance } from "./stats.js";

type BaseConfig = Omit<SimConfig, "depth">;

function check(cfg: BaseConfig, depth: number): void {
  const intIn = (name: string, v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new InputError(name, String(v), `an integer in [${lo}, ${hi}]`);
  };
  intIn("--width", cfg.width, 2, 16384);
  intIn("--depth", depth, 1, 100000);
  intIn("--networks", cfg.networks, 1, 1e6);
  intIn("--seed", cfg.seed, 0, 2 ** 32 - 1);
  intIn("--pairs", cfg.pairs ?? 1, 1, 100000);
  if (cfg.weights !== "gaussian" && cfg.weights !== "orthogonal") {
    throw new InputError("--weights", String(cfg.weights), "gaussian | orthogonal");
  }
}

function checkQ(q: number): void {
  if (!(q >= 0) || !Number.isFinite(q)) throw new InputError("--q0", String(q), "a finite number ≥ 0");
}
function checkC(c: number): void {
  if (!(c >= -1 && c <= 1)) throw new InputError("--c0", String(c), "numbers in [−1, 1]");
}

/**
 * Core loop: for each network, build its input rows, run it `depth` layers and reduce every layer
 * (including layer 0, the inputs) to a vector of per-network statistics with `reduce`.
 */
async function runNetworks(
  cfg: BaseConfig,
  depth: number,
  makeRows: (stream: Stream) => Float64Array[],
  reduce: (h: Float32Array) => number[],
  onProgress?: Progress,
): Promise<number[][][]> {
  await initJax();
  const scratch = new Scratch(cfg.width);
  const out: number[][][] = []; // [net][layer][stat]
  const total = cfg.networks * depth;
  for (let net = 0; net < cfg.networks; net++) {
    const key: NetworkKey = { seed: cfg.seed, net };
    const h0 = stackRows(makeRows(layerStream(key, 0, "inputs")), cfg.width);
    const perLayer: number[][] = [reduce(h0)];
    await forwardTensor(
      { model: cfg.model, width: cfg.width, depth, weights: cfg.weights },
      key,
      h0,
      scratch,
      (l, h) => {
        perLayer.push(reduce(h));
        onProgress?.(net * depth + l, total);
      },
    );
    out.push(perLayer);
  }
  return out;
}

/** Transpose [net][layer][stat] to one LayerStats per stat over layers. */
function statsOverLayers(samples: number[][][], stat: number): LayerStats {
  return meanStd(samples.map((layers) => layers.map((s) => s[stat])));
}

/**
 * Variance and correlation dynamics over `depth` layers (entry l = layer l, 0 = the inputs).
 * Rows per network: for each c⁰ (in order) `pairs` input pairs of exact variance q⁰ and correlation c⁰;
 * with no c⁰, `pairs` single inputs. The variance is averaged over all rows of a network, each correlation
 * over that c⁰'s pairs, then mean ± std over networks.
 */
export async function simulateDynamics(
  cfg: SimConfig,
  q0: number,
  c0s: number[],
  onProgress?: Progress,
): Promise<DynamicsResult> {
  check(cfg, cfg.depth);
  checkQ(q0);
  c0s.forEach(checkC);
  const n = cfg.width;
  const pairs = cfg.pairs ?? 1;
  const makeRows = (s: Stream) => {
    if (!c0s.length) return Array.from({ length: pairs }, () => inputOfVariance(s, n, q0));
    return c0s.flatMap((c) => Array.from({ length: pairs }, () => inputPair(s, n, q0, c)).flat());
  };
  const rowsCount = c0s.length ? 2 * pairs * c0s.length : pairs;
  const reduce = (h: Float32Array): number[] => {
    let v = 0;
    for (let r = 0; r < rowsCount; r++) v += rowVariance(h, n, r);
    const out = [v / rowsCount];
    for (let k = 0; k < c0s.length; k++) {
      let c = 0;
      for (let p = 0; p < pairs; p++) {
        const a = 2 * (k * pairs + p);
        c += rowCorrelation(h, n, a, a + 1);
      }
      out.push(c / pairs);
    }
    return out;
  };
  const samples = await runNetworks(cfg, cfg.depth, makeRows, reduce, onProgress);
  return {
    variance: statsOverLayers(samples, 0),
    correlation: c0s.map((_, k) => statsOverLayers(samples, k + 1)),
    networks: cfg.networks,
    samples: {
      variance: samples.map((layers) => layers.map((s) => s[0])),
      correlation: c0s.map((_, k) => samples.map((layers) => layers.map((s) => s[k + 1]))),
    },
  };
}

/**
 * One layer of the variance map: entry i = mean ± std over networks of the layer-1 empirical variance for
 * inputs of exact variance q0s[i] (each network sees all q0s; `pairs` inputs per q⁰ are averaged).
 */
export async function simulateVarianceMap(
  cfg: BaseConfig,
  q0s: number[],
  onProgress?: Progress,
): Promise<LayerStats> {
  check(cfg, 1);
  q0s.forEach(checkQ);
  const n = cfg.width;
  const reps = cfg.pairs ?? 1;
  const makeRows = (s: Stream) =>
    q0s.flatMap((q) => Array.from({ length: reps }, () => inputOfVariance(s, n, q)));
  const reduce = (h: Float32Array) =>
    q0s.map((_, i) => {
      let v = 0;
      for (let r = 0; r < reps; r++) v += rowVariance(h, n, i * reps + r);
      return v / reps;
    });
  const samples = await runNetworks(cfg, 1, makeRows, reduce, onProgress);
  return meanStd(samples.map((layers) => layers[1]));
}

/**
 * One layer of the correlation map: entry i = mean ± std over networks of the layer-1 raw correlation of
 * input pairs with exact variance q⁰ and correlation c0s[i] (`pairs` pairs per c⁰ averaged per network).
 */
export async function simulateCorrelationMap(
  cfg: BaseConfig,
  q0: number,
  c0s: number[],
  onProgress?: Progress,
): Promise<LayerStats> {
  checkQ(q0);
  c0s.forEach(checkC);
  const res = await simulateDynamics({ ...cfg, depth: 1 }, q0, c0s, onProgress);
  return {
    mean: res.correlation.map((s) => s.mean[1]),
    std: res.correlation.map((s) => s.std[1]),
  };
}
