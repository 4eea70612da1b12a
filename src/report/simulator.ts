/**
 * The simulation interface the report needs (the public API of `src/sim`), declared here so that figures
 * can be tested with a small fake simulator injected in its place, and the real one loaded lazily
 * (jax-js start-up is only paid when a simulation actually runs, not on a fully cached rerun).
 */
import type { Model } from "../theory/model.js";

export interface SimConfig {
  model: Model;
  width: number;
  depth: number;
  networks: number;
  seed: number;
  weights: "gaussian" | "orthogonal";
  /** input pairs (or inputs) per network and starting value, averaged per network (default 1) */
  pairs?: number;
}

/** Mean and standard deviation over networks, per layer (dynamics: l = 0..depth) or per input. */
export interface LayerStats {
  mean: number[];
  std: number[];
}

export interface DynamicsResult {
  variance: LayerStats;
  /** one entry per c⁰ */
  correlation: LayerStats[];
}

export type Progress = (done: number, total: number) => void;

/** What the report calls; `src/sim/index.ts` satisfies it. */
export interface Simulator {
  simulateDynamics(cfg: SimConfig, q0: number, c0s: number[], onProgress?: Progress): Promise<DynamicsResult>;
  simulateVarianceMap(
    cfg: Omit<SimConfig, "depth">,
    q0s: number[],
    onProgress?: Progress,
  ): Promise<LayerStats>;
  simulateCorrelationMap(
    cfg: Omit<SimConfig, "depth">,
    q0: number,
    c0s: number[],
    onProgress?: Progress,
  ): Promise<LayerStats>;
  /** name and version of the engine, recorded in data.json */
  version?: () => string;
}

/** The module path of the real engine, relative to this file (same layout in src/ and dist/). */
const SIM_MODULE = "../sim/index.js";

/** Load the real simulation engine from `src/sim`. */
export async function loadSimulator(): Promise<Simulator> {
  const mod = (await import(SIM_MODULE)) as Record<string, unknown>;
  for (const f of ["simulateDynamics", "simulateVarianceMap", "simulateCorrelationMap"]) {
    if (typeof mod[f] !== "function") throw new Error(`src/sim does not export ${f}() yet`);
  }
  const jaxVersion = mod.jaxVersion as (() => Promise<string> | string) | undefined;
  const jax = typeof jaxVersion === "function" ? await jaxVersion() : "unknown";
  const sim = mod as unknown as Simulator;
  return {
    simulateDynamics: sim.simulateDynamics.bind(mod),
    simulateVarianceMap: sim.simulateVarianceMap.bind(mod),
    simulateCorrelationMap: sim.simulateCorrelationMap.bind(mod),
    version: () => `sigprop-sim (jax-js ${jax})`,
  };
}
