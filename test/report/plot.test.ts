import { describe, expect, it } from "vitest";
import {
  figureSpec,
  heatmapPanel,
  interpolateIndex,
  lineDotBandPanel,
  renderPng,
  renderSvg,
} from "../../src/report/plot.js";

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function lineFigure() {
  const x = [0, 1, 2, 3, 4];
  return figureSpec("Test figure", [
    lineDotBandPanel({
      title: "(a) panel title",
      xLabel: "layer l",
      yLabel: "variance q",
      theory: [{ series: "theory series", x, y: x.map((v) => 2 * v) }],
      sim: [{ series: "theory series", x, mean: x.map((v) => 2 * v + 0.1), std: x.map(() => 0.3) }],
      refLines: [{ label: "identity", x: [0, 4], y: [0, 4] }],
      markers: [{ series: "theory series", x: 2, y: 4, label: "c*=4" }],
    }),
    lineDotBandPanel({
      title: "(b) log panel",
      xLabel: "x",
      yLabel: "y",
      yScale: "log",
      theory: [{ series: "s", x, y: x.map((v) => Math.exp(-v)) }],
      sim: [{ series: "s", x, mean: x.map((v) => (v === 3 ? -1 : Math.exp(-v))), std: x.map(() => 0.5) }],
    }),
  ]);
}

describe("plot rendering", () => {
  it("renders line + dot + band charts to SVG with the expected marks and labels", async () => {
    const svg = await renderSvg(lineFigure());
    expect(svg.startsWith("<svg")).toBe(true);
    for (const text of [
      "Test figure",
      "(a) panel title",
      "layer l",
      "variance q",
      "theory series",
      "c*=4",
      "(b) log panel",
    ]) {
      expect(svg).toContain(text);
    }
    expect(svg).toContain('class="mark-line');
    expect(svg).toContain('class="mark-symbol');
    expect(svg).toContain('class="mark-area');
    expect(svg).not.toContain("NaN");
    // the dots of panel (a) carry the simulated means and sit where a linear axis puts them: pixel
    // coordinates affine in (l, q) with y decreasing upwards (the 0.1 px bound is Vega's rounding to 0.1)
    const dots = [
      ...svg.matchAll(
        /aria-label="layer l: ([-\d.e]+); variance q: ([-\d.e]+)[^"]*"[^>]*?translate\(([-\d.]+),([-\d.]+)\)/g,
      ),
    ].map((m) => m.slice(1, 5).map(Number));
    expect(dots.map((d) => d[1])).toEqual([0.1, 2.1, 4.1, 6.1, 8.1]);
    const [l0, q0, x0, y0] = dots[0];
    const [l1, q1, x1, y1] = dots[4];
    const ax = (x1 - x0) / (l1 - l0);
    const ay = (y1 - y0) / (q1 - q0);
    expect(ax).toBeGreaterThan(0);
    expect(ay).toBeLessThan(0);
    for (const [l, q, x, y] of dots) {
      expect(Math.abs(x - (x0 + ax * (l - l0)))).toBeLessThan(0.1);
      expect(Math.abs(y - (y0 + ay * (q - q0)))).toBeLessThan(0.1);
    }
  });

  it("rasterises to a valid PNG, deterministically", async () => {
    const svg = await renderSvg(lineFigure());
    const png = renderPng(svg, 1);
    expect([...png.slice(0, 8)]).toEqual(PNG_MAGIC);
    const width = Buffer.from(png).readUInt32BE(16);
    const height = Buffer.from(png).readUInt32BE(20);
    expect(width).toBeGreaterThan(400);
    expect(height).toBeGreaterThan(200);
    expect((await renderSvg(lineFigure())) === svg).toBe(true);
    expect(Buffer.from(renderPng(svg, 1)).equals(Buffer.from(png))).toBe(true);
  });

  it("renders a heat map with an overlaid curve", async () => {
    const cells = [];
    for (const x of [0.1, 0.5, 1]) for (const y of [2, 10, 20]) cells.push({ x, y, value: x * y });
    const spec = figureSpec("Heat", [
      heatmapPanel({
        title: "(b) train loss",
        xLabel: "keep probability p",
        yLabel: "depth",
        colorLabel: "loss",
        cells,
        curve: { label: "6ξ_c", x: [0.1, 0.5, 1], y: [2, 8, 20] },
      }),
    ]);
    const svg = await renderSvg(spec);
    expect(svg).toContain('class="mark-rect');
    expect(svg).toContain('class="mark-line');
    expect(svg).toContain("6ξ_c");
    expect(svg).toContain("keep probability p");
    expect([...renderPng(svg, 1).slice(0, 8)]).toEqual(PNG_MAGIC);
  });

  it("heat map options: grey missing cells, a diverging midpoint, thinned numeric labels, markers", async () => {
    const grid = [0.16, 0.32, 0.48, 0.64, 0.8];
    const cells = [];
    for (const x of grid) for (const y of grid) cells.push({ x, y, value: x > 0.7 ? null : x / y });
    const panel = heatmapPanel({
      title: "",
      xLabel: "σ_w²",
      yLabel: "σ_b²",
      colorLabel: "χ₁",
      cells,
      colorScheme: "blueorange",
      colorScale: "log",
      colorMid: 1,
      axisFormat: ".2~f",
      axisEvery: 2,
      nullColor: "#bbbbbb",
      markers: [
        { label: "you", x: 0.4, y: 0.32, color: "#00aa00" },
        { label: "off the grid", x: 9, y: 0.32 },
      ],
    });
    const svg = await renderSvg(figureSpec("Heat", [panel]));
    // all 25 cells are drawn, the 5 without a value in the null colour
    const rects = svg.match(/<g class="mark-rect role-mark[^>]*>(.*?)<\/g>/s)![1];
    expect(rects.match(/<path/g)!.length).toBe(25);
    expect(rects.match(/fill="#bbbbbb"/g)!.length).toBe(5);
    // labels every 2nd grid value: 0.16, 0.48, 0.8 on each axis, never 0.32 or 0.64
    expect(svg).toContain(">0.48<");
    expect(svg).not.toContain(">0.64<");
    expect(svg).toContain("you");
    expect(svg).not.toContain("off the grid");
    expect(svg).toContain('stroke="#00aa00"');
    // the colour scale puts χ₁ = 1 in the middle of the scheme
    const color = (
      (panel.layer as Record<string, unknown>[])[0].encoding as Record<string, Record<string, unknown>>
    ).color;
    expect((color.scale as Record<string, unknown>).domainMid).toBe(1);
  });

  it("maps data values to fractional grid positions for curves over heat maps", () => {
    expect(interpolateIndex(2, [2, 6, 10])).toBe(0);
    expect(interpolateIndex(8, [2, 6, 10])).toBeCloseTo(1.5, 12);
    expect(interpolateIndex(11, [2, 6, 10])).toBeCloseTo(2.25, 12);
    expect(interpolateIndex(100, [2, 6, 10])).toBeNull();
  });
});
