/**
 * sigprop/report: render a Vega-Lite chart to SVG and PNG with the report's renderer (the figures of
 * `sigprop reproduce` go through the same path). Run: `npx tsx examples/report.ts`.
 */
import { renderPng, renderSvg } from "sigprop/report";
import { dynamics, parseActivation, parseNoise } from "sigprop/theory";

const model = {
  activation: parseActivation("relu"),
  noise: parseNoise("dropout:keep=0.8"),
  sigmaW2: 1.6,
  sigmaB2: 0,
};
const c = dynamics(model, { depth: 20, q0: 1, c0: 0.5 }).c;
const svg = await renderSvg({
  title: "correlation by layer, critical ReLU with dropout keep 0.8",
  data: { values: c.map((v, layer) => ({ layer, c: v })) },
  mark: "line",
  encoding: { x: { field: "layer", type: "quantitative" }, y: { field: "c", type: "quantitative" } },
});
const png = renderPng(svg);
console.log(`svg ${svg.length} characters, png ${png.length} bytes`);
