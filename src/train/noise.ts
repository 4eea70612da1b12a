/**
 * Noise layers for training, sampled inside `jit` from a jax-js PRNG key (consumed), one value per unit,
 * example and step (THEORY.md §1). Consumes x.
 *
 * - dropout (keep p): ε = Bernoulli(p)/p (inverted dropout), μ2 = 1/p
 * - multiplicative Gaussian: ε = 1 + s·z; additive: ε = s·z
 * - multiplicative Laplace: ε = 1 + β·ℓ; additive: ε = β·ℓ (ℓ standard Laplace)
 * - multiplicative Poisson(1): inversion of the CDF on one uniform per element
 */
import { numpy as np, random, type Array } from "@jax-js/jax";
import type { Noise } from "../theory/noise.js";

function poisson1Cdf(): number[] {
  const cdf: number[] = [];
  let term = Math.exp(-1);
  let acc = 0;
  for (let k = 0; acc < 1 - 2 ** -26 && k < 30; k++) {
    acc += term;
    cdf.push(acc);
    term /= k + 1;
  }
  return cdf;
}
const POISSON1_CDF = poisson1Cdf();

/** True when the noise changes anything. */
export function isActive(noise: Noise): boolean {
  if (noise.type === "none") return false;
  if (noise.kind === "dropout") return noise.keep !== 1;
  return noise.mu2 !== (noise.type === "multiplicative" ? 1 : 0);
}

/** Apply freshly sampled noise to x; consumes x and key. */
export function applyNoiseKey(x: Array, noise: Noise, key: Array): Array {
  const shape = x.shape;
  if (!isActive(noise)) {
    key.dispose();
    return x;
  }
  switch (noise.kind) {
    case "dropout": {
      const p = noise.keep as number;
      return np.multiply(np.multiply(x, random.bernoulli(key, p, shape).astype(np.float32)), 1 / p);
    }
    case "gauss_mult":
      return np.multiply(x, np.add(np.multiply(random.normal(key, shape), noise.params.std), 1));
    case "gauss_add":
      return np.add(x, np.multiply(random.normal(key, shape), noise.params.std));
    case "laplace_mult":
      return np.multiply(x, np.add(np.multiply(random.laplace(key, shape), noise.params.scale), 1));
    case "laplace_add":
      return np.add(x, np.multiply(random.laplace(key, shape), noise.params.scale));
    case "poisson_mult": {
      const u = random.uniform(key, shape);
      let count: Array | null = null;
      for (const c of POISSON1_CDF) {
        const step = np.greater(u.ref, c).astype(np.float32);
        count = count === null ? step : np.add(count, step);
      }
      u.dispose();
      return np.multiply(x, count as Array);
    }
    default:
      key.dispose();
      return x;
  }
}
