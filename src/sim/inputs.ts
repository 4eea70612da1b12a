/**
 * Network inputs h⁰ (docs/THEORY.md §1, §4), exactly normalised so that layer 0 carries no sampling error:
 *   single input of variance q:  h = √(Nq) · z/|z|                          ⇒ (1/N)|h|² = q exactly;
 *   pair with correlation c:     e_a = z_a/|z_a|, e_b = Gram–Schmidt of z_b against e_a,
 *                                h_a = √(Nq) e_a,  h_b = √(Nq)(c e_a + √(1−c²) e_b)
 *                                ⇒ (1/N)|h_a|² = (1/N)|h_b|² = q and ⟨h_a,h_b⟩/(|h_a||h_b|) = c exactly
 * (in float64, before rounding to float32). A uniformly random direction scaled to radius √(Nq) has
 * entries ≈ N(0, q) for large N, the law the mean-field maps assume.
 */
import type { Stream } from "../engine/rng.js";

function unit(v: Float64Array): Float64Array {
  let s = 0;
  for (const x of v) s += x * x;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i] *= inv;
  return v;
}

/** One input row of exact empirical variance q. */
export function inputOfVariance(stream: Stream, n: number, q: number): Float64Array {
  const e = unit(stream.fillNormal(new Float64Array(n)) as Float64Array);
  const r = Math.sqrt(n * q);
  for (let i = 0; i < n; i++) e[i] *= r;
  return e;
}

/** Two input rows of exact empirical variance q and exact raw correlation c ∈ [−1, 1]. */
export function inputPair(stream: Stream, n: number, q: number, c: number): [Float64Array, Float64Array] {
  const ea = unit(stream.fillNormal(new Float64Array(n)) as Float64Array);
  const zb = stream.fillNormal(new Float64Array(n)) as Float64Array;
  let d = 0;
  for (let i = 0; i < n; i++) d += ea[i] * zb[i];
  for (let i = 0; i < n; i++) zb[i] -= d * ea[i];
  const eb = unit(zb);
  const r = Math.sqrt(n * q);
  const s = Math.sqrt(Math.max(0, 1 - c * c));
  const ha = new Float64Array(n);
  const hb = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ha[i] = r * ea[i];
    hb[i] = r * (c * ea[i] + s * eb[i]);
  }
  return [ha, hb];
}

/** Stack float64 rows into one row-major float32 B×N batch. */
export function stackRows(rows: Float64Array[], n: number): Float32Array {
  const out = new Float32Array(rows.length * n);
  rows.forEach((r, b) => out.set(r, b * n));
  return out;
}
