/** The theory layer: float64 mean-field theory in plain TypeScript (no tensor library). */
export * from "./errors.js";
export * from "./spec.js";
export * from "./activations.js";
export { SCALAR_OPS } from "./tensorView.js";
export * from "./noise.js";
export * from "./model.js";
export * from "./expectations.js";
export * from "./maps.js";
export * from "./fixedPoints.js";
export * from "./analyze.js";
export * from "./critical.js";
export * from "./dynamics.js";
export * from "./phase.js";
export * from "./rates.js";
export * from "./snippets.js";
