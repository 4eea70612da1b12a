/**
 * Cross-checks between independent routes inside the engine: closed forms vs adaptive quadrature,
 * Mehler series vs 2-D quadrature, and Gaussian integration by parts.
 */
import { describe, expect, it } from "vitest";
import { ACTIVATION_NAMES, makeActivation, parseActivation } from "../../src/theory/activations.js";
import {
  dkernelQuadrature,
  dPhi2dq,
  gaussMean,
  gaussMean2,
  kernel,
  dkernel,
  kernelQuadrature,
} from "../../src/theory/expectations.js";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe("closed forms agree with quadrature of φ itself", () => {
  const withClosed = [
    "relu",
    "leaky_relu:alpha=0.3",
    "linear",
    "erf",
    "hard_tanh",
    "shifted_relu:alpha=0.7",
    "elu:alpha=1",
    "elu:alpha=2",
    "selu",
  ];
  for (const spec of withClosed) {
    it(spec, () => {
      const a = parseActivation(spec);
      for (const q of [1e-3, 0.4, 2.5, 40]) {
        if (a.closed.m2)
          expect(
            rel(
              a.closed.m2(q),
              gaussMean((u) => a.phi(u) ** 2, q, a.kinks),
            ),
          ).toBeLessThan(1e-12);
        if (a.closed.d2)
          expect(
            rel(
              a.closed.d2(q),
              gaussMean((u) => a.dphi(u) ** 2, q, a.kinks),
            ),
          ).toBeLessThan(1e-12);
        if (a.closed.uphidphi) {
          expect(
            rel(
              a.closed.uphidphi(q),
              gaussMean((u) => u * a.phi(u) * a.dphi(u), q, a.kinks),
            ),
          ).toBeLessThan(1e-12);
        }
        if (a.closed.dd2)
          expect(
            rel(
              a.closed.dd2(q),
              gaussMean((u) => a.d2phi(u) ** 2, q, a.kinks),
            ),
          ).toBeLessThan(1e-12);
        for (const c of [-0.6, 0.2, 0.9]) {
          if (a.closed.kernel) {
            const quad = gaussMean2((x, y) => a.phi(x) * a.phi(y), q, q * 1.3, c, a.kinks, a.kinks, q);
            expect(Math.abs(a.closed.kernel(q, q * 1.3, c) - quad)).toBeLessThan(1e-11 * q);
          }
          if (a.closed.dkernel) {
            const quad = gaussMean2((x, y) => a.dphi(x) * a.dphi(y), q, q * 1.3, c, a.kinks, a.kinks, 1);
            expect(Math.abs(a.closed.dkernel(q, q * 1.3, c) - quad)).toBeLessThan(1e-11);
          }
        }
      }
    });
  }
});

describe("ELU/SELU closed-form kernels (quadrant split, tilting, Φ2) equal 2-D quadrature", () => {
  // deterministic pseudo-random (q1, q2, c): q over 1e-3…100 (log-uniform), c over [−1, 1] with a share near ±1
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648);
  const pts: [number, number, number][] = [
    [0.5, 2, 0],
    [2, 0.3, 1],
    [3, 0.7, -1],
    [25, 25, 0.9999],
    [1e-6, 4, 0.3],
    [1e-9, 1e-9, 0.6],
  ];
  for (let i = 0; i < 10; i++) {
    const c = 2 * rnd() - 1;
    pts.push([
      Math.exp(-7 + 11.6 * rnd()),
      Math.exp(-7 + 11.6 * rnd()),
      i % 3 === 0 ? Math.sign(c) * (1 - 1e-3 * rnd()) : c,
    ]);
  }
  for (const spec of ["elu:alpha=0.7", "selu", "elu:alpha=3"]) {
    it(spec, () => {
      const a = parseActivation(spec);
      for (const [q1, q2, c] of pts) {
        const kq = kernelQuadrature(a, q1, q2, c);
        const dq = dkernelQuadrature(a, q1, q2, c);
        const sk = Math.sqrt(q1 * q2);
        expect(Math.abs(kernel(a, q1, q2, c) - kq), `kernel ${q1} ${q2} ${c}`).toBeLessThan(
          1e-12 * Math.max(Math.abs(kq), 1e-3 * sk),
        );
        expect(Math.abs(dkernel(a, q1, q2, c) - dq), `dkernel ${q1} ${q2} ${c}`).toBeLessThan(1e-12 * dq);
      }
    });
  }
  it("reduce to E[φ²], E[φ′²] at c = 1 and to the ReLU kernels at α = 0; symmetric in (q1, q2)", () => {
    const a = parseActivation("elu:alpha=0.7");
    const r = parseActivation("elu:alpha=0");
    const relu = parseActivation("relu");
    // (q ≥ 0.01: the 1-D closed form E[φ²] = q/2 + α²(E_2 − 2E_1 + ½) itself cancels to ~ε/q)
    for (const q of [0.01, 0.3, 2, 30]) {
      expect(rel(kernel(a, q, q, 1), a.closed.m2!(q))).toBeLessThan(1e-13);
      expect(rel(dkernel(a, q, q, 1), a.closed.d2!(q))).toBeLessThan(1e-13);
      for (const c of [-0.8, 0.1, 0.7]) {
        expect(rel(kernel(r, q, 2 * q, c), kernel(relu, q, 2 * q, c))).toBeLessThan(1e-14);
        expect(rel(dkernel(r, q, 2 * q, c), dkernel(relu, q, 2 * q, c))).toBeLessThan(1e-14);
        expect(rel(kernel(a, q, 3 * q, c), kernel(a, 3 * q, q, c))).toBeLessThan(1e-14);
        expect(rel(dkernel(a, q, 3 * q, c), dkernel(a, 3 * q, q, c))).toBeLessThan(1e-14);
      }
    }
  });
});

describe("Mehler series equals 2-D quadrature for smooth φ", () => {
  for (const name of ["tanh", "swish", "gelu", "softplus", "sigmoid"]) {
    it(name, () => {
      const a = makeActivation(name);
      for (const q of [0.05, 1.3, 7, 24]) {
        for (const c of [-0.7, 0.1, 0.66, 0.97]) {
          const scale = Math.sqrt(gaussMean((u) => a.phi(u) ** 2, q));
          expect(Math.abs(kernel(a, q, q, c) - kernelQuadrature(a, q, q, c))).toBeLessThan(
            1e-12 * scale * scale,
          );
          expect(Math.abs(dkernel(a, q, q, c) - dkernelQuadrature(a, q, q, c))).toBeLessThan(1e-12);
        }
      }
    });
  }
});

describe("Gaussian integration by parts: E[uφφ′]/q = E[φ′²] + E[φφ″] for smooth φ", () => {
  for (const name of ACTIVATION_NAMES.filter((n) =>
    ["tanh", "swish", "gelu", "softplus", "sigmoid", "erf"].includes(n),
  )) {
    it(name, () => {
      const a = makeActivation(name);
      for (const q of [0.2, 3]) {
        const rhs = gaussMean((u) => a.dphi(u) ** 2 + a.phi(u) * a.d2phi(u), q);
        expect(rel(dPhi2dq(a, q), rhs)).toBeLessThan(1e-11);
      }
    });
  }
  it("and the same derivative by finite differences of E[φ²] for a kinked φ (hard-tanh)", () => {
    const a = makeActivation("hard_tanh");
    const q = 0.8;
    const h = 1e-4;
    const m2 = (x: number) => gaussMean((u) => a.phi(u) ** 2, x, a.kinks);
    const fd = (m2(q + h) - m2(q - h)) / (2 * h);
    expect(rel(dPhi2dq(a, q), fd)).toBeLessThan(1e-7); // O(h²) truncation
  });
});
