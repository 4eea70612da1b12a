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
 *   so a killed long run resumes from its last finished epoch, bit-identically; the last epoch is saved
 *   too, so a kill between a run's end and its record only replays the finished run's result.
 * - Merge: read the records of one or more sweep folders (e.g. one per machine), check the plans agree,
 *   list what is missing, and return one table.
 * - Every file read is validated (`readPlan`, `readRecord`): a cut, empty, `{}`/`null` or mistyped
 *   sweep.json or run record, a record of another configuration, or `runs/` that is not a folder is an
 *   InputError (exit 2) naming the file and what is wrong — never a stack trace, and never silently
 *   redone (a record is deleted by hand to rerun it). The grid has no duplicates: repeated noises,
 *   depths or seeds (`--keep 0.5,0.5`) are one run, also for a sweep.json written before that rule.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic.js";
import { InputError } from "../theory/errors.js";
import { parseNoise } from "../theory/noise.js";
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
  /** --batchnorm (absent when off) */
  batchnorm?: true;
  /** --residual (absent for the plain network) */
  residual?: "reduced" | "full";
  /** --residual full: σ_v² and σ_a² of the blocks' second layer */
  sigma_v2?: number;
  sigma_a2?: number;
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

/** A plan's identity for "same sweep?": repeated grid values do not count (planRuns ignores them). */
function samePlanKey(p: SweepPlan): string {
  const uniq = <T>(xs: T[]) => [...new Set(xs)];
  return canonical({ ...p, noises: uniq(p.noises), depths: uniq(p.depths), seeds: uniq(p.seeds) });
}

/** All runs of a plan in canonical order; a repeated (noise, depth, seed) is one run (the first). */
export function planRuns(plan: SweepPlan): RunSpec[] {
  const runs: RunSpec[] = [];
  const uniq = <T>(xs: T[]) => [...new Set(xs)];
  for (const noise of uniq(plan.noises)) {
    for (const depth of uniq(plan.depths)) {
      for (const seed of uniq(plan.seeds)) {
        const index = runs.length;
        const hash = sha(canonical({ base: plan.base, noise, depth, seed }));
        runs.push({ index, id: `${safe(noise)}__L${depth}__s${seed}`, noise, depth, seed, hash });
      }
    }
  }
  return runs;
}

/** The runs of shard i of N (round-robin over the canonical order). */
export function shardRuns(runs: RunSpec[], shard: { index: number; count: number }): RunSpec[] {
  return runs.filter((r) => r.index % shard.count === shard.index);
}

export const planFile = (dir: string) => join(dir, "sweep.json");
export const recordFile = (dir: string, id: string) => join(dir, "runs", `${id}.json`);
/** Per-epoch checkpoint of a run in flight (removed once its record is written). */
export const checkpointFile = (dir: string, id: string) => join(dir, "runs", ".ckpt", `${id}.ckpt`);

/** An InputError about a file of a sweep folder: names the flag, the folder, the file and the fault. */
function fileError(flag: string, dir: string, file: string, what: string): InputError {
  return new InputError(flag, dir, "a sweep folder written by `sigprop sweep run`", `${file}: ${what}`);
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const isInt = (v: unknown, lo = 0) => typeof v === "number" && Number.isInteger(v) && v >= lo;
const isNum = (v: unknown) => typeof v === "number" && Number.isFinite(v);

/** Read a JSON file: null when absent; an InputError when unreadable or not JSON. */
function readJson(flag: string, dir: string, file: string): { value: unknown } | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    throw fileError(flag, dir, file, `cannot be read (${code ?? String(e)})`);
  }
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    throw fileError(
      flag,
      dir,
      file,
      `not valid JSON (${text.length === 0 ? "empty" : (e as Error).message}); cut short or edited?`,
    );
  }
}

/** What is wrong with a parsed sweep.json, or null. */
export function planProblem(v: unknown): string | null {
  if (!isObj(v))
    return `a JSON object is needed, found ${v === null ? "null" : Array.isArray(v) ? "an array" : typeof v}`;
  if (v.version !== 1) return `version ${JSON.stringify(v.version)}; this sigprop reads version 1`;
  const b = v.base;
  if (!isObj(b)) return "'base' is missing or not an object";
  for (const k of ["dataset", "task", "activation", "init", "optimizer"])
    if (typeof b[k] !== "string") return `base.${k} is missing or not a string`;
  for (const k of ["width", "batch"]) if (!isInt(b[k], 1)) return `base.${k} is not a whole number ≥ 1`;
  if (!isInt(b.epochs)) return "base.epochs is not a whole number ≥ 0";
  for (const k of ["lr", "val_fraction", "threshold"]) if (!isNum(b[k])) return `base.${k} is not a number`;
  if (b.batchnorm !== undefined && b.batchnorm !== true) return "base.batchnorm is not true (or absent)";
  if (b.residual !== undefined && b.residual !== "reduced" && b.residual !== "full")
    return "base.residual is not 'reduced' or 'full' (or absent)";
  for (const k of ["noises", "depths", "seeds"]) {
    const a = v[k];
    if (!Array.isArray(a) || a.length === 0) return `'${k}' is missing or not a non-empty list`;
  }
  for (const n of v.noises as unknown[]) {
    if (typeof n !== "string") return `noises holds ${JSON.stringify(n)}, not a noise spec`;
    try {
      parseNoise(n);
    } catch {
      return `noises holds '${n}', not a valid noise spec`;
    }
  }
  if (!(v.depths as unknown[]).every((d) => isInt(d))) return "depths must be whole numbers ≥ 0";
  if (!(v.seeds as unknown[]).every((d) => isInt(d))) return "seeds must be whole numbers ≥ 0";
  return null;
}

/** The plan of a sweep folder: null when there is no sweep.json; an InputError when it is not valid. */
export function readPlan(dir: string, flag = "DIR"): SweepPlan | null {
  const f = planFile(dir);
  const j = readJson(flag, dir, f);
  if (!j) return null;
  const problem = planProblem(j.value);
  if (problem) throw fileError(flag, dir, f, problem);
  return j.value as SweepPlan;
}

/** `DIR/runs` and `DIR/runs/.ckpt`, where they exist, must be folders. */
function checkSweepFolders(dir: string, flag = "DIR"): void {
  for (const d of [dir, join(dir, "runs"), join(dir, "runs", ".ckpt")]) {
    let isDir: boolean;
    try {
      isDir = statSync(d).isDirectory();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
      throw fileError(flag, dir, d, `cannot be read (${(e as NodeJS.ErrnoException).code})`);
    }
    if (!isDir) throw fileError(flag, dir, d, "is a file, not a folder");
  }
}

/** Write the plan, or check it equals the one already in the folder (exit 2 if not). */
export function ensurePlan(dir: string, plan: SweepPlan, flag = "out"): void {
  checkSweepFolders(dir, flag);
  const f = planFile(dir);
  const old = readPlan(dir, flag);
  if (old) {
    if (samePlanKey(old) !== samePlanKey(plan)) {
      throw new InputError(
        flag,
        dir,
        "an empty folder or one holding the same sweep",
        `it holds a different sweep (${f}); use another folder`,
      );
    }
    return;
  }
  writeFileAtomic(f, JSON.stringify(plan, null, 2) + "\n", { what: "the sweep plan" });
}

/** What is wrong with a parsed run record (for `run`), or null. */
export function recordProblem(v: unknown, run: RunSpec): string | null {
  if (!isObj(v))
    return `a JSON object is needed, found ${v === null ? "null" : Array.isArray(v) ? "an array" : typeof v}`;
  if (v.id !== run.id) return `its id is ${JSON.stringify(v.id)}, not '${run.id}'`;
  if (v.hash !== run.hash)
    return `it was made by another configuration (hash ${JSON.stringify(v.hash)}, this sweep's is ${run.hash})`;
  if (v.noise !== run.noise || v.depth !== run.depth || v.seed !== run.seed)
    return "its noise, depth or seed differ from the run's";
  if (!isNum(v.sigma_w2) || !isNum(v.mu2)) return "sigma_w2 or mu2 is missing or not a number";
  const r = v.result;
  if (!isObj(r)) return "'result' is missing or not an object";
  if (r.status !== "ok" && r.status !== "diverged")
    return `result.status is ${JSON.stringify(r.status)}, not "ok" or "diverged"`;
  if (typeof r.trainable !== "boolean") return "result.trainable is missing or not true/false";
  for (const k of ["trainLoss", "valLoss", "lossRatio"])
    if (r[k] !== null && !isNum(r[k])) return `result.${k} is neither a number nor null`;
  if (!isNum(r.baselineLoss)) return "result.baselineLoss is missing or not a number";
  if (r.valAcc !== undefined && r.valAcc !== null && !isNum(r.valAcc)) return "result.valAcc is not a number";
  if (!isNum(r.seconds)) return "result.seconds is missing or not a number";
  if (!Array.isArray(r.history)) return "result.history is missing or not a list";
  return null;
}

/**
 * The finished record of a run: null when there is none; an InputError naming the file when it is not a
 * valid record of this run (cut, edited, or of another configuration): delete it to run it again.
 */
function readRecord(dir: string, run: RunSpec, flag = "DIR"): RunRecord | null {
  const f = recordFile(dir, run.id);
  const j = readJson(flag, dir, f);
  if (!j) return null;
  const problem = recordProblem(j.value, run);
  if (problem) throw fileError(flag, dir, f, `${problem}; delete the file to run it again`);
  return j.value as RunRecord;
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
  ensurePlan(dir, plan, "--out");
  const all = planRuns(plan);
  const mine = shardRuns(all, shard);
  removeStaleTemps(dir, mine);
  // every existing record of the shard is validated before any run starts
  const todo = mine.filter((r) => readRecord(dir, r, "--out") === null);
  // a kill between writing a record and removing its checkpoint leaves a stale checkpoint of a finished run
  const pending = new Set(todo.map((r) => r.id));
  for (const r of mine) if (!pending.has(r.id)) rmSync(checkpointFile(dir, r.id), { force: true });
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
      { what: "the sweep record" },
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
    checkSweepFolders(d);
    const p = readPlan(d);
    if (!p) throw new InputError("DIR", d, "a sweep folder (with sweep.json)");
    if (plan && samePlanKey(plan) !== samePlanKey(p))
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
