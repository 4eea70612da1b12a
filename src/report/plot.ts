/**
 * Rendering of the Vega-Lite charts built in `chartSpec.ts` without a browser: `renderSvg` (Vega View,
 * renderer "none") and `renderPng` (@resvg/resvg-js with system fonts). Output is deterministic: the same
 * spec gives byte-identical SVG and PNG.
 */
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

export * from "./chartSpec.js";

/** Render a Vega-Lite spec to an SVG document (no browser: Vega's headless View). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vg = compile(spec).spec;
  const view = new vega.View(vega.parse(vg), { renderer: "none" });
  try {
    return renumberClipIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * Vega numbers clip paths from a process-wide counter, so the same chart rendered twice gets different
 * ids; renumber them in order of first appearance to make the SVG a function of the spec alone.
 */
export function renumberClipIds(svg: string): string {
  const map = new Map<string, string>();
  const id = (old: string) => {
    if (!map.has(old)) map.set(old, `clip${map.size + 1}`);
    return map.get(old) as string;
  };
  return svg.replace(/(url\(#|id=")(clip\d+)/g, (_m, pre: string, old: string) => pre + id(old));
}

/** Rasterise SVG text to PNG bytes with system fonts (DejaVu Sans by default), at `scale`× size. */
export function renderPng(svg: string, scale = 2): Uint8Array {
  const r = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "white",
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
    logLevel: "off",
  });
  return new Uint8Array(r.render().asPng());
}
