/**
 * `sigprop reproduce [fig…|all] --out DIR [--scale quick|paper] [--seed N]`: regenerate the paper's figures
 * (plots as SVG and PNG, data as JSON and CSV, and DIR/index.html with captions and theory-vs-simulation
 * agreement). Finished simulation jobs are cached under DIR/.cache, so a rerun (or a rerun after an
 * interrupted run) reuses them. Figure names come from the figure registry (src/report/figures/index.ts).
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { checkWritableOutput } from "../../io/outputPath.js";
import { InputError } from "../../theory/errors.js";
import { SCALES, type Figure, type Scale } from "../../report/figure.js";
import type { Fig6Plan } from "../../report/figures/fig6/plan.js";
import { trainingRecord } from "../../report/figures/fig6/settings.js";
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

/**
 * hayou's `--from-sweep` folders (each must be a folder: a root of the plan's sweep folders or one of
 * them); `--cifar10` is checked by checkCifarFolder.
 */
export function hayouOptions(
  opts: { cifar10?: string; sweeps?: string[] },
  flag = "--from-sweep",
): { cifar10?: string; sweeps?: string[] } {
  const out: { cifar10?: string; sweeps?: string[] } = {};
  if (opts.cifar10 !== undefined) out.cifar10 = opts.cifar10;
  if (opts.sweeps?.length) {
    for (const d of opts.sweeps)
      if (!existsSync(d) || !statSync(d).isDirectory()) throw new InputError(flag, d, "an existing folder");
    out.sweeps = opts.sweeps;
  }
  return out;
}

/**
 * The deprecated `--sweeps a,b` (hayou's former name of `--from-sweep`): its folders, with a one-line
 * notice on stderr (stdout stays the command's output).
 */
export function legacySweeps(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  process.stderr.write("note: --sweeps is deprecated; use --from-sweep DIR (repeatable), as fig6 does\n");
  const dirs = String(raw)
    .split(",")
    .map((d) => d.trim())
    .filter(Boolean);
  if (!dirs.length) throw new InputError("--sweeps", String(raw), "one or more sweep roots, comma-separated");
  return dirs;
}

/**
 * Which `--from-sweep` folders are fig6's and which hayou's: all to the one figure selected; with both
 * selected, a folder that is or holds a sweep of hayou's paper-scale plan (by its folder names) is hayou's,
 * any other fig6's. `--sweeps` folders are hayou's.
 */
export async function splitSweeps(
  ids: string[],
  fromSweep: string[],
  legacy: string[],
): Promise<{ fig6: string[]; hayou: string[] }> {
  const fig6 = ids.includes("fig6");
  const hayou = ids.includes("hayou");
  if (fromSweep.length && !fig6 && !hayou)
    throw new InputError(
      "--from-sweep",
      fromSweep[0],
      "a flag of fig6 and hayou (sigprop reproduce fig6|hayou … or all)",
    );
  if (legacy.length && !hayou)
    throw new InputError("--sweeps", legacy.join(","), "a flag of hayou (sigprop reproduce hayou … or all)");
  if (!fig6) return { fig6: [], hayou: [...fromSweep, ...legacy] };
  if (!hayou) return { fig6: fromSweep, hayou: [] };
  const { isHayouSweepFolder } = await import("../../report/figures/hayou.js");
  const h = fromSweep.filter(isHayouSweepFolder);
  return { fig6: fromSweep.filter((d) => !h.includes(d)), hayou: [...h, ...legacy] };
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

/**
 * Check a `--cifar10` folder before any work: the six binary batches of the official cifar-10-batches-bin
 * folder, each a whole number of 3073-byte records (the loader checks the contents when a job reads them).
 */
export function checkCifarFolder(dir: string): string {
  const valid = "the cifar-10-batches-bin folder (data_batch_1..5.bin and test_batch.bin)";
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new InputError("--cifar10", dir, valid, "no such folder");
  }
  if (!isDir) throw new InputError("--cifar10", dir, valid, "not a folder");
  for (const f of [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`).concat("test_batch.bin")) {
    let size: number;
    try {
      size = statSync(join(dir, f)).size;
    } catch {
      throw new InputError("--cifar10", dir, valid, `missing ${f}`);
    }
    if (size === 0 || size % 3073 !== 0)
      throw new InputError(
        "--cifar10",
        dir,
        valid,
        `${f} is ${size} bytes, not a whole number of 3073-byte records`,
      );
  }
  return resolve(dir);
}

/** The paper-scale Fig 6 plan as the command's JSON (snake_case). */
function planJson(p: Fig6Plan) {
  const t = p.training;
  // task and width first, then the grid, then the rest of the protocol (the keys' order as before)
  const { task, width, ...protocol } = trainingRecord(t);
  return {
    figure: p.figure,
    scale: p.scale,
    planned_not_run: true,
    shards: p.shards,
    training: { task, width, keeps: t.keeps, depths: t.depths, ...protocol },
    datasets: p.datasets.map((d) => ({
      tag: d.tag,
      dataset: d.dataset,
      sweep_dir: d.sweepDir,
      runs: d.runs,
      sweep_run: d.sweepRun,
      slurm: d.slurm,
      kubernetes: d.kubernetes,
    })),
    render: p.render,
    variance_jobs: p.varianceJobs,
    notes: p.notes,
  };
}

/** The paper-scale Fig 6 plan as readable text. */
function planText(p: Fig6Plan): string {
  const t = p.training;
  const out = [
    `Fig 6 at paper scale is not run here: its heat maps are ${p.datasets.map((d) => `${d.runs} ${d.tag}`).join(" + ")} trainings of width-${t.width} networks for ${t.epochs} epochs (days on one machine).`,
    `Run them as a sharded sweep (${p.shards} shards per data set), then render the merged sweep:`,
  ];
  p.datasets.forEach((d, i) => {
    out.push(
      "",
      `${i + 1}. ${d.tag}: ${d.runs} runs into ${d.sweepDir}`,
      "   one shard ({SHARD} = i/N):",
      `   ${d.sweepRun}`,
      "   Slurm job array:",
      ...d.slurm.split("\n").map((l) => `     ${l}`),
      "   Kubernetes indexed Job:",
      ...d.kubernetes.split("\n").map((l) => `     ${l}`),
    );
  });
  out.push(
    "",
    `${p.datasets.length + 1}. render (the paper's Fig 6):`,
    `   ${p.render}`,
    "",
    ...p.notes.map((n) => `note: ${n}`),
  );
  return out.join("\n");
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
    .option(
      "--cifar10 <dir>",
      "fig6: add the CIFAR-10 panels (d–f); hayou: add the CIFAR-10 arms (a cifar-10-batches-bin folder)",
    )
    .option(
      "--from-sweep <dir>",
      "render finished sweeps (repeatable). fig6: heat maps from a `sigprop sweep` folder or a `sweep merge` folder (repeat for shards or CIFAR-10), with --scale paper the paper's figure; hayou --scale paper: the root of the printed plan's sweep folders, or one of them",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option("--sweeps <dirs>", "deprecated: hayou's former name of --from-sweep (comma-separated)")
    .option("--json", "print a JSON summary on stdout")
    .action(
      action(
        async (
          figures: string[],
          opts: { out?: string; scale: string; seed: string; fresh?: boolean; json?: boolean } & {
            device?: string;
            threads?: string;
            cifar10?: string;
            fromSweep?: string[];
            sweeps?: string;
          },
        ) => {
          const allIds = parseFigures(figures);
          const scale = parseScale(opts.scale);
          const seed = int("--seed", opts.seed, 0, 2 ** 31 - 1);
          const legacy = legacySweeps(opts.sweeps);
          const fromSweep = [...(opts.fromSweep ?? []), ...legacy];
          if (opts.cifar10 !== undefined && !allIds.includes("fig6") && !allIds.includes("hayou"))
            throw new InputError(
              "--cifar10",
              String(opts.cifar10),
              "a flag of fig6 and hayou (sigprop reproduce fig6|hayou … or all)",
            );
          const sweeps = await splitSweeps(allIds, opts.fromSweep ?? [], legacy);
          const hayouFlag = legacy.length ? "--sweeps" : "--from-sweep";
          const cifar10 = opts.cifar10 === undefined ? undefined : checkCifarFolder(String(opts.cifar10));
          const hayouOpts = hayouOptions({ cifar10, sweeps: sweeps.hayou }, hayouFlag);
          if (hayouOpts.sweeps && scale.name !== "paper")
            throw new InputError(
              hayouFlag,
              hayouOpts.sweeps.join(","),
              "for hayou only with --scale paper (quick scale trains its own runs)",
            );
          // at paper scale Fig 6 and hayou are days of training: without finished sweeps they are planned,
          // not run (the plans are printed; the other figures run)
          const planFig6 = scale.name === "paper" && allIds.includes("fig6") && sweeps.fig6.length === 0;
          const planHayou = scale.name === "paper" && allIds.includes("hayou") && !hayouOpts.sweeps;
          const ids = allIds.filter((id) => !(id === "fig6" && planFig6) && !(id === "hayou" && planHayou));
          const outText = opts.out === undefined ? undefined : String(opts.out);
          const fig6Plan = planFig6
            ? (await import("../../report/figures/fig6/plan.js")).fig6PaperPlan({ cifar10, out: outText })
            : null;
          let hayouPlan: { text: string; json: unknown } | null = null;
          if (planHayou) {
            const h = await import("../../report/figures/hayou.js");
            const p = h.hayouPlan(join(outText ?? ".", "hayou-sweeps"), { cifar10 });
            hayouPlan = { text: h.hayouPlanText(p), json: p };
          }
          const plans = {
            ...(fig6Plan ? { fig6: planJson(fig6Plan) } : {}),
            ...(hayouPlan ? { hayou: hayouPlan.json } : {}),
          };
          const planTexts = [
            ...(fig6Plan ? [planText(fig6Plan)] : []),
            ...(hayouPlan ? [hayouPlan.text] : []),
          ];
          if ((fig6Plan || hayouPlan) && ids.length === 0) {
            emit(!!opts.json, { out: outText ?? null, scale: scale.name, seed, figures: [], plans }, () =>
              planTexts.join("\n\n"),
            );
            return;
          }
          const { reproduce } = await import("../../report/reproduce.js");
          if (outText === undefined || outText.trim() === "") {
            throw new InputError(
              "--out",
              String(opts.out ?? "(missing)"),
              "a folder path, e.g. --out figures",
            );
          }
          // before any simulation: a file, /proc or a read-only place is exit 2 now, not after the work
          const out = checkWritableOutput("--out", outText, "dir");
          const device = await deviceFrom(opts);
          const command =
            `sigprop reproduce ${ids.length === FIGURE_IDS.length ? "all" : ids.join(" ")} --out ${opts.out} --scale ${scale.name} --seed ${seed}` +
            (cifar10 !== undefined ? ` --cifar10 ${cifar10}` : "") +
            fromSweep.map((d) => ` --from-sweep ${d}`).join("");
          let registry: Figure[] | undefined;
          if (cifar10 !== undefined || fromSweep.length) {
            const { FIGURES } = await import("../../report/figures/index.js");
            const { loadFig6Sweeps, makeFig6 } = await import("../../report/figures/fig6/figure.js");
            const { makeHayou } = await import("../../report/figures/hayou.js");
            const fig6 = makeFig6({ cifar10, sweeps: loadFig6Sweeps(sweeps.fig6) });
            const hayou = makeHayou(hayouOpts);
            registry = FIGURES.map((f) => (f.id === "fig6" ? fig6 : f.id === "hayou" ? hayou : f));
          }
          const t0 = performance.now();
          const summary = await reproduce({
            out,
            figures: ids,
            registry,
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
              ...(fig6Plan || hayouPlan ? { plans } : {}),
            },
            () =>
              [
                `wrote ${summary.figures.map((f) => f.id).join(", ")} to ${out} (scale ${scale.name}, seed ${seed})`,
                `simulation jobs: ${summary.jobs.ran} run, ${summary.jobs.cached} reused from cache; ${seconds.toFixed(1)} s`,
                `report: ${summary.index}`,
                ...planTexts.flatMap((t) => ["", t]),
              ].join("\n"),
          );
        },
      ),
    );
  addDeviceOption(cmd, { threads: true });
}
