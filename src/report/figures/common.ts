/** Shared helpers of the figure modules: grids, the paper's critical initialisation, number formatting. */
import { parseActivation } from "../../theory/activations.js";
import { criticalInit } from "../../theory/critical.js";
import { InputError } from "../../theory/errors.js";
import { parseNoise } from "../../theory/noise.js";
import type { Scale } from "../figure.js";
import type { ModelSpec } from "../jobs.js";

/** n evenly spaced points from a to b inclusive (the last one exactly b). */
export function linspace(a: number, b: number, n: number): number[] {
  if (n === 1) return [a];
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? b : a + ((b - a) * i) / (n - 1)));
}

/** μ2 = E[ε²] of a noise spec. */
export function mu2Of(noise: string): number {
  return parseNoise(noise).mu2;
}

/**
 * The critical ReLU initialisation σ_w² = 2/μ2 (σ_b² = 0) for multiplicative noise (docs/THEORY.md §1), from the
 * one criticality module (theory/critical.ts `criticalInit`: 2p exactly for dropout keep p), with σ_w
 * scaled by `scaleSigmaW`. InputError for noise without a critical point (additive).
 */
export function criticalRelu(noise: string, scaleSigmaW = 1): ModelSpec {
  const c = criticalInit(parseActivation("relu"), parseNoise(noise));
  if (c.sigmaW2 === null) throw new InputError("noise", noise, "multiplicative noise or none", c.reason);
  return { activation: "relu", noise, sigmaW2: c.sigmaW2 * scaleSigmaW * scaleSigmaW, sigmaB2: 0 };
}

/** A number rounded for labels (at most `digits` significant digits, no trailing zeros). */
export function short(x: number, digits = 4): string {
  return String(Number(x.toPrecision(digits)));
}

/** Zip per-point columns into CSV rows. */
export function rows(
  cols: Record<string, (number | string | null)[]>,
): Record<string, number | string | null>[] {
  const keys = Object.keys(cols);
  const n = Math.max(0, ...keys.map((k) => cols[k].length));
  return Array.from({ length: n }, (_, i) => Object.fromEntries(keys.map((k) => [k, cols[k][i] ?? null])));
}

/** Non-finite → null so that data.json stays valid JSON with explicit gaps. */
export function finiteOrNull(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : x;
}

/** A file-name-safe version of a series name. */
export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** A figure's settings at a scale: its paper or quick settings by name, its tiny ones at any other scale. */
export function settingsAt<S>(table: Record<"quick" | "paper" | "tiny", S>, scale: Scale): S {
  return scale.name === "paper" ? table.paper : scale.name === "quick" ? table.quick : table.tiny;
}
