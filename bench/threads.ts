/**
 * Thread scaling (issue 10): 1 → N threads for
 *   (a) the simulation: independent networks on worker threads (src/engine/parallel.ts), a quick Fig 4b
 *       configuration (ReLU, dropout keep 0.6 at σ_w² = 1.2, N = 500, 15 layers, 8 networks, 3 c⁰ × 17
 *       pairs). The pool keeps its workers between runs; `cold_start_s` is the first (near-empty) run
 *       on fresh workers, each importing the simulation and jax-js (from TypeScript source under tsx, as
 *       `npm run bench` runs, slower than from dist/); the timed rounds run on warm workers;
 *   (b) a float32 matmul with jax-js' own wasm worker pool through a `worker_threads` adapter
 *       (bench/wasmPool.ts, one child process per worker count, since jax-js fixes its pool at import);
 *       0 workers = jax-js' default in Node (no pool).
 * Runs are interleaved (1, 2, …, N, 1, 2, …) so that a change of machine load hits every thread count
 * alike; medians over rounds; speed-up = median time(1) / median time(n). The load average is recorded:
 * on a shared machine absolute times mean little, and n threads can only help if n cores are free.
 * The numbers are checked identical for every thread count (`identical`). No assertions.
 * SIGPROP_BENCH_THREADS=1,2,4 overrides the thread counts; SIGPROP_BENCH_ROUNDS the rounds (default 3).
 */
import { spawnSync } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { closePool } from "../src/engine/parallel.js";
import { jaxVersion, simulateDynamics, type SimConfig } from "../src/sim/index.js";
import { parseActivation } from "../src/theory/activations.js";
import { parseNoise } from "../src/theory/noise.js";

const SIM: Omit<SimConfig, "threads"> = {
  model: {
    activation: parseActivation("relu"),
    noise: parseNoise("dropout:keep=0.6"),
    sigmaW2: 1.2,
    sigmaB2: 0,
  },
  width: 500,
  depth: 15,
  networks: 8,
  seed: 1,
  weights: "gaussian",
  pairs: 17,
};
const C0S = [0, 0.5, 0.9];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
};

async function simScaling(threads: number[], rounds: number) {
  const times = new Map<number, number[]>(threads.map((t) => [t, []]));
  const coldStart = new Map<number, number>();
  let reference: string | null = null;
  let identical = true;
  // warm-up (jax-js kernels compiled in this thread)
  await simulateDynamics({ ...SIM, networks: 1, depth: 1, threads: 1 }, 1, C0S);
  // cold start of t workers (import of the simulation and jax-js in each), on a near-empty job
  for (const t of threads) {
    await closePool();
    const t0 = performance.now();
    await simulateDynamics({ ...SIM, width: 16, depth: 1, networks: t, threads: t }, 1, C0S);
    coldStart.set(t, (performance.now() - t0) / 1000);
  }
  for (let r = 0; r < rounds; r++) {
    for (const t of threads) {
      const t0 = performance.now();
      const res = await simulateDynamics({ ...SIM, threads: t }, 1, C0S);
      times.get(t)!.push((performance.now() - t0) / 1000);
      const key = JSON.stringify(res);
      if (reference === null) reference = key;
      else if (key !== reference) identical = false;
    }
  }
  await closePool();
  const base = median(times.get(threads[0])!);
  return {
    config: {
      activation: "relu",
      noise: "dropout:keep=0.6",
      sigma_w2: 1.2,
      width: SIM.width,
      depth: SIM.depth,
      networks: SIM.networks,
      pairs: SIM.pairs,
      c0: C0S,
    },
    rounds,
    identical,
    by_threads: threads.map((t) => ({
      threads: t,
      median_s: median(times.get(t)!),
      all_s: times.get(t),
      speedup_vs_1: base / median(times.get(t)!),
      cold_start_s: coldStart.get(t),
    })),
  };
}

function matmulScaling(workers: number[], rounds: number) {
  const script = fileURLToPath(new URL("./wasmPool.ts", import.meta.url));
  const runs = new Map<number, Record<string, { gflops: number; check: number }>[]>(
    workers.map((w) => [w, []]),
  );
  const errors: string[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const w of workers) {
      const p = spawnSync(process.execPath, ["--import", "tsx", script, String(w)], { encoding: "utf8" });
      if (p.status !== 0) {
        errors.push(`workers ${w}: ${p.stderr.slice(-300)}`);
        continue;
      }
      runs.get(w)!.push(JSON.parse(p.stdout.trim().split("\n").pop()!));
    }
  }
  const sizes = Object.keys(runs.get(workers[0])?.[0] ?? {}).filter((k) => k.startsWith("matmul_"));
  const out: Record<string, unknown> = { rounds, errors };
  for (const size of sizes) {
    const g = (w: number) => median(runs.get(w)!.map((x) => x[size].gflops));
    out[size] = workers.map((w) => ({
      workers: w,
      gflops_median: g(w),
      speedup_vs_no_pool: g(w) / g(workers[0]),
      same_result: runs.get(w)!.every((x) => x[size].check === runs.get(workers[0])![0][size].check),
    }));
  }
  out.simulation_with_pool = runs.get(workers[workers.length - 1])?.[0]?.orthogonal_simulation;
  return out;
}

export async function run(): Promise<Record<string, unknown>> {
  const cores = availableParallelism();
  const threads = process.env.SIGPROP_BENCH_THREADS
    ? process.env.SIGPROP_BENCH_THREADS.split(",").map(Number)
    : Array.from({ length: cores }, (_, i) => i + 1);
  const rounds = Number(process.env.SIGPROP_BENCH_ROUNDS ?? 3);
  const load0 = loadavg();
  const simulation = await simScaling(threads, rounds);
  const matmul = matmulScaling([0, ...threads], rounds);
  return {
    cores,
    jax_js: await jaxVersion(),
    load_average_1_5_15_before: load0,
    load_average_1_5_15_after: loadavg(),
    note: "speed-ups are bounded by the idle cores: with a load average above the core count they mean little",
    simulation,
    matmul_wasm_pool: matmul,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((r) => process.stdout.write(JSON.stringify(r, null, 2) + "\n"));
}
