/**
 * Parity of n bits with its hand-coded exact deep ReLU solution (Nye & Saxe 2018, "Are efficient deep
 * representations learnable?", §3: a tree of XOR blocks, log₂ n hidden layers).
 *
 * Encoding: inputs x ∈ {−1, +1}ⁿ (bit bᵢ = (1 − xᵢ)/2, so the inputs are centred, as the mean-field
 * theory assumes), target y = ∏ᵢ xᵢ = (−1)^{b₁ ⊕ … ⊕ bₙ} ∈ {−1, +1}; a network solves the task on an
 * input when sign(output) = y.
 *
 * The solution (n a power of two, width N ≥ n; units beyond those named have zero weights and biases):
 * - hidden layer 1 pairs bits (2i, 2i+1): units 2i, 2i+1 compute relu((x₂ᵢ − x₂ᵢ₊₁)/2) and
 *   relu((x₂ᵢ₊₁ − x₂ᵢ)/2), whose sum |x₂ᵢ − x₂ᵢ₊₁|/2 = b₂ᵢ ⊕ b₂ᵢ₊₁ ∈ {0, 1};
 * - hidden layer k ≥ 2 reads the XOR values u_j = a₂ⱼ + a₂ⱼ₊₁ of the layer below (each in {0, 1}) and
 *   pairs them: units 2i, 2i+1 compute relu(u₂ᵢ − u₂ᵢ₊₁) and relu(u₂ᵢ₊₁ − u₂ᵢ), whose sum is
 *   |u₂ᵢ − u₂ᵢ₊₁| = u₂ᵢ ⊕ u₂ᵢ₊₁; layer k has n/2^{k−1} active units;
 * - after log₂ n layers two units remain, a₀ + a₁ = b₁ ⊕ … ⊕ bₙ, and the linear read-out is
 *   y = 1 − 2(a₀ + a₁).
 * Every quantity is a small integer or a half, so the float64 forward pass is exact on all 2ⁿ inputs
 * (test/train/tasks.test.ts). For the generalised shifted ReLU the same function is obtained by
 * hostNet.ts `reluToShifted`.
 */
import type { Activation } from "../../theory/activations.js";
import { InputError } from "../../theory/errors.js";
import { reluToShifted, zeroNet, type HostNet } from "./hostNet.js";

/** log₂ n for a power of two n ≥ 2, or an InputError naming the parameter. */
export function log2Exact(n: number, name: string): number {
  const k = Math.round(Math.log2(n));
  if (!Number.isInteger(n) || n < 2 || 2 ** k !== n)
    throw new InputError(name, String(n), "a power of two ≥ 2");
  return k;
}

/** Depth (hidden layers) of the parity solution for n bits: log₂ n. */
export function parityDepth(bits: number): number {
  return log2Exact(bits, "bits");
}

/** All 2ⁿ inputs in {−1, +1}ⁿ (row r: bit i is −1 iff bit i of r is set) and their targets ∏ xᵢ. */
export function parityData(bits: number): { x: Float64Array; y: Float64Array; rows: number } {
  if (!(Number.isInteger(bits) && bits >= 1 && bits <= 20))
    throw new InputError("bits", String(bits), "an integer in [1, 20]");
  const rows = 2 ** bits;
  const x = new Float64Array(rows * bits);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let p = 1;
    for (let i = 0; i < bits; i++) {
      const v = (r >> i) & 1 ? -1 : 1;
      x[r * bits + i] = v;
      p *= v;
    }
    y[r] = p;
  }
  return { x, y, rows };
}

/**
 * The exact solution for `bits` inputs in a network of hidden width `width` (≥ bits; default bits) and
 * log₂ bits hidden layers, for ReLU (default) or (with `activation` a shifted_relu) the generalised
 * shifted ReLU.
 */
export function paritySolution(
  bits: number,
  { width = bits, activation }: { width?: number; activation?: Activation } = {},
): HostNet {
  const depth = parityDepth(bits);
  if (!(Number.isInteger(width) && width >= bits))
    throw new InputError("width", String(width), `an integer ≥ bits (${bits})`);
  const sizes = [bits, ...Array.from({ length: depth }, () => width), 1];
  const net = zeroNet(sizes);
  const set = (l: number, i: number, j: number, v: number) => {
    net[l].w[i * net[l].fanOut + j] = v;
  };
  // hidden layer 1: pairs of bits
  for (let i = 0; i < bits / 2; i++) {
    set(0, 2 * i, 2 * i, 0.5);
    set(0, 2 * i + 1, 2 * i, -0.5);
    set(0, 2 * i, 2 * i + 1, -0.5);
    set(0, 2 * i + 1, 2 * i + 1, 0.5);
  }
  // hidden layers 2..depth: pairs of XOR values u_j = a_{2j} + a_{2j+1}
  for (let k = 2; k <= depth; k++) {
    const pairs = bits / 2 ** k;
    for (let i = 0; i < pairs; i++) {
      for (const [src, sign] of [
        [4 * i, 1],
        [4 * i + 1, 1],
        [4 * i + 2, -1],
        [4 * i + 3, -1],
      ]) {
        set(k - 1, src, 2 * i, sign);
        set(k - 1, src, 2 * i + 1, -sign);
      }
    }
  }
  // read-out y = 1 − 2(a₀ + a₁)
  set(depth, 0, 0, -2);
  set(depth, 1, 0, -2);
  net[depth].b[0] = 1;
  if (activation === undefined || activation.name === "relu") return net;
  if (activation.name === "shifted_relu") return reluToShifted(net, activation.params.alpha ?? 0);
  throw new InputError(
    "activation",
    activation.spec,
    "relu | shifted_relu:alpha=A (the parity solution is a ReLU tree)",
  );
}

/** Fraction of rows with sign(output) = target (output 0 counts as wrong). */
export function signAccuracy(output: Float64Array, target: Float64Array): number {
  let ok = 0;
  for (let r = 0; r < target.length; r++) if (output[r] * target[r] > 0) ok++;
  return ok / target.length;
}
