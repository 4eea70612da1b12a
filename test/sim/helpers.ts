/**
 * Shared helpers for the simulation tests.
 *
 * Tolerance rationale used throughout: a simulated statistic is the mean over n independent networks;
 * z = (mean − theory)/(std/√n) is then approximately Student-t with n − 1 degrees of freedom (plus an
 * O(1/N) finite-width bias far below one standard error at the widths used). With n ≥ 24 networks,
 * P(|t_23| > 5) ≈ 4.6e-5 per entry, so even a Bonferroni bound over the ≤ 50 entries of one test keeps a
 * false alarm below 0.3 %; a real discrepancy of a few per cent at N = 500 gives |z| ≫ 5. Seeds are fixed,
 * so the tests are deterministic.
 */
import { maxAbsZ } from "../../src/sim/compare.js";
import { parseActivation } from "../../src/theory/activations.js";
import type { Model } from "../../src/theory/model.js";
import { parseNoise } from "../../src/theory/noise.js";

export const Z_MAX = 5;

export function model(activation: string, noise: string, sigmaW2: number, sigmaB2 = 0): Model {
  return { activation: parseActivation(activation), noise: parseNoise(noise), sigmaW2, sigmaB2 };
}

/**
 * Largest |z| ignoring undefined (null) entries; +Infinity when any z is not finite, so a simulation that
 * blew up (zScores gives NaN for a non-finite simulated value) fails every `worst(...) < Z_MAX` check.
 */
export function worst(z: (number | null)[]): number {
  return maxAbsZ(z);
}
