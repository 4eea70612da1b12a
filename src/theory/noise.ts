/**
 * Noise models of docs/THEORY.md §1: multiplicative (E[ε] = 1) or additive (E[ε] = 0), each reporting
 * μ2 = E[ε²] (for additive noise, the noise variance). Keep probability vs drop rate is never guessed.
 */
import { InputError } from "./errors.js";
import { checkKeys, formatSpec, parseSpec } from "./spec.js";

export type NoiseKind =
  "none" | "dropout" | "gauss_mult" | "gauss_add" | "laplace_mult" | "laplace_add" | "poisson_mult";

export interface Noise {
  kind: NoiseKind;
  /** multiplicative: h = W(ε⊙φ) + b, E[ε]=1; additive: h = W(φ+ε) + b, E[ε]=0; none: ε ≡ 1 */
  type: "none" | "multiplicative" | "additive";
  /** μ2 = E[ε²] */
  mu2: number;
  params: Record<string, number>;
  /** canonical spec text (dropout always written with keep=) */
  spec: string;
  /** dropout only: keep probability p and drop rate 1 − p */
  keep?: number;
  rate?: number;
}

export const NOISE_SPECS =
  "none | dropout:keep=P (keep probability, 0<P≤1) | dropout:rate=R (drop rate, 0≤R<1) | gauss_mult:std=S | gauss_add:std=S | laplace_mult:scale=B | laplace_add:scale=B | poisson_mult";

/** Build a noise model from its parts; μ2 as in docs/THEORY.md §1's table. */
export function makeNoise(kind: NoiseKind, params: Record<string, number> = {}): Noise {
  const text = formatSpec(kind, params);
  const bad = (key: string, valid: string) =>
    new InputError("noise", text, NOISE_SPECS, `${key} must be ${valid}`);
  switch (kind) {
    case "none":
      return { kind, type: "none", mu2: 1, params: {}, spec: "none" };
    case "dropout": {
      const hasKeep = "keep" in params;
      const hasRate = "rate" in params;
      if (hasKeep === hasRate) {
        throw new InputError(
          "noise",
          text,
          NOISE_SPECS,
          "dropout needs exactly one of keep=P (keep probability, as in the paper and TF1) or rate=R (drop rate, as in PyTorch and Keras); e.g. dropout:keep=0.9 is the same as dropout:rate=0.1",
        );
      }
      const keep = hasKeep ? params.keep : 1 - params.rate;
      if (hasKeep && !(keep > 0 && keep <= 1)) throw bad("keep", "in (0, 1]");
      if (hasRate && !(params.rate >= 0 && params.rate < 1)) throw bad("rate", "in [0, 1)");
      if (!Number.isFinite(1 / keep))
        throw bad("keep", `large enough that μ2 = 1/keep is finite (1/${keep} overflows)`);
      return {
        kind,
        type: "multiplicative",
        mu2: 1 / keep,
        params: { keep },
        spec: formatSpec("dropout", { keep }),
        keep,
        rate: 1 - keep,
      };
    }
    case "gauss_mult":
    case "gauss_add": {
      const s = params.std;
      if (!(s >= 0) || !Number.isFinite(s)) throw bad("std", "a finite number ≥ 0");
      const mult = kind === "gauss_mult";
      if (!Number.isFinite(s * s))
        throw bad("std", `small enough that μ2 = ${mult ? "1 + std²" : "std²"} is finite (std² overflows)`);
      return {
        kind,
        type: mult ? "multiplicative" : "additive",
        mu2: mult ? 1 + s * s : s * s,
        params: { std: s },
        spec: text,
      };
    }
    case "laplace_mult":
    case "laplace_add": {
      const b = params.scale;
      if (!(b >= 0) || !Number.isFinite(b)) throw bad("scale", "a finite number ≥ 0");
      const mult = kind === "laplace_mult";
      if (!Number.isFinite(2 * b * b))
        throw bad(
          "scale",
          `small enough that μ2 = ${mult ? "1 + 2·scale²" : "2·scale²"} is finite (2·scale² overflows)`,
        );
      return {
        kind,
        type: mult ? "multiplicative" : "additive",
        mu2: mult ? 1 + 2 * b * b : 2 * b * b,
        params: { scale: b },
        spec: text,
      };
    }
    case "poisson_mult":
      return { kind, type: "multiplicative", mu2: 2, params: {}, spec: "poisson_mult" };
  }
}

/** The parameter names each noise kind accepts (dropout takes exactly one of keep, rate). */
export const NOISE_KEYS: Readonly<Record<NoiseKind, readonly string[]>> = {
  none: [],
  dropout: ["keep", "rate"],
  gauss_mult: ["std"],
  gauss_add: ["std"],
  laplace_mult: ["scale"],
  laplace_add: ["scale"],
  poisson_mult: [],
};

/** Other names for noise kinds, accepted by `parseNoise`. */
export const NOISE_ALIASES: Readonly<Record<string, NoiseKind>> = {
  gauss: "gauss_mult",
  poisson: "poisson_mult",
};

/** Parse `--noise` text such as `dropout:keep=0.9`; `dropout:0.9` is an error explaining keep vs rate. */
export function parseNoise(text: string): Noise {
  const spec = parseSpec("noise", text, NOISE_SPECS);
  const name = NOISE_ALIASES[spec.name] ?? spec.name;
  if (!(name in NOISE_KEYS)) throw new InputError("noise", text, NOISE_SPECS, `unknown noise '${spec.name}'`);
  const kind = name as NoiseKind;
  if (kind === "dropout" && spec.bare.length) {
    const v = spec.bare[0];
    throw new InputError(
      "noise",
      text,
      NOISE_SPECS,
      `'${v}' is ambiguous: write dropout:keep=${v} for keep probability ${v} (the paper's p, TF1) or dropout:rate=${v} for drop rate ${v} (PyTorch, Keras)`,
    );
  }
  checkKeys("noise", text, spec, [...NOISE_KEYS[kind]], NOISE_SPECS);
  for (const k of ["std", "scale"]) {
    if (NOISE_KEYS[kind].includes(k) && !(k in spec.params)) {
      throw new InputError("noise", text, NOISE_SPECS, `${kind} needs ${k}=…`);
    }
  }
  return makeNoise(kind, spec.params);
}

/** The factor m in χ_q and χ_grad: μ2 for multiplicative noise, 1 otherwise (docs/THEORY.md §2). */
export function slopeFactor(noise: Noise): number {
  return noise.type === "multiplicative" ? noise.mu2 : 1;
}

/**
 * E[ε^{2k}] (k ≥ 0 an integer), the even moments of one noise variable (E[ε^0] = 1):
 * - none (ε ≡ 1): 1
 * - dropout keep p (ε = Bern(p)/p): p·p^{−2k} = p^{1−2k}
 * - gauss_mult (ε = 1 + sZ): Σ_{j=0}^{k} C(2k, 2j) s^{2j} (2j−1)!!      (odd moments of Z vanish)
 * - gauss_add (ε = sZ): s^{2k} (2k−1)!!
 * - laplace_mult (ε = 1 + ℓ, ℓ ~ Laplace(0, β)): Σ_{m=0}^{k} C(2k, 2m) (2m)! β^{2m}   (E[ℓ^{2m}] = (2m)! β^{2m})
 * - laplace_add (ε = ℓ): (2k)! β^{2k}
 * - poisson_mult (ε ~ Poisson(1)): the Bell number B_{2k} (Touchard/Dobiński: E[N^n] = B_n for N ~ Poisson(1))
 * For multiplicative noise, D² = diag(ε² φ′(h)²) with ε independent of h, so the moments of D² in the
 * Jacobian spectrum are μ_k = E[ε^{2k}] E[φ′(√q z)^{2k}] (docs/THEORY.md §5 with noise). k = 1 gives μ2.
 */
export function noiseEvenMoment(noise: Noise, k: number): number {
  if (!Number.isInteger(k) || k < 0)
    throw new RangeError(`noiseEvenMoment: k must be an integer ≥ 0, got ${k}`);
  if (k === 0) return 1;
  const n = 2 * k;
  switch (noise.kind) {
    case "none":
      return 1;
    case "dropout": {
      const p = noise.keep as number;
      return Math.pow(p, 1 - n);
    }
    case "gauss_mult":
    case "gauss_add": {
      const s2 = noise.params.std * noise.params.std;
      if (noise.kind === "gauss_add") return Math.pow(s2, k) * doubleFactorialOdd(k);
      let sum = 0;
      for (let j = 0; j <= k; j++) sum += binomial(n, 2 * j) * Math.pow(s2, j) * doubleFactorialOdd(j);
      return sum;
    }
    case "laplace_mult":
    case "laplace_add": {
      const b2 = noise.params.scale * noise.params.scale;
      if (noise.kind === "laplace_add") return factorial(n) * Math.pow(b2, k);
      let sum = 0;
      for (let m = 0; m <= k; m++) sum += binomial(n, 2 * m) * factorial(2 * m) * Math.pow(b2, m);
      return sum;
    }
    case "poisson_mult":
      return bell(n);
  }
}

/** (2j−1)!! = 1·3·5⋯(2j−1), with (−1)!! = 1. */
function doubleFactorialOdd(j: number): number {
  let r = 1;
  for (let i = 1; i <= j; i++) r *= 2 * i - 1;
  return r;
}

function factorial(n: number): number {
  let r = 1;
  for (let i = 2; i <= n; i++) r *= i;
  return r;
}

function binomial(n: number, r: number): number {
  let c = 1;
  for (let i = 1; i <= r; i++) c = (c * (n - r + i)) / i;
  return Math.round(c);
}

/** Bell number B_n by the Bell triangle (exact in float64 for n ≤ 22, correctly rounded sums beyond). */
function bell(n: number): number {
  let row = [1];
  for (let i = 1; i <= n; i++) {
    const next = [row[row.length - 1]];
    for (const x of row) next.push(next[next.length - 1] + x);
    row = next;
  }
  return row[0];
}
