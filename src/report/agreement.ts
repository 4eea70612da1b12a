/**
 * Theory-vs-simulation agreement of one series: mean absolute deviation, the largest deviation in units
 * of the spread over networks, and the largest |z| against the standard error of the mean.
 */
import type { Agreement } from "./figure.js";
import type { LayerStats } from "./simulator.js";

/**
 * Compare simulated means (with std over `networks` networks) against theory values at the same points.
 * Points where either is non-finite are skipped; a zero std (e.g. an exactly normalised input layer) only
 * counts when the deviation is zero too.
 */
export function agreement(
  panel: string,
  series: string,
  sim: LayerStats,
  theory: (number | null)[],
  networks: number,
  note?: string,
): Agreement {
  let n = 0;
  let sumAbs = 0;
  let maxRatio = 0;
  let maxZ = 0;
  const sq = Math.sqrt(networks);
  for (let i = 0; i < sim.mean.length; i++) {
    const m = sim.mean[i];
    const t = theory[i];
    const s = sim.std[i];
    if (t === null || t === undefined || !Number.isFinite(m) || !Number.isFinite(t)) continue;
    const d = Math.abs(m - t);
    n++;
    sumAbs += d;
    if (Number.isFinite(s) && s > 0) {
      maxRatio = Math.max(maxRatio, d / s);
      maxZ = Math.max(maxZ, (d / s) * sq);
    } else if (d > 1e-12 * Math.max(1, Math.abs(t))) {
      maxRatio = Infinity;
      maxZ = Infinity;
    }
  }
  return {
    panel,
    series,
    n,
    meanAbsDev: n ? sumAbs / n : NaN,
    maxDevOverStd: maxRatio,
    maxAbsZ: maxZ,
    ...(note ? { note } : {}),
  };
}
