/**
 * `sigprop reproduce [fig…|all] --out DIR [--scale quick|paper] [--seed N]`: regenerate the paper's figures
 * (plots as SVG and PNG, data as JSON and CSV, and DIR/index.html with captions and theory-vs-simulation
 * agreement). Finished simulation jobs are cached under DIR/.cache, so a rerun (or a rerun after an
 * interrupted run) reuses them. Figure names come from the figure registry (src/report/figures/index.ts).
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { checkWritableOutput } from "../../io/outputPath.js";
import { InputError } from "../../theory/errors.js";
import { SCALES, type Scale } from "../../report/figure.js";
import { FIGURE_IDS } from "../../report/figures/ids.js";
import { terminalProgress } from "../../report/progress.js";
import { loadSimulator, type Simulator } from "../../report/simulator.js";
import { action, addDeviceOption, deviceFrom, emit, int, MIN_PARALLEL_WORK } from "../common.js";

/**
 * The real simulator with a thread count added to every simulation's config (same numbers for any);
 * without --threads, jobs smaller than MIN_PARALLEL_WORK normals stay on this thread.
 */
async function simulatorWithThreads(threads: number, explicit: boolean): Promise<Simulator> {
  const sim = await loadSimulator();
  const t = (c: { networks: number; width: number; depth?: number }) =>
    explicit || c.networks * (c.depth ?? 1) * c.width ** 2 >= MIN_PARALLEL_WORK ? threads : 1;
  return {
    ...sim,
    simulateDynamics: (c, q0, c0s, p) => sim.simulateDynamics({ ...c, threads: t(c) }, q0, c0s, p),
    simulateVarianceMap: (c, q0s, p) => sim.simulateVarianceMap({ ...c, threads: t(c) }, q0s, p),
    simulateCorrelationMap: (c, q0, c0s, p) =>
      sim.simulateCorrelationMap({ ...c, threads: t(c) }, q0, c0s, p),
  };
}

/** `--cifar10 DIR` (must be a folder) and `--sweeps a,b` (each must be a folder). */
export function hayouOptions(opts: { cifar10?: string; sweeps?: string }): {
  cifar10?: string;
  sweeps?: string[];
} {
  const folder = (flag: string, p: string) => {
    if (!existsSync(p) || !statSync(p).isDirectory()) throw new InputError(flag, p, "an existing folder");
    return p;
  };
  const out: { cifar10?: string; sweeps?: string[] } = {};
  if (opts.cifar10 !== undefined) out.cifar10 = folder("--cifar10", String(opts.cifar10));
  if (opts.sweeps !== undefined) {
    const dirs = String(opts.sweeps)
      .split(",")
      .map((d) => d.trim())
      .filter(Boolean);
    if (!dirs.length)
      throw new InputError("--sweeps", String(opts.sweeps), "one or more sweep roots, comma-separated");
    out.sweeps = dirs.map((d) => folder("--sweeps", d));
  }
  return out;
}

/** The figure registry with hayou built for --cifar10 / --sweeps. */
async function hayouRegistry(o: { cifar10?: string; sweeps?: string[] }) {
  const { FIGURES } = await import("../../report/figures/index.js");
  const { makeHayou } = await import("../../report/figures/hayou.js");
  const h = makeHayou(o);
  return FIGURES.map((f) => (f.id === "hayou" ? h : f));
}

/** Validate figure names: registered ids or `all` (default). */
export function parseFigures(names: string[]): string[] {
  const ids = [...FIGURE_IDS];
  const valid = [...ids, "all"].join(" | ");
  if (!names.length) return ids;
  const out: string[] = [];
  for (const raw of names) {
    const n = raw.trim().toLowerCase();
    if (n === "all") {
      out.push(...ids);
    } else if (ids.includes(n)) {
      out.push(n);
    } else {
      throw new InputError(
        "figure",
        raw,
        valid,
        /^fig\d+$/.test(n) ? `${n} is not available in this build` : undefined,
      );
    }
  }
  return ids.filter((id) => out.includes(id));
}

/** Validate --scale. */
export function parseScale(raw: unknown): Scale {
  const s = String(raw ?? "")
    .trim()
    .toLowerCase();
  if (s !== "quick" && s !== "paper") throw new InputError("--scale", String(raw), "quick | paper");
  return SCALES[s];
}

export function register(program: Command) {
  const cmd = program
    .command("reproduce")
    .description("regenerate the paper's figures (plots, data, HTML report) from theory and simulation")
    .argument("[figures...]", `which figures: ${[...FIGURE_IDS, "all"].join(", ")} (default all)`)
    .option("--out <dir>", "output folder (required)")
    .option("--scale <s>", "quick (minutes on a laptop) or paper (width 1000, 50 networks)", "quick")
    .option("--seed <n>", "random seed (integer ≥ 0)", "0")
    .option("--fresh", "ignore cached simulation results and recompute them")
    .option("--cifar10 <dir>", "hayou: add the CIFAR-10 arms (folder of CIFAR-10 binary batches)")
    .option(
      "--sweeps <dirs>",
      "hayou --scale paper: render these finished sweep folders (comma-separated roots; without it the plan is printed)",
    )
    .option("--json", "print a JSON summary on stdout")
    .action(
      action(
        async (
          figures: string[],
          opts: {
            out?: string;
            scale: string;
            seed: string;
            fresh?: boolean;
            json?: boolean;
            cifar10?: string;
            sweeps?: string;
          } & {
            device?: string;
            threads?: string;
          },
        ) => {
          const { reproduce } = await import("../../report/reproduce.js");
          let ids = parseFigures(figures);
          const scale = parseScale(opts.scale);
          const seed = int("--seed", opts.seed, 0, 2 ** 31 - 1);
          if (opts.out === undefined || String(opts.out).trim() === "") {
            throw new InputError(
              "--out",
              String(opts.out ?? "(missing)"),
              "a folder path, e.g. --out figures",
            );
          }
          // before any simulation: a file, /proc or a read-only place is exit 2 now, not after the work
          const out = checkWritableOutput("--out", String(opts.out), "dir");
          const command = `sigprop reproduce ${ids.length === FIGURE_IDS.length ? "all" : ids.join(" ")} --out ${opts.out} --scale ${scale.name} --seed ${seed}${opts.cifar10 ? ` --cifar10 ${opts.cifar10}` : ""}${opts.sweeps ? ` --sweeps ${opts.sweeps}` : ""}`;
          // hayou: --cifar10 adds its CIFAR-10 arms; at paper scale it is a sweep plan, printed unless
          // --sweeps names the finished sweep folders to render
          const hayouOpts = hayouOptions(opts);
          if (hayouOpts.sweeps && scale.name !== "paper")
            throw new InputError(
              "--sweeps",
              String(opts.sweeps),
              "only with --scale paper (quick scale trains its own runs)",
            );
          let plan: { text: string; json: unknown } | null = null;
          if (ids.includes("hayou") && scale.name === "paper" && !hayouOpts.sweeps) {
            const { hayouPlan, hayouPlanText } = await import("../../report/figures/hayou.js");
            const p = hayouPlan(join(out, "hayou-sweeps"), { cifar10: hayouOpts.cifar10 });
            plan = { text: hayouPlanText(p), json: p };
            ids = ids.filter((id) => id !== "hayou");
          }
          if (plan && ids.length === 0) {
            emit(
              !!opts.json,
              { out, scale: scale.name, seed, figures: [], plans: { hayou: plan.json } },
              () => plan.text,
            );
            return;
          }
          const device = await deviceFrom(opts);
          const registry = hayouOpts.cifar10 || hayouOpts.sweeps ? await hayouRegistry(hayouOpts) : undefined;
          const t0 = performance.now();
          const summary = await reproduce({
            registry,
            out,
            figures: ids,
            scale,
            seed,
            fresh: !!opts.fresh,
            progress: opts.json ? undefined : terminalProgress(),
            simulator: () => simulatorWithThreads(device.threads, opts.threads !== undefined),
            command,
          });
          const seconds = (performance.now() - t0) / 1000;
          emit(
            !!opts.json,
            {
              out,
              index: summary.index,
              scale: scale.name,
              seed,
              device: device.record,
              threads: device.threads,
              jobs: summary.jobs,
              seconds,
              figures: summary.figures.map((f) => ({ id: f.id, files: f.files })),
              ...(plan ? { plans: { hayou: plan.json } } : {}),
            },
            () =>
              [
                ...(plan ? [plan.text] : []),
                `wrote ${summary.figures.map((f) => f.id).join(", ")} to ${out} (scale ${scale.name}, seed ${seed})`,
                `simulation jobs: ${summary.jobs.ran} run, ${summary.jobs.cached} reused from cache; ${seconds.toFixed(1)} s`,
                `report: ${summary.index}`,
              ].join("\n"),
          );
        },
      ),
    );
  addDeviceOption(cmd, { threads: true });
}
