/**
 * Simulation benchmarks (issue 3): throughput of the Monte Carlo engine (src/sim) on a Fig 4b
 * configuration — ReLU, critical dropout keep 0.6 (σ_w² = 1.2), 3 starting correlations with 17 input
 * pairs each (102 inputs per network) — reported as layers × width² × inputs per second, GFLOP/s of the
 * matmuls and weight normals per second, with a numpy baseline of the same computation (bench/sim_numpy.py,
 * when python3 + numpy exist) as a ratio numpy_time / our_time (> 1: we are faster).
 *
 * Scales: default (quick) N = 500, 15 layers, 10 networks, 3 repeats (≈ 1 minute including numpy);
 * SIGPROP_BENCH_SCALE=paper: N = 1000, 30 layers, 50 networks, 1 repeat — the paper's Fig 4b
 * configuration (its code needs ≈ 70 s); SIGPROP_BENCH_SCALE=paper10: the same with 10 networks (for a
 * busy machine; every network costs the same, so the ratios are those of the full run). numpy runs with OPENBLAS_NUM_THREADS=1 (jax-js uses one core
 * in Node; STACK.md) unless SIGPROP_BENCH_NUMPY_THREADS says otherwise.
 * Ratios are given for wall time and for CPU time (process CPU seconds; on a machine shared with other
 * jobs, CPU time is the fairer comparison since both sides run on one core).
 * Component timings: ziggurat vs jax-js `random.normal`, the B×N·N×N matmul, one Haar matrix.
 * Two routes of ours are timed (src/engine/tensor.ts `LayerRoute`): the default ("auto": each Gaussian
 * layer's outputs drawn from their exact law given the inputs, B·N normals) and "explicit" (W^l sampled,
 * the computation numpy does). Peak RSS: ours from process.resourceUsage().maxRSS after the timed runs
 * (the whole bench process), numpy's from getrusage in its own process.
 */
import { pythonBaseline } from "./python.js";
import { numpy as np, random } from "@jax-js/jax";
import { initJax, jaxVersion, simulateDynamics, type SimConfig } from "../src/sim/index.js";
import { haarOrthogonal } from "../src/engine/haar.js";
import { Stream } from "../src/engine/rng.js";
import { parseActivation } from "../src/theory/activations.js";
import { parseNoise } from "../src/theory/noise.js";
import { time } from "./stats.js";

interface Scale {
  width: number;
  depth: number;
  networks: number;
  pairs: number;
  repeats: number;
}

const SCALES: Record<string, Scale> = {
  quick: { width: 500, depth: 15, networks: 10, pairs: 17, repeats: 3 },
  paper: { width: 1000, depth: 30, networks: 50, pairs: 17, repeats: 1 },
  /** the paper's per-network configuration with 10 of its 50 networks (time scales linearly in networks) */
  paper10: { width: 1000, depth: 30, networks: 10, pairs: 17, repeats: 1 },
};
const C0S = [0, 0.5, 0.9];
const KEEP = 0.6;

function numpyBaseline(s: Scale): Record<string, unknown> {
  const cfg = {
    width: s.width,
    depth: s.depth,
    networks: s.networks,
    pairs: s.pairs,
    c0s: C0S,
    q0: 1,
    keep: KEEP,
    sigma_w2: 2 * KEEP,
    repeats: s.repeats,
  };
  return pythonBaseline("sim_numpy.py", cfg, process.env.SIGPROP_BENCH_NUMPY_THREADS ?? "1");
}

/** Component timings at width n with b inputs. */
async function components(n: number, b: number): Promise<Record<string, unknown>> {
  const buf = new Float32Array(n * n);
  const s = new Stream(1);
  const zig = await time(() => s.fillNormal(buf), 5, 1);
  let k = 0;
  const jaxNormal = await time(() => random.normal(random.key(k++ % 4), [n, n]).dataSync(), 3, 1);
  const w = np.array(buf, { shape: [n, n] });
  const x = np.array(new Float32Array(b * n).fill(0.5), { shape: [b, n] });
  const mm = await time(() => np.matmul(x.ref, w.ref).dataSync(), 5, 1);
  w.dispose();
  x.dispose();
  const hn = Math.min(n, 256);
  const haar = await time(() => haarOrthogonal(new Stream(2), hn), 2, 0);
  return {
    ziggurat_normals_per_s: (n * n) / (zig.median_ms / 1000),
    jax_random_normal_per_s: (n * n) / (jaxNormal.median_ms / 1000),
    matmul_ms: mm.median_ms,
    matmul_gflops: (2 * b * n * n) / (mm.median_ms / 1000) / 1e9,
    haar_orthogonal_n: hn,
    haar_orthogonal_ms: haar.median_ms,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  await initJax();
  const scaleName =
    (["paper", "paper10"] as const).find((k) => k === process.env.SIGPROP_BENCH_SCALE) ?? "quick";
  const s = SCALES[scaleName];
  const inputs = 2 * s.pairs * C0S.length;
  const model = {
    activation: parseActivation("relu"),
    noise: parseNoise(`dropout:keep=${KEEP}`),
    sigmaW2: 2 * KEEP,
    sigmaB2: 0,
  };
  const cfg: SimConfig = {
    model,
    width: s.width,
    depth: s.depth,
    networks: s.networks,
    seed: 1,
    weights: "gaussian",
    pairs: s.pairs,
  };
  const netLayers = s.depth * s.networks;
  const measure = async (route: "auto" | "explicit") => {
    let last: Awaited<ReturnType<typeof simulateDynamics>> | null = null;
    let seed = 0;
    const cpu: number[] = [];
    const t = await time(
      async () => {
        const c0 = process.cpuUsage();
        last = await simulateDynamics({ ...cfg, seed: seed++, route }, 1, C0S);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1e6);
      },
      s.repeats,
      scaleName === "quick" ? 1 : 0,
    );
    const sec = t.median_ms / 1000;
    const timedCpu = cpu.slice(cpu.length - s.repeats).sort((a, b) => a - b);
    const res = last as unknown as { variance: { mean: number[] }; correlation: { mean: number[] }[] };
    return {
      route,
      median_s: sec,
      min_s: t.min_ms / 1000,
      repeats: t.repeats,
      cpu_median_s: timedCpu[Math.floor(timedCpu.length / 2)],
      layer_width2_inputs_per_s: (netLayers * s.width * s.width * inputs) / sec,
      variance_mean_last: res.variance.mean[s.depth],
      correlation_mean_last: res.correlation.map((c) => c.mean[s.depth]),
    };
  };
  const ours = await measure("auto");
  const oursExplicit = process.env.SIGPROP_BENCH_SIM_EXPLICIT === "0" ? null : await measure("explicit");
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const sec = ours.median_s;
  const cpuSec = ours.cpu_median_s;
  const numpy = numpyBaseline(s);
  const ratio = (mode: string, key: "median_s" | "cpu_median_s", ours: number) => {
    const m = (numpy as Record<string, { median_s?: number; cpu_median_s?: number }>)[mode];
    return m?.[key] ? (m[key] as number) / ours : null;
  };
  return {
    scale: scaleName,
    config: {
      activation: "relu",
      noise: `dropout:keep=${KEEP}`,
      sigma_w2: 2 * KEEP,
      ...s,
      c0s: C0S,
      inputs_per_network: inputs,
    },
    jax_js: await jaxVersion(),
    ours,
    ours_explicit: oursExplicit,
    ours_peak_rss_mb: rssMb,
    numpy,
    speedup_vs_numpy_generator: ratio("generator", "median_s", sec),
    speedup_vs_numpy_legacy: ratio("legacy", "median_s", sec),
    cpu_speedup_vs_numpy_generator: ratio("generator", "cpu_median_s", cpuSec),
    cpu_speedup_vs_numpy_legacy: ratio("legacy", "cpu_median_s", cpuSec),
    explicit_speedup_vs_numpy_generator: oursExplicit
      ? ratio("generator", "median_s", oursExplicit.median_s)
      : null,
    explicit_cpu_speedup_vs_numpy_generator: oursExplicit
      ? ratio("generator", "cpu_median_s", oursExplicit.cpu_median_s)
      : null,
    components: await components(s.width, inputs),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((r) => process.stdout.write(JSON.stringify(r, null, 2) + "\n"));
}
