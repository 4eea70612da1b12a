/**
 * `sigprop simulate`: Monte Carlo over random noisy networks (docs/THEORY.md §4) next to the mean-field theory.
 *
 * Experiments (--experiment):
 *   dynamics         per-layer variance and correlation over --depth layers from --q0 and each --c0
 *                    (Figs 2b, 3b, 4b, 5), with ξ_c fitted against the exact c*;
 *   variance_map     one layer at each --q0 (list or a:b:n range) (Figs 2a, 3a);
 *   correlation_map  one layer at each --c0 (list or a:b:n range) at --q0 (Fig 4a).
 * `--json` prints one object with snake_case keys: variance_mean, variance_std, correlation_mean,
 * correlation_std (dynamics: one array over layers per c⁰; correlation_map: one entry per c⁰), theory_variance,
 * theory_correlation, z scores and max_abs_z.
 *
 * A simulated value that is not finite (float32 overflow of a network that blew up) is a failed comparison,
 * never a silent "no z": the JSON lists the entries (`non_finite_layers` for dynamics, `non_finite_q0` /
 * `non_finite_c0` for the maps), `comparison` is "non_finite" instead of "ok", `max_abs_z` is null, the
 * readable output says so on stdout and stderr, and the exit status is 1 (the results are still printed).
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { analyze } from "../../theory/analyze.js";
import { InputError } from "../../theory/errors.js";
import { dynamics } from "../../theory/dynamics.js";
import { covarianceMap, varianceMap } from "../../theory/maps.js";
import type { Model } from "../../theory/model.js";
import type { LayerStats, Progress, SimConfig } from "../../sim/index.js";
import {
  action,
  addDeviceOption,
  addModelOptions,
  deviceFrom,
  emit,
  fmt,
  int,
  modelFrom,
  num,
  range,
  type ModelOpts,
} from "../common.js";
import { checkEstimate, JAX_FLOPS, NORMALS_PER_S } from "../limits.js";

type Experiment = "dynamics" | "variance_map" | "correlation_map";
const EXPERIMENTS: Experiment[] = ["dynamics", "variance_map", "correlation_map"];

interface SimulateOpts extends ModelOpts {
  experiment: string;
  width: string;
  depth: string;
  networks: string;
  seed: string;
  q0: string;
  c0: string;
  weights: string;
  pairs: string;
  json?: boolean;
  progress?: boolean;
  device?: string;
  threads?: string;
}

/** A list of numbers: `a,b,c` or a range `a:b:n`. */
function numbers(flag: string, raw: string, lo: number, hi: number): number[] {
  const valid = `numbers in [${lo}, ${hi}] as a list a,b,c or a range a:b:n`;
  const vals = raw.includes(":")
    ? range(flag, raw, { lo, hi })
    : raw.split(",").map((s) => num(flag, s, valid));
  for (const v of vals) if (!(v >= lo && v <= hi)) throw new InputError(flag, raw, valid);
  if (!vals.length) throw new InputError(flag, raw, valid);
  return vals;
}

function sigpropVersion(): string {
  try {
    return String(
      JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")).version,
    );
  } catch {
    return "unknown";
  }
}

/** Progress on stderr, only when stderr is a terminal. */
function progressBar(enabled: boolean): Progress | undefined {
  if (!enabled || !process.stderr.isTTY) return undefined;
  let last = -1;
  return (done, total) => {
    const pct = Math.floor((100 * done) / total);
    if (pct === last && done !== total) return;
    last = pct;
    process.stderr.write(
      `\rsimulating: ${done}/${total} network-layers (${pct}%)${done === total ? "\n" : ""}`,
    );
  };
}

const round = (xs: (number | null)[]) => xs.map((x) => (x === null ? null : Number(x.toPrecision(10))));

function modelJson(m: Model) {
  return {
    activation: m.activation.spec,
    noise: m.noise.spec,
    noise_type: m.noise.type,
    mu2: m.noise.mu2,
    sigma_w2: m.sigmaW2,
    sigma_b2: m.sigmaB2,
  };
}

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const w = header.map((_, j) => Math.max(...cells.map((r) => r[j].length)));
  return cells.map((r) => r.map((c, j) => c.padStart(w[j])).join("  ")).join("\n");
}

/**
 * The simulation produced non-finite values: state it on stderr (also under --json, where stdout carries
 * the one JSON object) and make the exit status 1.
 */
function failNonFinite(where: string): string {
  const msg = `simulate: FAILED: non-finite simulated values at ${where} (float32 overflow or NaN in the networks); the comparison with theory is invalid there`;
  process.stderr.write(msg + "\n");
  process.exitCode = 1;
  return msg;
}

const pm = (s: LayerStats, i: number) => `${fmt(s.mean[i], 6)} ± ${fmt(s.std[i], 3)}`;

/** The validated configuration of one `simulate` command line. */
interface SimulateSetup {
  experiment: Experiment;
  model: Model;
  cfg: SimConfig;
  q0s: number[];
  c0s: number[];
}

/** Parse and check the flags (exit 2 on bad input) and the size limits, before anything is loaded. */
function simulateSetup(opts: SimulateOpts): SimulateSetup {
  const experiment = opts.experiment as Experiment;
  if (!EXPERIMENTS.includes(experiment))
    throw new InputError("--experiment", opts.experiment, EXPERIMENTS.join(" | "));
  const model = modelFrom(opts);
  const weights = opts.weights;
  if (weights !== "gaussian" && weights !== "orthogonal")
    throw new InputError("--weights", weights, "gaussian | orthogonal");
  const cfg: SimConfig = {
    model,
    width: int("--width", opts.width, 2, 16384),
    depth: experiment === "dynamics" ? int("--depth", opts.depth, 1, 100000) : 1,
    networks: int("--networks", opts.networks, 1, 1_000_000),
    seed: int("--seed", opts.seed, 0, 2 ** 32 - 1),
    weights,
    pairs: int("--pairs", opts.pairs, 1, 100000),
  };
  const q0s = numbers("--q0", opts.q0, 0, Number.MAX_VALUE);
  const c0s = numbers("--c0", opts.c0, -1, 1);
  if (experiment !== "variance_map" && q0s.length !== 1) {
    throw new InputError("--q0", opts.q0, "a single number ≥ 0 (lists are for --experiment variance_map)");
  }
  {
    // per network and layer: N² weight draws and one N×N matmul per input; weights float32 (×3 in flight)
    const inputs = (cfg.pairs ?? 1) * (experiment === "variance_map" ? q0s.length : 2 * c0s.length);
    const n2 = cfg.width * cfg.width;
    const layerSeconds = n2 / NORMALS_PER_S + (2 * n2 * inputs) / JAX_FLOPS;
    const work = cfg.networks * cfg.depth;
    const flag = cfg.width >= 4096 ? "--width" : cfg.networks >= cfg.depth ? "--networks" : "--depth";
    checkEstimate({
      flag,
      value: String(flag === "--width" ? opts.width : flag === "--networks" ? opts.networks : opts.depth),
      what: `${cfg.networks} networks × ${cfg.depth} layers of width ${cfg.width} with ${inputs} inputs`,
      tensorBytes: 3 * 4 * (n2 + cfg.width * inputs),
      seconds: work * layerSeconds,
    });
  }
  return { experiment, model, cfg, q0s, c0s };
}

/** What every experiment's output shares, and how it reports progress. */
interface RunContext extends SimulateSetup {
  sim: typeof import("../../sim/index.js");
  opts: SimulateOpts;
  base: Record<string, unknown>;
  onProgress: Progress | undefined;
  t0: number;
}

/** --experiment dynamics: variance and correlation per layer, theory, z, ξ_c fitted against c*. */
async function runDynamics(ctx: RunContext): Promise<void> {
  const { sim, opts, base, onProgress, t0, model, cfg, q0s, c0s } = ctx;
  const { fitDepthScale, maxAbsZ, nonFiniteEntries, simulateDynamics, zScores } = sim;
  const res = await simulateDynamics(cfg, q0s[0], c0s, onProgress);
  const q0 = q0s[0];
  const theoryQ = dynamics(model, { depth: cfg.depth, q0, c0: c0s[0] }).q;
  const theoryC = c0s.map((c) => dynamics(model, { depth: cfg.depth, q0, c0: c }).c);
  const zV = zScores(res.variance, theoryQ, cfg.networks);
  const zC = res.correlation.map((s, k) => zScores(s, theoryC[k], cfg.networks));
  let cStar: number | null = null;
  let xiTheory: number | null = null;
  try {
    const a = analyze(model, { q0: q0 > 0 ? q0 : 1, c0: c0s[0] });
    cStar = a.cStar;
    xiTheory = a.xiC;
  } catch {
    // theory without a correlation fixed point: no fit
  }
  const fits = res.correlation.map((s) =>
    cStar === null
      ? null
      : fitDepthScale(s.mean, cStar, { sem: s.std.map((x) => x / Math.sqrt(cfg.networks)) }),
  );
  const badV = nonFiniteEntries(res.variance);
  const badC = res.correlation.map(nonFiniteEntries);
  const failed = badV.length > 0 || badC.some((b) => b.length > 0);
  const out = {
    ...base,
    comparison: failed ? "non_finite" : "ok",
    non_finite_layers: { variance: badV, correlation: badC },
    layers: res.variance.mean.map((_, l) => l),
    variance_mean: round(res.variance.mean),
    variance_std: round(res.variance.std),
    correlation_mean: res.correlation.map((s) => round(s.mean)),
    correlation_std: res.correlation.map((s) => round(s.std)),
    theory_variance: round(theoryQ),
    theory_correlation: theoryC.map(round),
    z_variance: round(zV),
    z_correlation: zC.map(round),
    max_abs_z: Math.max(maxAbsZ(zV), ...zC.map(maxAbsZ)),
    c_star: cStar,
    xi_c_theory: xiTheory,
    xi_c_fit: fits.map((f) => f?.xi ?? null),
    xi_c_fit_window: fits.map((f) => (f?.window ? [f.window.from, f.window.to] : null)),
    elapsed_s: (performance.now() - t0) / 1000,
  };
  const failure = failed
    ? failNonFinite(
        [
          badV.length ? `variance layers ${badV.join(",")}` : "",
          ...badC.map((b, k) => (b.length ? `correlation c0=${c0s[k]} layers ${b.join(",")}` : "")),
        ]
          .filter(Boolean)
          .join("; "),
      )
    : "";
  emit(!!opts.json, out, () => {
    const header = [
      "layer",
      "variance (sim)",
      "theory",
      ...c0s.flatMap((c) => [`corr c0=${c} (sim)`, "theory"]),
    ];
    const rows = out.layers.map((l) => [
      l,
      pm(res.variance, l),
      fmt(theoryQ[l], 6),
      ...res.correlation.flatMap((s, k) => [pm(s, l), fmt(theoryC[k][l], 6)]),
    ]);
    return [
      `simulate: ${model.activation.spec}, noise ${model.noise.spec} (μ2 = ${fmt(model.noise.mu2)}), σ_w² = ${fmt(model.sigmaW2)}, σ_b² = ${fmt(model.sigmaB2)}; N = ${cfg.width}, ${cfg.networks} networks, ${cfg.weights} weights, seed ${cfg.seed}`,
      table(header, rows),
      failure || `largest |z| (sim vs theory): ${fmt(out.max_abs_z, 4)}`,
      cStar === null
        ? ""
        : `c* = ${fmt(cStar)}, ξ_c theory = ${fmt(xiTheory)}, fitted: ${out.xi_c_fit.map((x) => fmt(x, 4)).join(", ")}`,
    ].join("\n");
  });
}

/** --experiment variance_map: one layer's variance at each q⁰ against V(q⁰). */
async function runVarianceMap(ctx: RunContext): Promise<void> {
  const { sim, opts, base, onProgress, t0, model, cfg, q0s } = ctx;
  const { maxAbsZ, nonFiniteEntries, simulateVarianceMap, zScores } = sim;
  const res = await simulateVarianceMap(cfg, q0s, onProgress);
  const theory = q0s.map((q) => varianceMap(model, q));
  const z = zScores(res, theory, cfg.networks);
  const bad = nonFiniteEntries(res).map((i) => q0s[i]);
  const failure = bad.length ? failNonFinite(`q0 = ${bad.join(",")}`) : "";
  const out = {
    ...base,
    comparison: bad.length ? "non_finite" : "ok",
    non_finite_q0: bad,
    q0: q0s,
    variance_mean: round(res.mean),
    variance_std: round(res.std),
    theory_variance: round(theory),
    z_variance: round(z),
    max_abs_z: maxAbsZ(z),
    elapsed_s: (performance.now() - t0) / 1000,
  };
  emit(!!opts.json, out, () =>
    [
      `simulate variance_map: ${model.activation.spec}, noise ${model.noise.spec}, σ_w² = ${fmt(model.sigmaW2)}; N = ${cfg.width}, ${cfg.networks} networks`,
      table(
        ["q0", "V(q0) (sim)", "theory"],
        q0s.map((q, i) => [fmt(q, 6), pm(res, i), fmt(theory[i], 6)]),
      ),
      failure || `largest |z|: ${fmt(out.max_abs_z, 4)}`,
    ].join("\n"),
  );
}

/** --experiment correlation_map: one layer's correlation at each c⁰ against C(c⁰) at q⁰. */
async function runCorrelationMap(ctx: RunContext): Promise<void> {
  const { sim, opts, base, onProgress, t0, model, cfg, q0s, c0s } = ctx;
  const { maxAbsZ, nonFiniteEntries, simulateCorrelationMap, zScores } = sim;
  const q0 = q0s[0];
  const res = await simulateCorrelationMap(cfg, q0, c0s, onProgress);
  const theory = c0s.map((c) => covarianceMap(model, q0, q0, c) / varianceMap(model, q0));
  const z = zScores(res, theory, cfg.networks);
  const bad = nonFiniteEntries(res).map((i) => c0s[i]);
  const failure = bad.length ? failNonFinite(`c0 = ${bad.join(",")}`) : "";
  const out = {
    ...base,
    comparison: bad.length ? "non_finite" : "ok",
    non_finite_c0: bad,
    c0: c0s,
    correlation_mean: round(res.mean),
    correlation_std: round(res.std),
    theory_correlation: round(theory),
    z_correlation: round(z),
    max_abs_z: maxAbsZ(z),
    elapsed_s: (performance.now() - t0) / 1000,
  };
  emit(!!opts.json, out, () =>
    [
      `simulate correlation_map at q0 = ${fmt(q0)}: ${model.activation.spec}, noise ${model.noise.spec}, σ_w² = ${fmt(model.sigmaW2)}; N = ${cfg.width}, ${cfg.networks} networks`,
      table(
        ["c0", "C(c0) (sim)", "theory"],
        c0s.map((c, i) => [fmt(c, 6), pm(res, i), fmt(theory[i], 6)]),
      ),
      failure || `largest |z|: ${fmt(out.max_abs_z, 4)}`,
    ].join("\n"),
  );
}

const RUNNERS: Record<Experiment, (ctx: RunContext) => Promise<void>> = {
  dynamics: runDynamics,
  variance_map: runVarianceMap,
  correlation_map: runCorrelationMap,
};

export function register(program: Command): void {
  const cmd = program
    .command("simulate")
    .description("Monte Carlo simulation of random noisy networks against the mean-field theory")
    .option("--experiment <name>", `one of ${EXPERIMENTS.join(" | ")}`, "dynamics")
    .option("--width <n>", "width N of every layer", "1000")
    .option("--depth <l>", "number of layers (dynamics)", "15")
    .option("--networks <k>", "independent networks", "20")
    .option("--seed <s>", "seed (same seed → identical output)", "0")
    .option("--q0 <q>", "input variance q⁰ (variance_map: list a,b,c or range a:b:n)", "1")
    .option("--c0 <c>", "input correlations c⁰, list a,b,c or range a:b:n", "0.5")
    .option("--weights <law>", "gaussian | orthogonal", "gaussian")
    .option("--pairs <p>", "inputs (pairs) per q⁰/c⁰ per network, averaged within a network", "1")
    .option("--json", "print one JSON object")
    .option("--no-progress", "no progress line on stderr");
  addModelOptions(cmd);
  addDeviceOption(cmd, { threads: true });
  cmd.action(
    action(async (opts: SimulateOpts) => {
      const setup = simulateSetup(opts);
      const { experiment, model, cfg, q0s, c0s } = setup;
      const sim = await import("../../sim/index.js");
      const device = await deviceFrom(opts, { work: cfg.networks * cfg.depth * cfg.width ** 2 });
      cfg.threads = device.threads;
      const onProgress = progressBar(opts.progress !== false);
      const t0 = performance.now();
      const base = {
        command: "simulate",
        experiment,
        seed: cfg.seed,
        config: {
          ...modelJson(model),
          width: cfg.width,
          depth: cfg.depth,
          networks: cfg.networks,
          weights: cfg.weights,
          pairs: cfg.pairs,
          q0: experiment === "variance_map" ? q0s : q0s[0],
          c0: experiment === "variance_map" ? null : c0s,
          input_normalisation: "exact: (1/N)|h0|² = q0 and raw correlation = c0 per input",
          statistic: "mean ± sample std (n−1) over networks; z = (mean − theory)/(std/√networks)",
        },
        versions: { sigprop: sigpropVersion(), jax_js: await sim.jaxVersion(), node: process.versions.node },
        device: device.record,
        threads: cfg.threads,
      };
      await RUNNERS[setup.experiment]({ ...setup, sim, opts, base, onProgress, t0 });
    }),
  );
}
