/**
 * The NaN hole (issue 15): a simulation that blew up must fail the comparison with theory, never pass it
 * as "z undefined". Unit checks on zScores/maxAbsZ/nonFiniteEntries and the test helper `worst`, then a
 * real float32 overflow: ReLU at σ_w² = 10⁶ multiplies the variance by 5·10⁵ per layer, so layer 7 is
 * ≈ 7.8·10³⁹ > 3.4·10³⁸ (float32 max) while the float64 theory stays finite.
 */
import { describe, expect, it } from "vitest";
import { maxAbsZ, nonFiniteEntries, zScores } from "../../src/sim/compare.js";
import { simulateDynamics } from "../../src/sim/index.js";
import { dynamics } from "../../src/theory/dynamics.js";
import { model, worst } from "./helpers.js";

describe("non-finite simulated values are failures", () => {
  const stats = { mean: [1, 2, NaN, Infinity, 1], std: [0.1, 0.1, 0.1, 0.1, NaN] };
  const theory = [1, 2, 3, 4, 1];

  it("zScores marks them NaN (not null), maxAbsZ and worst give +Infinity, nonFiniteEntries lists them", () => {
    const z = zScores(stats, theory, 4);
    expect(z[0]).toBe(0);
    expect(z[1]).toBe(0);
    expect(z.slice(2).every((v) => v !== null && Number.isNaN(v))).toBe(true);
    expect(maxAbsZ(z)).toBe(Infinity);
    expect(worst(z)).toBe(Infinity);
    expect(nonFiniteEntries(stats)).toEqual([2, 3, 4]);
    // a missing theory value is still "no comparison", not a failure
    expect(zScores({ mean: [1], std: [0.1] }, [null], 4)).toEqual([null]);
    expect(maxAbsZ([null, 0.5, -2])).toBe(2);
  });

  it("a ReLU network that overflows float32 fails worst(zScores(...)) < Z_MAX", async () => {
    const m = model("relu", "none", 1e6);
    const res = await simulateDynamics(
      { model: m, width: 50, depth: 10, networks: 4, seed: 2, weights: "gaussian" },
      1,
      [0.5],
    );
    const th = dynamics(m, { depth: 10, q0: 1, c0: 0.5 });
    expect(th.q.every(Number.isFinite)).toBe(true);
    const bad = nonFiniteEntries(res.correlation[0]);
    expect(bad.length).toBeGreaterThan(0);
    // seed 2: every finite z of the correlation is below 2 (layers 1–7), so before the fix (non-finite → null,
    // ignored) this blown-up simulation passed the < Z_MAX check; now the NaN layers make it fail
    expect(worst(zScores(res.correlation[0], th.c, 4))).toBe(Infinity);
  });
});
