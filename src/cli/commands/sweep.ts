/**
 * `sigprop sweep run`: a grid of training runs (noise × depth × seed) into a folder, one atomic JSON
 * record per run, resumable (kill -9 and rerun: finished runs are skipped) and shardable with
 * `--shard i/N` (Slurm job arrays, Kubernetes indexed Jobs).
 * `sigprop sweep merge DIR…`: join the shards' records, write results.csv/json and the heat maps of final
 * train/validation loss over (keep p, depth) with the 6ξ_c curve.
 */
import { hostname } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { loadDataset } from "../../data/index.js";
import { writeFileAtomic } from "../../io/atomic.js";
import { checkWritableOutput } from "../../io/outputPath.js";
import { toCsv } from "../../report/csv.js";
import { InputError } from "../../theory/errors.js";
import { parseNoise } from "../../theory/noise.js";
import { resolveInit } from "../../train/initChoice.js";
import { checkpointFile, mergeSweeps, runSweep, type RunRecord, type SweepPlan } from "../../train/sweep.js";
import { action, addDeviceOption, deviceFrom, emit, int, num, range } from "../common.js";
import { progressBar } from "../progress.js";
import { addTrainOptions, baseConfigFrom, checkTrainSize, optimisationJson } from "./train.js";

type Opts = Record<string, string | boolean | undefined>;

/** `a:b:n` range or a comma list of numbers. */
function numbers(flag: string, raw: string, lo: number, hi: number): number[] {
  const vals = raw.includes(":") ? range(flag, raw, { lo, hi }) : raw.split(",").map((s) => num(flag, s));
  for (const v of vals)
    if (!(v >= lo && v <= hi)) throw new InputError(flag, raw, `numbers in [${lo}, ${hi}]`);
  return vals.map((v) => +v.toPrecision(12));
}

const deviceOf = (opts: Opts) =>
  String(opts.device ?? "wasm")
    .trim()
    .toLowerCase();

/** The sweep plan from the options. */
export function planFrom(opts: Opts): SweepPlan {
  const base = baseConfigFrom(opts);
  let noises: string[];
  if (opts.noises !== undefined) {
    noises = String(opts.noises)
      .split(";")
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => {
        try {
          return parseNoise(s).spec;
        } catch (e) {
          // the message names --noises, the flag the user wrote
          if (e instanceof InputError)
            throw new InputError("--noises", String(opts.noises), e.valid, `in '${s}': ${e.message}`);
          throw e;
        }
      });
  } else {
    noises = numbers("--keep", String(opts.keep), 1e-9, 1).map((p) => parseNoise(`dropout:keep=${p}`).spec);
  }
  if (noises.length === 0)
    throw new InputError("--noises", String(opts.noises), "one or more noise specs separated by ';'");
  const depths = String(opts.depths).includes(":")
    ? numbers("--depths", String(opts.depths), 0, 1e5).map(Math.round)
    : String(opts.depths)
        .split(",")
        .map((s) => int("--depths", s.trim(), 0, 100000));
  const nSeeds = int("--seeds", opts.seeds, 1, 10000);
  const act = base.activation;
  // Resolve the init once per noise now so that an impossible one (additive noise + critical) is exit 2 before any run.
  const sigmaW2 = opts.sigmaW2 === undefined ? undefined : num("--sigma-w2", opts.sigmaW2, "a number > 0");
  const sigmaB2 = opts.sigmaB2 === undefined ? undefined : num("--sigma-b2", opts.sigmaB2, "a number ≥ 0");
  for (const n of noises) resolveInit(base.initKind, act, parseNoise(n), { sigmaW2, sigmaB2 });
  return {
    version: 1,
    base: {
      dataset: String(opts.dataset),
      task: base.task,
      width: base.width,
      activation: act.spec,
      init: base.initKind,
      ...(sigmaW2 !== undefined ? { sigma_w2: sigmaW2 } : {}),
      ...(sigmaB2 !== undefined ? { sigma_b2: sigmaB2 } : {}),
      ...optimisationJson(base),
      eval_limit: base.evalLimit ?? 10000,
      threshold: base.threshold ?? 0.5,
      // recorded so that every shard computes on the same kind of device; absent for the default (wasm),
      // which keeps the plans (and run hashes) of sweeps made before --device existed
      ...(deviceOf(opts) !== "wasm" ? { device: deviceOf(opts) } : {}),
      // likewise absent at their defaults (gaussian weights, the whole test split)
      ...(base.weights !== undefined ? { weights: base.weights } : {}),
      ...(base.testLimit !== undefined ? { test_limit: base.testLimit } : {}),
      // the architecture, also absent at its defaults (plain network)
      ...(base.batchnorm ? { batchnorm: true } : {}),
      ...(base.residual !== undefined && base.residual !== "none" ? { residual: base.residual } : {}),
      ...(base.residual === "full" ? { sigma_v2: base.sigmaV2, sigma_a2: base.sigmaA2 } : {}),
    },
    // the grid has no duplicates: `--keep 0.5,0.5` (or two specs of one noise) is one run
    noises: [...new Set(noises)],
    depths: [...new Set(depths)],
    seeds: Array.from({ length: nSeeds }, (_, i) => base.seed + i),
  };
}

/** Parse `--shard i/N` (0 ≤ i < N). */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const valid =
    "i/N with 0 ≤ i < N, e.g. 0/4 (Slurm: $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT with --array=0-3)";
  if (!m) throw new InputError("--shard", text, valid);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!(count >= 1) || index >= count) throw new InputError("--shard", text, valid);
  return { index, count };
}

/** One flat row of `sweep merge`'s results.csv per run record (snake_case columns). */
function recordRow(r: RunRecord): Record<string, number | string | null> {
  const res = r.result;
  return {
    id: r.id,
    noise: r.noise,
    mu2: r.mu2,
    depth: r.depth,
    seed: r.seed,
    sigma_w2: r.sigma_w2,
    status: res.status,
    trainable: res.trainable ? 1 : 0,
    train_loss: res.trainLoss,
    val_loss: res.valLoss,
    baseline_loss: res.baselineLoss,
    loss_ratio: res.lossRatio,
    val_acc: res.valAcc ?? null,
    seconds: res.seconds,
  };
}

/** Write results.json, results.csv and the heat-map figure of a merged sweep into `out`. */
export async function writeMerged(dirs: string[], out: string) {
  const { renderPng, renderSvg } = await import("../../report/plot.js");
  const { sweepFigure } = await import("../../report/figures/fig6/figure.js");
  const m = mergeSweeps(dirs);
  const rows = m.records.map(recordRow);
  const fig = sweepFigure(m);
  const svg = await renderSvg(fig.spec);
  const what = { what: "the merged sweep" };
  writeFileAtomic(join(out, "results.csv"), toCsv(rows), what);
  writeFileAtomic(
    join(out, "results.json"),
    JSON.stringify(
      { plan: m.plan, missing: m.missing.map((r) => r.id), cells: fig.cells, records: m.records },
      (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v),
      2,
    ) + "\n",
    what,
  );
  writeFileAtomic(join(out, "heatmap.svg"), svg, what);
  writeFileAtomic(join(out, "heatmap.png"), renderPng(svg, 2), what);
  return { m, files: ["results.csv", "results.json", "heatmap.svg", "heatmap.png"].map((f) => join(out, f)) };
}

export function register(program: Command) {
  const sweep = program
    .command("sweep")
    .description("grids of training runs: resumable, shardable (--shard i/N), merged into heat maps");
  const run = sweep
    .command("run")
    .description("run (a shard of) a noise × depth × seed grid into --out; rerun to resume");
  addDeviceOption(addTrainOptions(run, { grid: true }))
    .option("--keep <range>", "dropout keep probabilities p, a:b:n or a,b,c", "0.1:1:10")
    .option(
      "--noises <specs>",
      "noise specs separated by ';' (instead of --keep), e.g. 'none;gauss_mult:std=0.5'",
    )
    .option("--depths <list>", "hidden-layer counts, a,b,c or a:b:n", "2,6,10,14,18,23,27,31,35,40")
    .option("--seeds <n>", "replicates per cell (seeds seed..seed+n−1)", "1")
    .requiredOption("--out <dir>", "sweep folder (sweep.json + runs/<id>.json)")
    .option("--shard <i/N>", "run only shard i of N (0-based; round-robin over the grid)", "0/1")
    .option(
      "--fresh",
      "start runs in flight afresh, ignoring their checkpoints (finished records are always kept)",
    )
    .option("--json", "one JSON summary on stdout")
    .action(
      action(async (opts: Opts) => {
        const { trainRun } = await import("../../train/train.js");
        const plan = planFrom(opts);
        const shard = parseShard(String(opts.shard));
        checkWritableOutput("--out", String(opts.out), "dir");
        const ds = loadDataset(plan.base.dataset);
        const device = await deviceFrom(opts);
        const base = baseConfigFrom(opts);
        // the deepest run of the grid must fit (the grid as a whole may run for days: it resumes)
        checkTrainSize(ds, base, Math.max(...plan.depths), {
          ...opts,
          depth: String(Math.max(...plan.depths)),
        });
        const bar = progressBar(`sweep ${shard.index}/${shard.count}`);
        let label = "";
        const t0 = performance.now();
        const s = await runSweep(
          String(opts.out),
          plan,
          shard,
          async (r) => {
            const noise = parseNoise(r.noise);
            const init = resolveInit(base.initKind, base.activation, noise, {
              sigmaW2: plan.base.sigma_w2,
              sigmaB2: plan.base.sigma_b2,
            });
            const result = await trainRun(
              ds,
              { ...base, noise, depth: r.depth, seed: r.seed, sigmaW2: init.sigmaW2, sigmaB2: init.sigmaB2 },
              {
                checkpoint: {
                  file: checkpointFile(String(opts.out), r.id),
                  fresh: !!opts.fresh,
                  flag: "sweep checkpoint",
                },
              },
            );
            if (!process.stderr.isTTY)
              process.stderr.write(
                `${r.id}: ${result.status} val ${result.valLoss} ratio ${result.lossRatio} (${result.seconds.toFixed(1)} s)\n`,
              );
            return {
              sigma_w2: init.sigmaW2Value,
              mu2: noise.mu2,
              result,
              host: hostname(),
              device: device.record,
            };
          },
          {
            onRun: (r, done, total) => {
              label = r.id;
              bar.update(done, total);
            },
          },
        );
        bar.stop();
        const summary = {
          out: String(opts.out),
          shard: `${shard.index}/${shard.count}`,
          grid_runs: s.total,
          shard_runs: s.shard,
          skipped_finished: s.skipped,
          ran: s.ran,
          seconds: (performance.now() - t0) / 1000,
          last: label || null,
          device: device.record,
        };
        emit(
          !!opts.json,
          summary,
          () =>
            `shard ${summary.shard}: ${s.shard} of ${s.total} grid runs; ${s.skipped} already finished, ${s.ran} run now (${summary.seconds.toFixed(1)} s) → ${summary.out}/runs/`,
        );
      }),
    );
  sweep
    .command("merge")
    .description("merge sweep folders (shards) into results.csv/json and heat maps with the 6ξ_c curve")
    .argument("<dirs...>", "sweep folders written by `sweep run` (one per shard or a shared one)")
    .requiredOption("--out <dir>", "where to write the merged results")
    .option("--allow-missing", "write the figure even when runs are missing (missing cells stay empty)")
    .option("--json", "one JSON summary on stdout")
    .action(
      action(async (dirs: string[], opts: Opts) => {
        checkWritableOutput("--out", String(opts.out), "dir");
        const pre = mergeSweeps(dirs);
        if (pre.missing.length && !opts.allowMissing) {
          throw new InputError(
            "DIR",
            dirs.join(" "),
            "folders holding every run of the sweep (or pass --allow-missing)",
            `${pre.missing.length} of ${pre.missing.length + pre.records.length} runs missing, e.g. ${pre.missing[0].id}`,
          );
        }
        const { m, files } = await writeMerged(dirs, String(opts.out));
        const summary = {
          runs: m.records.length,
          missing: m.missing.length,
          diverged: m.records.filter((r) => r.result.status === "diverged").length,
          trainable: m.records.filter((r) => r.result.trainable).length,
          files,
        };
        emit(
          !!opts.json,
          summary,
          () =>
            `merged ${summary.runs} runs (${summary.missing} missing, ${summary.diverged} diverged, ${summary.trainable} trainable) → ${files.join(", ")}`,
        );
      }),
    );
}
