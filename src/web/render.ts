/**
 * Drawing Vega-Lite specs in the page with Vega's SVG renderer, and mapping a pointer position on a
 * drawn chart back to its plotting area (for the phase diagram's click-to-move).
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

const views = new Map<HTMLElement, vega.View>();

/** Draw `spec` into `el` (replacing what was there); the SVG gets `label` as its accessible name. */
export async function draw(el: HTMLElement, spec: TopLevelSpec, label: string): Promise<vega.View> {
  views.get(el)?.finalize();
  const view = new vega.View(vega.parse(compile(spec).spec), {
    renderer: "svg",
    container: el,
    hover: false,
  });
  views.set(el, view);
  await view.runAsync();
  const svg = el.querySelector("svg");
  if (svg) {
    // scale with its box (style.css sets width: 100%): give the SVG a viewBox of its own size
    if (!svg.getAttribute("viewBox"))
      svg.setAttribute("viewBox", `0 0 ${svg.getAttribute("width")} ${svg.getAttribute("height")}`);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
  }
  return view;
}

/**
 * The position of a pointer event inside a drawn heat map's cells, as fractions (0 = left/bottom,
 * 1 = right/top) of the box that all its cells fill; null before the chart is drawn.
 */
export function heatmapFraction(el: HTMLElement, ev: { clientX: number; clientY: number }) {
  const cells = el.querySelector("g.mark-rect.role-mark");
  if (!cells) return null;
  const box = cells.getBoundingClientRect();
  if (!(box.width > 0 && box.height > 0)) return null;
  return { fx: (ev.clientX - box.left) / box.width, fy: 1 - (ev.clientY - box.top) / box.height };
}
