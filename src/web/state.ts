/**
 * The explorer's state and its two text forms: the URL query (shareable links) and the menu parts of the
 * spec grammar (activation name + α, noise kind + named parameter). Pure: runs in the page, the worker
 * and Node tests. The spec strings are the CLI's (`leaky_relu:alpha=0.2`, `dropout:rate=0.1`), so a link
 * and a command line say the same thing.
 */
import {
  ACTIVATION_ALIASES,
  ACTIVATION_CATALOGUE,
  criticalInit,
  NOISE_ALIASES,
  NOISE_KEYS,
  parseActivation,
  parseNoise,
  type NoiseKind,
} from "../theory/index.js";
import { InputError } from "../theory/errors.js";
import { formatSpec, parseDecimal, parseSpec } from "../theory/spec.js";
import type { WeightLaw } from "../theory/spectrum/moments.js";

export interface State {
  activation: string;
  noise: string;
  sigmaW2: number;
  sigmaB2: number;
  width: number;
  depth: number;
  /** weight law of the Jacobian spectrum panel and of the Monte Carlo */
  weights: WeightLaw;
  /**
   * The text of each number that is not a decimal number (`?sigmaW2=abc`, an empty field), as the user
   * wrote it: the error message, the URL and the command line repeat it instead of `NaN`. Absent when
   * every number parsed.
   */
  raw?: Partial<Record<NumberKey, string>>;
}

/** The numeric state keys (their URL values and form fields are decimal numbers). */
export const NUMBER_KEYS = ["sigmaW2", "sigmaB2", "width", "depth"] as const;
export type NumberKey = (typeof NUMBER_KEYS)[number];

/** The start: the case the toolkit is about, ReLU with dropout (keep p = 0.8) at its critical point. */
const START_ACTIVATION = "relu";
const START_NOISE = "dropout:keep=0.8";
const START_SIGMA_B2 = 0;

/**
 * σ_w² of the start state: the library's critical initialisation for START_ACTIVATION and START_NOISE
 * (`criticalInit`, Pretorius et al. 2018: σ_w² = 1/(μ2 E[φ(z)²]) = p/E[relu(z)²] = 2p for ReLU with
 * dropout keep p), not a constant copied here.
 */
function startSigmaW2(): number {
  const c = criticalInit(parseActivation(START_ACTIVATION), parseNoise(START_NOISE), START_SIGMA_B2);
  if (!c.exists || c.sigmaW2 === null) throw new Error(`no critical point for the start state: ${c.reason}`);
  return c.sigmaW2;
}

export const DEFAULT_STATE: State = {
  activation: START_ACTIVATION,
  noise: START_NOISE,
  sigmaW2: startSigmaW2(),
  sigmaB2: START_SIGMA_B2,
  width: 500,
  depth: 30,
  weights: "gaussian",
};

/** A number field's text: the value, or the text as written when it is not a number. */
export function numberText(s: State, k: NumberKey): string {
  return s.raw?.[k] ?? String(s[k]);
}

/** Read a decimal number as the CLI does (`parseDecimal`: no hex, no `Infinity`); NaN and the text if not one. */
export function readNumber(text: string): { value: number; raw?: string } {
  const d = parseDecimal(text);
  return "value" in d ? { value: d.value } : { value: NaN, raw: text };
}

/** URL parameter order (also the form's control ids). */
export const STATE_KEYS = ["activation", "noise", "sigmaW2", "sigmaB2", "width", "depth", "weights"] as const;

/** Upper limits of the sizes a browser simulation is allowed (the CLI's `simulate` limits). */
export const MAX_WIDTH = 2048;
export const MAX_DEPTH = 500;

/** `?activation=…&noise=…&sigmaW2=…` in STATE_KEYS order. */
export function stateToQuery(s: State): string {
  const p = new URLSearchParams();
  for (const k of STATE_KEYS)
    p.set(k, (NUMBER_KEYS as readonly string[]).includes(k) ? numberText(s, k as NumberKey) : String(s[k]));
  return `?${p.toString()}`;
}

/**
 * The state a query describes: missing keys take their defaults; values are kept as written (a bad
 * spec or number is reported by `checkState`, so a shared link with a typo shows its error, not a
 * silently different model).
 */
export function stateFromQuery(search: string): State {
  const p = new URLSearchParams(search);
  const s: State = { ...DEFAULT_STATE };
  for (const k of STATE_KEYS) {
    const v = p.get(k);
    if (v === null) continue;
    if (k === "activation" || k === "noise") s[k] = v;
    else if (k === "weights") s.weights = v as WeightLaw;
    else {
      const n = readNumber(v);
      s[k] = n.value;
      if (n.raw !== undefined) s.raw = { ...s.raw, [k]: n.raw };
    }
  }
  return s;
}

/** Throw an InputError naming the parameter, the value and the valid range for the first bad number. */
export function checkState(s: State): void {
  if (!(s.sigmaW2 > 0 && Number.isFinite(s.sigmaW2)))
    throw new InputError("σ_w²", numberText(s, "sigmaW2"), "a finite number > 0");
  if (!(s.sigmaB2 >= 0 && Number.isFinite(s.sigmaB2)))
    throw new InputError("σ_b²", numberText(s, "sigmaB2"), "a finite number ≥ 0");
  for (const [name, k, hi] of [
    ["width", "width", MAX_WIDTH],
    ["depth", "depth", MAX_DEPTH],
  ] as const) {
    const v = s[k];
    if (!Number.isInteger(v) || v < 1 || v > hi)
      throw new InputError(name, numberText(s, k), `an integer in [1, ${hi}]`);
  }
  if (s.weights !== "gaussian" && s.weights !== "orthogonal")
    throw new InputError("weights", String(s.weights), "gaussian | orthogonal");
}

/** An activation as the menus show it: the catalogue name and its α (null when it takes none). */
export interface ActivationParts {
  name: string;
  alpha: number | null;
}

/** Split an activation spec into menu parts (aliases such as `silu` map to their catalogue name). */
export function activationParts(spec: string): ActivationParts {
  const p = parseSpec("activation", spec, "an activation spec");
  const name = ACTIVATION_ALIASES[p.name] ?? p.name;
  const entry = ACTIVATION_CATALOGUE.find((a) => a.name === name);
  if (!entry) return { name, alpha: null };
  return { name, alpha: entry.keys.includes("alpha") ? (p.params.alpha ?? entry.defaults.alpha) : null };
}

/** The spec text of menu parts, e.g. `leaky_relu:alpha=0.2`. */
export function activationSpec(parts: ActivationParts): string {
  return formatSpec(parts.name, parts.alpha === null ? {} : { alpha: parts.alpha });
}

/** A noise as the menus show it: the kind and the one named parameter it was given (keep or rate kept apart). */
export interface NoiseParts {
  kind: NoiseKind;
  key: string | null;
  value: number | null;
}

/** Sensible starting values when the user picks a kind in the menu. */
export const NOISE_DEFAULTS: Record<string, number> = { keep: 0.9, rate: 0.1, std: 0.25, scale: 0.25 };

/** What each noise parameter means, for the menu (keep vs rate is never left to a guess). */
export const NOISE_KEY_LABELS: Record<string, string> = {
  keep: "keep probability p (paper, TF1)",
  rate: "drop rate 1 − p (PyTorch, Keras)",
  std: "standard deviation",
  scale: "Laplace scale b",
};

/** Split a noise spec into menu parts, keeping the key it was written with (`rate` stays `rate`). */
export function noiseParts(spec: string): NoiseParts {
  const p = parseSpec("noise", spec, "a noise spec");
  const kind = (NOISE_ALIASES[p.name] ?? p.name) as NoiseKind;
  const keys = NOISE_KEYS[kind] ?? [];
  const key = keys.find((k) => k in p.params) ?? keys[0] ?? null;
  return { kind, key, value: key === null ? null : (p.params[key] ?? NOISE_DEFAULTS[key] ?? null) };
}

/** The spec text of menu parts, e.g. `dropout:rate=0.1`. */
export function noiseSpec(parts: NoiseParts): string {
  return formatSpec(
    parts.kind,
    parts.key === null || parts.value === null ? {} : { [parts.key]: parts.value },
  );
}

/**
 * The first problem of a state — a number (checkState), then the activation and noise specs, parsed by
 * the library's own parsers — or null when the library accepts it. Cheap: the page calls it on every
 * change and reports the error at once, before any theory runs.
 */
export function stateError(s: State): Error | null {
  try {
    checkState(s);
    parseActivation(s.activation);
    parseNoise(s.noise);
    return null;
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}
