import { describe, expect, it } from "vitest";
import { gaussLegendre } from "../../src/numerics/gaussLegendre.js";
import { integrate, IntegrationError } from "../../src/numerics/integrate.js";
import { brent, RootError } from "../../src/numerics/roots.js";

describe("Gauss–Legendre rules", () => {
  it("integrate monomials exactly up to degree 2n−1", () => {
    for (const n of [5, 15, 20]) {
      const { nodes, weights } = gaussLegendre(n);
      for (let d = 0; d <= 2 * n - 1; d++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += weights[i] * nodes[i] ** d;
        const exact = d % 2 === 1 ? 0 : 2 / (d + 1);
        expect(Math.abs(s - exact)).toBeLessThan(1e-14);
      }
      // and not degree 2n (the rule is exactly Gaussian, not more)
      let s = 0;
      for (let i = 0; i < n; i++) s += weights[i] * nodes[i] ** (2 * n);
      expect(Math.abs(s - 2 / (2 * n + 1))).toBeGreaterThan(1e-12);
    }
  });
});

describe("adaptive integration", () => {
  it("matches closed forms for smooth, kinked and peaked integrands", () => {
    // ∫_{-10}^{10} e^{−x²} dx = √π erf(10) (= √π to 1e-44)
    expect(integrate((x) => Math.exp(-x * x), -10, 10)).toBeCloseTo(Math.sqrt(Math.PI), 14);
    // kink at 0.3: ∫_{-1}^{1} |x − 0.3| dx = (1.3² + 0.7²)/2
    expect(Math.abs(integrate((x) => Math.abs(x - 0.3), -1, 1, [0.3]) - (1.69 + 0.49) / 2)).toBeLessThan(
      1e-15,
    );
    // a narrow Lorentzian peak: ∫_{-1}^{1} ε/(x²+ε²) dx = 2 atan(1/ε)
    const e = 1e-4;
    const v = integrate((x) => e / (x * x + e * e), -1, 1, [0]);
    expect(Math.abs(v - 2 * Math.atan(1 / e)) / v).toBeLessThan(1e-12);
  });
  it("raises instead of returning a wrong value when the budget is exhausted", () => {
    expect(() => integrate((x) => Math.sin(1 / x), 1e-9, 1, [], { maxPanels: 50, rtol: 1e-14 })).toThrow(
      IntegrationError,
    );
  });
});

describe("Brent", () => {
  it("finds roots to rounding level", () => {
    expect(Math.abs(brent((x) => x * x - 2, 0, 2) - Math.SQRT2)).toBeLessThan(4e-16);
    expect(Math.abs(brent(Math.cos, 0, 3) - Math.PI / 2)).toBeLessThan(4e-16);
    // a root with a flat neighbourhood
    expect(Math.abs(brent((x) => (x - 1) ** 3, 0, 3) - 1)).toBeLessThan(1e-5);
  });
  it("refuses a bracket without a sign change", () => {
    expect(() => brent((x) => x * x + 1, -1, 1)).toThrow(RootError);
  });
});
