/**
 * Loss landscapes (src/train/landscape.ts) against the training code's own numbers: a tiny run on
 * IDX data writes a checkpoint; the landscape at the origin must be the train loss the run recorded at
 * the checkpoint's epoch, the line at t = 0 the recorded epoch-0 loss (which checks the re-derived
 * initialisation through the run's own evaluation), and a run with learning rate 0 must checkpoint
 * exactly the re-derived initial weights. Filter normalisation is checked by recomputing the column
 * norms here; determinism and resumption by repeating runs.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadIdxFolder } from "../../src/data/index.js";
import { parseActivation } from "../../src/theory/activations.js";
import { parseNoise } from "../../src/theory/noise.js";
import { CheckpointError, decodeCheckpoint, encodeCheckpoint } from "../../src/train/checkpoint.js";
import {
  filterNormalizedDirection,
  gridPoints,
  initialParams,
  loadLandscapeModel,
  lossLine,
  lossPlane,
  type LandscapeModel,
} from "../../src/train/landscape.js";
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
  // 3 epochs: the checkpoint after epoch 2 stays on disk (the last epoch is not checkpointed)
  await trainRun(ds, config(), () => {}, { file });
  model = loadLandscapeModel(file);
}, 120_000);

describe("the checkpoint as a landscape model", () => {
  it("records the run: epoch 2 of 3, its data set, network and history", () => {
    expect(model.epoch).toBe(2);
    expect(model.epochs).toBe(3);
    expect(model.dataset.source).toBe(dataDir);
    expect(model.trained.map((p) => [p.fanIn, p.fanOut])).toEqual([
      [36, 8],
      [8, 8],
      [8, 10],
    ]);
    expect(model.history).toHaveLength(3);
  });

  it("the re-derived initialisation is the weights at step 0 (a run with learning rate 0 keeps them)", async () => {
    const file = join(dir, "lr0.ckpt");
    // SGD with η = 0: W − 0·∂W = W exactly, so the checkpoint after epoch 1 holds the step-0 weights
    await trainRun(ds, config({ optimizer: "sgd", lr: 0, epochs: 2, weights: "orthogonal" }), () => {}, {
      file,
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

describe("checkpoints of other architectures", () => {
  it("are refused, not evaluated as a plain MLP (batch norm, residual, looks-linear init)", () => {
    const file = join(dir, "run.ckpt");
    const { header, tensors } = decodeCheckpoint(readFileSync(file), file);
    for (const [k, v] of [
      ["batchnorm", true],
      ["residual", "reduced"],
      ["init", "looks-linear"],
      ["initKind", "looks-linear"],
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
      expect(() => loadLandscapeModel(other)).toThrow(`${k} = ${JSON.stringify(v)}`);
    }
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

  it("the plane at the origin is the recorded train loss and accuracy of the checkpoint's epoch", async () => {
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
