/**
 * Training benchmark (issue 4): samples/s of a jitted training step (forward, reverse-mode gradient, SGD
 * update) for a depth-20, width-512 ReLU MLP with dropout (keep 0.9) on the input of every layer, batch
 * 128, input 784, 10-class cross-entropy — against a hand-written numpy float32 baseline of the same
 * network and step (bench/train_numpy.py, run when python3 + numpy exist) in the same run. Reports the
 * ratio ours/numpy (goal ≥ 0.5). numpy runs with OPENBLAS_NUM_THREADS=1 (jax-js uses one core in Node;
 * STACK.md) unless SIGPROP_BENCH_NUMPY_THREADS says otherwise. Medians over repeats; no assertions.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { numpy as np } from "@jax-js/jax";
import { initJax, jaxVersion } from "../src/sim/jax.js";
import { parseActivation } from "../src/theory/activations.js";
import { parseNoise } from "../src/theory/noise.js";
import { initParams, stepKeys, type MlpSpec } from "../src/train/mlp.js";
import { initOptState } from "../src/train/optim.js";
import { disposeTree, makeTrainStep } from "../src/train/train.js";
import { time } from "./stats.js";

const CFG = {
  input: 784,
  width: 512,
  depth: 20,
  classes: 10,
  batch: 128,
  keep: 0.9,
  lr: 0.01,
  sigma_w2: 1.8,
  steps: 10,
  warmup: 3,
  repeats: 5,
};

function numpyBaseline(): Record<string, unknown> {
  const probe = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" });
  if (probe.status !== 0) return { available: false, reason: "python3 with numpy not found" };
  const threads = process.env.SIGPROP_BENCH_NUMPY_THREADS ?? "1";
  const r = spawnSync(
    "python3",
    [fileURLToPath(new URL("./train_numpy.py", import.meta.url)), JSON.stringify(CFG)],
    {
      encoding: "utf8",
      env: {
        ...process.env,
        OPENBLAS_NUM_THREADS: threads,
        OMP_NUM_THREADS: threads,
        MKL_NUM_THREADS: threads,
      },
    },
  );
  if (r.status !== 0) return { available: false, reason: r.stderr.slice(-500) };
  return { ...(JSON.parse(r.stdout) as Record<string, unknown>), threads: Number(threads) };
}

export async function run(): Promise<Record<string, unknown>> {
  await initJax();
  const spec: MlpSpec = {
    inputDim: CFG.input,
    width: CFG.width,
    depth: CFG.depth,
    outputDim: CFG.classes,
    activation: parseActivation("relu"),
    noise: parseNoise(`dropout:keep=${CFG.keep}`),
  };
  const step = makeTrainStep(spec, "classification", "sgd");
  let params = initParams(spec, CFG.sigma_w2, 0, 1);
  let state = initOptState("sgd", params);
  const x = new Float32Array(CFG.batch * CFG.input).map((_, i) => ((i * 2654435761) % 1000) / 1000);
  const y = new Float32Array(CFG.batch * CFG.classes);
  for (let r = 0; r < CFG.batch; r++) y[r * CFG.classes + (r % CFG.classes)] = 1;
  let t = 0;
  let lastLoss = NaN;
  const steps = async () => {
    for (let k = 0; k < CFG.steps; k++) {
      t++;
      const [loss, p1, s1] = step(
        params,
        state,
        np.array(x, { shape: [CFG.batch, CFG.input] }),
        np.array(y, { shape: [CFG.batch, CFG.classes] }),
        stepKeys(1, t, CFG.depth + 1),
        np.array(CFG.lr),
      );
      params = p1;
      state = s1;
      lastLoss = (await loss.data())[0];
    }
  };
  const rss0 = process.memoryUsage().rss;
  const timing = await time(steps, CFG.repeats, 1);
  const rss1 = process.memoryUsage().rss;
  disposeTree(params);
  step.dispose();
  const ours = (CFG.steps * CFG.batch) / (timing.median_ms / 1000);
  const numpy = numpyBaseline();
  const theirs = typeof numpy.samples_per_s === "number" ? numpy.samples_per_s : null;
  return {
    config: CFG,
    jax_js: await jaxVersion(),
    samples_per_s: ours,
    step_ms_median: timing.median_ms / CFG.steps,
    timing,
    final_loss: lastLoss,
    rss_mb_before_after: [rss0 / 1e6, rss1 / 1e6],
    numpy,
    ratio_vs_numpy: theirs ? ours / theirs : null,
    goal: "ratio ≥ 0.5",
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((r) => process.stdout.write(JSON.stringify(r, null, 2) + "\n"));
}
