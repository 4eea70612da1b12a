import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { erf, erfc, erfcx, normCdf } from "../../src/numerics/special.js";

/** mpmath at 25 digits (test/reference/special.py): an independent arbitrary-precision route. */
const ref = JSON.parse(readFileSync(new URL("../reference/special.json", import.meta.url), "utf8")) as {
  rows: { x: number; erf: number; erfc: number; erfcx: number | null; ncdf: number }[];
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
