/**
 * Run one of the Python baselines (bench/*.py: numpy/scipy doing the same work as ours, in the same
 * benchmark run) with a fixed number of BLAS threads, and parse the one JSON object it prints.
 * `threads: "default"` leaves the BLAS libraries to choose. When python3 or a module is missing the result
 * says so instead of failing the benchmark.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export type Baseline = Record<string, unknown>;

export function pythonBaseline(
  script: string,
  config: unknown,
  threads: number | string | "default",
  modules = "numpy",
): Baseline {
  const probe = spawnSync("python3", ["-c", `import ${modules}`], { encoding: "utf8" });
  if (probe.status !== 0) return { available: false, reason: `python3 with ${modules} not found` };
  const env = { ...process.env };
  for (const k of ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"]) {
    if (threads === "default") delete env[k];
    else env[k] = String(threads);
  }
  const r = spawnSync(
    "python3",
    [fileURLToPath(new URL(`./${script}`, import.meta.url)), JSON.stringify(config)],
    { encoding: "utf8", env, maxBuffer: 1 << 20 },
  );
  if (r.status !== 0) return { available: false, reason: r.stderr.slice(-500) };
  return { available: true, blas_threads: threads, ...(JSON.parse(r.stdout) as Baseline) };
}
