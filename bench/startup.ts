/**
 * Start-up of the built CLI (issue 16): median wall milliseconds of N runs of `node dist/cli/main.js …`
 * for theory commands against bare `node -e 0` in the same run, interleaved so that load hits all alike.
 * Also measured: what importing the heavy libraries costs (the modules a theory command no longer loads:
 * @jax-js/jax, vega, vega-lite, @resvg/resvg-js) and what `npx` adds (`npx --no-install node -e 0` vs
 * `node -e 0`: npx starts the npm CLI, reads its config and resolves the bin before starting node).
 * Builds dist/ with tsc first when dist/cli/main.js is missing. SIGPROP_STARTUP_RUNS sets N (default 9).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timed(cmd: string, args: string[]): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  const ms = performance.now() - t;
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr.slice(0, 300)}`);
  return ms;
}

export async function run(): Promise<Record<string, unknown>> {
  const main = "dist/cli/main.js";
  if (!existsSync(`${root}/${main}`)) {
    const b = spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
    if (b.status !== 0) throw new Error("bench/startup: building dist/ with tsc failed");
  }
  const runs = Number(process.env.SIGPROP_STARTUP_RUNS ?? 9);
  const node = process.execPath;
  const cases: Record<string, [string, string[]]> = {
    bare_node: [node, ["-e", "0"]],
    analyze_json: [node, [main, "analyze", "--sigma-w2", "2", "--json"]],
    critical_json: [node, [main, "critical", "--json"]],
    eoc_json: [node, [main, "eoc", "--json"]],
    help: [node, [main, "--help"]],
    heavy_imports: [
      node,
      [
        "--input-type=module",
        "-e",
        "await Promise.all(['@jax-js/jax','vega','vega-lite','@resvg/resvg-js'].map((m) => import(m)))",
      ],
    ],
    npx_bare_node: ["npx", ["--no-install", "node", "-e", "0"]],
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let r = 0; r < runs; r++) {
    for (const [k, [cmd, args]] of Object.entries(cases)) times[k].push(timed(cmd, args));
  }
  const med = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  const bare = med.bare_node;
  return {
    runs,
    note: "wall ms, median of interleaved runs; over_bare_ms = median − median(bare node)",
    median_ms: med,
    over_bare_ms: Object.fromEntries(Object.entries(med).map(([k, v]) => [k, v - bare])),
    goal_over_bare_ms: 200,
    npx_adds_ms: med.npx_bare_node - bare,
  };
}
