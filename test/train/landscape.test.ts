/**
 * Loss landscapes (src/train/landscape.ts) against the training code's own numbers: a tiny run on
 * IDX data writes a checkpoint (the finished run's: its final weights); the landscape at the origin
 * must be the run's recorded final train loss, the line at t = 0 the recorded epoch-0 loss (which
 * checks the re-derived initialisation through the run's own evaluation), and a run with learning rate
 * 0 must checkpoint exactly the re-derived initial weights — for the plain network and for every
 * architecture `train` builds (batch norm, residual reduced and full, looks-linear init). Filter
 * normalisation is checked by recomputing the column norms here; determinism and resumption by
 * repeating runs.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadIdxFolder, toFloat, trainValSplit } from "../../src/data/index.js";
import { parseActivation } from "../../src/theory/activations.js";
import { parseNoise } from "../../src/theory/noise.js";
import { CheckpointError, decodeCheckpoint, encodeCheckpoint } from "../../src/train/checkpoint.js";
import {
  filterNormalizedDirection,
  gridPoints,
  initialParams,
  loadLandscapeModel,
  lossLine,
  type HostParams,
  lossPlane,
  type LandscapeModel,
} from "../../src/train/landscape.js";
import { BN_EPS } from "../../src/train/mlp.js";
import { trainRun, type TrainConfig } from "../../src/train/train.js";
import { tinyIdx } from "../io/cli.js";

const dataDir = tinyIdx();
const ds = loadIdxFolder(dataDir);
const dir = mkdtempSync(join(tmpdir(), "sigprop-landscape-"));

function config(over: Partial<TrainConfig> = {}): TrainConfig {
  return {
    task: "classification",
    width: 8,
    depth: 2,
    activation: parseActivation("tanh"),
    noise: parseNoise("dropout:keep=0.9"),
    sigmaW2: 1.5,
    sigmaB2: 0.05,
    optimizer: "adam",
    lr: 0.01,
    batch: 16,
    epochs: 3,
    valFraction: 0.1,
    seed: 7,
    ...over,
  };
}

/** Relative difference (0 when both are 0). */
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);

let model: LandscapeModel;
beforeAll(async () => {
  const file = join(dir, "run.ckpt");
  // 3 epochs: the finished run's checkpoint (epoch 3) stays on disk
  await trainRun(ds, config(), { checkpoint: { file } });
  model = loadLandscapeModel(file);
}, 120_000);

describe("the checkpoint as a landscape model", () => {
  it("records the finished run: epoch 3 of 3, its data set, network and history", () => {
    expect(model.epoch).toBe(3);
    expect(model.epochs).toBe(3);
    expect(model.dataset.source).toBe(dataDir);
    expect(model.trained.map((p) => [p.fanIn, p.fanOut])).toEqual([
      [36, 8],
      [8, 8],
      [8, 10],
    ]);
    expect(model.history).toHaveLength(4);
  });

  it("the re-derived initialisation is the weights at step 0 (a run with learning rate 0 keeps them)", async () => {
    const file = join(dir, "lr0.ckpt");
    // SGD with η = 0: W − 0·∂W = W exactly, so the (finished, 1-epoch) checkpoint holds the step-0 weights
    await trainRun(ds, config({ optimizer: "sgd", lr: 0, epochs: 1, weights: "orthogonal" }), {
      checkpoint: { file },
    });
    const m = loadLandscapeModel(file);
    const init = initialParams(m);
    expect(init.length).toBe(m.trained.length);
    for (const [l, p] of init.entries()) {
      expect(Array.from(p.w)).toEqual(Array.from(m.trained[l].w));
      expect(Array.from(p.b)).toEqual(Array.from(m.trained[l].b));
    }
    // and it is not the trained run's (different weight law, same seed): the check can fail
    expect(Array.from(init[0].w)).not.toEqual(Array.from(initialParams(model)[0].w));
  }, 60_000);
});

describe("checkpoints sigprop does not know", () => {
  it("are refused, not evaluated as some other network (an unknown config field, BN with a residual)", () => {
    const file = join(dir, "run.ckpt");
    const { header, tensors } = decodeCheckpoint(readFileSync(file), file);
    for (const [k, v, msg] of [
      ["dropconnect", true, "dropconnect = true"],
      ["init", "fixup", "config.init"],
      ["residual", "dense", "config.residual"],
      ["batchnorm", "yes", "config.batchnorm"],
    ] as const) {
      const other = join(dir, `${k}.ckpt`);
      const config = { ...header.config, [k]: v };
      const meta = { epoch: header.epoch, t: header.t, history: header.history };
      writeFileSync(
        other,
        encodeCheckpoint(
          config,
          meta,
          tensors.map((data, i) => ({ shape: header.tensors[i], data })),
        ),
      );
      expect(() => loadLandscapeModel(other)).toThrow(CheckpointError);
      expect(() => loadLandscapeModel(other)).toThrow(msg);
    }
    // batch norm inside residual blocks is not something `train` builds (train/arch.ts)
    const both = join(dir, "bn-res.ckpt");
    writeFileSync(
      both,
      encodeCheckpoint(
        { ...header.config, batchnorm: true, residual: "reduced" },
        { epoch: header.epoch, t: header.t, history: header.history },
        tensors.map((data, i) => ({ shape: header.tensors[i], data })),
      ),
    );
    expect(() => loadLandscapeModel(both)).toThrow(/architecture cannot be built.*batchnorm/);
    // the unmodified file round-trips through the same encoder and loads
    const same = join(dir, "same.ckpt");
    writeFileSync(
      same,
      encodeCheckpoint(
        header.config,
        { epoch: header.epoch, t: header.t, history: header.history },
        tensors.map((data, i) => ({ shape: header.tensors[i], data })),
      ),
    );
    expect(loadLandscapeModel(same).trained[1].w).toEqual(model.trained[1].w);
  });
});

/**
 * Every architecture `train` builds (train/arch.ts, mlp.ts `layerRoles`), each as a 2-epoch run with
 * its finished checkpoint, against the run's own records. Tolerance 1e-9 relative: the landscape
 * evaluates the same float32 weights (θ₁ + 0·δ + 0·η and (1 − 0)·θ₀ + 0·θ₁ round to them exactly) with
 * the training code's evaluator (evaluate.ts) on the same examples and the same BN statistics, so only a
 * different order of identical float32 operations could differ (≈ 1e-7 per op at worst, far below any
 * real mismatch such as another init or other BN statistics, which moves the loss by ≥ 1e-3 here); in
 * practice the numbers agree bit for bit.
 */
describe.each([
  {
    name: "batch norm (tanh)",
    over: { batchnorm: true },
    layers: 3,
  },
  {
    name: "residual reduced",
    over: { residual: "reduced" as const },
    layers: 3,
  },
  {
    name: "residual full (σ_v² = 0.5, σ_a² = 0.01)",
    // depth 2: embedding, one block of two matrices (W, V), read-out = 2·depth weight layers
    over: { residual: "full" as const, sigmaV2: 0.5, sigmaA2: 0.01 },
    layers: 4,
  },
  {
    name: "looks-linear init (ReLU)",
    over: {
      init: "looks-linear" as const,
      activation: parseActivation("relu"),
      sigmaW2: 1,
      sigmaB2: 0,
    },
    layers: 3,
  },
])("$name", ({ name, over, layers }) => {
  const tag = name.split(" ")[0] + layers;
  let m: LandscapeModel;
  beforeAll(async () => {
    const file = join(dir, `${tag}.ckpt`);
    await trainRun(ds, config({ ...over, epochs: 2 }), { checkpoint: { file } });
    m = loadLandscapeModel(file);
  }, 120_000);

  it("loads with its architecture: the finished checkpoint, 2·depth layers for the full residual", () => {
    expect(m.epoch).toBe(2);
    expect(m.trained).toHaveLength(layers);
    expect(m.spec.batchnorm === true).toBe(over.batchnorm === true);
    expect(m.spec.residual).toBe((over as { residual?: string }).residual);
  });

  it("the plane's origin is the recorded final train loss, the line at t = 0 the recorded epoch-0 loss", async () => {
    const plane = await lossPlane(m, { grid: 3, range: 0.5, seed: 1, examples: 1000 });
    expect(plane.examples).toBe(108);
    const fin = m.history[2];
    expect(rel(plane.loss[1][1]!, fin.trainLoss!)).toBeLessThan(1e-9);
    expect(plane.accuracy![1][1]).toBe(fin.trainAcc);
    expect(plane.loss[0][0]).not.toBe(plane.loss[1][1]);
    const line = await lossLine(m, { steps: 7, examples: 1000 });
    expect(rel(line.loss[1]!, m.history[0].trainLoss!)).toBeLessThan(1e-9);
    expect(line.accuracy![1]).toBe(m.history[0].trainAcc);
    expect(rel(line.loss[5]!, fin.trainLoss!)).toBeLessThan(1e-9);
    // training moved the loss: the two checks above are not one check twice
    expect(rel(m.history[0].trainLoss!, fin.trainLoss!)).toBeGreaterThan(1e-4);
  }, 120_000);

  it("the re-derived θ₀ is a learning-rate-0 run's checkpoint, bit for bit", async () => {
    const file = join(dir, `${tag}-lr0.ckpt`);
    await trainRun(ds, config({ ...over, optimizer: "sgd", lr: 0, epochs: 1 }), { checkpoint: { file } });
    const z = loadLandscapeModel(file);
    const init = initialParams(z);
    expect(init).toHaveLength(layers);
    for (const [l, p] of init.entries()) {
      expect(Array.from(p.w), `W of layer ${l + 1}`).toEqual(Array.from(z.trained[l].w));
      expect(Array.from(p.b), `b of layer ${l + 1}`).toEqual(Array.from(z.trained[l].b));
    }
    // and θ₀ is not the trained weights (the run trained), so the comparison can fail
    expect(Array.from(initialParams(m)[0].w)).not.toEqual(Array.from(m.trained[0].w));
  }, 120_000);

  it("filter normalisation per weight layer: each column's norm is the trained column's, biases 0", () => {
    const d = filterNormalizedDirection(m.trained, 5, 0);
    expect(d).toHaveLength(layers);
    for (const [l, p] of m.trained.entries()) {
      for (let j = 0; j < p.fanOut; j++) {
        let dd = 0;
        let tt = 0;
        for (let i = 0; i < p.fanIn; i++) {
          dd += d[l].w[i * p.fanOut + j] ** 2;
          tt += p.w[i * p.fanOut + j] ** 2;
        }
        // as in the plain test below: float64, ≲ 40 ulp
        expect(rel(Math.sqrt(dd), Math.sqrt(tt))).toBeLessThan(1e-12);
      }
      expect(d[l].b.every((v) => v === 0)).toBe(true);
    }
  });
});

/**
 * Host float64 reference of a batch-normalised tanh MLP (mlp.ts `batchStandardize`: BN of x·W with the
 * given per-layer mean and biased variance, ε = BN_EPS, then + b; read-out plain): softmax cross-entropy
 * mean over `rows`, and the BN statistics of `statRows` at these weights (layer by layer, each layer
 * normalised by its own statistics, as evaluate.ts' "precise BN").
 */
function hostBnLoss(p: HostParams, statRows: number[][], rows: number[][], labels: number[]): number {
  const stats: { mean: number[]; varc: number[] }[] = [];
  let a = statRows;
  for (let l = 0; l < p.length - 1; l++) {
    const { w, b, fanOut } = p[l];
    const z = a.map((x) =>
      Array.from({ length: fanOut }, (_, j) => x.reduce((s, v, i) => s + v * w[i * fanOut + j], 0)),
    );
    const mean = Array.from({ length: fanOut }, (_, j) => z.reduce((s, r) => s + r[j], 0) / z.length);
    const varc = Array.from(
      { length: fanOut },
      (_, j) => z.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / z.length,
    );
    stats.push({ mean, varc });
    a = z.map((r) => r.map((v, j) => Math.tanh((v - mean[j]) / Math.sqrt(varc[j] + BN_EPS) + b[j])));
  }
  let loss = 0;
  for (const [r, x0] of rows.entries()) {
    let x = x0;
    for (let l = 0; l < p.length; l++) {
      const { w, b, fanOut } = p[l];
      const z = Array.from({ length: fanOut }, (_, j) => x.reduce((s, v, i) => s + v * w[i * fanOut + j], 0));
      x =
        l < p.length - 1
          ? z.map((v, j) => Math.tanh((v - stats[l].mean[j]) / Math.sqrt(stats[l].varc[j] + BN_EPS) + b[j]))
          : z.map((v, j) => v + b[j]);
    }
    const mx = Math.max(...x);
    loss += mx + Math.log(x.reduce((s, v) => s + Math.exp(v - mx), 0)) - x[labels[r]];
  }
  return loss / rows.length;
}

describe("batch norm: population statistics of the run's train-loss subset at each point's weights", () => {
  it("on fewer examples than that subset, the loss is the float64 reference's with the subset's statistics", async () => {
    const file = join(dir, "bn-ref.ckpt");
    await trainRun(ds, config({ batchnorm: true, epochs: 1 }), { checkpoint: { file } });
    const m = loadLandscapeModel(file);
    const split = trainValSplit(ds.train.n, { valFraction: 0.1, seed: 7 });
    const rowsOf = (idx: Uint32Array) => {
      const xs = toFloat(ds.train.images, ds.dim, idx);
      return Array.from(idx, (_, r) => Array.from(xs.subarray(r * ds.dim, (r + 1) * ds.dim)));
    };
    const all = rowsOf(split.train); // the run's train-loss subset (108 < eval limit 10,000)
    const first = split.train.subarray(0, 40);
    const labels = Array.from(first, (i) => ds.train.labels[i]);
    // a point off θ₁ (its own statistics there), and θ₁ itself
    const line = await lossLine(m, { steps: 4, tMin: 0.5, tMax: 2, examples: 40 });
    const init = initialParams(m);
    for (const [k, t] of line.t.entries()) {
      const p = m.trained.map((q, l) => ({
        ...q,
        w: Float32Array.from(q.w, (v, i) => (1 - t) * init[l].w[i] + t * v),
        b: Float32Array.from(q.b, (v, i) => (1 - t) * init[l].b[i] + t * v),
      }));
      const ref = hostBnLoss(p, all, rowsOf(first), labels);
      // the statistics of the 40 evaluated examples alone (what a batch evaluation would use)
      const wrong = hostBnLoss(p, rowsOf(first), rowsOf(first), labels);
      // float32 forward of a 3-layer net with ≤ 36-term sums vs float64: ≲ 1e-5 relative
      expect(rel(line.loss[k]!, ref), `t = ${t}`).toBeLessThan(1e-5);
      // and the other statistics are distinguishable at that tolerance (the check can fail)
      expect(rel(wrong, ref), `t = ${t}`).toBeGreaterThan(1e-3);
    }
  }, 120_000);
});

describe("filter normalisation (Li et al. 2018, §4)", () => {
  it("each direction's per-neuron norms equal the weights', biases are 0, and the direction is random", () => {
    for (const index of [0, 1]) {
      const d = filterNormalizedDirection(model.trained, 3, index);
      for (const [l, p] of model.trained.entries()) {
        for (let j = 0; j < p.fanOut; j++) {
          // column j (the weights into output unit j), norms summed here in float64 independently
          let dd = 0;
          let tt = 0;
          let dt = 0;
          for (let i = 0; i < p.fanIn; i++) {
            const a = d[l].w[i * p.fanOut + j];
            const b = p.w[i * p.fanOut + j];
            dd += a * a;
            tt += b * b;
            dt += a * b;
          }
          // float64 sums of ≤ 36 terms and one rescaling: relative error ≲ 40 ulp ≈ 1e-14
          expect(rel(Math.sqrt(dd), Math.sqrt(tt))).toBeLessThan(1e-12);
          // a random direction, not the weights themselves: |cos| far from 1 (36- or 8-dim Gaussian)
          expect(Math.abs(dt) / Math.sqrt(dd * tt)).toBeLessThan(0.999);
        }
        expect(d[l].b.every((v) => v === 0)).toBe(true);
      }
    }
  });

  it("is seeded: the same seed gives the same direction, another seed or index another", () => {
    const a = filterNormalizedDirection(model.trained, 3, 0);
    expect(Array.from(filterNormalizedDirection(model.trained, 3, 0)[1].w)).toEqual(Array.from(a[1].w));
    expect(Array.from(filterNormalizedDirection(model.trained, 4, 0)[1].w)).not.toEqual(Array.from(a[1].w));
    expect(Array.from(filterNormalizedDirection(model.trained, 3, 1)[1].w)).not.toEqual(Array.from(a[1].w));
  });
});

describe("the landscape against the training code's own evaluation", () => {
  // all training examples of the split (108 < the run's eval limit 10,000): the run's train-loss subset
  const examples = 1000;

  it("the plane at the origin is the recorded final train loss and accuracy", async () => {
    const plane = await lossPlane(model, { grid: 3, range: 0.5, seed: 1, examples });
    expect(plane.alpha).toEqual([-0.5, 0, 0.5]);
    expect(plane.examples).toBe(108);
    const rec = model.history[model.epoch];
    // same float32 weights, same batches, same per-layer blocks, same float64 sum: only the order of
    // identical operations could differ, so agreement to 1e-12 (in practice bit for bit)
    expect(rel(plane.loss[1][1]!, rec.trainLoss!)).toBeLessThan(1e-12);
    expect(plane.accuracy![1][1]).toBe(rec.trainAcc);
    // away from the trained point the loss differs (the directions are not zero)
    expect(plane.loss[0][0]).not.toBe(plane.loss[1][1]);
  }, 60_000);

  it("the line at t = 0 is the recorded epoch-0 loss, at t = 1 the checkpoint's", async () => {
    const line = await lossLine(model, { steps: 7, examples });
    expect(line.t).toEqual(gridPoints(-0.25, 1.25, 7));
    const i0 = line.t.indexOf(0);
    const i1 = line.t.indexOf(1);
    expect(i0).toBe(1);
    expect(i1).toBe(5);
    expect(rel(line.loss[i0]!, model.history[0].trainLoss!)).toBeLessThan(1e-12);
    expect(line.accuracy![i0]).toBe(model.history[0].trainAcc);
    expect(rel(line.loss[i1]!, model.history[model.epoch].trainLoss!)).toBeLessThan(1e-12);
  }, 60_000);

  it("is deterministic, and resumes after an interruption to the same numbers", async () => {
    const opts = { grid: 3, range: 1, seed: 2, examples: 50 };
    const a = await lossPlane(model, opts);
    const b = await lossPlane(model, opts);
    expect(b).toEqual(a);
    const partialFile = join(dir, "plane.partial.json");
    await expect(
      lossPlane(model, {
        ...opts,
        partialFile,
        saveEveryMs: 0,
        onProgress: (done) => {
          if (done === 4) throw new Error("killed");
        },
      }),
    ).rejects.toThrow("killed");
    expect(existsSync(partialFile)).toBe(true);
    let first = -1;
    const c = await lossPlane(model, {
      ...opts,
      partialFile,
      onProgress: (done) => {
        if (first < 0) first = done;
      },
    });
    expect(first).toBe(4); // resumed after the 4 points done, not from 0
    expect(c).toEqual(a);
    expect(existsSync(partialFile)).toBe(false);
  }, 60_000);
});
