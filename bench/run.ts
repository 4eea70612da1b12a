/**
 * `npm run bench`: runs every benchmark module in bench/ (each exports `run()`), prints one JSON object
 * and writes it to .bench-results/bench.json. Select modules with SIGPROP_BENCH=theory,sim,…
 */
import { existsSync } from "node:fs";
import { readFileSync } from "node:fs";
import os from "node:os";
import { writeFileAtomic } from "../src/io/atomic.js";

const MODULES = [
  "theory",
  "sim",
  "spectrum",
  "train",
  "reproduce",
  "threads",
  "atomic",
  "gp",
  "startup",
  "landscape",
  "explorer",
];

const only = process.env.SIGPROP_BENCH?.split(",").map((s) => s.trim());
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const out: Record<string, unknown> = {
  package: `sigprop@${pkg.version}`,
  node: process.version,
  cpus: os.cpus().length,
  cpu_model: os.cpus()[0]?.model,
  date: new Date().toISOString(),
  results: {},
};
const results = out.results as Record<string, unknown>;
for (const name of MODULES) {
  if (only && !only.includes(name)) continue;
  const file = new URL(`./${name}.ts`, import.meta.url);
  if (!existsSync(file)) continue;
  process.stderr.write(`bench: ${name}…\n`);
  const t0 = performance.now();
  try {
    const mod = (await import(file.href)) as { run: () => Promise<Record<string, unknown>> };
    results[name] = { ...(await mod.run()), module_wall_s: (performance.now() - t0) / 1000 };
  } catch (e) {
    results[name] = { error: e instanceof Error ? e.message : String(e) };
    process.exitCode = 1;
  }
}
const text = JSON.stringify(out, null, 2);
writeFileAtomic(".bench-results/bench.json", text + "\n");
process.stdout.write(text + "\n");
