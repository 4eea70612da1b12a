/**
 * The sampling laws of the noise ε of THEORY.md §1, one value per element, from a seeded source; shared
 * by the jax-js simulation (float32, src/sim/noise.ts) and the float64 Jacobian spectra
 * (src/spectra/jacobian.ts), so both draw the same laws the same way. No tensor library here.
 *
 * - dropout (keep p):        ε = 1{u < p}/p (inverted dropout), μ2 = 1/p
 * - Gaussian:                ε = 1 + s z (mult.), ε = s z (add.); μ2 = 1 + s², s²
 * - Laplace(0, β):           ℓ = β ln(2u) for u < ½, −β ln(2(1 − u)) otherwise (inverse CDF);
 *                            ε = 1 + ℓ (mult.), ε = ℓ (add.); μ2 = 1 + 2β², 2β²
 * - Poisson(1) (mult.):      inversion of the CDF by sequential search, exact; μ2 = 2
 */
import type { Noise } from "../theory/noise.js";

/** What the laws draw from: uniforms on [0, 1) and a bulk fill with scale·N(0, 1) (the sim's `Stream`). */
export interface NoiseSource {
  uniform(): number;
  fillNormal(out: Float32Array | Float64Array, scale: number): unknown;
}

const EXP_M1 = Math.exp(-1);

/** Fill `out` with ε (see the module doc), or return null when the noise is the identity (none, dropout keep = 1). */
export function fillNoise<T extends Float32Array | Float64Array>(
  out: T,
  noise: Noise,
  stream: NoiseSource,
): T | null {
  const count = out.length;
  switch (noise.kind) {
    case "none":
      return null;
    case "dropout": {
      const p = noise.keep as number;
      if (p === 1) return null;
      const v = 1 / p;
      for (let i = 0; i < count; i++) out[i] = stream.uniform() < p ? v : 0;
      return out;
    }
    case "gauss_mult":
    case "gauss_add": {
      stream.fillNormal(out, noise.params.std);
      if (noise.kind === "gauss_mult") for (let i = 0; i < count; i++) out[i] += 1;
      return out;
    }
    case "laplace_mult":
    case "laplace_add": {
      const b = noise.params.scale;
      const shift = noise.kind === "laplace_mult" ? 1 : 0;
      for (let i = 0; i < count; i++) {
        const u = stream.uniform();
        out[i] = shift + (u < 0.5 ? b * Math.log(2 * u) : -b * Math.log(2 * (1 - u)));
      }
      return out;
    }
    case "poisson_mult": {
      for (let i = 0; i < count; i++) {
        const u = stream.uniform();
        let k = 0;
        let p = EXP_M1;
        let f = p;
        while (u > f && k < 40) {
          k++;
          p /= k;
          f += p;
        }
        out[i] = k;
      }
      return out;
    }
  }
}
