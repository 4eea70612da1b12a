/**
 * The landscape figure (src/report/landscape.ts): marching squares against a plane whose contours are
 * known exactly (linear interpolation is exact for a linear function), the geometric levels, the tables,
 * and a render of both panels to SVG and PNG.
 */
import { describe, expect, it } from "vitest";
import {
  contourLevels,
  contourSegments,
  landscapeFigure,
  lineTable,
  planeTable,
} from "../../src/report/landscape.js";
import { renderPng, renderSvg } from "../../src/report/plot.js";
import type { LossLine, LossPlane } from "../../src/train/landscape.js";

const axis = Array.from({ length: 11 }, (_, k) => -1 + k / 5);

describe("contour segments (marching squares)", () => {
  it("trace z = α + 2β = c exactly: endpoints on the line, total length the chord in the square", () => {
    const z = axis.map((a) => axis.map((b) => a + 2 * b));
    for (const c of [0.3, -1.7, 2.05]) {
      const segs = contourSegments(axis, axis, z, c);
      for (const s of segs) {
        expect(s.x + 2 * s.y).toBeCloseTo(c, 12);
        expect(s.x2 + 2 * s.y2).toBeCloseTo(c, 12);
      }
      const length = segs.reduce((t, s) => t + Math.hypot(s.x2 - s.x, s.y2 - s.y), 0);
      // the chord of α + 2β = c in [−1, 1]²: α from max(−1, c − 2) to min(1, c + 2), β = (c − α)/2
      const a0 = Math.max(-1, c - 2);
      const a1 = Math.min(1, c + 2);
      expect(length).toBeCloseTo(Math.hypot(a1 - a0, (a1 - a0) / 2), 10);
    }
  });

  it("close around a bowl's minimum (every endpoint shared by two segments) and skip null cells", () => {
    const z: (number | null)[][] = axis.map((a) => axis.map((b) => 1 + a * a + b * b));
    const segs = contourSegments(axis, axis, z, 1.3);
    const key = (x: number, y: number) => `${x.toFixed(9)},${y.toFixed(9)}`;
    const count = new Map<string, number>();
    for (const s of segs)
      for (const k of [key(s.x, s.y), key(s.x2, s.y2)]) count.set(k, (count.get(k) ?? 0) + 1);
    expect([...count.values()].every((n) => n === 2)).toBe(true);
    for (const s of segs) expect(Math.hypot(s.x, s.y)).toBeCloseTo(Math.sqrt(0.3), 1);
    const holed = z.map((r) => r.slice());
    holed[5][5] = null;
    expect(contourSegments(axis, axis, holed, 1.01)).toEqual([]);
  });

  it("levels are geometric and strictly inside the range", () => {
    const lv = contourLevels([1, 100, null, NaN], 4);
    expect(lv).toHaveLength(4);
    expect(lv[0]).toBeGreaterThan(1);
    expect(lv[3]).toBeLessThan(100);
    expect(lv[1] / lv[0]).toBeCloseTo(lv[3] / lv[2], 12);
    expect(contourLevels([2, 2])).toEqual([]);
  });
});

describe("landscapeFigure", () => {
  const line: LossLine = {
    t: [-0.25, 0, 0.5, 1, 1.25],
    loss: [3, 2.3, 1.1, 0.4, 0.6],
    accuracy: [0.1, 0.1, 0.5, 0.9, 0.8],
    examples: 100,
  };
  const plane: LossPlane = {
    alpha: axis,
    beta: axis,
    loss: axis.map((a) => axis.map((b) => 0.4 + a * a + 3 * b * b)),
    accuracy: null,
    seed: 0,
    examples: 100,
  };

  it("tables hold every point", () => {
    expect(lineTable(line).rows[1]).toEqual({ t: 0, loss: 2.3, accuracy: 0.1 });
    const rows = planeTable(plane).rows;
    expect(rows).toHaveLength(121);
    expect(rows[12]).toEqual({ alpha: axis[1], beta: axis[1], loss: plane.loss[1][1], accuracy: null });
  });

  it("renders both panels to SVG and PNG", async () => {
    const fig = landscapeFigure({ line, plane, title: "test" });
    expect(fig.tables.map((t) => t.name)).toEqual(["line", "plane"]);
    const svg = await renderSvg(fig.spec);
    expect(svg).toContain("<svg");
    expect(svg).toContain("trained");
    expect(svg).toContain("β");
    const png = renderPng(svg);
    expect(Array.from(png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]); // "PNG"
    expect(() => landscapeFigure({})).toThrow(RangeError);
  }, 30_000);
});
