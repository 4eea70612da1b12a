/**
 * Per-network statistics of a layer's pre-activations (docs/THEORY.md §4), in float64 from float32 data:
 *   empirical variance  q̂ = (1/N) Σ_i h_i²
 *   raw correlation     ĉ = ⟨h_a, h_b⟩ / (|h_a| |h_b|)   (the theory's definition; not Pearson)
 * and mean ± sample standard deviation (denominator n − 1) over independent networks.
 */
import type { LayerStats } from "./index.js";

/** (1/N) Σ h_i² of row `row` of a row-major B×N batch. */
export function rowVariance(h: Float32Array, n: number, row: number): number {
  let s = 0;
  const o = row * n;
  for (let i = 0; i < n; i++) s += h[o + i] * h[o + i];
  return s / n;
}

/** ⟨h_a, h_b⟩/(|h_a||h_b|) of rows a and b; NaN if either row is zero or not finite. */
export function rowCorrelation(h: Float32Array, n: number, a: number, b: number): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  const oa = a * n;
  const ob = b * n;
  for (let i = 0; i < n; i++) {
    const x = h[oa + i];
    const y = h[ob + i];
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return ab / Math.sqrt(aa * bb);
}

/** Mean and sample std (n − 1; 0 for a single value) of each column of `samples[net][k]`. */
export function meanStd(samples: number[][]): LayerStats {
  const nets = samples.length;
  const k = nets ? samples[0].length : 0;
  const mean: number[] = [];
  const std: number[] = [];
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < nets; i++) s += samples[i][j];
    const m = s / nets;
    let v = 0;
    for (let i = 0; i < nets; i++) v += (samples[i][j] - m) ** 2;
    mean.push(m);
    std.push(nets > 1 ? Math.sqrt(v / (nets - 1)) : 0);
  }
  return { mean, std };
}
