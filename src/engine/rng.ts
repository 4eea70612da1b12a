/**
 * The project's one random number generator (engine layer; every random network, noise draw, input, data
 * split and Monte Carlo check draws from it). Keyed: `new Stream(seed, net, layer, purpose)` owns an
 * independent reproducible stream, so the numbers never depend on the order in which streams are used.
 *
 * Fast seeded normal sampler for weight matrices (the dominant cost of a simulation: L·N² normals per
 * network, STACK.md). jax-js' `random.normal` (Box–Muller on threefry bits) measured ≈ 6–22 M samples/s
 * here; this ziggurat on xoshiro128** measured ≈ 60–185 M samples/s (bench/sim.ts, 1M-sample fills, busy
 * 2-core machine) in plain TypeScript and writes straight into a Float32Array that becomes a jax-js array
 * with one copy.
 *
 * - Bits: xoshiro128** (Blackman & Vigna 2018), 128-bit state, seeded with splitmix32 from a 32-bit hash of
 *   (seed, stream ids), so every (network, layer, purpose) owns an independent, reproducible stream and the
 *   numbers do not depend on the order in which streams are consumed.
 * - Normals: Marsaglia & Tsang (2000) ziggurat with 128 layers. Following Doornik (2005), the layer index
 *   (low 7 bits) and the abscissa (high 25 bits) come from disjoint bits of each 32-bit draw.
 */

const ZIG_N = 128;
const ZIG_R = 3.442619855899;
const ZIG_V = 9.91256303526217e-3;
/** abscissa resolution: the signed 25-bit draw j ∈ [−2²⁴, 2²⁴) is scaled by w[i] = x_i/2²⁴ */
const M1 = 16777216;

const KN = new Int32Array(ZIG_N);
const WN = new Float64Array(ZIG_N);
const FN = new Float64Array(ZIG_N);
/** scratch: WN·scale for the current fill */
const SCALED = new Float64Array(ZIG_N);
(function setup() {
  let dn = ZIG_R;
  let tn = dn;
  const q = ZIG_V / Math.exp(-0.5 * dn * dn);
  KN[0] = Math.floor((dn / q) * M1);
  KN[1] = 0;
  WN[0] = q / M1;
  WN[ZIG_N - 1] = dn / M1;
  FN[0] = 1;
  FN[ZIG_N - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = ZIG_N - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(ZIG_V / dn + Math.exp(-0.5 * dn * dn)));
    KN[i + 1] = Math.floor((dn / tn) * M1);
    tn = dn;
    FN[i] = Math.exp(-0.5 * dn * dn);
    WN[i] = dn / M1;
  }
})();

/** 32-bit mixing hash of a list of integers (murmur3 finaliser on a running combination). */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    let k = Math.imul(p | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    // also mix the high part of seeds beyond 32 bits
    const hi = Math.floor(p / 4294967296) | 0;
    h ^= Math.imul(hi, 0x85ebca6b);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A reproducible stream of uniform bits, uniforms and standard normals. */
export class Stream {
  /**
   * xoshiro state in an Int32Array, not four number fields: 32-bit values beyond the small-integer range
   * would be boxed as heap numbers on every write (measured: the rare slow path dominated the fill).
   */
  private readonly st = new Int32Array(4);

  /** Seed from integers (e.g. seed, network, layer, purpose); equal ids give equal streams. */
  constructor(...ids: number[]) {
    let x = hash32(...ids);
    const sm = () => {
      // splitmix32
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    const st = this.st;
    for (let k = 0; k < 4; k++) st[k] = sm();
    if ((st[0] | st[1] | st[2] | st[3]) === 0) st[0] = 1;
  }

  /** Next 32 random bits as a signed int32 (xoshiro128**). */
  int32(): number {
    const st = this.st;
    const s1 = st[1];
    const m = Math.imul(s1, 5);
    const r = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    st[2] ^= st[0];
    st[3] ^= st[1];
    st[1] ^= st[2];
    st[0] ^= st[3];
    st[2] ^= t;
    st[3] = (st[3] << 11) | (st[3] >>> 21);
    return r;
  }

  /** Uniform in the open interval (0, 1), 32-bit resolution. */
  uniform(): number {
    return ((this.int32() >>> 0) + 0.5) * 2.3283064365386963e-10;
  }

  /**
   * Fill `out` with uniforms in (0, 1), the same numbers as `out.length` calls of `uniform()` (float64
   * values; a Float32Array rounds them), with the generator state in locals: ≈ 10× faster than the calls.
   */
  fillUniform(out: Float32Array | Float64Array): typeof out {
    const st = this.st;
    let s0 = st[0];
    let s1 = st[1];
    let s2 = st[2];
    let s3 = st[3];
    for (let i = 0; i < out.length; i++) {
      const m = Math.imul(s1, 5);
      const r = Math.imul((m << 7) | (m >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      out[i] = ((r >>> 0) + 0.5) * 2.3283064365386963e-10;
    }
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
    return out;
  }

  /**
   * Fill `out` with `value`·1{u < p} (0 otherwise), the same decisions as `uniform() < p` per element: with
   * u = (k + ½)·2⁻³² for the 32-bit draw k, u < p ⇔ k < ⌈p·2³² − ½⌉, an integer comparison on the raw bits.
   * The xoshiro loop repeats `fillUniform`'s on purpose: one shared loop with a mode flag made
   * `fillUniform` ≈ 7× slower (1 M floats, same process; V8 does not split the loop on the flag).
   */
  fillBernoulli(out: Float32Array | Float64Array, p: number, value: number): typeof out {
    const thr = Math.ceil(p * 4294967296 - 0.5);
    const st = this.st;
    let s0 = st[0];
    let s1 = st[1];
    let s2 = st[2];
    let s3 = st[3];
    for (let i = 0; i < out.length; i++) {
      const m = Math.imul(s1, 5);
      const r = Math.imul((m << 7) | (m >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      out[i] = r >>> 0 < thr ? value : 0;
    }
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
    return out;
  }

  /** Next 32 random bits as an unsigned integer. */
  u32(): number {
    return this.int32() >>> 0;
  }

  /** n samples of N(0, std²) in a new Float64Array. */
  normals(n: number, std = 1): Float64Array {
    return this.fillNormal(new Float64Array(n), std) as Float64Array;
  }

  /** Gamma(shape k, scale 1), Marsaglia & Tsang (2000); k < 1 by the boost U^{1/k}. */
  gamma(k: number): number {
    if (!(k > 0)) throw new RangeError(`gamma shape must be > 0, got ${k}`);
    if (k < 1) return this.gamma(k + 1) * Math.pow(this.uniform(), 1 / k);
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
      if (left < 32) x = x & (0xffffffff >>> (32 - left));
      x = x - ((x >>> 1) & 0x55555555);
      x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
      count += (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
      left -= 32;
    }
    return count;
  }

  /** One standard normal (ziggurat). */
  normal(): number {
    const hz = this.int32();
    const iz = hz & 127;
    const j = hz >> 7;
    if ((j < 0 ? -j : j) < KN[iz]) return j * WN[iz];
    return this.tail(j, iz);
  }

  private tail(j0: number, iz0: number): number {
    let j = j0;
    let iz = iz0;
    for (;;) {
      if (iz === 0) {
        // sample from the tail beyond R (Marsaglia 1964)
        let x: number;
        let y: number;
        do {
          x = -Math.log(this.uniform()) / ZIG_R;
          y = -Math.log(this.uniform());
        } while (y + y < x * x);
        return j > 0 ? ZIG_R + x : -ZIG_R - x;
      }
      const x = j * WN[iz];
      if (FN[iz] + this.uniform() * (FN[iz - 1] - FN[iz]) < Math.exp(-0.5 * x * x)) return x;
      const hz = this.int32();
      iz = hz & 127;
      j = hz >> 7;
      if ((j < 0 ? -j : j) < KN[iz]) return j * WN[iz];
    }
  }

  /**
   * Fill `out` with scale·N(0, 1) samples. This loop is the hot path of the simulation: state in locals,
   * the layer widths pre-scaled, a branch-free |j| (the sign is a coin flip: a branch on it mispredicts
   * half the time, which measured 3–5× slower) and an unconditional store that the rare (≈ 3 %) rejected
   * draws overwrite with the exact ziggurat wedge/tail sample.
   */
  fillNormal(out: Float32Array | Float64Array, scale = 1): typeof out {
    const n = out.length;
    const ws = SCALED;
    for (let k = 0; k < ZIG_N; k++) ws[k] = WN[k] * scale;
    const st = this.st;
    let s0 = st[0];
    let s1 = st[1];
    let s2 = st[2];
    let s3 = st[3];
    for (let i = 0; i < n; i++) {
      const m = Math.imul(s1, 5);
      const hz = Math.imul((m << 7) | (m >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const iz = hz & 127;
      const j = hz >> 7;
      const sg = j >> 31;
      out[i] = j * ws[iz];
      if ((j ^ sg) - sg >= KN[iz]) {
        st[0] = s0;
        st[1] = s1;
        st[2] = s2;
        st[3] = s3;
        out[i] = scale * this.tail(j, iz);
        s0 = st[0];
        s1 = st[1];
        s2 = st[2];
        s3 = st[3];
      }
    }
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
    return out;
  }
}
