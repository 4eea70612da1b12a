/**
 * Reports: the paper's figures and the seed reproductions regenerated as an HTML page with data, captions
 * and agreement tables (`reproduce`), and the Vega-Lite → SVG → PNG renderer they use. Public entry
 * `sigprop/report` (example: examples/report.ts).
 */
export { reproduce, packageVersion, type ReproduceOptions, type ReproduceSummary } from "./reproduce.js";
export { FIGURE_IDS } from "./figures/ids.js";
export { renderPng, renderSvg } from "./plot.js";
