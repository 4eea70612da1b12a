/**
 * Shared check of the spectrum tests: the JJᵀ eigenvalues of simulated networks against the theory's
 * eigenvalue counting function (the integrated density).
 */
import { expect } from "vitest";
import { jacobian, jjtEigenvalues, sampleNetwork } from "../../src/spectra/jacobian.js";

type NetworkSpec = Parameters<typeof sampleNetwork>[0];

/** A network with orthogonal weights at a critical initialisation (σ_w², σ_b²), fed inputs of variance q. */
export function orthogonalAtCritical(
  activation: NetworkSpec["activation"],
  c: { sigma_w2: number; sigma_b2: number },
  width: number,
  depth: number,
  q: number,
): NetworkSpec {
  return {
    activation,
    sigmaW2: c.sigma_w2,
    sigmaB2: c.sigma_b2,
    width,
    depth,
    weights: "orthogonal",
    q0: q,
  };
}

/** `stat` of the JJᵀ eigenvalues of each of `nets` networks, network r = 0..nets−1 of `seed` (the engine's keys). */
export function perNetwork<T>(
  spec: NetworkSpec,
  nets: number,
  seed: number,
  stat: (ev: Float64Array) => T,
): T[] {
  const out: T[] = [];
  for (let r = 0; r < nets; r++) {
    const net = sampleNetwork(spec, { seed, net: r });
    out.push(stat(jjtEigenvalues(jacobian(net), spec.width)));
  }
  return out;
}

/**
 * The fraction of eigenvalues ≤ t, averaged over `nets` networks, matches cdf[j] at each ts[j] within
 * 4 SE over networks + 2/N (the O(1/N) finite-width bias of the counting function).
 */
export function expectCountingFunction(
  spec: NetworkSpec,
  nets: number,
  seed: number,
  ts: number[],
  cdf: number[],
): void {
  const N = spec.width;
  const per = perNetwork(spec, nets, seed, (ev) => ts.map((t) => ev.filter((x) => x <= t).length / N));
  ts.forEach((_, j) => {
    const xs = per.map((r) => r[j]);
    const m = xs.reduce((a, b) => a + b, 0) / nets;
    const se = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (nets - 1) / nets);
    expect(Math.abs(m - cdf[j])).toBeLessThan(4 * se + 2 / N);
  });
}
