/**
 * Fixtures for tests of the training bookkeeping (sweeps, their merge and figures): a sweep plan small
 * enough to run, and training results with made-up numbers for tests that never train.
 */
import type { SweepBase, SweepPlan } from "../../src/train/sweep.js";
import type { TrainResult } from "../../src/train/train.js";

/**
 * A sweep plan small enough for tests: reconstruction on 100 MNIST digits, width 8, one epoch, noises
 * keep 0.5 and 1, depths 2 and 6, seed 0. `base` fields given in `over.base` replace the defaults'.
 */
export function tinyPlan(
  over: Partial<Omit<SweepPlan, "base">> & { base?: Partial<SweepBase> } = {},
): SweepPlan {
  const { base, ...rest } = over;
  return {
    version: 1,
    base: {
      dataset: "mnist",
      task: "reconstruction",
      width: 8,
      activation: "relu",
      init: "critical",
      optimizer: "sgd",
      lr: 0.001,
      batch: 4,
      epochs: 1,
      val_fraction: 0.1,
      limit: 100,
      eval_limit: 100,
      threshold: 0.5,
      ...base,
    },
    noises: ["dropout:keep=0.5", "dropout:keep=1"],
    depths: [2, 6],
    seeds: [0],
    ...rest,
  };
}

/** A finished, trainable training result with made-up numbers (no history); `over` replaces fields. */
export function fakeTrainResult(over: Partial<TrainResult> = {}): TrainResult {
  return {
    status: "ok",
    trainable: true,
    trainLoss: 0.2,
    valLoss: 0.25,
    testLoss: 0.25,
    baselineLoss: 1,
    lossRatio: 0.25,
    threshold: 0.5,
    history: [],
    steps: 1,
    nTrain: 90,
    nVal: 10,
    nTest: 10,
    seconds: 0,
    samplesPerSecond: 0,
    ...over,
  };
}
