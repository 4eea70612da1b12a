/**
 * The typed job layer of the report (src/report/figure.ts `JsonOf`/`json`, src/report/jobs.ts `resultOf`):
 * what the compiler must reject is checked by `tsc` through the `@ts-expect-error` lines below (an
 * accepted line makes the directive unused, which is a type error), and what a job returns fresh must be
 * what a rerun reads back from the cache, so that both build the same figure.
 */
import { describe, expect, it } from "vitest";
import { json, type Json, type Scale } from "../../src/report/figure.js";
import { asStats, dynamicsJob, resultOf, varianceMapJob } from "../../src/report/jobs.js";
import { fakeSimulator } from "./fakeSim.js";

const TINY: Scale = { name: "tiny", width: 8, networks: 3, weights: "gaussian", pairs: 1 };

/** An interface (no index signature): not a `Json` by itself, but its JSON shape is. */
interface Settings {
  depth: number;
  keeps: number[];
  optional?: string;
  nested: { task: "a" | "b"; limit: number | null };
}

describe("JsonOf / json", () => {
  it("accepts typed records whose every field is JSON, unchanged", () => {
    const s: Settings = { depth: 3, keeps: [0.5, 1], nested: { task: "a", limit: null } };
    const j: Json = json(s);
    expect(j).toBe(s);
    expect(json({ kind: "k", ...s, list: [s] })).toEqual({ kind: "k", ...s, list: [s] });
  });

  it("rejects values JSON cannot hold (compile time)", () => {
    const rejected = () => {
      // @ts-expect-error a typed array would be written as {"0": …}
      json({ x: new Float64Array(2) });
      // @ts-expect-error a function has no JSON form
      json({ f: () => 1 });
      // @ts-expect-error a read-only array is not a (mutable) Json[]
      json({ xs: [1, 2] as readonly number[] });
      // @ts-expect-error undefined is dropped by JSON.stringify, so a required field could vanish
      json({ u: undefined as number | undefined });
    };
    expect(typeof rejected).toBe("function");
  });
});

describe("simulation jobs", () => {
  it("return what the cache will hold (a JSON round trip changes nothing), read back by resultOf", async () => {
    const model = { activation: "relu", noise: "dropout:keep=0.8", sigmaW2: 2.5, sigmaB2: 0 };
    const map = varianceMapJob("a", model, TINY, [0.5, 1, 2]);
    const dynamics = dynamicsJob("b", model, TINY, 4, 1, [0, 0.5], Infinity, { varianceQuantiles: true });
    const sim = fakeSimulator({ noise: 0.01 });
    const results = new Map<string, Json>();
    for (const j of [map, dynamics]) {
      const fresh = await j.run({ sim, seed: 3, onProgress: () => {} });
      // toEqual compares numbers with Object.is: −0 against 0 or NaN against null would differ
      expect(JSON.parse(JSON.stringify(fresh))).toEqual(fresh);
      results.set(j.id, fresh);
    }
    // typed reads: the map's statistics at the three q⁰, the dynamics' layers 0..4 for each of two c⁰
    expect(resultOf(map, results)?.mean).toHaveLength(3);
    const dyn = resultOf(dynamics, results);
    expect(dyn?.correlation).toHaveLength(2);
    expect(dyn?.variance.mean).toHaveLength(5);
    expect(resultOf(dynamics, new Map())).toBeUndefined();
  });

  it("keep a blown-up statistic as null (NaN when read back) and −0 as the cache holds it (0)", async () => {
    const model = { activation: "relu", noise: "none", sigmaW2: 2, sigmaB2: 0 };
    const job = varianceMapJob("a", model, TINY, [1, 2, 3]);
    const sim = {
      ...fakeSimulator(),
      simulateVarianceMap: async () => ({ mean: [NaN, -0, 1], std: [Infinity, 0, 0.5] }),
    };
    const fresh = await job.run({ sim, seed: 1, onProgress: () => {} });
    expect(fresh).toEqual({ mean: [null, 0, 1], std: [null, 0, 0.5] });
    expect(asStats(resultOf(job, new Map([[job.id, fresh]]))).mean).toEqual([NaN, 0, 1]);
  });
});
