/** The spec grammar and its errors (the keep-vs-rate rule above all). */
import { describe, expect, it } from "vitest";
import { parseActivation } from "../../src/theory/activations.js";
import { InputError } from "../../src/theory/errors.js";
import { parseNoise } from "../../src/theory/noise.js";

describe("noise specs", () => {
  it("report μ2 and type per docs/THEORY.md §1", () => {
    const cases: [string, number, string][] = [
      ["none", 1, "none"],
      ["dropout:keep=0.8", 1.25, "multiplicative"],
      ["dropout:rate=0.2", 1.25, "multiplicative"],
      ["gauss_mult:std=0.5", 1.25, "multiplicative"],
      ["gauss_add:std=2", 4, "additive"],
      ["laplace_mult:scale=0.5", 1.5, "multiplicative"],
      ["laplace_add:scale=0.5", 0.5, "additive"],
      ["poisson_mult", 2, "multiplicative"],
    ];
    for (const [s, mu2, type] of cases) {
      const n = parseNoise(s);
      expect(n.mu2).toBeCloseTo(mu2, 15);
      expect(n.type).toBe(type);
    }
  });
  it("keep and rate are the same model, written with keep", () => {
    const a = parseNoise("dropout:keep=0.9");
    const b = parseNoise("dropout:rate=0.1");
    expect(b.keep).toBeCloseTo(0.9, 15);
    expect(b.spec).toBe("dropout:keep=0.9");
    expect(a.rate).toBeCloseTo(0.1, 15);
  });
  it("never guesses keep vs rate", () => {
    let err: unknown;
    try {
      parseNoise("dropout:0.9");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const msg = (err as Error).message;
    expect(msg).toContain("invalid noise");
    expect(msg).toContain("dropout:keep=0.9");
    expect(msg).toContain("dropout:rate=0.9");
    expect(() => parseNoise("dropout")).toThrow(/exactly one of keep/);
    expect(() => parseNoise("dropout:keep=0.9,rate=0.1")).toThrow(/exactly one of keep/);
  });
  it("rejects out-of-range and unknown parameters, naming them", () => {
    expect(() => parseNoise("dropout:keep=0")).toThrow(/keep must be in \(0, 1\]/);
    expect(() => parseNoise("dropout:keep=1.5")).toThrow(/keep must be in \(0, 1\]/);
    expect(() => parseNoise("dropout:rate=1")).toThrow(/rate must be in \[0, 1\)/);
    expect(() => parseNoise("gauss_mult:std=-1")).toThrow(/std must be/);
    expect(() => parseNoise("gauss_mult:sigma=1")).toThrow(/unknown parameter 'sigma'/);
    expect(() => parseNoise("gauss_add")).toThrow(/needs std/);
    expect(() => parseNoise("salt")).toThrow(/unknown noise 'salt'/);
  });
});

describe("activation specs", () => {
  it("parse names and parameters, with defaults", () => {
    expect(parseActivation("leaky_relu:alpha=0.2").params.alpha).toBe(0.2);
    expect(parseActivation("elu").params.alpha).toBe(1);
    expect(parseActivation("silu").name).toBe("swish");
  });
  it("reject unknown names and parameters", () => {
    expect(() => parseActivation("relu6")).toThrow(/unknown activation 'relu6'/);
    expect(() => parseActivation("tanh:alpha=1")).toThrow(/takes no parameters/);
    expect(() => parseActivation("leaky_relu:alpha=x")).toThrow(/must be a finite number/);
    expect(() => parseActivation("leaky_relu:0.2")).toThrow(/has no name/);
  });
});
