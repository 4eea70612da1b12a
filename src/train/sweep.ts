/**
 * Grids of training runs: planning, sharding, resumable execution with one atomic record per run, and
 * merging shards.
 *
 * - A sweep is a base configuration × noises × depths × seeds, planned in a fixed canonical order
 *   (noise, then depth, then seed). Each run has an id (readable and unique) and a config hash.
 * - Sharding: run j (0-based, canonical order) belongs to shard i of N iff j mod N = i, so shards
 *   0..N−1 partition the grid exactly (Slurm: `--shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT`;
 *   Kubernetes indexed Job: `--shard $JOB_COMPLETION_INDEX/<completions>`). Round-robin balances the
 *   cost, which grows with depth.
 * - Resume: a run is done iff `DIR/runs/<id>.json` exists with the same config hash; each record is
 *   written atomically (temp file + fsync + rename) right after its run, so `kill -9` loses at most the
 *   run in flight and a rerun never repeats a finished one. `DIR/sweep.json` records the plan; rerunning
 *   into a folder that holds a different plan is refused.
 * - Within a run, training state is checkpointed after every epoch (`DIR/runs/.ckpt/<id>.ckpt`, atomic),
 *   so a killed long run resumes from its last finished epoch, bit-identically.
 * - Merge: read the records of one or more sweep folders (e.g. one per machine), check the plans agree,
 *   list what is missing, and return one table.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic.js";
import { InputError } from "../theory/errors.js";
import type { TrainResult } from "./train.js";

/** Everything about a run that is the same across the grid (JSON). */
export interface SweepBase {
  dataset: string;
  task: "reconstruction" | "classification";
  width: number;
  activation: string;
  init: string;
  sigma_w2?: number;
  sigma_b2?: number;
  optimizer: "sgd" | "adam";
  lr: number;
  batch: number;
  epochs: number;
  val_fraction: number;
  limit: number | null;
  eval_limit: number;
  threshold: number;
  /** --device when not the default wasm (auto | webgpu), so that shards agree */
  device?: string;
}

export interface SweepPlan {
  version: 1;
  base: SweepBase;
  noises: string[];
  depths: number[];
  seeds: number[];
}

export interface RunSpec {
  index: number;
  id: string;
  noise: string;
  depth: number;
  seed: number;
  /** hash of (base, noise, depth, seed) */
  hash: string;
}

export interface RunRecord {
  id: string;
  index: number;
  hash: string;
  noise: string;
  depth: number;
  seed: number;
  base: SweepBase;
  /** σ_w² actually used and the μ2 of the noise */
  sigma_w2: number;
  mu2: number;
  result: TrainResult;
  host?: string;
  /** the device the run computed on: requested, used, why auto fell back (issue 10) */
  device?: { requested: string; used: string; fallback_reason: string | null; adapter: string | null };
  finished_at: string;
}

/** Stable JSON (sorted keys) for hashing. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

function sha(s: string, n = 16): string {
  return createHash("sha256").update(s).digest("hex").slice(0, n);
}

/** A file-name-safe id fragment. */
function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9.=-]+/g, "_");
}

/** All runs of a plan in canonical order. */
export function planRuns(plan: SweepPlan): RunSpec[] {
  const runs: RunSpec[] = [];
  for (const noise of plan.noises) {
    for (const depth of plan.depths) {
      for (const seed of plan.seeds) {
        const index = runs.length;
        const hash = sha(canonical({ base: plan.base, noise, depth, seed }));
        runs.push({ index, id: `${safe(noise)}__L${depth}__s${seed}`, noise, depth, seed, hash });
      }
    }
  }
  return runs;
}

/** Parse `i/N` (0 ≤ i < N). */
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

/** The runs of shard i of N (round-robin over the canonical order). */
export function shardRuns(runs: RunSpec[], shard: { index: number; count: number }): RunSpec[] {
  return runs.filter((r) => r.index % shard.count === shard.index);
}

export const planFile = (dir: string) => join(dir, "sweep.json");
export const recordFile = (dir: string, id: string) => join(dir, "runs", `${id}.json`);
/** Per-epoch checkpoint of a run in flight (removed once its record is written). */
export const checkpointFile = (dir: string, id: string) => join(dir, "runs", ".ckpt", `${id}.ckpt`);

/** Write the plan, or check it equals the one already in the folder (exit 2 if not). */
export function ensurePlan(dir: string, plan: SweepPlan): void {
  const f = planFile(dir);
  if (existsSync(f)) {
    const old = JSON.parse(readFileSync(f, "utf8")) as SweepPlan;
    if (canonical(old) !== canonical(plan)) {
      throw new InputError(
        "--out",
        dir,
        "an empty folder or one holding the same sweep",
        `it holds a different sweep (${f}); use another folder`,
      );
    }
    return;
  }
  writeFileAtomic(f, JSON.stringify(plan, null, 2) + "\n");
}

/** The finished record of a run, or null (missing, unreadable or from another config). */
export function readRecord(dir: string, run: RunSpec): RunRecord | null {
  const f = recordFile(dir, run.id);
  if (!existsSync(f)) return null;
  try {
    const r = JSON.parse(readFileSync(f, "utf8")) as RunRecord;
    return r.hash === run.hash ? r : null;
  } catch {
    return null;
  }
}

/** Remove temp files left by killed writers in DIR/runs (only names of the given runs). */
export function removeStaleTemps(dir: string, runs: RunSpec[]): number {
  const ids = new Set(runs.flatMap((r) => [`${r.id}.json`, `${r.id}.ckpt`]));
  let n = 0;
  for (const d of [join(dir, "runs"), join(dir, "runs", ".ckpt")]) {
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d)) {
      const m = /^\.(.+\.(?:json|ckpt))\.\d+\.\d+\.tmp$/.exec(f);
      if (m && ids.has(m[1])) {
        rmSync(join(d, f), { force: true });
        n++;
      }
    }
  }
  return n;
}

export interface SweepProgress {
  /** called before each run with (done so far, total in shard) */
  onRun?: (run: RunSpec, done: number, total: number) => void;
  onStep?: (done: number, total: number) => void;
}

/**
 * Run (the shard of) a sweep into `dir`, skipping finished runs. `execute` trains one run and returns
 * the record body. Returns counts.
 */
export async function runSweep(
  dir: string,
  plan: SweepPlan,
  shard: { index: number; count: number },
  execute: (
    run: RunSpec,
  ) => Promise<
    Omit<RunRecord, "id" | "index" | "hash" | "noise" | "depth" | "seed" | "base" | "finished_at">
  >,
  progress: SweepProgress = {},
): Promise<{ total: number; shard: number; skipped: number; ran: number; ranIds: string[] }> {
  ensurePlan(dir, plan);
  const all = planRuns(plan);
  const mine = shardRuns(all, shard);
  removeStaleTemps(dir, mine);
  const todo = mine.filter((r) => readRecord(dir, r) === null);
  const ranIds: string[] = [];
  for (const [k, run] of todo.entries()) {
    progress.onRun?.(run, k, todo.length);
    const body = await execute(run);
    const rec: RunRecord = {
      id: run.id,
      index: run.index,
      hash: run.hash,
      noise: run.noise,
      depth: run.depth,
      seed: run.seed,
      base: plan.base,
      ...body,
      finished_at: new Date().toISOString(),
    };
    writeFileAtomic(
      recordFile(dir, run.id),
      JSON.stringify(rec, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) + "\n",
    );
    rmSync(checkpointFile(dir, run.id), { force: true });
    ranIds.push(run.id);
  }
  return {
    total: all.length,
    shard: mine.length,
    skipped: mine.length - todo.length,
    ran: todo.length,
    ranIds,
  };
}

export interface Merged {
  plan: SweepPlan;
  records: RunRecord[];
  missing: RunSpec[];
}

/** Merge the records of sweep folders holding the same plan (a run found in several is taken once). */
export function mergeSweeps(dirs: string[]): Merged {
  if (dirs.length === 0) throw new InputError("DIR", "(none)", "one or more sweep folders");
  let plan: SweepPlan | null = null;
  for (const d of dirs) {
    const f = planFile(d);
    if (!existsSync(f)) throw new InputError("DIR", d, "a sweep folder (with sweep.json)");
    const p = JSON.parse(readFileSync(f, "utf8")) as SweepPlan;
    if (plan && canonical(plan) !== canonical(p))
      throw new InputError(
        "DIR",
        d,
        "folders of the same sweep",
        "its sweep.json differs from the first folder's",
      );
    plan = p;
  }
  const runs = planRuns(plan as SweepPlan);
  const records: RunRecord[] = [];
  const missing: RunSpec[] = [];
  for (const r of runs) {
    let rec: RunRecord | null = null;
    for (const d of dirs) {
      rec = readRecord(d, r);
      if (rec) break;
    }
    if (rec) records.push(rec);
    else missing.push(r);
  }
  return { plan: plan as SweepPlan, records, missing };
}

/** One flat row per record (for CSV). */
export function recordRow(r: RunRecord): Record<string, number | string | null> {
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
