/**
 * The bulk fills of the engine's Stream are the per-call draws, number for number (they only keep the
 * generator state in locals): fillUniform = uniform() calls, fillBernoulli(p, v) = v·1{uniform() < p},
 * including p at the edge of the 32-bit grid. Exact equality is the right tolerance: same arithmetic.
 */
import { describe, expect, it } from "vitest";
import { Stream } from "../../src/engine/rng.js";

describe("Stream bulk fills", () => {
  it("fillUniform equals successive uniform() calls", () => {
    const a = new Stream(4, 2).fillUniform(new Float64Array(1000));
    const s = new Stream(4, 2);
    expect(Array.from(a)).toEqual(Array.from({ length: 1000 }, () => s.uniform()));
  });

  it.each([0.6, 0.5, 0.999, 1e-9, (2 ** 31 + 0.5) / 2 ** 32, (12345 + 0.25) / 2 ** 32])(
    "fillBernoulli(p = %s) equals uniform() < p",
    (p) => {
      const a = new Stream(9).fillBernoulli(new Float64Array(5000), p, 1 / p);
      const s = new Stream(9);
      expect(Array.from(a)).toEqual(Array.from({ length: 5000 }, () => (s.uniform() < p ? 1 / p : 0)));
    },
  );

  it("the grid edge: a draw k with u = (k + ½)·2⁻³² exactly at p is not < p", () => {
    // find the first draw of a stream and set p to its uniform: strict inequality must exclude it
    const u = new Stream(11).uniform();
    const a = new Stream(11).fillBernoulli(new Float64Array(1), u, 1);
    const b = new Stream(11).fillBernoulli(new Float64Array(1), u + 2 ** -33, 1);
    expect(a[0]).toBe(0);
    expect(b[0]).toBe(1);
  });
});
