/**
 * Sweeps: shards partition the grid exactly once; an interrupted sweep resumes without losing or
 * repeating finished runs (records are atomic; leftover temp files are ignored and cleaned); a folder
 * holding another plan is refused; merging shard folders recovers the whole grid; and the CLI runs a tiny
 * real sweep on IDX files written here, then merges it into heat maps.
 */
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/theory/errors.js";
import {
  checkpointFile,
  mergeSweeps,
  planRuns,
  recordFile,
  runSweep,
  shardRuns,
  type RunSpec,
  type SweepPlan,
} from "../../src/train/sweep.js";
import type { TrainResult } from "../../src/train/train.js";
import { parseShard } from "../../src/cli/commands/sweep.js";
import { runCli } from "../support/cli.js";
import { tinyIdx, tinyTrain } from "../io/cli.js";
import { fakeTrainResult, tinyPlan } from "../support/trainFixtures.js";

const plan = (over: Partial<SweepPlan> = {}): SweepPlan =>
  tinyPlan({ depths: [2, 6, 10], seeds: [0, 1], ...over });

const fakeResult = (x: number): TrainResult =>
  fakeTrainResult({ trainable: x < 0.5, trainLoss: x, valLoss: x, testLoss: x, lossRatio: x });

const body = (r: RunSpec) => ({ sigma_w2: 1, mu2: 2, result: fakeResult(r.depth / 20) });

describe("sharding", () => {
  it("shards 0..N−1 cover every run of the grid exactly once, for N = 1..9", () => {
    const runs = planRuns(plan());
    expect(runs.length).toBe(12);
    expect(new Set(runs.map((r) => r.id)).size).toBe(12);
    for (let n = 1; n <= 9; n++) {
      const seen = Array.from({ length: n }, (_, i) => shardRuns(runs, { index: i, count: n })).flat();
      expect(seen.map((r) => r.index).sort((a, b) => a - b)).toEqual(runs.map((r) => r.index));
    }
  });
  it("parses i/N and refuses i ≥ N", () => {
    expect(parseShard("3/8")).toEqual({ index: 3, count: 8 });
    expect(() => parseShard("8/8")).toThrow(InputError);
    expect(() => parseShard("1")).toThrow(InputError);
  });
  it("run ids and hashes depend on the whole config", () => {
    const a = planRuns(plan());
    const b = planRuns(plan({ base: { ...plan().base, lr: 0.01 } }));
    expect(a.map((r) => r.id)).toEqual(b.map((r) => r.id));
    expect(a[0].hash).not.toBe(b[0].hash);
  });
});

describe("resume", () => {
  it("an interrupted sweep resumes: nothing lost, nothing done twice", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sigprop-sweep-"));
    const p = plan();
    const calls: string[] = [];
    let budget = 5;
    // first attempt "dies" (throws, as a kill would stop it) during the 6th run
    await expect(
      runSweep(dir, p, { index: 0, count: 1 }, async (r) => {
        if (budget-- === 0) throw new Error("killed");
        calls.push(r.id);
        return body(r);
      }),
    ).rejects.toThrow("killed");
    expect(readdirSync(join(dir, "runs")).filter((f) => f.endsWith(".json"))).toHaveLength(5);
    // a partial temp file left by a killed writer for a not-yet-finished run
    const pending = planRuns(p)[7];
    writeFileSync(join(dir, "runs", `.${pending.id}.json.999.123.tmp`), "{ partial");
    const s = await runSweep(dir, p, { index: 0, count: 1 }, async (r) => {
      calls.push(r.id);
      return body(r);
    });
    expect(s).toMatchObject({ total: 12, shard: 12, skipped: 5, ran: 7 });
    expect(calls.sort()).toEqual(
      planRuns(p)
        .map((r) => r.id)
        .sort(),
    );
    expect(readdirSync(join(dir, "runs")).filter((f) => f.endsWith(".tmp"))).toHaveLength(0);
    // a kill between a run's record and the removal of its checkpoint leaves a stale checkpoint of a
    // finished run: the next attempt removes it (fails without the clean-up in runSweep)
    const finished = planRuns(p)[0];
    mkdirSync(join(dir, "runs", ".ckpt"), { recursive: true });
    writeFileSync(checkpointFile(dir, finished.id), "stale");
    // a third run has nothing to do
    const again = await runSweep(dir, p, { index: 0, count: 1 }, async () => {
      throw new Error("should not run");
    });
    expect(again.ran).toBe(0);
    expect(existsSync(checkpointFile(dir, finished.id))).toBe(false);
    // a corrupt record (e.g. edited by hand) is neither trusted nor silently redone: exit 2 naming it,
    // before any run starts; deleting it reruns that run
    const f0 = recordFile(dir, planRuns(p)[0].id);
    writeFileSync(f0, "not json");
    await expect(
      runSweep(dir, p, { index: 0, count: 1 }, async () => {
        throw new Error("should not run");
      }),
    ).rejects.toThrow(/runs\/.*\.json: not valid JSON/);
    rmSync(f0);
    const fix = await runSweep(dir, p, { index: 0, count: 1 }, async (r) => body(r));
    expect(fix.ranIds).toEqual([planRuns(p)[0].id]);
  });

  it("refuses a folder that holds a different sweep", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sigprop-sweep-"));
    await runSweep(dir, plan({ depths: [2] }), { index: 0, count: 1 }, async (r) => body(r));
    await expect(
      runSweep(dir, plan({ depths: [3] }), { index: 0, count: 1 }, async (r) => body(r)),
    ).rejects.toThrow(InputError);
  });

  it("shards run into separate folders merge into the whole grid; a missing shard is reported", async () => {
    const root = mkdtempSync(join(tmpdir(), "sigprop-sweep-"));
    const p = plan();
    const dirs = [0, 1, 2].map((i) => join(root, `shard${i}`));
    for (const [i, d] of dirs.entries()) await runSweep(d, p, { index: i, count: 3 }, async (r) => body(r));
    const m = mergeSweeps(dirs);
    expect(m.missing).toHaveLength(0);
    expect(m.records.map((r) => r.index)).toEqual(planRuns(p).map((r) => r.index));
    const partial = mergeSweeps(dirs.slice(0, 2));
    expect(partial.missing.map((r) => r.index % 3)).toEqual(new Array(4).fill(2));
  });
});

describe("sigprop train / sweep CLI (tiny IDX data)", () => {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  // the real entry (src/cli/main.ts), so exit codes and error output are the ones users get
  const entry = join(root, "src/cli/main.ts");
  const run = (...args: string[]) => runCli(args);

  const data = tinyIdx();
  /** `sweep run --json` of width-8 networks on the tiny data into `out`. */
  const sweepRun = (out: string, o: { keep: string; depths: string; epochs: number; batch: number }) => [
    ...["sweep", "run", "--dataset", `idx:${data}`, "--keep", o.keep, "--depths", o.depths, "--width", "8"],
    ...["--epochs", String(o.epochs), "--batch", String(o.batch), "--out", out, "--json"],
  ];

  it("train: --json record; corrupt file → exit 2 with a message", async () => {
    const r = await run(...tinyTrain(data, 1));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ dataset: `idx:${data}`, depth: 2, sigma_w2: 2, status: "ok" });
    const bad = mkdtempSync(join(tmpdir(), "sigprop-idxbad-"));
    for (const f of readdirSync(data)) writeFileSync(join(bad, f), readFileSync(join(data, f)));
    const images = join(bad, "train-images-idx3-ubyte");
    writeFileSync(images, readFileSync(images).subarray(0, 1000));
    const e = await run("train", "--dataset", `idx:${bad}`, "--depth", "1");
    expect(e.code).toBe(2);
    expect(e.err).toMatch(/--dataset.*truncated/);
  });

  it("sweep run (2 shards, rerun resumes) then merge writes CSV, JSON and the heat maps", async () => {
    const out = mkdtempSync(join(tmpdir(), "sigprop-sweepcli-"));
    const args = sweepRun(out, { keep: "0.5,1", depths: "1,2", epochs: 1, batch: 16 });
    const s0 = await run(...args, "--shard", "0/2");
    expect(s0.code).toBe(0);
    expect(JSON.parse(s0.out)).toMatchObject({ grid_runs: 4, shard_runs: 2, ran: 2 });
    const s1 = await run(...args, "--shard", "1/2");
    expect(JSON.parse(s1.out)).toMatchObject({ ran: 2 });
    const again = await run(...args, "--shard", "1/2");
    expect(JSON.parse(again.out)).toMatchObject({ skipped_finished: 2, ran: 0 });
    const m = await run("sweep", "merge", out, "--out", join(out, "merged"), "--json");
    expect(m.code).toBe(0);
    expect(JSON.parse(m.out)).toMatchObject({ runs: 4, missing: 0 });
    for (const f of ["results.csv", "results.json", "heatmap.svg", "heatmap.png"])
      expect(existsSync(join(out, "merged", f))).toBe(true);
    expect(
      readFileSync(join(out, "merged", "results.csv"), "utf8")
        .trim()
        .split("\n"),
    ).toHaveLength(5);
  });
  it("a kill after a run's final checkpoint, before its record: the rerun replays it, nothing retrained", async () => {
    // the state that kill leaves: no record, a finished checkpoint (train saves the last epoch too). It is
    // made here by `train --checkpoint` with the same configuration as the sweep's run.
    const out = mkdtempSync(join(tmpdir(), "sigprop-sweepfin-"));
    const sweep = ["sweep", "run", "--dataset", `idx:${data}`, "--keep", "1", "--depths", "1"];
    const common = ["--width", "8", "--epochs", "1", "--batch", "16", "--json"];
    const first = await run(...sweep, ...common, "--out", out);
    expect(first.code, first.err).toBe(0);
    const id = "dropout_keep=1__L1__s0";
    const recFile = join(out, "runs", `${id}.json`);
    const orig = JSON.parse(readFileSync(recFile, "utf8"));
    rmSync(recFile);
    const ck = join(out, "runs", ".ckpt", `${id}.ckpt`);
    mkdirSync(join(out, "runs", ".ckpt"), { recursive: true });
    const t = await run(
      "train",
      "--dataset",
      `idx:${data}`,
      "--noise",
      "dropout:keep=1",
      "--depth",
      "1",
      ...common,
      "--checkpoint",
      ck,
    );
    expect(t.code, t.err).toBe(0);
    const again = await run(...sweep, ...common, "--out", out);
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ ran: 1 });
    const rec = JSON.parse(readFileSync(recFile, "utf8"));
    expect(rec.result.fromCheckpoint).toEqual({ epoch: 1, finished: true });
    expect(rec.result.history).toEqual(
      orig.result.history.map((h: object, i: number) => ({
        ...h,
        seconds: rec.result.history[i].seconds,
        trainSeconds: rec.result.history[i].trainSeconds,
      })),
    );
    expect(rec.result.valLoss).toBe(orig.result.valLoss);
    expect(existsSync(ck)).toBe(false);
  });
  it("kill -9 during a sweep, rerun: finished records are kept untouched and only the rest run", async () => {
    const out = mkdtempSync(join(tmpdir(), "sigprop-sweepkill-"));
    const args = sweepRun(out, { keep: "0.5,0.7,1", depths: "1,2,3", epochs: 3, batch: 8 });
    const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
      cwd: root,
      stdio: "ignore",
    });
    const runsDir = join(out, "runs");
    const done = () => (existsSync(runsDir) ? readdirSync(runsDir).filter((f) => f.endsWith(".json")) : []);
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on("exit", (_code, signal) => r(signal)));
    while (done().length < 2 && child.exitCode === null) await new Promise((r) => setTimeout(r, 25));
    child.kill("SIGKILL");
    // the kill must land mid-sweep: the child was still running and died of SIGKILL with runs left to do
    expect(await exited).toBe("SIGKILL");
    const before = new Map(done().map((f) => [f, readFileSync(join(runsDir, f), "utf8")]));
    expect(before.size).toBeGreaterThan(0);
    expect(before.size).toBeLessThan(9);
    const again = await run(...args);
    expect(again.code).toBe(0);
    const j = JSON.parse(again.out);
    expect(j.grid_runs).toBe(9);
    expect(j.skipped_finished).toBe(before.size);
    expect(j.ran).toBe(9 - before.size);
    expect(done()).toHaveLength(9);
    for (const [f, text] of before) expect(readFileSync(join(runsDir, f), "utf8")).toBe(text);
    expect(readdirSync(runsDir).filter((f) => f.endsWith(".tmp"))).toHaveLength(0);
    // checkpoints of runs in flight are removed once their record is written
    const ck = join(runsDir, ".ckpt");
    expect(existsSync(ck) ? readdirSync(ck) : []).toHaveLength(0);
  });
});
