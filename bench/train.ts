/**
 * Training speed on the CPU (issues 4 and 10), against hand-written numpy float32 baselines
 * (bench/train_numpy.py) of the same networks and steps, run in the same process tree right after ours.
 * Medians over repeats; no assertions. Sections:
 *
 * - `step`: samples/s of one training step (forward, backward, SGD update; dropout keep 0.9 on the input
 *   of every layer; 10-class cross-entropy) of a depth-20, width-512 ReLU MLP, batch 128, input 784:
 *   the per-layer step that training uses (src/train/step.ts: host-sampled noise included) and the
 *   reference step (one `jit` of the whole network, gradient by autodiff). numpy at 1 thread (jax-js uses
 *   one core in Node) and at the machine's default threads; ratios ours/numpy for both. The goal of
 *   issue 10: ≥ 0.4× numpy (one thread), stretch 0.5×.
 * - `hayou`: Hayou et al.'s network (depth 200, width 300, ELU, no noise, SGD, batch 128): set-up time
 *   (sampling and uploading the weights), the first step including compilation (goal ≤ 10 s), and the
 *   steady step against numpy's (goal ≤ 3×).
 * - `components`: float32 matmul GFLOP/s (1024², and the three products of a width-512 layer at batch
 *   128) vs numpy at 1 thread; random numbers per second: jax-js `random.normal`/`bernoulli` vs the
 *   project's ziggurat and the host dropout mask.
 * - `arch`: the architecture options of training (issue 11): a depth-20, width-256, batch-128 step (dropout
 *   keep 0.9, SGD) of the plain network, with `batchnorm` and with `residual: "reduced"`, timed in turns in
 *   this one process (repeats interleaved, so a change of machine load hits all three alike); ratios
 *   variant/plain of the median step time.
 * - `rss`: resident memory over 2000 steps of a small network (depth 20, width 128, dropout, Adam):
 *   RSS and wasm memory every 250 steps; "no growth" means flat after the first few hundred steps.
 *
 * CPU time per step is reported next to wall time: on a machine shared with other work it is the less
 * disturbed of the two (both sides single-threaded except numpy's default-thread run).
 * Environment: SIGPROP_BENCH_TRAIN_QUICK=1 shortens every section (for a smoke run);
 * SIGPROP_BENCH_TRAIN_SKIP=hayou,rss,reference,components skips sections; SIGPROP_BENCH_TRAIN_ONLY=step,…
 * runs only those.
 */
import { pythonBaseline } from "./python.js";
import os from "node:os";
import { jit, numpy as np, random, type Array } from "@jax-js/jax";
import { initJax, jaxVersion } from "../src/sim/jax.js";
import { fillNoise } from "../src/engine/noise.js";
import { Stream } from "../src/engine/rng.js";
import { parseActivation } from "../src/theory/activations.js";
import { parseNoise } from "../src/theory/noise.js";
import { initParams, layerSizes, type MlpSpec, type Params, type ResidualKind } from "../src/train/mlp.js";
import { initOptState, stepSize, type OptimizerName, type OptState } from "../src/train/optim.js";
import { makeFastStep, stepNoise } from "../src/train/step.js";
import { disposeTree, makeTrainStep } from "../src/train/train.js";

const QUICK = process.env.SIGPROP_BENCH_TRAIN_QUICK === "1";
const SKIP = new Set((process.env.SIGPROP_BENCH_TRAIN_SKIP ?? "").split(",").map((s) => s.trim()));
const ONLY = process.env.SIGPROP_BENCH_TRAIN_ONLY?.split(",").map((s) => s.trim());
const want = (section: string) => !SKIP.has(section) && (!ONLY || ONLY.includes(section));

export interface NetCfg {
  input: number;
  width: number;
  depth: number;
  classes: number;
  batch: number;
  keep: number;
  lr: number;
  sigma_w2: number;
  activation: "relu" | "elu";
  optimizer: OptimizerName;
  batchnorm?: boolean;
  residual?: ResidualKind;
  steps: number;
  warmup: number;
  repeats: number;
}

export const STEP: NetCfg = {
  input: 784,
  width: 512,
  depth: 20,
  classes: 10,
  batch: 128,
  keep: 0.9,
  lr: 0.01,
  sigma_w2: 1.8,
  activation: "relu",
  optimizer: "sgd",
  steps: QUICK ? 2 : 10,
  warmup: QUICK ? 1 : 3,
  repeats: QUICK ? 2 : 5,
};
const HAYOU: NetCfg = {
  ...STEP,
  width: 300,
  depth: 200,
  keep: 1,
  sigma_w2: 1.3,
  activation: "elu",
  steps: QUICK ? 1 : 2,
  warmup: 1,
  repeats: QUICK ? 1 : 3,
};
const RSS: NetCfg = {
  ...STEP,
  width: 128,
  optimizer: "adam",
  lr: 1e-3,
  steps: QUICK ? 200 : 2000,
  warmup: 0,
  repeats: 1,
};

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
};

/** numpy doing the same training step (bench/train_numpy.py) with `threads` BLAS threads. */
function python(args: Record<string, unknown>, threads: number | "default"): Record<string, unknown> {
  const r = pythonBaseline("train_numpy.py", args, threads);
  return r.available ? { ...r, threads } : r;
}

function specOf(c: NetCfg): MlpSpec {
  return {
    inputDim: c.input,
    width: c.width,
    depth: c.depth,
    outputDim: c.classes,
    activation: parseActivation(c.activation),
    noise: parseNoise(c.keep < 1 ? `dropout:keep=${c.keep}` : "none"),
    batchnorm: c.batchnorm,
    residual: c.residual,
  };
}

/** Fixed synthetic batch (pixels in [0, 1), one-hot labels). */
function batchData(c: NetCfg): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(c.batch * c.input).map((_, i) => ((i * 2654435761) % 1000) / 1000);
  const y = new Float32Array(c.batch * c.classes);
  for (let r = 0; r < c.batch; r++) y[r * c.classes + (r % c.classes)] = 1;
  return { x, y };
}

interface Runner {
  /** one training step, loss read back (as training does at the end of its read window) */
  step(): Promise<number>;
  dispose(): void;
}

/** One training step of a runner: (params, state, x, y, the step's noise, step t) → loss and new state. */
type StepFn = (
  params: Params,
  state: OptState,
  x: Array,
  y: Array,
  noise: (Float32Array | null)[],
  t: number,
) => Promise<{ loss: Array; params: Params; state: OptState }>;

/**
 * A runner of `step` on the network of `c` (seeded initial weights, the fixed batch) with the training
 * noise of each step sampled on the host as training does (step.ts `stepNoise`, seed 1).
 */
function runnerOf(c: NetCfg, step: StepFn, disposeStep: () => void): Runner {
  const spec = specOf(c);
  let params: Params = initParams(spec, c.sigma_w2, 0, 1);
  let state: OptState = initOptState(c.optimizer, params);
  const { x, y } = batchData(c);
  let t = 0;
  return {
    async step() {
      t++;
      const r = await step(
        params,
        state,
        np.array(x, { shape: [c.batch, c.input] }),
        np.array(y, { shape: [c.batch, c.classes] }),
        stepNoise(spec, { seed: 1, step: t, batch: c.batch }),
        t,
      );
      params = r.params;
      state = r.state;
      return (await r.loss.data())[0];
    },
    dispose() {
      disposeTree(params);
      disposeTree(state);
      disposeStep();
    },
  };
}

/** The per-layer step of src/train/step.ts, noise sampling included. */
export function fastRunner(c: NetCfg): Runner {
  const fast = makeFastStep(specOf(c), "classification", c.optimizer);
  return runnerOf(
    c,
    (params, state, x, y, noise, t) => fast.step(params, state, x, y, noise, stepSize(c.optimizer, c.lr, t)),
    () => fast.dispose(),
  );
}

/**
 * The reference step (whole network in one jit, autodiff), with the same host-sampled noise: ε of every
 * layer in order, or none when the noise is the identity (the plain network, where every layer is noisy).
 */
export function referenceRunner(c: NetCfg): Runner {
  const spec = specOf(c);
  const step = makeTrainStep(spec, "classification", c.optimizer);
  const sizes = layerSizes(spec);
  return runnerOf(
    c,
    async (params, state, x, y, noise, t) => {
      const eps = noise.flatMap((e, l) => (e ? [np.array(e, { shape: [c.batch, sizes[l]] })] : []));
      const [loss, p1, s1] = step(params, state, x, y, eps, np.array(stepSize(c.optimizer, c.lr, t)));
      return { loss, params: p1, state: s1 };
    },
    () => step.dispose(),
  );
}

/** Time a runner: set-up, first step (compilation included), then medians of `repeats` × `steps`. */
async function timeRunner(make: () => Runner, c: NetCfg): Promise<Record<string, number>> {
  let w = performance.now();
  let cp = cpuMs();
  const r = make();
  const setup = { wall: performance.now() - w, cpu: cpuMs() - cp };
  w = performance.now();
  cp = cpuMs();
  let loss = await r.step();
  const first = { wall: performance.now() - w, cpu: cpuMs() - cp };
  for (let i = 0; i < c.warmup; i++) await r.step();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let k = 0; k < c.repeats; k++) {
    w = performance.now();
    cp = cpuMs();
    for (let i = 0; i < c.steps; i++) loss = await r.step();
    walls.push((performance.now() - w) / c.steps);
    cpus.push((cpuMs() - cp) / c.steps);
  }
  r.dispose();
  const stepMs = median(walls);
  return {
    setup_s: setup.wall / 1000,
    setup_cpu_s: setup.cpu / 1000,
    first_step_s: first.wall / 1000,
    first_step_cpu_s: first.cpu / 1000,
    step_ms: stepMs,
    step_ms_min: Math.min(...walls),
    cpu_step_ms: median(cpus),
    samples_per_s: (c.batch * 1000) / stepMs,
    final_loss: loss,
  };
}

const ratio = (ours: number, theirs: unknown) =>
  typeof theirs === "number" && theirs > 0 ? ours / theirs : null;

async function stepSection(): Promise<Record<string, unknown>> {
  const fast = await timeRunner(() => fastRunner(STEP), STEP);
  const reference = !want("reference")
    ? null
    : await timeRunner(() => referenceRunner(STEP), { ...STEP, repeats: QUICK ? 1 : 3 });
  const np1 = python(STEP as unknown as Record<string, unknown>, 1);
  const npDefault = python(STEP as unknown as Record<string, unknown>, "default");
  const sps1 = np1.samples_per_s;
  const spsD = npDefault.samples_per_s;
  return {
    config: STEP,
    ours: fast,
    reference_whole_jit: reference,
    numpy_1_thread: np1,
    numpy_default_threads: npDefault,
    ratio_vs_numpy_1_thread: ratio(fast.samples_per_s, sps1),
    ratio_vs_numpy_default_threads: ratio(fast.samples_per_s, spsD),
    ratio_vs_numpy_1_thread_cpu_time: ratio(np1.cpu_step_ms as number, fast.cpu_step_ms),
    speedup_vs_reference: reference ? fast.samples_per_s / reference.samples_per_s : null,
    goal: "ratio_vs_numpy_1_thread ≥ 0.4 (stretch 0.5)",
  };
}

const ARCH: NetCfg = { ...STEP, width: 256 };

async function archSection(): Promise<Record<string, unknown>> {
  const variants: [string, NetCfg][] = [
    ["plain", ARCH],
    ["batchnorm", { ...ARCH, batchnorm: true }],
    ["residual_reduced", { ...ARCH, residual: "reduced" }],
  ];
  const runners = variants.map(([name, c]) => ({
    name,
    c,
    r: fastRunner(c),
    walls: [] as number[],
    cpus: [] as number[],
  }));
  for (const v of runners) for (let i = 0; i <= ARCH.warmup; i++) await v.r.step(); // compile + warm up
  for (let k = 0; k < ARCH.repeats; k++) {
    for (const v of runners) {
      const w = performance.now();
      const cp = cpuMs();
      for (let i = 0; i < ARCH.steps; i++) await v.r.step();
      v.walls.push((performance.now() - w) / ARCH.steps);
      v.cpus.push((cpuMs() - cp) / ARCH.steps);
    }
  }
  for (const v of runners) v.r.dispose();
  const res = Object.fromEntries(
    runners.map((v) => [
      v.name,
      {
        step_ms: median(v.walls),
        cpu_step_ms: median(v.cpus),
        samples_per_s: (ARCH.batch * 1000) / median(v.walls),
      },
    ]),
  );
  const plain = res.plain;
  return {
    config: ARCH,
    ...res,
    batchnorm_over_plain_step_time: res.batchnorm.step_ms / plain.step_ms,
    batchnorm_over_plain_cpu_time: res.batchnorm.cpu_step_ms / plain.cpu_step_ms,
    residual_reduced_over_plain_step_time: res.residual_reduced.step_ms / plain.step_ms,
  };
}

async function hayouSection(): Promise<Record<string, unknown>> {
  const fast = await timeRunner(() => fastRunner(HAYOU), HAYOU);
  const np1 = python(HAYOU as unknown as Record<string, unknown>, 1);
  const theirs = typeof np1.step_ms === "number" ? np1.step_ms : null;
  return {
    config: HAYOU,
    ours: fast,
    numpy_1_thread: np1,
    steady_step_vs_numpy: theirs ? fast.step_ms / theirs : null,
    steady_step_vs_numpy_cpu_time: theirs ? fast.cpu_step_ms / (np1.cpu_step_ms as number) : null,
    goals: "first_step_s ≤ 10; steady_step_vs_numpy ≤ 3",
  };
}

async function timeCall(fn: () => Promise<void>, repeats: number): Promise<number> {
  for (let i = 0; i < 2; i++) await fn();
  const t: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const w = performance.now();
    await fn();
    t.push(performance.now() - w);
  }
  return median(t);
}

async function componentsSection(): Promise<Record<string, unknown>> {
  const R = QUICK ? 3 : 9;
  const sin = (shape: number[]) =>
    np.array(
      new Float32Array(shape.reduce((a, b) => a * b)).map((_, i) => Math.sin(i)),
      { shape },
    );
  const mm = async (
    name: string,
    f: (a: Array, b: Array) => Array,
    sa: number[],
    sb: number[],
    flop: number,
  ) => {
    const g = jit(f);
    const a = sin(sa);
    const b = sin(sb);
    const ms = await timeCall(async () => {
      await g(a.ref, b.ref).data();
    }, R);
    a.dispose();
    b.dispose();
    g.dispose();
    return [name, { ms, gflops: flop / ms / 1e6 }] as const;
  };
  const B = STEP.batch;
  const N = STEP.width;
  const matmul = Object.fromEntries([
    await mm("square_1024", (a, b) => np.matmul(a, b), [1024, 1024], [1024, 1024], 2 * 1024 ** 3),
    await mm("layer_forward_a_W", (a, b) => np.matmul(a, b), [B, N], [N, N], 2 * B * N * N),
    await mm("layer_input_grad_g_Wt", (a, b) => np.matmul(a, b.transpose()), [B, N], [N, N], 2 * B * N * N),
    await mm("layer_weight_grad_aT_gT", (a, b) => np.matmul(a, b.transpose()), [N, B], [N, B], 2 * B * N * N),
    await mm(
      "layer_weight_grad_a_g_untransposed",
      (a, b) => np.matmul(a.transpose(), b),
      [B, N],
      [B, N],
      2 * B * N * N,
    ),
  ]);
  const np1 = python({ mode: "matmul", n: 1024, repeats: R }, 1);

  const n = 1 << 20;
  const perSec = (ms: number) => n / ms / 1e3;
  const key = random.key(7);
  const jaxNormal = await timeCall(async () => {
    await random.normal(key.ref, [n]).data();
  }, R);
  const jaxBernoulli = await timeCall(async () => {
    await random.bernoulli(key.ref, 0.9, [n]).astype(np.float32).data();
  }, R);
  key.dispose();
  const buf = new Float32Array(n);
  const stream = new Stream(1, 2, 3);
  const zig = await timeCall(async () => {
    stream.fillNormal(buf, 1);
  }, R);
  const dropout = parseNoise("dropout:keep=0.9");
  const mask = await timeCall(async () => {
    fillNoise(buf, dropout, stream);
  }, R);
  const gauss = parseNoise("gauss_mult:std=0.5");
  const gaussNoise = await timeCall(async () => {
    fillNoise(buf, gauss, stream);
  }, R);
  return {
    matmul_f32: matmul,
    numpy_1_thread_matmul_1024: np1,
    matmul_1024_ratio_vs_numpy_1_thread: ratio(matmul.square_1024.gflops, np1.gflops),
    rng_million_per_s: {
      jax_random_normal: perSec(jaxNormal),
      jax_random_bernoulli: perSec(jaxBernoulli),
      ziggurat_fill_normal: perSec(zig),
      host_dropout_mask: perSec(mask),
      host_gauss_mult_noise: perSec(gaussNoise),
    },
  };
}

/** wasm memory of jax-js: the largest WebAssembly.Memory is not reachable, so RSS and arrayBuffers. */
async function rssSection(): Promise<Record<string, unknown>> {
  const r = fastRunner(RSS);
  const samples: { step: number; rss_mb: number; array_buffers_mb: number }[] = [];
  const every = RSS.steps / 8;
  let loss = NaN;
  const w = performance.now();
  for (let s = 1; s <= RSS.steps; s++) {
    loss = await r.step();
    if (s % every === 0 || s === 1) {
      const m = process.memoryUsage();
      samples.push({ step: s, rss_mb: m.rss / 1e6, array_buffers_mb: m.arrayBuffers / 1e6 });
    }
  }
  const seconds = (performance.now() - w) / 1000;
  r.dispose();
  const quarter = samples.find((p) => p.step >= RSS.steps / 4) ?? samples[0];
  const last = samples[samples.length - 1];
  return {
    config: RSS,
    seconds,
    final_loss: loss,
    samples,
    rss_growth_mb_after_first_quarter: last.rss_mb - quarter.rss_mb,
    array_buffers_growth_mb_after_first_quarter: last.array_buffers_mb - quarter.array_buffers_mb,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  await initJax();
  const out: Record<string, unknown> = {
    jax_js: await jaxVersion(),
    node: process.version,
    cpus: os.cpus().length,
    load_average_at_start: os.loadavg(),
    note: "timings on a shared machine vary with its load; compare the ratios (same run), and cpu_* times",
  };
  if (want("step")) out.step = await stepSection();
  if (want("arch")) out.arch = await archSection();
  if (want("hayou")) out.hayou = await hayouSection();
  if (want("components")) out.components = await componentsSection();
  if (want("rss")) out.rss = await rssSection();
  out.load_average_at_end = os.loadavg();
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((r) => process.stdout.write(JSON.stringify(r, null, 2) + "\n"));
}
