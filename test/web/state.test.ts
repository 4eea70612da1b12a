/**
 * The explorer's state forms (src/web/state.ts) against the library's own parsers: every menu choice
 * composes a spec that parseActivation / parseNoise accept and read back as the same model, links
 * round-trip, and bad numbers are named with their valid range.
 */
import { describe, expect, it } from "vitest";
import {
  ACTIVATION_CATALOGUE,
  NOISE_KEYS,
  parseActivation,
  parseNoise,
  type NoiseKind,
} from "../../src/theory/index.js";
import {
  activationParts,
  activationSpec,
  checkState,
  DEFAULT_STATE,
  noiseParts,
  noiseSpec,
  NOISE_DEFAULTS,
  NOISE_KEY_LABELS,
  stateError,
  stateFromQuery,
  stateToQuery,
  type State,
} from "../../src/web/state.js";

describe("explorer state", () => {
  it("every catalogue activation round-trips through the menu parts", () => {
    for (const a of ACTIVATION_CATALOGUE) {
      const alpha = a.keys.includes("alpha") ? 0.3 : null;
      const spec = activationSpec({ name: a.name, alpha });
      const act = parseActivation(spec);
      expect(act.spec).toBe(spec);
      if (alpha !== null) expect(act.params.alpha).toBe(0.3);
      expect(activationParts(spec)).toEqual({ name: a.name, alpha });
    }
    // aliases land on their catalogue entry; a missing α takes the library's default
    expect(activationParts("silu")).toEqual({ name: "swish", alpha: null });
    expect(activationParts("hardtanh")).toEqual({ name: "hard_tanh", alpha: null });
    expect(activationParts("leaky_relu").alpha).toBe(parseActivation("leaky_relu").params.alpha);
  });

  it("every noise kind and key composes a spec with the intended μ2; keep and rate are kept apart", () => {
    for (const kind of Object.keys(NOISE_KEYS) as NoiseKind[]) {
      for (const key of NOISE_KEYS[kind].length ? NOISE_KEYS[kind] : [null]) {
        const value = key === null ? null : NOISE_DEFAULTS[key];
        expect(key === null || NOISE_KEY_LABELS[key] !== undefined).toBe(true);
        const spec = noiseSpec({ kind, key, value });
        const n = parseNoise(spec);
        expect(n.kind).toBe(kind);
        expect(noiseParts(spec)).toEqual({ kind, key, value });
      }
    }
    // μ2 by docs/THEORY.md §1's table, computed here by hand
    expect(parseNoise(noiseSpec({ kind: "dropout", key: "rate", value: 0.1 })).mu2).toBeCloseTo(1 / 0.9, 15);
    expect(parseNoise(noiseSpec({ kind: "gauss_mult", key: "std", value: 0.25 })).mu2).toBe(1 + 0.0625);
    expect(noiseParts("dropout:rate=0.2")).toEqual({ kind: "dropout", key: "rate", value: 0.2 });
    expect(noiseParts("dropout:keep=0.8")).toEqual({ kind: "dropout", key: "keep", value: 0.8 });
  });

  it("links round-trip, missing keys take defaults, and a bad spec is kept as written", () => {
    const s: State = {
      activation: "leaky_relu:alpha=0.2",
      noise: "dropout:rate=0.1",
      sigmaW2: 2.2222222222222223,
      sigmaB2: 0.05,
      width: 300,
      depth: 20,
      weights: "orthogonal",
    };
    expect(stateFromQuery(stateToQuery(s))).toEqual(s);
    expect(stateFromQuery("?depth=7")).toEqual({ ...DEFAULT_STATE, depth: 7 });
    expect(stateFromQuery("?noise=dropout%3A0.9").noise).toBe("dropout:0.9");
    expect(() => parseNoise("dropout:0.9")).toThrow(/dropout:keep=0\.9.*dropout:rate=0\.9/);
  });

  it("starts at the critical point of ReLU with dropout keep 0.8 (σ_w² = 2p, Pretorius et al. 2018)", () => {
    // closed form: V(q) = σ_w² μ2 E[relu(z)²] q = σ_w² (1/p)(1/2) q has slope 1 at σ_w² = 2p = 1.6
    expect(DEFAULT_STATE).toMatchObject({ activation: "relu", noise: "dropout:keep=0.8", sigmaB2: 0 });
    expect(DEFAULT_STATE.sigmaW2).toBeCloseTo(2 * 0.8, 14);
    expect(stateError(DEFAULT_STATE)).toBeNull();
  });

  it("a number that is not one keeps the text as written (error, URL), as the CLI reads numbers", () => {
    const s = stateFromQuery("?sigmaW2=abc&depth=0x10");
    expect(Number.isNaN(s.sigmaW2)).toBe(true);
    expect(s.raw).toEqual({ sigmaW2: "abc", depth: "0x10" }); // hex is refused, as by the CLI
    expect(stateError(s)?.message).toMatch(/^invalid σ_w² 'abc'.*a finite number > 0/);
    expect(new URLSearchParams(stateToQuery(s)).get("sigmaW2")).toBe("abc");
    expect(stateError({ ...s, raw: { depth: "0x10" }, sigmaW2: 1 })?.message).toMatch(/invalid depth '0x10'/);
    expect(stateFromQuery("?sigmaW2=")).toMatchObject({ raw: { sigmaW2: "" } });
    // a spec the library refuses is reported with the library's message
    expect(stateError({ ...DEFAULT_STATE, noise: "dropout:0.9" })?.message).toMatch(/dropout:keep=0\.9/);
    expect(stateError({ ...DEFAULT_STATE, activation: "relu6" })?.message).toMatch(/unknown activation/);
  });

  it("bad numbers are named with the value and the valid range", () => {
    const bad: [Partial<State>, RegExp][] = [
      [{ sigmaW2: 0 }, /invalid σ_w² '0'.*a finite number > 0/],
      [{ sigmaW2: NaN }, /invalid σ_w² 'NaN'/],
      [{ sigmaW2: NaN, raw: { sigmaW2: "1,5" } }, /invalid σ_w² '1,5'/],
      [{ sigmaB2: -0.1 }, /invalid σ_b² '-0.1'.*≥ 0/],
      [{ width: 2.5 }, /invalid width '2.5'.*an integer in \[1, 2048\]/],
      [{ depth: 0 }, /invalid depth '0'.*an integer in \[1, 500\]/],
      [{ weights: "haar" as State["weights"] }, /invalid weights 'haar'/],
    ];
    for (const [patch, re] of bad) expect(() => checkState({ ...DEFAULT_STATE, ...patch })).toThrow(re);
    expect(() => checkState(DEFAULT_STATE)).not.toThrow();
  });
});
