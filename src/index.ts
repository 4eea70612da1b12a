/**
 * sigprop — signal propagation in deep (noisy) neural networks at initialisation.
 * Layers: numerics → theory (float64, plain TS) → simulation & training (jax-js) → reports → CLI/web.
 */
export * from "./theory/index.js";
export { integrate } from "./numerics/integrate.js";
export { brent } from "./numerics/roots.js";
export { erf, erfc, erfcx, normCdf, normPdf } from "./numerics/special.js";
