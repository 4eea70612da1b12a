/**
 * Simulation jobs for the figures: serialisable descriptions of one `src/sim` call (model as spec text,
 * scale settings, inputs) whose results are plain JSON, so they can be cached and compared.
 */
import { parseActivation } from "../theory/activations.js";
import type { Model } from "../theory/model.js";
import { parseNoise } from "../theory/noise.js";
import type { Job, Json, Scale } from "./figure.js";
import type { DynamicsResult, LayerStats, Progress, SimConfig, Simulator } from "./simulator.js";

export type { Job } from "./figure.js";

/**
 * The result of a typed job, as its figure's `build` receives it (keyed by job id): what `job.run`
 * returned, or its cached JSON, which is the same value (the cache key holds the figure, job id, config,
 * seed and package version, so a cached result was made by this very job). Undefined when absent.
 */
export function resultOf<C extends Json, R extends Json>(
  job: Job<C, R>,
  results: ReadonlyMap<string, Json>,
): R | undefined {
  return results.get(job.id) as R | undefined;
}

/** A model as text: what a job config records. */
export type ModelSpec = {
  activation: string;
  noise: string;
  sigmaW2: number;
  sigmaB2: number;
};

/** What every simulation job's config records (then its own inputs). */
export type SimJobBase = {
  kind: string;
  model: ModelSpec;
  width: number;
  networks: number;
  weights: Scale["weights"];
  pairs: number;
};

/** A dynamics job's config (`dynamicsJob`). */
export type DynamicsJobConfig = SimJobBase & {
  depth: number;
  q0: number;
  c0s: number[];
  /** present when the job keeps per-layer quantiles over networks (VARIANCE_QUANTILES) */
  variance_quantiles?: number[];
};

/** A one-layer map job's config (`varianceMapJob`: q0s; `correlationMapJob`: q0 and c0s). */
export type MapJobConfig = SimJobBase & { q0s?: number[]; q0?: number; c0s?: number[] };

/** Mean and std over networks as cached: a non-finite value is null (JSON has no NaN). */
export type StatsJson = { mean: (number | null)[]; std: (number | null)[] };

/** A dynamics job's result: variance and per-c⁰ correlation statistics, optionally quantiles per layer. */
export type DynamicsJson = {
  variance: StatsJson;
  correlation: StatsJson[];
  /** per VARIANCE_QUANTILES entry, the quantile over networks at each layer */
  variance_quantiles?: (number | null)[][];
};

export type DynamicsJob = Job<DynamicsJobConfig, DynamicsJson>;
export type MapJob = Job<MapJobConfig, StatsJson>;

/** Build the theory model from its spec text. */
export function modelOf(s: ModelSpec): Model {
  return {
    activation: parseActivation(s.activation),
    noise: parseNoise(s.noise),
    sigmaW2: s.sigmaW2,
    sigmaB2: s.sigmaB2,
  };
}

function baseConfig(kind: string, model: ModelSpec, scale: Scale, pairs: number): SimJobBase {
  return {
    kind,
    model: { ...model },
    width: scale.width,
    networks: scale.networks,
    weights: scale.weights,
    pairs,
  };
}

/**
 * Relative cost of a job for the ETA: per network and layer, sampling the N² weights plus the forward
 * pass of `rows` inputs (each row costs about a tenth of the weight sampling in src/sim).
 */
function jobCost(scale: Scale, depth: number, rows: number): number {
  return scale.networks * depth * scale.width * scale.width * (1 + rows / 10);
}

/**
 * q^l and c^l over `depth` layers from q⁰ and each c⁰ (`simulateDynamics`), with `scale.pairs` input pairs
 * per c⁰ and network (at most `maxPairs`).
 */
export function dynamicsJob(
  id: string,
  model: ModelSpec,
  scale: Scale,
  depth: number,
  q0: number,
  c0s: number[],
  maxPairs = Infinity,
  opts: { varianceQuantiles?: boolean } = {},
): DynamicsJob {
  // input pairs average correlation noise within a network; variance-only runs need one input
  const pairs = c0s.length ? Math.min(scale.pairs, maxPairs) : 1;
  const config: DynamicsJobConfig = {
    ...baseConfig("dynamics", model, scale, pairs),
    depth,
    q0,
    c0s,
    ...(opts.varianceQuantiles ? { variance_quantiles: VARIANCE_QUANTILES } : {}),
  };
  return {
    id,
    config,
    cost: jobCost(scale, depth, c0s.length ? 2 * pairs * c0s.length : 1),
    async run({ sim, seed, onProgress }) {
      const r = await sim.simulateDynamics(
        { ...simConfig(model, scale, seed, pairs), depth },
        q0,
        c0s,
        onProgress,
      );
      const perNet = r.samples?.variance;
      const quantiles =
        opts.varianceQuantiles && perNet?.length
          ? VARIANCE_QUANTILES.map((p) =>
              Array.from({ length: depth + 1 }, (_, l) =>
                quantile(
                  perNet.map((net) => net[l]),
                  p,
                ),
              ),
            )
          : undefined;
      return roundTrip<DynamicsJson>({
        variance: stats(r.variance),
        correlation: r.correlation.map(stats),
        ...(quantiles ? { variance_quantiles: quantiles } : {}),
      });
    },
  };
}

/** The quantiles over networks kept per layer when asked (± 1 sd of a normal law, and the median). */
export const VARIANCE_QUANTILES = [0.16, 0.5, 0.84];

/** The p-quantile of xs (linear interpolation between order statistics, type 7); NaN when empty. */
export function quantile(xs: number[], p: number): number {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const h = (v.length - 1) * p;
  const i = Math.floor(h);
  return i + 1 < v.length ? v[i] + (h - i) * (v[i + 1] - v[i]) : v[i];
}

/** The per-layer quantiles over networks of a dynamics result that kept them (VARIANCE_QUANTILES order). */
export function asVarianceQuantiles(o: DynamicsJson | undefined): number[][] | null {
  return o?.variance_quantiles ? o.variance_quantiles.map((r) => r.map((x) => x ?? NaN)) : null;
}

/** One application of the variance map at each q⁰ (`simulateVarianceMap`). */
export function varianceMapJob(id: string, model: ModelSpec, scale: Scale, q0s: number[]): MapJob {
  return mapJob(id, model, scale, {
    kind: "variance_map",
    pairs: 1,
    inputs: { q0s },
    rows: q0s.length,
    simulate: (sim, cfg, onProgress) => sim.simulateVarianceMap(cfg, q0s, onProgress),
  });
}

/** One application of the correlation map at variance q⁰ for each c⁰ (`simulateCorrelationMap`). */
export function correlationMapJob(
  id: string,
  model: ModelSpec,
  scale: Scale,
  q0: number,
  c0s: number[],
): MapJob {
  const pairs = scale.pairs;
  return mapJob(id, model, scale, {
    kind: "correlation_map",
    pairs,
    inputs: { q0, c0s },
    rows: 2 * pairs * c0s.length,
    simulate: (sim, cfg, onProgress) => sim.simulateCorrelationMap(cfg, q0, c0s, onProgress),
  });
}

/** The engine settings of a job (all but the depth) for `pairs` inputs or input pairs per point. */
function simConfig(model: ModelSpec, scale: Scale, seed: number, pairs: number): Omit<SimConfig, "depth"> {
  return {
    model: modelOf(model),
    width: scale.width,
    networks: scale.networks,
    seed,
    weights: scale.weights,
    pairs,
  };
}

/** What distinguishes the one-layer map jobs. */
interface MapJobSpec {
  kind: string;
  /** inputs (variance map) or input pairs (correlation map) per point and network */
  pairs: number;
  /** the job's inputs, recorded in its config after the base settings */
  inputs: { q0s: number[] } | { q0: number; c0s: number[] };
  /** input rows of the forward pass, for the cost */
  rows: number;
  /** the engine call */
  simulate: (sim: Simulator, cfg: Omit<SimConfig, "depth">, onProgress?: Progress) => Promise<LayerStats>;
}

/** A one-layer map job (`simulateVarianceMap`, `simulateCorrelationMap`); the result keeps mean and std. */
function mapJob(id: string, model: ModelSpec, scale: Scale, m: MapJobSpec): MapJob {
  return {
    id,
    config: { ...baseConfig(m.kind, model, scale, m.pairs), ...m.inputs },
    cost: jobCost(scale, 1, m.rows),
    async run({ sim, seed, onProgress }) {
      return roundTrip<StatsJson>(
        stats(await m.simulate(sim, simConfig(model, scale, seed, m.pairs), onProgress)),
      );
    },
  };
}

/** Keep only mean and std (the engine may return more) as plain arrays; non-finite → null. */
function stats(s: LayerStats): StatsJson {
  return { mean: Array.from(s.mean, finiteOrNull), std: Array.from(s.std, finiteOrNull) };
}

/**
 * A job result exactly as the cache will hold it (a JSON round trip: −0 → 0, as a cached rerun reads it),
 * so that a fresh run and a cached one build the same figure.
 */
function roundTrip<T extends Json>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Read a cached LayerStats back (nulls → NaN). */
export function asStats(o: StatsJson | undefined): LayerStats {
  if (!o || !Array.isArray(o.mean)) throw new Error("missing simulation result");
  return { mean: o.mean.map((x) => x ?? NaN), std: o.std.map((x) => x ?? NaN) };
}

/** Read a cached DynamicsResult back. */
export function asDynamics(o: DynamicsJson | undefined): DynamicsResult {
  if (!o || !o.variance) throw new Error("missing simulation result");
  return { variance: asStats(o.variance), correlation: o.correlation.map(asStats) };
}

/** Non-finite → null (JSON has no NaN or ±Infinity). */
function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
