import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { erf, erfc, erfcx, erfcxm1, normCdf, normCdf2, normCdf2Scaled } from "../../src/numerics/special.js";

/** mpmath at 25 digits (test/reference/special.py): an independent arbitrary-precision route. */
const ref = JSON.parse(readFileSync(new URL("../reference/special.json", import.meta.url), "utf8")) as {
  rows: { x: number; erf: number; erfc: number; erfcx: number | null; ncdf: number }[];
  bvn: { h: number; k: number; rho: number; p: number; s?: number; scaled?: number }[];
};

/** Relative error, with an absolute floor where the reference is 0. */
const rel = (a: number, b: number) => (b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b));

describe("special functions vs mpmath", () => {
  // The series and continued fraction are accurate to a few ulp; 1e-14 relative leaves room for the
  // e^{−x²} factor's rounding (|x| ≤ 40 ⇒ relative error of exp(−x²) ≤ x²·ε ≈ 4e-13 at x = 40).
  for (const r of ref.rows) {
    const tol = Math.max(1e-14, 4 * r.x * r.x * Number.EPSILON);
    it(`x = ${r.x}`, () => {
      expect(rel(erf(r.x), r.erf)).toBeLessThanOrEqual(tol);
      expect(rel(erfc(r.x), r.erfc)).toBeLessThanOrEqual(tol);
      expect(rel(normCdf(r.x), r.ncdf)).toBeLessThanOrEqual(tol);
      if (r.erfcx !== null) expect(rel(erfcx(r.x), r.erfcx)).toBeLessThanOrEqual(tol);
    });
  }
  it("is continuous across the series / continued-fraction switches (erfc at 1, erf at 2)", () => {
    for (const [f, x0] of [
      [erfc, 1],
      [erf, 2],
      [erfcx, 1],
    ] as const) {
      const h = 1e-13;
      const slope = (f(x0 + 1e-6) - f(x0 - 1e-6)) / 2e-6;
      const jump = f(x0 + h) - f(x0 - h) - slope * 2 * h;
      expect(Math.abs(jump) / Math.abs(f(x0))).toBeLessThan(1e-14);
    }
  });
});

describe("bivariate normal CDF Φ2 vs mpmath (40 digits, two orders of integration)", () => {
  // Relative error is limited by the rounding of the integrand's exponent, ~ε·(|s| + (h² + k²)/2); the
  // measured worst cases are 1.4e-14 at (−10, −8; −0.7) (s = 271), 2e-9 at s = 1e4 (ρ = −0.99) and 7.6e-9
  // at s = 9e7 (ρ = −1 + 1e-7).
  for (const r of ref.bvn) {
    it(`Φ2(${r.h}, ${r.k}; ${r.rho})`, () => {
      const p = normCdf2(r.h, r.k, r.rho);
      const tol = 3e-15 + Number.EPSILON * (r.h * r.h + r.k * r.k);
      if (r.p === 0) expect(p).toBeLessThan(1e-300);
      else if (r.h + r.k <= 0) expect(rel(p, r.p)).toBeLessThanOrEqual(tol);
      else expect(Math.abs(p - r.p)).toBeLessThanOrEqual(2e-16 + tol * r.p);
      if (r.scaled !== undefined && r.s !== undefined) {
        // e^{s}Φ2 with s ≫ h², k² (ρ → −1) loses more, ~2e-13·s measured (exponent cancellation near Ψ)
        const stol =
          Math.abs(r.s) > 1000
            ? 3e-13 * Math.abs(r.s)
            : 3e-15 + Number.EPSILON * (Math.abs(r.s) + (r.h * r.h + r.k * r.k) / 2);
        expect(rel(normCdf2Scaled(r.h, r.k, r.rho, r.s), r.scaled)).toBeLessThanOrEqual(stol);
      }
    });
  }
  it("satisfies Φ2(h,k;0) = Φ(h)Φ(k), Φ2(0,0;ρ) = 1/4 + asin(ρ)/(2π), symmetry and reflection", () => {
    for (const h of [-7, -2.5, -0.3, 0, 0.8, 3]) {
      for (const k of [-6, -1, 0.2, 2.2]) {
        expect(rel(normCdf2(h, k, 0), normCdf(h) * normCdf(k))).toBeLessThan(2e-14);
        for (const rho of [-0.97, -0.4, 0.3, 0.9]) {
          expect(rel(normCdf2(h, k, rho), normCdf2(k, h, rho))).toBeLessThan(1e-14);
          // P(X<h, Y<k) + P(X<h, Y>k) = Φ(h), the second being Φ2(h, −k; −ρ)
          expect(Math.abs(normCdf2(h, k, rho) + normCdf2(h, -k, -rho) - normCdf(h))).toBeLessThan(1e-15);
        }
      }
    }
    for (const rho of [-1, -0.999, -0.5, 0, 0.2, 0.99, 1]) {
      expect(Math.abs(normCdf2(0, 0, rho) - (0.25 + Math.asin(rho) / (2 * Math.PI)))).toBeLessThan(3e-16);
    }
  });
});

describe("erfcx(x) − 1 without cancellation", () => {
  // mpmath, 30 digits: exp(x²)·erfc(x) − 1
  const want: [number, number][] = [
    [-0.49, 0.92189917291186085],
    [-0.1, 0.12364335419920948],
    [-0.001, 0.0011293799198485917],
    [1e-8, -1.1283791570955127e-8],
    [0.001, -0.0011273799188485914],
    [0.1, -0.10354302003087336],
    [0.3, -0.26540066543234485],
    [0.4999, -0.38425838333110252],
  ];
  for (const [x, v] of want) it(`x = ${x}`, () => expect(rel(erfcxm1(x), v)).toBeLessThan(2e-15));
  it("is 0 at 0 and continuous at the switch x = 1/2", () => {
    expect(erfcxm1(0)).toBe(0);
    expect(rel(erfcxm1(0.5 - 1e-12), erfcxm1(0.5 + 1e-12))).toBeLessThan(1e-11);
  });
});
