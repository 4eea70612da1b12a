/**
 * sigprop/train + sigprop/data: train a small critical ReLU network with dropout on a subset of MNIST and read
 * its per-epoch test accuracy. Run: `npx tsx examples/train.ts`.
 */
import { loadMnist } from "sigprop/data";
import { parseActivation, parseNoise } from "sigprop/theory";
import { resolveInit, trainRun } from "sigprop/train";

const activation = parseActivation("relu");
const noise = parseNoise("dropout:keep=0.8");
const init = resolveInit("critical", activation, noise);
const result = await trainRun(loadMnist(), {
  task: "classification",
  width: 64,
  depth: 3,
  activation,
  noise,
  sigmaW2: init.sigmaW2,
  sigmaB2: init.sigmaB2,
  optimizer: "adam",
  lr: 3e-3,
  batch: 32,
  epochs: 2,
  valFraction: 0.1,
  limit: 1000,
  testLimit: 1000,
  seed: 0,
});
for (const e of result.history) console.log(`epoch ${e.epoch}: test accuracy ${e.testAcc?.toFixed(3)}`);
