/**
 * Every Gaussian expectation the theory uses, for every catalogue activation, against mpmath at 20
 * digits (test/reference/generate.py: an independent arbitrary-precision quadrature split at kinks).
 * The bar is docs/THEORY.md's 1e-10 relative; where a value is 0 by symmetry (E[φ] for odd φ, kernels at
 * c = 0) the comparison is absolute against the natural scale (√E[φ²] or E[φ′²]).
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { ACTIVATION_CATALOGUE, parseActivation } from "../../src/theory/activations.js";
import {
  dkernel,
  dkernelQuadrature,
  dPhi2dq,
  eD2phi2,
  eDphi2,
  ePhi,
  ePhi2,
  kernel,
  kernelQuadrature,
} from "../../src/theory/expectations.js";

interface Moment {
  activation: string;
  q: number;
  m2: number;
  d2: number;
  m1: number;
  uphidphi: number;
  dd2?: number;
}
interface Kernel {
  activation: string;
  /** equal variances (q1 = q2 = q), or q1 and q2 (rows added for the ELU family's closed-form kernels) */
  q?: number;
  q1?: number;
  q2?: number;
  c: number;
  kernel: number;
  dkernel: number;
}

const dir = new URL("../reference/theory/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
const moments: Moment[] = [];
const kernels: Kernel[] = [];
for (const f of files) {
  const d = JSON.parse(readFileSync(new URL(f, dir), "utf8"));
  moments.push(...d.moments);
  kernels.push(...d.kernels);
}

const TOL = 1e-10;
function close(got: number, want: number, scale: number) {
  const err = Math.abs(got - want);
  const bound = TOL * Math.max(Math.abs(want), scale * 1e-3);
  expect(err, `got ${got}, want ${want}`).toBeLessThanOrEqual(bound);
}

describe("reference data is present", () => {
  // every catalogue entry (ACTIVATION_CATALOGUE, aliases excluded) has moment rows and kernel rows; a new
  // entry without mpmath reference data fails here (a count could be met by duplicates of one family)
  it.each(ACTIVATION_CATALOGUE.map((c) => c.name))("%s has mpmath moments and kernels", (name) => {
    expect(moments.some((m) => parseActivation(m.activation).name === name)).toBe(true);
    expect(kernels.some((k) => parseActivation(k.activation).name === name)).toBe(true);
  });
});

describe("1-D Gaussian moments vs mpmath (1e-10)", () => {
  for (const r of moments) {
    it(`${r.activation} q=${r.q}`, () => {
      const a = parseActivation(r.activation);
      close(ePhi2(a, r.q), r.m2, r.m2);
      close(eDphi2(a, r.q), r.d2, r.d2);
      close(ePhi(a, r.q), r.m1, Math.sqrt(r.m2));
      close(dPhi2dq(a, r.q) * r.q, r.uphidphi, r.m2);
      const dd = eD2phi2(a, r.q);
      if (r.dd2 !== undefined) close(dd as number, r.dd2, r.dd2);
      else expect(dd).toBeNull(); // φ′ jumps: E[φ″²] is infinite
    });
  }
});

describe("2-D kernels vs mpmath (1e-10), by the production route and by plain quadrature", () => {
  for (const r of kernels) {
    const q1 = r.q1 ?? (r.q as number);
    const q2 = r.q2 ?? (r.q as number);
    it(`${r.activation} q1=${q1} q2=${q2} c=${r.c}`, () => {
      const a = parseActivation(r.activation);
      const s1 = Math.sqrt(ePhi2(a, q1) * ePhi2(a, q2));
      const s2 = Math.sqrt(eDphi2(a, q1) * eDphi2(a, q2));
      close(kernel(a, q1, q2, r.c), r.kernel, s1);
      close(dkernel(a, q1, q2, r.c), r.dkernel, s2);
      close(kernelQuadrature(a, q1, q2, r.c), r.kernel, s1);
      close(dkernelQuadrature(a, q1, q2, r.c), r.dkernel, s2);
    });
  }
});
