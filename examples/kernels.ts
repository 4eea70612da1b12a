/**
 * sigprop/kernels: the NNGP and NTK of a deep ReLU network with dropout for three inputs (docs/THEORY.md §9).
 * Run: `npx tsx examples/kernels.ts`.
 */
import { parseActivation, parseNoise } from "sigprop/theory";
import { nngpKernel } from "sigprop/kernels";

const x = { rows: 3, cols: 2, data: Float64Array.from([1, 0, 0, 1, 1, 1]) };
const model = {
  activation: parseActivation("relu"),
  noise: parseNoise("dropout:keep=0.8"),
  sigmaW2: 1.6,
  sigmaB2: 0,
};
const k = nngpKernel(x, null, { model, depth: 2, ntk: true });
for (let i = 0; i < 3; i++) {
  const row = Array.from(k.nngp.data.subarray(3 * i, 3 * i + 3), (v) => v.toFixed(6));
  console.log(`nngp row ${i}: ${row.join(" ")}`);
}
console.log(`ntk diagonal: ${Array.from(k.diagX.ntk!, (v) => v.toFixed(6)).join(" ")}`);
