/**
 * Simulation vs theory in units of sampling error: z_l = (m_l − t_l)/(s_l/√n), the difference between the
 * mean over n networks and the theory value divided by the standard error of that mean. |z| is roughly
 * Student-t with n − 1 degrees of freedom when the simulation agrees with the (infinite-width) theory up
 * to O(1/N) finite-width bias.
 *
 * A simulated mean or spread that is not finite (float32 overflow, a NaN from the network) is a failure,
 * never "no comparison": its z is NaN, `maxAbsZ` is then +Infinity, and `nonFiniteEntries` lists where it
 * happened so callers can report it per layer.
 */
import type { LayerStats } from "./index.js";

/** Relative difference below which a zero-spread entry (the exactly normalised input layer) counts as equal. */
const FLOAT32_TOL = 1e-5;

/**
 * z-score per entry. NaN where the simulated mean or spread is not finite (a failure). null where the
 * comparison is undefined for a reason that is not the simulation's fault: theory missing or not finite,
 * or no spread beyond float32 rounding with agreement to float32 rounding (disagreement gives ±Infinity).
 */
export function zScores(sim: LayerStats, theory: (number | null)[], networks: number): (number | null)[] {
  return sim.mean.map((m, i) => {
    if (!Number.isFinite(m) || !Number.isFinite(sim.std[i])) return NaN;
    const t = theory[i];
    if (t === null || t === undefined || !Number.isFinite(t)) return null;
    const se = sim.std[i] / Math.sqrt(networks);
    // no spread beyond float32 rounding (the exactly normalised input layer): compare to rounding error
    if (!(se > FLOAT32_TOL * Math.max(1, Math.abs(t)))) {
      return Math.abs(m - t) <= FLOAT32_TOL * Math.max(1, Math.abs(t)) ? null : Math.sign(m - t) * Infinity;
    }
    return (m - t) / se;
  });
}

/** Indices (layers, or map entries) whose simulated mean or spread is not finite. */
export function nonFiniteEntries(sim: LayerStats): number[] {
  const out: number[] = [];
  sim.mean.forEach((m, i) => {
    if (!Number.isFinite(m) || !Number.isFinite(sim.std[i])) out.push(i);
  });
  return out;
}

/**
 * Largest |z| over entries: +Infinity if any z is not finite (NaN marks a simulation that blew up), 0 if
 * none is defined (null entries only).
 */
export function maxAbsZ(z: (number | null)[]): number {
  let best = 0;
  for (const v of z) {
    if (v === null) continue;
    if (!Number.isFinite(v)) return Infinity;
    if (Math.abs(v) > best) best = Math.abs(v);
  }
  return best;
}
