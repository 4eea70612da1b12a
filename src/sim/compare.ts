/**
 * Simulation vs theory in units of sampling error: z_l = (m_l − t_l)/(s_l/√n), the difference between the
 * mean over n networks and the theory value divided by the standard error of that mean. |z| is roughly
 * Student-t with n − 1 degrees of freedom when the simulation agrees with the (infinite-width) theory up
 * to O(1/N) finite-width bias.
 */
import type { LayerStats } from "./index.js";

/** Relative difference below which a zero-spread entry (the exactly normalised input layer) counts as equal. */
const FLOAT32_TOL = 1e-5;

/**
 * z-score per entry; null where it is undefined: theory missing or not finite, or no spread beyond float32
 * rounding (then the entry must agree to float32 rounding, else z = ±Infinity).
 */
export function zScores(sim: LayerStats, theory: (number | null)[], networks: number): (number | null)[] {
  return sim.mean.map((m, i) => {
    const t = theory[i];
    if (t === null || t === undefined || !Number.isFinite(t) || !Number.isFinite(m)) return null;
    const se = sim.std[i] / Math.sqrt(networks);
    // no spread beyond float32 rounding (the exactly normalised input layer): compare to rounding error
    if (!(se > FLOAT32_TOL * Math.max(1, Math.abs(t)))) {
      return Math.abs(m - t) <= FLOAT32_TOL * Math.max(1, Math.abs(t)) ? null : Math.sign(m - t) * Infinity;
    }
    return (m - t) / se;
  });
}

/** Largest |z| over entries (0 if none is defined). */
export function maxAbsZ(z: (number | null)[]): number {
  let best = 0;
  for (const v of z) if (v !== null && Math.abs(v) > best) best = Math.abs(v);
  return best;
}
