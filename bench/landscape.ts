/**
 * Loss-landscape cost (src/train/landscape.ts) against the training step, in the same process: the
 * median time of one grid point of `lossPlane` (mixing θ + αδ + βη on the host in float64, uploading
 * it, a clean forward pass of N examples in batches of 500, the loss) against the forward pass of one
 * training mini-batch (128 examples, the same per-layer blocks, step.ts `evaluate`) and one whole
 * training step (forward, backward, SGD update). A depth-10, width-256 ReLU MLP on embedded MNIST,
 * classification. `point_ms_1_example` isolates the per-point overhead (host mix and upload of the
 * weights). Medians over the points of one plane and over repeats; no assertions.
 * SIGPROP_BENCH_LANDSCAPE_QUICK=1 shrinks the network and the repeats (a smoke run).
 */
import { numpy as np, type Array } from "@jax-js/jax";
import { loadMnist, toFloat } from "../src/data/index.js";
import { initJax } from "../src/sim/jax.js";
import { parseActivation } from "../src/theory/activations.js";
import { parseNoise } from "../src/theory/noise.js";
import { lossPlane, type LandscapeModel } from "../src/train/landscape.js";
import { initParams, sampleParamsHost, type MlpSpec } from "../src/train/mlp.js";
import { makeFastStep } from "../src/train/step.js";
import { disposeTree } from "../src/train/train.js";

const QUICK = process.env.SIGPROP_BENCH_LANDSCAPE_QUICK === "1";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export async function run(): Promise<Record<string, unknown>> {
  await initJax();
  const ds = loadMnist();
  const width = QUICK ? 64 : 256;
  const depth = QUICK ? 3 : 10;
  const examples = QUICK ? 200 : 1000;
  const batch = 128;
  const spec: MlpSpec = {
    inputDim: ds.dim,
    width,
    depth,
    outputDim: ds.classes,
    activation: parseActivation("relu"),
    noise: parseNoise("none"),
  };
  // random weights stand in for trained ones: the cost does not depend on their values
  const trained = sampleParamsHost(spec, 2, 0, 1);
  const model: LandscapeModel = {
    spec,
    task: "classification",
    dataset: ds,
    seed: 0,
    valFraction: 0.1,
    evalLimit: 10000,
    sigmaW2: 2,
    sigmaB2: 0,
    weights: "gaussian",
    trained,
    epoch: 1,
    epochs: 2,
    history: [],
    sha256: "bench",
    config: {},
  };
  const params = trained.reduce((s, p) => s + p.w.length + p.b.length, 0);

  /** per-point wall times of one plane (the first point, which compiles, left out) */
  const planeTimes = async (n: number, grid: number) => {
    const times: number[] = [];
    let last = 0;
    await lossPlane(model, {
      grid,
      examples: n,
      onProgress: (done) => {
        const now = performance.now();
        if (done >= 2) times.push(now - last);
        last = now;
      },
    });
    return times;
  };
  const pointMs = median(await planeTimes(examples, QUICK ? 3 : 4));
  const point1Ms = median(await planeTimes(1, 3));

  // the training step's forward (one mini-batch) and the whole step, with the same blocks
  const fast = makeFastStep(spec, "classification", "sgd");
  let p = initParams(spec, 2, 0, 1);
  const idx = Uint32Array.from({ length: batch }, (_, i) => i);
  const xs = toFloat(ds.train.images, ds.dim, idx);
  const onehot = new Float32Array(batch * ds.classes);
  for (let r = 0; r < batch; r++) onehot[r * ds.classes + ds.train.labels[r]] = 1;
  const repeats = QUICK ? 5 : 15;
  const fwd: number[] = [];
  const step: number[] = [];
  for (let k = 0; k < repeats + 2; k++) {
    let t = performance.now();
    const out: Array = await fast.evaluate(p, np.array(xs, { shape: [batch, ds.dim] }));
    await out.data();
    if (k >= 2) fwd.push(performance.now() - t);
    t = performance.now();
    const r = await fast.step(
      p,
      { m: [], v: [] },
      np.array(xs, { shape: [batch, ds.dim] }),
      np.array(onehot, { shape: [batch, ds.classes] }),
      [],
      1e-6,
    );
    await r.loss.data();
    p = r.params;
    if (k >= 2) step.push(performance.now() - t);
  }
  disposeTree(p);
  fast.dispose();
  const fwdMs = median(fwd);
  const stepMs = median(step);
  return {
    network: { width, depth, input: ds.dim, classes: ds.classes, params },
    examples_per_point: examples,
    point_ms: pointMs,
    point_ms_1_example: point1Ms,
    train_forward_ms: fwdMs,
    train_step_ms: stepMs,
    train_batch: batch,
    ratio_point_over_train_forward: pointMs / fwdMs,
    ratio_point_over_train_step: pointMs / stepMs,
    // per example: a grid point's forward against the training forward's (1 = no overhead)
    per_example_ratio: pointMs / examples / (fwdMs / batch),
    note: "wall times on a shared, loaded 2-core VM: rely on the ratios (same process, same run)",
  };
}
