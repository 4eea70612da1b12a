/**
 * The simulation interface the report needs (the public API of `src/sim`, types imported from there) so that figures
 * can be tested with a small fake simulator injected in its place, and the real one loaded lazily
 * (jax-js start-up is only paid when a simulation actually runs, not on a fully cached rerun).
 */
import type { DynamicsResult as SimDynamicsResult, LayerStats, Progress, SimConfig } from "../sim/index.js";

// Type-only: erased at run time, so jax-js still loads only when a simulation runs.
export type { LayerStats, Progress, SimConfig };

/** The part of a dynamics result the report uses and caches (per-network samples are not kept). */
export type DynamicsResult = Pick<SimDynamicsResult, "variance" | "correlation">;

/**
 * What a simulator returns for dynamics: the cached part, and per-network variances when it has them (a
 * job may keep their quantiles over networks).
 */
export type SimulatedDynamics = DynamicsResult & { samples?: { variance?: number[][] } };

/** What the report calls; `src/sim/index.ts` satisfies it. */
export interface Simulator {
  simulateDynamics(
    cfg: SimConfig,
    q0: number,
    c0s: number[],
    onProgress?: Progress,
  ): Promise<SimulatedDynamics>;
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
  // the module's type only (erased): loading it stays lazy
  const mod: typeof import("../sim/index.js") = await import(SIM_MODULE);
  const jax = await mod.jaxVersion();
  return {
    simulateDynamics: mod.simulateDynamics,
    simulateVarianceMap: mod.simulateVarianceMap,
    simulateCorrelationMap: mod.simulateCorrelationMap,
    version: () => `sigprop-sim (jax-js ${jax})`,
  };
}
