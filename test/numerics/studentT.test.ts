/**
 * Student t tail and quantile (src/numerics/studentT.ts) against scipy.stats.t (1.17) reference values,
 * computed once with `2*stats.t.sf(t, nu)` and `stats.t.isf(p/2, nu)`. The closed form is exact, so the
 * only error is float64 rounding and the bisection's 1e-10 relative stop: 1e-9 relative is ample.
 */
import { describe, expect, it } from "vitest";
import { sidakLevel, studentTwoSidedQuantile, studentTwoSidedTail } from "../../src/numerics/studentT.js";

const TAILS: [number, number, number][] = [
  // [nu, t, 2·sf(t)]
  [1, 0.5, 0.7048327646991335],
  [1, 2, 0.2951672353008665],
  [2, 2, 0.18350341907227397],
  [3, 4.16, 0.02526352645941879],
  [11, 2, 0.07080395506803458],
  [11, 4.16, 0.001589348795648149],
  [49, 4.16, 0.00012782360659530236],
];

describe("Student t", () => {
  it("two-sided tail matches scipy for odd and even ν", () => {
    for (const [nu, t, p] of TAILS) expect(studentTwoSidedTail(t, nu)).toBeCloseTo(p, 12);
  });
  it("ν = Infinity is the normal law", () => {
    expect(studentTwoSidedTail(3, Infinity)).toBeCloseTo(0.0026997960632601866, 14);
    expect(studentTwoSidedQuantile(0.001, Infinity) / 3.2905267314918945 - 1).toBeLessThan(1e-9);
  });
  it("the Šidák threshold for 368 comparisons at 5 % matches scipy", () => {
    const a = sidakLevel(0.05, 368);
    expect(a / 0.00013937423864829324 - 1).toBeLessThan(1e-9);
    expect(Math.abs(studentTwoSidedQuantile(a, 11) / 5.69423317482997 - 1)).toBeLessThan(1e-8);
    expect(Math.abs(studentTwoSidedQuantile(a, 49) / 4.133186073958974 - 1)).toBeLessThan(1e-8);
  });
  it("rejects bad arguments", () => {
    expect(() => studentTwoSidedTail(1, 0)).toThrow(/degrees of freedom/);
    expect(() => studentTwoSidedQuantile(0, 3)).toThrow(/tail probability/);
    expect(() => sidakLevel(0.05, 0)).toThrow(/comparisons/);
  });
});
