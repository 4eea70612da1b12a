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
