/**
 * A tiny fake simulation engine for tests: mean-field theory values plus deterministic pseudo-random
 * "sampling noise" of relative size `noise`, with std over networks `spread` × the value. It records calls
 * so tests can check what ran, and can be told to fail on the n-th call (to test interrupted runs).
 */
import { dynamics } from "../../src/theory/dynamics.js";
import { correlationMap, varianceMap } from "../../src/theory/maps.js";
import type { Simulator } from "../../src/report/simulator.js";

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

export interface FakeSim extends Simulator {
  calls: string[];
}

export function fakeSimulator(
  opts: { noise?: number; spread?: number; failOnCall?: number; delayMs?: number } = {},
): FakeSim {
  const noise = opts.noise ?? 0.01;
  const spread = opts.spread ?? 0.05;
  const calls: string[] = [];
  const check = async (name: string) => {
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    calls.push(name);
    if (opts.failOnCall !== undefined && calls.length === opts.failOnCall)
      throw new Error("fake simulator: injected failure");
  };
  const perturb = (xs: (number | null)[], seed: number) => {
    const r = rng(seed);
    const mean = xs.map((x) => (x === null ? NaN : x * (1 + noise * r())));
    return { mean, std: mean.map((m) => Math.abs(m) * spread + 1e-6) };
  };
  return {
    calls,
    version: () => "fake",
    async simulateDynamics(cfg, q0, c0s, onProgress) {
      await check("dynamics");
      onProgress?.(0, 1);
      const q = dynamics(cfg.model, { depth: cfg.depth, q0, c0: 0.5 }).q;
      const out = {
        variance: perturb(q, cfg.seed),
        correlation: c0s.map((c0, k) =>
          perturb(dynamics(cfg.model, { depth: cfg.depth, q0, c0 }).c, cfg.seed + k + 1),
        ),
      };
      onProgress?.(1, 1);
      return out;
    },
    async simulateVarianceMap(cfg, q0s) {
      await check("variance_map");
      return perturb(
        q0s.map((q) => varianceMap(cfg.model, q)),
        cfg.seed,
      );
    },
    async simulateCorrelationMap(cfg, q0, c0s) {
      await check("correlation_map");
      return perturb(
        c0s.map((c) => correlationMap(cfg.model, q0, c)),
        cfg.seed,
      );
    },
  };
}
