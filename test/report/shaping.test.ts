/**
 * `reproduce shaping` built from a fake simulator (theory plus small deterministic noise) and synthetic
 * training histories: the theory it draws is checked against values computed another way, and the
 * caption's verdict follows the measured losses whichever way they come out.
 */
import { describe, expect, it } from "vitest";
import type { Json, Scale } from "../../src/report/figure.js";
import { shaping, shapingModels, shapingSettings } from "../../src/report/figures/shaping.js";
import { fakeSimulator } from "./fakeSim.js";

const TINY: Scale = { name: "tiny", width: 8, networks: 3, weights: "gaussian", pairs: 1 };

/** ReLU's normalised arc-cosine map g(c) = [c·asin c + √(1−c²)]/π + c/2 (He init keeps q, docs/THEORY.md §2). */
const g = (c: number) => (c * Math.asin(c) + Math.sqrt(1 - c * c)) / Math.PI + c / 2;

async function build(losses: Record<string, number>) {
  const sim = fakeSimulator({ noise: 0.001 });
  const results = new Map<string, Json>();
  for (const j of shaping.jobs(TINY)) {
    if (j.id.startsWith("c/")) {
      results.set(j.id, await j.run({ sim, seed: 7, onProgress: () => {} }));
    } else {
      const name = j.id.slice("train/".length);
      const fin = losses[name];
      results.set(j.id, {
        status: "ok",
        train_loss: fin,
        val_loss: fin,
        val_acc: 0.5,
        baseline: 2.3,
        steps: 10,
        seconds: 1,
        first_layer_sigma_w2: 10,
        history: [
          { epoch: 0, step: 0, train: 2.3, val: 2.3, val_acc: 0.1 },
          { epoch: 1, step: 10, train: fin, val: fin, val_acc: 0.5 },
        ],
      });
    }
  }
  return shaping.build(TINY, results);
}

describe("reproduce shaping", () => {
  const L = shapingSettings(TINY).depth;
  const names = shapingModels(L).map((m) => m.name);

  it("draws the predicted network maps and states a verdict that follows the losses", async () => {
    const good = Object.fromEntries(names.map((n) => [n, /^(DKS|TAT)/.test(n) ? 0.5 : 1.5]));
    const out = await build(good);
    const m = out.data.models as Record<string, { theory_cL_from_0: number }>;
    // DKS: C(0) = 0 per layer, so c^L(0) = 0; TAT leaky: C^{∘L}(0) = η = 0.9 by construction
    expect(Math.abs(m[names[0]].theory_cL_from_0)).toBeLessThan(1e-10);
    expect(m[names[2]].theory_cL_from_0).toBeCloseTo(0.9, 10);
    // He ReLU: the arc-cosine map iterated L times from 0 (closed form, independent of the engine)
    let c = 0;
    for (let l = 0; l < L; l++) c = g(c);
    expect(m[names[4]].theory_cL_from_0).toBeCloseTo(c, 10);
    expect(out.caption).toContain("every shaped network ended below both baselines");
    for (const a of out.agreement) expect(a.maxAbsZ).toBeLessThan(1);
    expect(out.tables.map((t) => t.name)).toContain("c_dks_tanh_training");
  });

  it("says so when the prediction does not hold", async () => {
    const bad = Object.fromEntries(names.map((n) => [n, /^(DKS|TAT)/.test(n) ? 2 : 1]));
    const out = await build(bad);
    expect(out.caption).toContain("the prediction did not hold here");
  });
});
