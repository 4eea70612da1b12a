/**
 * The after-initialisation experiment (src/analysis/afterInit.ts) and its MSE trainer
 * (src/train/regression.ts): the trainer's SGD step against a float64 finite-difference gradient, the
 * exact solution as a fixed point (SVCCA 1, every parity sign right), SVCCA = 1 for the deep linear FFT
 * network, determinism, and the summary over seeds recomputed from the runs.
 */
import { describe, expect, it } from "vitest";
import {
  layerMean,
  meanSd,
  runArm,
  snapshotSteps,
  summariseArm,
  taskSetup,
  DEFAULT_ARM,
} from "../../src/analysis/afterInit.js";
import { parseActivation } from "../../src/theory/activations.js";
import { trainRegression } from "../../src/train/regression.js";
import { hostForward, sampleHostNet, type HostNet } from "../../src/train/tasks/index.js";
import { Stream } from "../../src/engine/rng.js";

const f32 = (x: number) => Math.fround(x);

describe("trainRegression", () => {
  it("one SGD step moves every parameter by −lr × the float64 finite-difference gradient of the MSE", async () => {
    const act = parseActivation("tanh");
    // weights rounded to float32 so that host and device start from the same point
    const net: HostNet = sampleHostNet([3, 4, 2], { sigmaW2: 1.5, sigmaB2: 0.2 }, 3).map((l) => ({
      ...l,
      w: l.w.map(f32),
      b: l.b.map(f32),
    }));
    const rows = 5;
    const x = new Stream(1).normals(rows * 3).map(f32);
    const y = new Stream(2).normals(rows * 2).map(f32);
    const lossOf = (n: HostNet) => {
      const out = hostForward(n, act, x).output;
      let s = 0;
      for (let i = 0; i < out.length; i++) s += (out[i] - y[i]) ** 2;
      return s / out.length;
    };
    const lr = 0.1;
    const r = await trainRegression({
      activation: act,
      start: net,
      optimizer: "sgd",
      lr,
      steps: 1,
      batch: () => ({ x: Float32Array.from(x), y: Float32Array.from(y), rows }),
      snapshots: [0, 1],
    });
    expect(r.status).toBe("ok");
    const after = r.snapshots[1].net;
    expect(r.snapshots[0].net[0].w).toEqual(net[0].w);
    const h = 1e-6;
    let worst = 0;
    net.forEach((l, li) => {
      for (const key of ["w", "b"] as const) {
        for (let k = 0; k < l[key].length; k++) {
          const plus = net.map((m) => ({ ...m, w: Float64Array.from(m.w), b: Float64Array.from(m.b) }));
          const minus = net.map((m) => ({ ...m, w: Float64Array.from(m.w), b: Float64Array.from(m.b) }));
          plus[li][key][k] += h;
          minus[li][key][k] -= h;
          const g = (lossOf(plus) - lossOf(minus)) / (2 * h);
          worst = Math.max(worst, Math.abs(after[li][key][k] - (l[key][k] - lr * g)));
        }
      }
    });
    // float32 forward/backward (relative ~1e-7 on values of order 1) vs central differences (~1e-9)
    expect(worst).toBeLessThan(2e-6);
  });
});

describe("runArm", () => {
  it("the exact parity solution is a fixed point: SVCCA 1 at every layer, all 2ⁿ signs right, distance 0", async () => {
    for (const activation of ["relu", "shifted_relu:alpha=0.5"]) {
      const r = await runArm({
        task: "parity",
        size: 4,
        width: 4,
        init: "solution",
        distance: 0,
        steps: 5,
        snapshots: 3,
        activation,
      });
      // loss 0 ⇒ gradient 0 ⇒ Adam's update 0/(0 + ε̂) = 0: the parameters never move
      for (const s of r.svccaSolution) for (const v of s) expect(v).toBeCloseTo(1, 6);
      expect(r.accuracy).toEqual(r.steps.map(() => 1));
      expect(r.distance[0]).toBeLessThan(1e-7); // float32 rounding of α-shifted biases at most
      expect(r.solved).toBe(true);
    }
  });

  it("a deep linear (FFT) student scores SVCCA 1 to the butterfly at every layer: invertible linear images", async () => {
    const r = await runArm({
      task: "fft",
      size: 4,
      init: "critical",
      steps: 10,
      snapshots: 3,
      lr: 0.003,
      probe: 64,
      batch: 16,
    });
    for (const s of r.svccaSolution) for (const v of s) expect(v).toBeCloseTo(1, 6);
    expect(r.sparsity?.length).toBe(r.steps.length);
  });

  it("is deterministic: the same configuration gives the same numbers", async () => {
    const cfg = {
      task: "teacher" as const,
      size: 4,
      width: 4,
      depth: 2,
      steps: 8,
      snapshots: 3,
      seed: 5,
      probe: 32,
      batch: 8,
    };
    const a = await runArm(cfg);
    const b = await runArm(cfg);
    expect(b.loss).toEqual(a.loss);
    expect(b.svccaSolution).toEqual(a.svccaSolution);
    // step 0 of its own initialisation: SVCCA 1
    for (const v of a.svccaInit[0]) expect(v).toBeCloseTo(1, 8);
  });

  it("summariseArm is the mean ± sd over seeds of the layer-mean similarities", async () => {
    const runs = [];
    for (const seed of [1, 2, 3])
      runs.push(
        await runArm({ task: "parity", size: 4, width: 4, steps: 6, snapshots: 3, seed, taskSeed: seed }),
      );
    const s = summariseArm(runs);
    const last = s.steps.length - 1;
    const direct = meanSd(runs.map((r) => layerMean(r.svccaSolution[last])));
    expect(s.svccaSolution.mean[last]).toBeCloseTo(direct.mean, 14);
    expect(s.svccaSolution.sd[last]).toBeCloseTo(direct.sd, 14);
    expect(s.solvedRate).toBe(runs.filter((r) => r.solved).length / 3);
  });

  it("snapshot steps are log-spaced with 0 and the last step", () => {
    expect(snapshotSteps(100, 4)).toEqual([0, 1, 10, 100]);
    expect(snapshotSteps(0, 5)).toEqual([0]);
  });

  it("teacher targets are the planted network's outputs", () => {
    const setup = taskSetup({ ...DEFAULT_ARM, task: "teacher", size: 4, width: 4, depth: 2, probe: 16 });
    const out = hostForward(setup.solution, setup.activation, setup.probe.x).output;
    expect(Array.from(setup.probe.y)).toEqual(Array.from(out));
  });
});
