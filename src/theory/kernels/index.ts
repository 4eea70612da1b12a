/** Infinite-width kernels of noisy deep networks (NNGP, NTK) and GP regression with them. */
export * from "./nngp.js";
export * from "./pairs.js";
export * from "./gp.js";
