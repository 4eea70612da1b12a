/**
 * The three Monte Carlo experiments of docs/THEORY.md §4 / FIGURES.md:
 *   - dynamics over `depth` layers from q⁰ and starting correlations c⁰ (Figs 2b, 3b, 4b, 5);
 *   - one application of the variance map at several q⁰ (Figs 2a, 3a);
 *   - one application of the correlation map at several c⁰ (Fig 4a).
 * Each samples `networks` independent networks; every network processes all inputs of the experiment at
 * once (rows of one batch), and the statistics are mean ± std over networks of per-network values.
 */
import { parseActivation } from "../theory/activations.js";
import { InputError } from "../theory/errors.js";
import type { Model } from "../theory/model.js";
import { parseNoise } from "../theory/noise.js";
import type { DynamicsResult, LayerStats, Progress, SimConfig } from "./index.js";
import { inputOfVariance, inputPair, stackRows } from "./inputs.js";
import { initJax } from "./jax.js";
import { forwardTensor, Scratch } from "../engine/tensor.js";
import { layerStream, type NetworkKey } from "../engine/network.js";
import type { Stream } from "../engine/rng.js";
import { meanStd, rowCorrelation, rowVariance } from "./stats.js";

/** The worker-thread pool module (src/engine/parallel.ts), loaded only when threads > 1. */
const PARALLEL = "../engine/parallel.js";

type BaseConfig = Omit<SimConfig, "depth">;

function check(cfg: BaseConfig, depth: number): void {
  const intIn = (name: string, v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new InputError(name, String(v), `an integer in [${lo}, ${hi}]`);
  };
  intIn("width", cfg.width, 2, 16384);
  intIn("depth", depth, 1, 100000);
  intIn("networks", cfg.networks, 1, 1e6);
  intIn("seed", cfg.seed, 0, 2 ** 32 - 1);
  intIn("pairs", cfg.pairs ?? 1, 1, 100000);
  intIn("threads", cfg.threads ?? 1, 1, 4096);
  if (cfg.weights !== "gaussian" && cfg.weights !== "orthogonal") {
    throw new InputError("weights", String(cfg.weights), "gaussian | orthogonal");
  }
  if (cfg.route !== undefined && !["auto", "explicit", "conditional"].includes(cfg.route)) {
    throw new InputError("route", String(cfg.route), "auto | explicit | conditional");
  }
}

function checkQ(q: number): void {
  if (!(q >= 0) || !Number.isFinite(q)) throw new InputError("q0", String(q), "a finite number ≥ 0");
}
function checkC(c: number): void {
  if (!(c >= -1 && c <= 1)) throw new InputError("c0", String(c), "numbers in [−1, 1]");
}

/**
 * One experiment's per-network work as plain data, so that a worker thread can rebuild it: the model as
 * spec strings, and which experiment with which inputs. `experimentOf` turns it into the input rows and
 * the per-layer reduction.
 */
export interface NetworkJob {
  model: { activation: string; noise: string; sigmaW2: number; sigmaB2: number };
  width: number;
  depth: number;
  weights: SimConfig["weights"];
  seed: number;
  pairs: number;
  route?: SimConfig["route"];
  experiment: { kind: "dynamics"; q0: number; c0s: number[] } | { kind: "variance_map"; q0s: number[] };
}

function experimentOf(job: NetworkJob): {
  makeRows: (stream: Stream) => Float64Array[];
  reduce: (h: Float32Array) => number[];
} {
  const n = job.width;
  const pairs = job.pairs;
  const e = job.experiment;
  if (e.kind === "variance_map") {
    return {
      makeRows: (s) => e.q0s.flatMap((q) => Array.from({ length: pairs }, () => inputOfVariance(s, n, q))),
      reduce: (h) =>
        e.q0s.map((_, i) => {
          let v = 0;
          for (let r = 0; r < pairs; r++) v += rowVariance(h, n, i * pairs + r);
          return v / pairs;
        }),
    };
  }
  const { q0, c0s } = e;
  const rowsCount = c0s.length ? 2 * pairs * c0s.length : pairs;
  return {
    makeRows: (s) => {
      if (!c0s.length) return Array.from({ length: pairs }, () => inputOfVariance(s, n, q0));
      return c0s.flatMap((c) => Array.from({ length: pairs }, () => inputPair(s, n, q0, c)).flat());
    },
    reduce: (h) => {
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
    },
  };
}

const modelCache = new Map<string, Model>();
function modelOfJob(job: NetworkJob): Model {
  const m = job.model;
  const key = JSON.stringify(m);
  let model = modelCache.get(key);
  if (!model) {
    model = {
      activation: parseActivation(m.activation),
      noise: parseNoise(m.noise),
      sigmaW2: m.sigmaW2,
      sigmaB2: m.sigmaB2,
    };
    modelCache.set(key, model);
  }
  return model;
}

/**
 * Network `net` of a job: build its input rows, run it `depth` layers and reduce every layer (including
 * layer 0, the inputs) to a vector of statistics: [layer][stat]. `onLayer` counts finished layers. This is
 * the function the worker threads run (src/engine/parallel.ts), so it depends on (job, net) only; the
 * in-process loop passes the job's model and a reused scratch buffer as options.
 */
export async function networkSamples(
  job: NetworkJob,
  net: number,
  onLayer?: (layers: number) => void,
  { model = modelOfJob(job), scratch = new Scratch(job.width) }: { model?: Model; scratch?: Scratch } = {},
): Promise<number[][]> {
  await initJax();
  const { makeRows, reduce } = experimentOf(job);
  const key: NetworkKey = { seed: job.seed, net };
  const h0 = stackRows(makeRows(layerStream(key, 0, "inputs")), job.width);
  const perLayer: number[][] = [reduce(h0)];
  await forwardTensor(
    { model, width: job.width, depth: job.depth, weights: job.weights },
    key,
    h0,
    scratch,
    (_l, h) => {
      perLayer.push(reduce(h));
      onLayer?.(1);
    },
    { route: job.route },
  );
  return perLayer;
}

/** True when the model survives the trip through its spec strings (custom activations may not). */
function specsRoundTrip(m: Model): boolean {
  try {
    return (
      parseActivation(m.activation.spec).spec === m.activation.spec &&
      parseNoise(m.noise.spec).spec === m.noise.spec
    );
  } catch {
    return false;
  }
}

/**
 * Core loop: every network of the job ([net][layer][stat]). With `cfg.threads` > 1 (and more than one
 * network) the networks run on worker threads; network k depends only on (seed, k) and results are kept
 * in network order, so the numbers are identical for any thread count.
 */
async function runNetworks(
  cfg: BaseConfig,
  depth: number,
  experiment: NetworkJob["experiment"],
  onProgress?: Progress,
): Promise<number[][][]> {
  const job: NetworkJob = {
    model: {
      activation: cfg.model.activation.spec,
      noise: cfg.model.noise.spec,
      sigmaW2: cfg.model.sigmaW2,
      sigmaB2: cfg.model.sigmaB2,
    },
    width: cfg.width,
    depth,
    weights: cfg.weights,
    seed: cfg.seed,
    pairs: cfg.pairs ?? 1,
    route: cfg.route,
    experiment,
  };
  const total = cfg.networks * depth;
  const threads = Math.min(cfg.threads ?? 1, cfg.networks);
  if (threads > 1 && specsRoundTrip(cfg.model)) {
    // Node only: a non-literal specifier keeps the browser bundle from pulling in node:worker_threads
    const { runPerIndex } = (await import(
      /* @vite-ignore */ PARALLEL
    )) as typeof import("../engine/parallel.js");
    return runPerIndex<NetworkJob, number[][]>({
      module: import.meta.url,
      exportName: "networkSamples",
      payload: job,
      count: cfg.networks,
      threads,
      onProgress: onProgress && ((done) => onProgress(done, total)),
    });
  }
  const scratch = new Scratch(cfg.width);
  const out: number[][][] = [];
  let done = 0;
  for (let net = 0; net < cfg.networks; net++) {
    out.push(
      await networkSamples(job, net, () => onProgress?.(++done, total), { model: cfg.model, scratch }),
    );
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
  const samples = await runNetworks(cfg, cfg.depth, { kind: "dynamics", q0, c0s }, onProgress);
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
  const samples = await runNetworks(cfg, 1, { kind: "variance_map", q0s }, onProgress);
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
