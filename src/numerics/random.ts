/**
 * A small deterministic float64 PRNG for the plain-TypeScript simulations (spectra, finite-width law,
 * SVCCA experiments): sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state, passes
 * PractRand to 2^40+ bytes) seeded through splitmix32, uniforms with 53 random bits, normals by the
 * Marsaglia polar form of Box–Muller, Gamma by Marsaglia–Tsang (2000), Binomial(n, ½) by popcounts.
 * Not cryptographic; reproducible across platforms (integer arithmetic via Math.imul and >>> 0).
 */

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed = 1) {
    // splitmix32 to fill the state from one 32-bit (or larger integer) seed
    let s = (Math.floor(seed) ^ Math.floor(seed / 4294967296)) >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 16; i++) this.u32();
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.u32() >>> 5; // 27 bits
    const lo = this.u32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal (Marsaglia polar method; the second variate is cached). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v * f;
        return u * f;
      }
    }
  }

  /** Fill a Float64Array with N(0, std²). */
  normals(n: number, std = 1): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = std * this.normal();
    return out;
  }

  /** Gamma(shape k, scale 1), Marsaglia & Tsang (2000); k < 1 by the boost U^{1/k}. */
  gamma(k: number): number {
    if (!(k > 0)) throw new RangeError(`gamma shape must be > 0, got ${k}`);
    if (k < 1) {
      const u = this.uniform();
      return this.gamma(k + 1) * Math.pow(u > 0 ? u : Number.MIN_VALUE, 1 / k);
    }
    const d = k - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** χ² with k degrees of freedom (k = 0 gives 0). */
  chiSquare(k: number): number {
    return k === 0 ? 0 : 2 * this.gamma(k / 2);
  }

  /** Binomial(n, ½) as the popcount of n random bits. */
  binomialHalf(n: number): number {
    let count = 0;
    let left = n;
    while (left > 0) {
      let x = this.u32();
      if (left < 32) x = x & (left === 0 ? 0 : 0xffffffff >>> (32 - left));
      x = x - ((x >>> 1) & 0x55555555);
      x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
      count += (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
      left -= 32;
    }
    return count;
  }
}

/** Convenience: a seeded generator. */
export function rng(seed = 1): Rng {
  return new Rng(seed);
}
