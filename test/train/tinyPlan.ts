/** A sweep plan small enough for tests: reconstruction on 100 MNIST digits, width 8, one epoch. */
import type { SweepPlan } from "../../src/train/sweep.js";

export function tinyPlan(over: Partial<SweepPlan> = {}): SweepPlan {
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
    },
    noises: ["dropout:keep=0.5", "dropout:keep=1"],
    depths: [2, 6],
    seeds: [0],
    ...over,
  };
}
