/**
 * Theory-vs-simulation agreement of one series: mean absolute deviation, the largest relative error, the
 * largest deviation in units of the spread over networks, and the largest |z| against the standard error
 * of the mean; and the pass/flag criterion applied to all rows of a figure (`judgeAgreement`).
 */
import { sidakLevel, studentTwoSidedQuantile } from "../numerics/studentT.js";
import type { Agreement } from "./figure.js";
import type { LayerStats } from "./simulator.js";

/**
 * Points whose |theory| is below this fraction of the series' largest |theory| are left out of the
 * relative error (a correlation crossing zero would make it meaningless); they still count in z.
 */
export const REL_ERR_FLOOR = 0.01;

/**
 * Compare simulated means (with std over `networks` networks) against theory values at the same points.
 * Points where either is non-finite are skipped; a zero std (e.g. an exactly normalised input layer) only
 * counts when the deviation is zero too. z uses the sample std over networks, so it follows Student's t
 * with networks − 1 degrees of freedom under agreement (recorded as `dof`).
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
  const finiteTheory = theory.filter((t): t is number => t !== null && t !== undefined && Number.isFinite(t));
  const scale = Math.max(0, ...finiteTheory.map(Math.abs));
  let maxRel = NaN;
  for (let i = 0; i < sim.mean.length; i++) {
    const m = sim.mean[i];
    const t = theory[i];
    const s = sim.std[i];
    if (t === null || t === undefined || !Number.isFinite(m) || !Number.isFinite(t)) continue;
    const d = Math.abs(m - t);
    n++;
    sumAbs += d;
    if (Math.abs(t) > REL_ERR_FLOOR * scale && Math.abs(t) > 0) {
      const rel = d / Math.abs(t);
      maxRel = Number.isNaN(maxRel) ? rel : Math.max(maxRel, rel);
    }
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
    maxRelErr: maxRel,
    ...(networks >= 2 ? { dof: networks - 1 } : {}),
    ...(note ? { note } : {}),
  };
}

/** The family-wise false-alarm rate of the report's pass/flag criterion. */
export const FAMILY_ALPHA = 0.05;

export interface AgreementCriterion {
  /** comparisons in the figure (points with a z-score, over all rows) */
  comparisons: number;
  alpha: number;
  /** Šidák per-comparison two-sided level 1 − (1 − α)^{1/m} */
  perComparison: number;
  /** the distinct degrees of freedom in the figure (null: normal) */
  dofs: (number | null)[];
  /** one sentence for the report */
  text: string;
}

/**
 * Judge every row of one figure: with m comparisons in all, a row passes when its largest |z| is at most
 * the two-sided Šidák threshold t_ν^{-1}(1 − α'/2), α' = 1 − (1 − α)^{1/m} (ν = the row's dof, normal when
 * absent). If theory holds exactly and the z-scores were independent, the chance that any row of the figure
 * is flagged is α; points of one trajectory share networks and are positively correlated, which makes the
 * criterion conservative (fewer false alarms). Rows without a finite or infinite z get "n/a".
 */
export function judgeAgreement(
  rows: Agreement[],
  alpha = FAMILY_ALPHA,
): { rows: Agreement[]; criterion: AgreementCriterion | null } {
  const scored = rows.filter((r) => !Number.isNaN(r.maxAbsZ) && r.n > 0);
  const m = scored.reduce((a, r) => a + r.n, 0);
  if (!m) return { rows: rows.map((r) => ({ ...r, verdict: "n/a" as const })), criterion: null };
  const level = sidakLevel(alpha, m);
  const thresholdFor = (dof: number | undefined) =>
    studentTwoSidedQuantile(level, dof === undefined || dof < 1 ? Infinity : dof);
  const judged = rows.map((r): Agreement => {
    if (Number.isNaN(r.maxAbsZ) || r.n === 0) return { ...r, verdict: "n/a" };
    const threshold = thresholdFor(r.dof);
    return { ...r, threshold, verdict: r.maxAbsZ <= threshold ? "pass" : "flag" };
  });
  const dofs = [...new Set(scored.map((r) => r.dof ?? null))].sort((a, b) => (a ?? 1e9) - (b ?? 1e9));
  const dofText = dofs
    .map((d) =>
      d === null
        ? `|z| ≤ ${thresholdFor(undefined).toFixed(2)} for z against a fitted or known standard error (normal)`
        : `|z| ≤ ${thresholdFor(d).toFixed(2)} for z with the std over ${d + 1} networks (Student t, ${d} degrees of freedom)`,
    )
    .join("; ");
  const text =
    `Pass/flag: ${m} comparisons in this figure; a row passes when its largest |z| stays below the Šidák threshold for ${m} comparisons at a ${100 * alpha} % family-wise false-alarm rate (per comparison ${level.toPrecision(2)} two-sided): ${dofText}. ` +
    "Points along one trajectory share networks, so they are positively correlated and the criterion is conservative; a flag means a deviation beyond sampling noise (finite-width bias, a skewed finite-width law over few networks, or a defect), not necessarily an error of the theory.";
  return { rows: judged, criterion: { comparisons: m, alpha, perComparison: level, dofs, text } };
}
