/**
 * Tasks with a known optimal solution (issue 12, "what happens after initialisation?"): parity with its
 * XOR-tree ReLU solution, the DFT with its butterfly (FFT) solution, and planted teachers. Plain
 * TypeScript in float64: no tensor library is loaded by importing this folder.
 */
export * from "./hostNet.js";
export * from "./parity.js";
export * from "./fft.js";
export * from "./teacher.js";
