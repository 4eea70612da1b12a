/**
 * Noise models of THEORY.md §1: multiplicative (E[ε] = 1) or additive (E[ε] = 0), each reporting
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

/** Build a noise model from its parts; μ2 as in THEORY.md §1's table. */
export function makeNoise(kind: NoiseKind, params: Record<string, number> = {}): Noise {
  const text = formatSpec(kind, params);
  const bad = (key: string, valid: string) =>
    new InputError("--noise", text, NOISE_SPECS, `${key} must be ${valid}`);
  switch (kind) {
    case "none":
      return { kind, type: "none", mu2: 1, params: {}, spec: "none" };
    case "dropout": {
      const hasKeep = "keep" in params;
      const hasRate = "rate" in params;
      if (hasKeep === hasRate) {
        throw new InputError(
          "--noise",
          text,
          NOISE_SPECS,
          "dropout needs exactly one of keep=P (keep probability, as in the paper and TF1) or rate=R (drop rate, as in PyTorch and Keras); e.g. dropout:keep=0.9 is the same as dropout:rate=0.1",
        );
      }
      const keep = hasKeep ? params.keep : 1 - params.rate;
      if (hasKeep && !(keep > 0 && keep <= 1)) throw bad("keep", "in (0, 1]");
      if (hasRate && !(params.rate >= 0 && params.rate < 1)) throw bad("rate", "in [0, 1)");
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

/** Parse `--noise` text such as `dropout:keep=0.9`; `dropout:0.9` is an error explaining keep vs rate. */
export function parseNoise(text: string): Noise {
  const spec = parseSpec("--noise", text, NOISE_SPECS);
  const name = spec.name === "gauss" ? "gauss_mult" : spec.name === "poisson" ? "poisson_mult" : spec.name;
  if (!(name in NOISE_KEYS))
    throw new InputError("--noise", text, NOISE_SPECS, `unknown noise '${spec.name}'`);
  const kind = name as NoiseKind;
  if (kind === "dropout" && spec.bare.length) {
    const v = spec.bare[0];
    throw new InputError(
      "--noise",
      text,
      NOISE_SPECS,
      `'${v}' is ambiguous: write dropout:keep=${v} for keep probability ${v} (the paper's p, TF1) or dropout:rate=${v} for drop rate ${v} (PyTorch, Keras)`,
    );
  }
  checkKeys("--noise", text, spec, [...NOISE_KEYS[kind]], NOISE_SPECS);
  for (const k of ["std", "scale"]) {
    if (NOISE_KEYS[kind].includes(k) && !(k in spec.params)) {
      throw new InputError("--noise", text, NOISE_SPECS, `${kind} needs ${k}=…`);
    }
  }
  return makeNoise(kind, spec.params);
}

/** The factor m in χ_q and χ_grad: μ2 for multiplicative noise, 1 otherwise (THEORY.md §2). */
export function slopeFactor(noise: Noise): number {
  return noise.type === "multiplicative" ? noise.mu2 : 1;
}
