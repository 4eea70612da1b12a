/**
 * The sampling laws of the noise ε of docs/THEORY.md §1, described once (`noiseLaw`) and drawn by two adapters
 * that follow the same description: `fillNoise` here (plain TypeScript, float32 or float64, from a seeded
 * `Stream`; used by the simulation and the float64 forward pass) and `applyNoiseKey` in tensor.ts (jax-js,
 * from a PRNG key inside `jit`; used by training). No tensor library here.
 *
 * - dropout (keep p):        ε = 1{u < p}/p (inverted dropout), μ2 = 1/p
 * - Gaussian:                ε = 1 + s z (mult.), ε = s z (add.); μ2 = 1 + s², s²
 * - Laplace(0, β):           ℓ = β ln(2u) for u < ½, −β ln(2(1 − u)) otherwise (inverse CDF);
 *                            ε = 1 + ℓ (mult.), ε = ℓ (add.); μ2 = 1 + 2β², 2β²
 * - Poisson(1) (mult.):      ε = F⁻¹(u) = #{k ≥ 0 : F(k) < u}, F the Poisson(1) CDF (exact inversion);
 *                            μ2 = 2
 * Multiplicative noise acts as x ↦ ε ⊙ x (E[ε] = 1), additive as x ↦ x + ε (E[ε] = 0).
 */
import type { Noise } from "../theory/noise.js";

/** One law in the form both adapters draw it: a base variate (uniform u or normal z) and a transform. */
export type NoiseLaw =
  | { law: "identity" }
  | { law: "bernoulli"; keep: number }
  | { law: "normal"; shift: number; scale: number }
  | { law: "laplace"; shift: number; scale: number }
  | { law: "poisson1" };

/** The law of ε for a noise model (`identity` for none and dropout keep = 1: nothing is drawn). */
export function noiseLaw(noise: Noise): NoiseLaw {
  switch (noise.kind) {
    case "none":
      return { law: "identity" };
    case "dropout": {
      const p = noise.keep as number;
      return p === 1 ? { law: "identity" } : { law: "bernoulli", keep: p };
    }
    case "gauss_mult":
    case "gauss_add":
      return { law: "normal", shift: noise.kind === "gauss_mult" ? 1 : 0, scale: noise.params.std };
    case "laplace_mult":
    case "laplace_add":
      return { law: "laplace", shift: noise.kind === "laplace_mult" ? 1 : 0, scale: noise.params.scale };
    case "poisson_mult":
      return { law: "poisson1" };
  }
}

/** True when the noise changes anything (its law is not the identity). */
export function isActive(noise: Noise): boolean {
  return noiseLaw(noise).law !== "identity";
}

/**
 * The Poisson(1) CDF F(0), F(1), … up to 1 − F(k) < 2⁻⁴⁰ (k ≤ 18): a uniform with 32-bit (host) or 24-bit
 * (jax-js float32) resolution never falls beyond it, so counting entries below u is the exact inversion.
 */
export const POISSON1_CDF: readonly number[] = (() => {
  const cdf: number[] = [];
  let term = Math.exp(-1);
  let acc = 0;
  for (let k = 0; 1 - acc > 2 ** -40 && k < 40; k++) {
    acc += term;
    cdf.push(acc);
    term /= k + 1;
  }
  return cdf;
})();

/** What the host sampler draws from: bulk fills with uniforms on (0, 1) and with scale·N(0, 1) (a `Stream`). */
export interface NoiseSource {
  fillUniform(out: Float32Array | Float64Array): unknown;
  fillBernoulli(out: Float32Array | Float64Array, p: number, value: number): unknown;
  fillNormal(out: Float32Array | Float64Array, scale: number): unknown;
}

/** Uniforms in float64 (a Float32Array destination would round u before the comparisons below). */
let U64 = new Float64Array(0);
function uniforms(stream: NoiseSource, count: number): Float64Array {
  if (U64.length < count) U64 = new Float64Array(count);
  const u = U64.subarray(0, count);
  stream.fillUniform(u);
  return u;
}

/** Fill `out` with ε (see the module doc), or return null when the noise is the identity. */
export function fillNoise<T extends Float32Array | Float64Array>(
  out: T,
  noise: Noise,
  stream: NoiseSource,
): T | null {
  const count = out.length;
  const law = noiseLaw(noise);
  switch (law.law) {
    case "identity":
      return null;
    case "bernoulli": {
      const p = law.keep;
      stream.fillBernoulli(out, p, 1 / p);
      return out;
    }
    case "normal": {
      stream.fillNormal(out, law.scale);
      if (law.shift !== 0) for (let i = 0; i < count; i++) out[i] += law.shift;
      return out;
    }
    case "laplace": {
      const { shift, scale: b } = law;
      const us = uniforms(stream, count);
      for (let i = 0; i < count; i++) {
        const u = us[i];
        out[i] = shift + (u < 0.5 ? b * Math.log(2 * u) : -b * Math.log(2 * (1 - u)));
      }
      return out;
    }
    case "poisson1": {
      const cdf = POISSON1_CDF;
      const us = uniforms(stream, count);
      for (let i = 0; i < count; i++) {
        const u = us[i];
        let k = 0;
        while (k < cdf.length && u > cdf[k]) k++;
        out[i] = k;
      }
      return out;
    }
  }
}
