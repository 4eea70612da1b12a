/**
 * "What happens after initialisation?" — the plan that ends the seed talk (Pretorius 2018, "Theory for
 * Deep Learning": compare initialisations by SVCCA towards an optimal solution; Nye & Saxe 2018; Li et
 * al. 2018), built on tasks whose optimal solution is known (src/train/tasks):
 *
 * - parity of n bits (inputs ±1, target ∏ xᵢ) with its exact XOR-tree ReLU network of log₂ n layers;
 * - the DFT of n complex points, a deep linear network of log₂ n layers whose exact solution is the
 *   butterfly factorisation (FFT);
 * - teacher–student: a planted random network of the student's architecture, drawn at the critical
 *   initialisation of its activation (the generic "optimal solution").
 *
 * One *arm* = one task, activation, initialisation and seed: the student is trained with MSE (Adam by
 * default) through the project's training step (src/train/regression.ts → step.ts); at log-spaced
 * snapshots its hidden representations aˡ = φ(hˡ) on a fixed probe set (all 2ⁿ parity inputs; Gaussian
 * inputs otherwise) are compared per layer, by SVCCA (svcca.ts, 99 % of Σ s² kept), with the solution's
 * representations of the same layer and with its own at step 0, in float64 on the host. A constant
 * representation (a dead layer) has no directions and scores 0. Also recorded: the probe loss, for parity
 * the fraction of inputs with sign(output) = target, and the parameter distance ‖θ_t − θ*‖/‖θ*‖.
 *
 * Initialisations (σ_w², σ_b²; W ~ N(0, σ_w²/fan_in), b ~ N(0, σ_b²)):
 * - `critical`: the critical point with q* = 1 (theory/critical.ts `criticalFromQStar`:
 *   σ_w² = 1/E[φ′(z)²], σ_b² = 1 − σ_w² E[φ(z)²]; ReLU (2, 0), linear (1, 0), shifted ReLU α = 0.5
 *   ≈ (1.446, 0.0…)); `orthogonal`: the same with orthogonal weights (dynamical isometry for linear nets);
 * - `ordered` / `chaotic`: σ_w² halved / doubled at the critical σ_b², i.e. a per-layer gradient gain
 *   χ = σ_w² E[φ′(√q z)²] of ½ / 2 at q = 1. For the ReLU family and linear networks these are the
 *   vanishing and exploding sides: they have no bounded chaotic phase (docs/THEORY.md; q diverges when χ > 1);
 * - `he` (2, 0) and `xavier` (Glorot normal, 2/(fan_in + fan_out), σ_b² = 0): the usual random inits
 *   (for ReLU, He is the critical point);
 * - `solution`: the exact solution plus a random direction of relative size `distance` (Nye & Saxe).
 */
import { Matrix } from "ml-matrix";
import { parseActivation, type Activation } from "../theory/activations.js";
import { InputError } from "../theory/errors.js";
import { eDphi2 } from "../theory/expectations.js";
import { criticalFromQStar } from "../theory/critical.js";
import type { WeightLaw } from "../engine/weights.js";
import type { OptimizerName } from "../train/optim.js";
import { trainRegression, type RegressionBatch } from "../train/regression.js";
import {
  directDft,
  fftLayers,
  fftSolution,
  gaussianRows,
  hostForward,
  netDistance,
  netNorm,
  parityData,
  parityDepth,
  paritySolution,
  perturbNet,
  sampleHostNet,
  signAccuracy,
  teacherNet,
  type HostInit,
  type HostNet,
} from "../train/tasks/index.js";
import { filterNormalizedDirection, gridPoints, type LossPlane } from "../train/landscape.js";
import { meanSquare } from "../train/varianceDepth.js";
import { svcca } from "./svcca.js";

export type AfterInitTask = "parity" | "fft" | "teacher";
export const AFTER_INIT_TASKS: readonly AfterInitTask[] = ["parity", "fft", "teacher"];
export type ArmInit = "critical" | "orthogonal" | "ordered" | "chaotic" | "he" | "xavier" | "solution";
export const ARM_INITS: readonly ArmInit[] = [
  "critical",
  "orthogonal",
  "ordered",
  "chaotic",
  "he",
  "xavier",
  "solution",
];

/** Relative probe loss below which an FFT or teacher run counts as solved. */
export const SOLVED_REL_LOSS = 0.01;

export interface ArmConfig {
  task: AfterInitTask;
  /** parity: bits n; fft: points n; teacher: input (and output) dimension */
  size: number;
  /** hidden width (parity, teacher; the FFT network has width 2n) */
  width: number;
  /** hidden layers of the teacher (parity: log₂ n; fft: log₂ n − 1) */
  depth: number;
  /** activation spec (the FFT network is linear whatever is given) */
  activation: string;
  init: ArmInit;
  /** init `solution`: ‖θ₀ − θ*‖/‖θ*‖ */
  distance: number;
  optimizer: OptimizerName;
  lr: number;
  steps: number;
  /** mini-batch of fresh Gaussian inputs (fft, teacher); parity trains on all 2ⁿ inputs every step */
  batch: number;
  /** number of snapshots (log-spaced steps, 0 and the last included) */
  snapshots: number;
  /** probe inputs for the representations (fft, teacher) */
  probe: number;
  varianceKept: number;
  /** seed of the student's initial draw (and of the solution's perturbation) */
  seed: number;
  /**
   * seed of the task instance (teacher, probe and training inputs; default `seed`): arms that share it
   * are compared on the same instance (paired)
   */
  taskSeed?: number;
  /** keep the start and final networks in the result (`nets`; not JSON-friendly) */
  keepNets?: boolean;
}

export const DEFAULT_ARM: ArmConfig = {
  task: "parity",
  size: 8,
  width: 8,
  depth: 3,
  activation: "relu",
  init: "critical",
  distance: 0,
  optimizer: "adam",
  lr: 0.01,
  steps: 600,
  batch: 64,
  snapshots: 10,
  probe: 256,
  varianceKept: 0.99,
  seed: 1,
};

export interface ArmInitInfo {
  sigmaW2: number | null;
  sigmaB2: number | null;
  law: WeightLaw;
  /** per-layer gradient gain σ_w² E[φ′(z)²] at q = 1 (null for xavier's per-layer rule and `solution`) */
  chi: number | null;
  label: string;
}

export interface ArmResult {
  config: ArmConfig;
  init: ArmInitInfo;
  status: "ok" | "diverged";
  /** the snapshot step at which a non-finite loss or parameter was found */
  divergedAt?: number;
  steps: number[];
  /** probe MSE (float64 forward of the float32 parameters) */
  loss: number[];
  /** loss / mean square of the probe targets */
  relLoss: number[];
  /** parity: fraction of the 2ⁿ inputs with sign(output) = target */
  accuracy: number[] | null;
  /** [snapshot][hidden layer]: SVCCA similarity to the solution's representation of that layer */
  svccaSolution: number[][];
  /** [snapshot][hidden layer]: SVCCA similarity to the student's own representation at step 0 */
  svccaInit: number[][];
  /** ‖θ_t − θ*‖/‖θ*‖ */
  distance: number[];
  /**
   * FFT only, [snapshot][layer]: fraction of each layer's Σ W² held by the k largest entries of each
   * output unit's column, k = the butterfly's non-zeros per column (4 in the real representation):
   * 1 for the butterfly (and any permutation or rescaling of it), ≈ 0.6 for a dense Gaussian layer of
   * width 16. Gauge-dependent: an FFT network in another basis per layer computes the same map densely.
   */
  sparsity: number[][] | null;
  /** with `keepNets`: the start and the final parameters */
  nets?: { start: HostNet; final: HostNet };
  /** parity: every input right at the end; fft/teacher: final relLoss < SOLVED_REL_LOSS */
  solved: boolean;
  seconds: number;
}

/** Log-spaced snapshot steps in [0, steps] with 0 and `steps` included. */
export function snapshotSteps(steps: number, count: number): number[] {
  const out = new Set<number>([0, steps]);
  for (let i = 0; i < count - 1; i++) out.add(Math.round(Math.pow(steps, i / Math.max(1, count - 2))));
  return [...out].filter((s) => s >= 0 && s <= steps).sort((a, b) => a - b);
}

/** The task's network, solution, probe set and batches. */
export interface TaskSetup {
  activation: Activation;
  sizes: number[];
  solution: HostNet;
  probe: { x: Float64Array; y: Float64Array };
  batch: (t: number) => RegressionBatch;
}

function teacherInit(act: Activation): HostInit {
  const c = criticalFromQStar(act, 1);
  return { sigmaW2: c.sigmaW2, sigmaB2: c.sigmaB2, law: "gaussian" };
}

/** Build the task of an arm (independent of the initialisation). */
export function taskSetup(cfg: ArmConfig): TaskSetup {
  const ts = cfg.taskSeed ?? cfg.seed;
  if (cfg.task === "parity") {
    const act = parseActivation(cfg.activation);
    const depth = parityDepth(cfg.size);
    const sizes = [cfg.size, ...Array.from({ length: depth }, () => cfg.width), 1];
    const { x, y, rows } = parityData(cfg.size);
    const full = { x: Float32Array.from(x), y: Float32Array.from(y), rows };
    return {
      activation: act,
      sizes,
      solution: paritySolution(cfg.size, { width: cfg.width, activation: act }),
      probe: { x, y },
      batch: () => full,
    };
  }
  if (cfg.task === "fft") {
    const act = parseActivation("linear");
    const n = cfg.size;
    const k = fftLayers(n);
    const d = 2 * n;
    const px = gaussianRows(cfg.probe, d, ts, 0);
    return {
      activation: act,
      sizes: Array.from({ length: k + 1 }, () => d),
      solution: fftSolution(n),
      probe: { x: px, y: directDft(px, n) },
      batch: (t) => {
        const x = gaussianRows(cfg.batch, d, ts, t);
        return { x: Float32Array.from(x), y: Float32Array.from(directDft(x, n)), rows: cfg.batch };
      },
    };
  }
  if (cfg.task === "teacher") {
    const act = parseActivation(cfg.activation);
    const sizes = [cfg.size, ...Array.from({ length: cfg.depth }, () => cfg.width), cfg.size];
    const teacher = teacherNet(sizes, teacherInit(act), ts);
    const px = gaussianRows(cfg.probe, cfg.size, ts, 0);
    return {
      activation: act,
      sizes,
      solution: teacher,
      probe: { x: px, y: hostForward(teacher, act, px).output },
      batch: (t) => {
        const x = gaussianRows(cfg.batch, cfg.size, ts, t);
        return {
          x: Float32Array.from(x),
          y: Float32Array.from(hostForward(teacher, act, x).output),
          rows: cfg.batch,
        };
      },
    };
  }
  throw new InputError("task", String(cfg.task), AFTER_INIT_TASKS.join(" | "));
}

/** σ_w², σ_b² and law of an initialisation for an activation (see the module doc). */
export function armInit(init: ArmInit, act: Activation): ArmInitInfo & { host: HostInit | null } {
  const chiAt = (w2: number) => w2 * eDphi2(act, 1);
  const c = criticalFromQStar(act, 1);
  const pt = (w2: number, b2: number, law: WeightLaw, label: string) => ({
    sigmaW2: w2,
    sigmaB2: b2,
    law,
    chi: chiAt(w2),
    label,
    host: { sigmaW2: w2, sigmaB2: b2, law },
  });
  const f = (x: number) => String(+x.toPrecision(4));
  switch (init) {
    case "critical":
      return pt(c.sigmaW2, c.sigmaB2, "gaussian", `critical (${f(c.sigmaW2)}, ${f(c.sigmaB2)})`);
    case "orthogonal":
      return pt(c.sigmaW2, c.sigmaB2, "orthogonal", `critical orthogonal (${f(c.sigmaW2)}, ${f(c.sigmaB2)})`);
    case "ordered":
      return pt(c.sigmaW2 / 2, c.sigmaB2, "gaussian", `ordered (${f(c.sigmaW2 / 2)}, ${f(c.sigmaB2)})`);
    case "chaotic":
      return pt(2 * c.sigmaW2, c.sigmaB2, "gaussian", `chaotic (${f(2 * c.sigmaW2)}, ${f(c.sigmaB2)})`);
    case "he":
      return pt(2, 0, "gaussian", "He (2, 0)");
    case "xavier":
      return {
        sigmaW2: null,
        sigmaB2: 0,
        law: "gaussian",
        chi: null,
        label: "Xavier (2/(fan_in+fan_out), 0)",
        host: { sigmaW2: (_l, fi, fo) => (2 * fi) / (fi + fo), sigmaB2: 0, law: "gaussian" },
      };
    case "solution":
      return {
        sigmaW2: null,
        sigmaB2: null,
        law: "gaussian",
        chi: null,
        label: "solution + noise",
        host: null,
      };
  }
  throw new InputError("init", String(init), ARM_INITS.join(" | "));
}

/** SVCCA similarity of two B × N row-major representations; 0 when either is constant. */
function similarity(a: Float64Array, b: Float64Array, rows: number, varianceKept: number): number {
  try {
    const A = Matrix.from1DArray(rows, a.length / rows, a);
    const B = Matrix.from1DArray(rows, b.length / rows, b);
    return svcca(A, B, { varianceKept }).similarity;
  } catch (e) {
    if (e instanceof InputError) return 0;
    throw e;
  }
}

/** Run one arm (see the module doc); `onProgress(step, steps)` after every training step. */
export async function runArm(
  config: Partial<ArmConfig> & Pick<ArmConfig, "task">,
  onProgress?: (done: number, total: number) => void,
): Promise<ArmResult> {
  const cfg: ArmConfig = { ...DEFAULT_ARM, ...config };
  if (cfg.task === "fft") cfg.activation = "linear";
  const setup = taskSetup(cfg);
  const act = setup.activation;
  const init = armInit(cfg.init, act);
  const start =
    init.host === null
      ? perturbNet(setup.solution, cfg.distance, cfg.seed)
      : sampleHostNet(setup.sizes, init.host, cfg.seed);
  const steps = snapshotSteps(cfg.steps, cfg.snapshots);
  const r = await trainRegression(
    {
      activation: act,
      start,
      optimizer: cfg.optimizer,
      lr: cfg.lr,
      steps: cfg.steps,
      batch: setup.batch,
      snapshots: steps,
    },
    onProgress,
  );
  const rows = setup.probe.y.length / setup.sizes[setup.sizes.length - 1];
  const sol = hostForward(setup.solution, act, setup.probe.x);
  const ySq = meanSquare(setup.probe.y);
  const solNorm = netNorm(setup.solution);
  const out: ArmResult = {
    config: cfg,
    init: { sigmaW2: init.sigmaW2, sigmaB2: init.sigmaB2, law: init.law, chi: init.chi, label: init.label },
    status: r.status,
    steps: [],
    loss: [],
    relLoss: [],
    accuracy: cfg.task === "parity" ? [] : null,
    svccaSolution: [],
    svccaInit: [],
    distance: [],
    sparsity: cfg.task === "fft" ? [] : null,
    solved: false,
    seconds: 0,
  };
  if (r.divergedAt !== undefined) out.divergedAt = r.divergedAt;
  let first: Float64Array[] | null = null;
  for (const s of r.snapshots) {
    const pass = hostForward(s.net, act, setup.probe.x);
    first ??= pass.hidden;
    let se = 0;
    for (let i = 0; i < pass.output.length; i++) se += (pass.output[i] - setup.probe.y[i]) ** 2;
    const loss = se / pass.output.length;
    out.steps.push(s.step);
    out.loss.push(loss);
    out.relLoss.push(loss / ySq);
    out.accuracy?.push(signAccuracy(pass.output, setup.probe.y));
    out.svccaSolution.push(pass.hidden.map((h, l) => similarity(h, sol.hidden[l], rows, cfg.varianceKept)));
    out.svccaInit.push(pass.hidden.map((h, l) => similarity(h, first![l], rows, cfg.varianceKept)));
    out.distance.push(netDistance(s.net, setup.solution) / solNorm);
    out.sparsity?.push(s.net.map((l) => topKMass(l, 4)));
  }
  if (cfg.keepNets && r.snapshots.length)
    out.nets = { start, final: r.snapshots[r.snapshots.length - 1].net };
  const last = out.steps.length - 1;
  out.solved =
    r.status === "ok" &&
    last >= 0 &&
    out.steps[last] === cfg.steps &&
    (cfg.task === "parity" ? out.accuracy![last] === 1 : out.relLoss[last] < SOLVED_REL_LOSS);
  out.seconds = r.seconds;
  return out;
}

/** Fraction of Σ W² in the k largest-magnitude entries of each column (output unit) of a layer. */
export function topKMass(layer: HostNet[number], k: number): number {
  const { w, fanIn, fanOut } = layer;
  let top = 0;
  let all = 0;
  const col = new Float64Array(fanIn);
  for (let j = 0; j < fanOut; j++) {
    for (let i = 0; i < fanIn; i++) col[i] = w[i * fanOut + j] ** 2;
    col.sort();
    for (let i = 0; i < fanIn; i++) {
      all += col[i];
      if (i >= fanIn - k) top += col[i];
    }
  }
  return all > 0 ? top / all : 0;
}

/** Mean and sample standard deviation (0 for one value); NaN for none. */
export function meanSd(xs: number[]): { mean: number; sd: number } {
  const v = xs.filter(Number.isFinite);
  if (v.length === 0) return { mean: NaN, sd: NaN };
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) : 0;
  return { mean: m, sd };
}

/** Mean over hidden layers of one snapshot's per-layer similarities. */
export function layerMean(perLayer: number[]): number {
  return perLayer.reduce((a, b) => a + b, 0) / perLayer.length;
}

/** Seeds of one arm, summarised: mean ± sd over seeds per snapshot and per layer at the end. */
export interface ArmSummary {
  task: AfterInitTask;
  activation: string;
  init: ArmInit;
  label: string;
  seeds: number;
  steps: number[];
  /** layer-mean SVCCA to the solution per snapshot */
  svccaSolution: { mean: number[]; sd: number[] };
  svccaInit: { mean: number[]; sd: number[] };
  relLoss: { mean: number[]; sd: number[] };
  /** per hidden layer at the last snapshot */
  finalSvccaSolution: { mean: number[]; sd: number[] };
  solvedRate: number;
  diverged: number;
}

/** Summarise runs of the same arm over seeds (runs that diverged early are left out of the curves). */
export function summariseArm(runs: ArmResult[]): ArmSummary {
  const r0 = runs[0];
  const complete = runs.filter((r) => r.steps.length === r0.steps.length || r.status === "ok");
  const full = complete.filter((r) => r.steps.length === Math.max(...runs.map((x) => x.steps.length)));
  const steps = full[0]?.steps ?? r0.steps;
  const col = (f: (r: ArmResult, i: number) => number) => {
    const m: number[] = [];
    const s: number[] = [];
    steps.forEach((_, i) => {
      const v = meanSd(full.map((r) => f(r, i)));
      m.push(v.mean);
      s.push(v.sd);
    });
    return { mean: m, sd: s };
  };
  const layers = r0.svccaSolution[0]?.length ?? 0;
  const fin = { mean: [] as number[], sd: [] as number[] };
  for (let l = 0; l < layers; l++) {
    const v = meanSd(full.map((r) => r.svccaSolution[r.svccaSolution.length - 1][l]));
    fin.mean.push(v.mean);
    fin.sd.push(v.sd);
  }
  return {
    task: r0.config.task,
    activation: r0.config.activation,
    init: r0.config.init,
    label: r0.init.label,
    seeds: runs.length,
    steps,
    svccaSolution: col((r, i) => layerMean(r.svccaSolution[i])),
    svccaInit: col((r, i) => layerMean(r.svccaInit[i])),
    relLoss: col((r, i) => r.relLoss[i]),
    finalSvccaSolution: fin,
    solvedRate: runs.filter((r) => r.solved).length / runs.length,
    diverged: runs.filter((r) => r.status === "diverged").length,
  };
}

/** Probe MSE of a network on its task (float64 forward); null when not finite. */
export function probeLoss(setup: TaskSetup, net: HostNet): number | null {
  const out = hostForward(net, setup.activation, setup.probe.x).output;
  let se = 0;
  for (let i = 0; i < out.length; i++) se += (out[i] - setup.probe.y[i]) ** 2;
  const l = se / out.length;
  return Number.isFinite(l) ? l : null;
}

/** θ(t) = (1 − t)·a + t·b, every weight and bias. */
export function interpolateNets(a: HostNet, b: HostNet, t: number): HostNet {
  return a.map((l, i) => ({
    w: l.w.map((v, k) => (1 - t) * v + t * b[i].w[k]),
    b: l.b.map((v, k) => (1 - t) * v + t * b[i].b[k]),
    fanIn: l.fanIn,
    fanOut: l.fanOut,
  }));
}

/**
 * The probe loss along the line from `a` (t = 0) to `b` (t = 1) (Goodfellow, Vinyals & Saxe 2015; Li et
 * al. 2018 §3), at the given t.
 */
export function lossOnLine(setup: TaskSetup, a: HostNet, b: HostNet, ts: number[]): (number | null)[] {
  return ts.map((t) => probeLoss(setup, interpolateNets(a, b, t)));
}

/**
 * The probe loss on θ + αδ + βη with δ, η filter-normalised random directions (Li et al. 2018 §4;
 * train/landscape.ts `filterNormalizedDirection`: each output unit's weights scaled to that unit's norm
 * in θ, biases unperturbed), on a `points` × `points` grid over [−span, span]², in the LossPlane shape of
 * `sigprop landscape`.
 */
export function lossPlaneAround(
  setup: TaskSetup,
  net: HostNet,
  opts: { span: number; points: number; seed: number },
): LossPlane {
  const params = net.map((l) => ({
    w: Float32Array.from(l.w),
    b: Float32Array.from(l.b),
    fanIn: l.fanIn,
    fanOut: l.fanOut,
  }));
  const d1 = filterNormalizedDirection(params, opts.seed, 0);
  const d2 = filterNormalizedDirection(params, opts.seed, 1);
  const grid = gridPoints(-opts.span, opts.span, opts.points);
  const loss = grid.map((a) =>
    grid.map((b) =>
      probeLoss(
        setup,
        net.map((l, i) => ({
          w: l.w.map((v, k) => v + a * d1[i].w[k] + b * d2[i].w[k]),
          b: l.b.map((v, k) => v + a * d1[i].b[k] + b * d2[i].b[k]),
          fanIn: l.fanIn,
          fanOut: l.fanOut,
        })),
      ),
    ),
  );
  return {
    alpha: grid,
    beta: grid,
    loss,
    accuracy: null,
    seed: opts.seed,
    examples: setup.probe.x.length / setup.sizes[0],
  };
}
