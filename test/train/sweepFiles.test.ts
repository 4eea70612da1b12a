/**
 * Sweep folders are validated, not trusted: a cut, empty, `{}` or `null` sweep.json, a mistyped plan, a
 * record without `result` or of another run, and `runs/` being a file are each exit 2 with the path and
 * what is wrong (library: InputError; CLI: one line, no stack). The grid has no duplicates:
 * `--keep 0.5,0.5` is one run, and a sweep.json that lists a noise twice merges each run once.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/theory/errors.js";
import {
  mergeSweeps,
  planFile,
  planRuns,
  recordFile,
  runSweep,
  type RunSpec,
  type SweepPlan,
} from "../../src/train/sweep.js";
import { oneLine, sigprop, tinyIdx } from "../io/cli.js";
import { fakeTrainResult, tinyPlan } from "../support/trainFixtures.js";

const plan: SweepPlan = tinyPlan();

const result = fakeTrainResult();
const body = () => ({ sigma_w2: 2, mu2: 1, result });

async function finished(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "sigprop-sweepfiles-"));
  await runSweep(dir, plan, { index: 0, count: 1 }, async () => body());
  return dir;
}

describe("sweep.json is validated", () => {
  const bad: [string, string, RegExp][] = [
    ["cut short", JSON.stringify(plan).slice(0, 40), /sweep\.json: not valid JSON/],
    ["empty", "", /sweep\.json: not valid JSON \(empty\)/],
    ["{}", "{}", /sweep\.json: version undefined/],
    ["null", "null", /sweep\.json: a JSON object is needed, found null/],
    ["no noises", JSON.stringify({ ...plan, noises: [] }), /'noises' is missing or not a non-empty list/],
    ["bad noise", JSON.stringify({ ...plan, noises: ["dropout:0.5"] }), /not a valid noise spec/],
    ["depth text", JSON.stringify({ ...plan, depths: ["2"] }), /depths must be whole numbers/],
    ["no base", JSON.stringify({ ...plan, base: null }), /'base' is missing/],
  ];
  for (const [label, text, msg] of bad) {
    it(`${label}: merge and run both refuse it with the path`, async () => {
      const dir = await finished();
      writeFileSync(planFile(dir), text);
      expect(() => mergeSweeps([dir])).toThrow(InputError);
      expect(() => mergeSweeps([dir])).toThrow(msg);
      await expect(runSweep(dir, plan, { index: 0, count: 1 }, async () => body())).rejects.toThrow(msg);
    });
  }
});

describe("run records are validated", () => {
  const edits: [string, (r: Record<string, unknown>) => unknown, RegExp][] = [
    ["without result", (r) => ({ ...r, result: undefined }), /'result' is missing/],
    ["null", () => null, /found null/],
    ["of another run", (r) => ({ ...r, hash: "0123456789abcdef" }), /another configuration/],
    ["status missing", (r) => ({ ...r, result: { ...result, status: undefined } }), /result\.status/],
    ["loss text", (r) => ({ ...r, result: { ...result, valLoss: "0.3" } }), /result\.valLoss/],
  ];
  for (const [label, edit, msg] of edits) {
    it(`a record ${label}: merge and resume refuse it, naming the file`, async () => {
      const dir = await finished();
      const run = planRuns(plan)[1];
      const f = recordFile(dir, run.id);
      writeFileSync(f, JSON.stringify(edit(JSON.parse(readFileSync(f, "utf8")))) ?? "null");
      expect(() => mergeSweeps([dir])).toThrow(msg);
      expect(() => mergeSweeps([dir])).toThrow(run.id);
      await expect(
        runSweep(dir, plan, { index: 0, count: 1 }, async () => {
          throw new Error("should not run");
        }),
      ).rejects.toThrow(InputError);
    });
  }
  it("runs/ (or runs/.ckpt) being a file is refused", async () => {
    for (const sub of ["runs", join("runs", ".ckpt")]) {
      const dir = mkdtempSync(join(tmpdir(), "sigprop-sweepfiles-"));
      writeFileSync(planFile(dir), JSON.stringify(plan));
      if (sub !== "runs") mkdirSync(join(dir, "runs"));
      writeFileSync(join(dir, sub), "");
      expect(() => mergeSweeps([dir])).toThrow(/is a file, not a folder/);
      await expect(runSweep(dir, plan, { index: 0, count: 1 }, async () => body())).rejects.toThrow(
        /is a file, not a folder/,
      );
    }
  });
});

describe("the grid has no duplicates", () => {
  it("a plan listing a noise, depth or seed twice has each run once", async () => {
    const dup = { ...plan, noises: [...plan.noises, plan.noises[0]], depths: [2, 6, 2], seeds: [0, 0] };
    const runs: RunSpec[] = planRuns(dup);
    expect(runs.map((r) => r.id)).toEqual(planRuns(plan).map((r) => r.id));
    const dir = mkdtempSync(join(tmpdir(), "sigprop-sweepfiles-"));
    const ran: string[] = [];
    const s = await runSweep(dir, dup, { index: 0, count: 1 }, async (r) => {
      ran.push(r.id);
      return body();
    });
    expect(s.total).toBe(4);
    expect(new Set(ran).size).toBe(ran.length);
    const m = mergeSweeps([dir]);
    expect(m.records.map((r) => r.id)).toEqual(planRuns(plan).map((r) => r.id));
    // the folder (its sweep.json lists repeats) is the same sweep as the plan without them: resumes
    const again = await runSweep(dir, plan, { index: 0, count: 1 }, async () => {
      throw new Error("should not run");
    });
    expect(again).toMatchObject({ total: 4, skipped: 4, ran: 0 });
  });
});

describe("sigprop sweep (real CLI)", () => {
  it("--keep 0.5,0.5 is one run; merge writes each id once; a cut sweep.json or a record without result is exit 2", async () => {
    const data = tinyIdx();
    const out = mkdtempSync(join(tmpdir(), "sigprop-sweepcli-"));
    const common = ["--dataset", `idx:${data}`, "--width", "4", "--epochs", "0", "--batch", "16"];
    const r = await sigprop([
      "sweep",
      "run",
      ...common,
      "--keep",
      "0.5,0.5",
      "--depths",
      "1",
      "--out",
      out,
      "--json",
    ]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ grid_runs: 1, ran: 1 });
    const merged = join(out, "merged");
    const m = await sigprop(["sweep", "merge", out, "--out", merged, "--json"]);
    expect(m.code, m.err).toBe(0);
    const ids = (
      JSON.parse(readFileSync(join(merged, "results.json"), "utf8")) as { records: { id: string }[] }
    ).records.map((x) => x.id);
    expect(ids).toEqual(["dropout_keep=0.5__L1__s0"]);
    // a record without `result`
    const rec = join(out, "runs", `${ids[0]}.json`);
    const good = readFileSync(rec, "utf8");
    writeFileSync(rec, JSON.stringify({ ...JSON.parse(good), result: undefined }));
    const noResult = await sigprop(["sweep", "merge", out, "--out", merged]);
    expect(noResult.code).toBe(2);
    expect(oneLine(noResult.err), noResult.err).toBe(true);
    expect(noResult.err).toMatch(/runs\/dropout_keep=0\.5__L1__s0\.json: 'result' is missing/);
    writeFileSync(rec, good);
    // a cut sweep.json
    const plan0 = readFileSync(join(out, "sweep.json"), "utf8");
    writeFileSync(join(out, "sweep.json"), plan0.slice(0, 50));
    const cut = await sigprop(["sweep", "merge", out, "--out", merged]);
    expect(cut.code).toBe(2);
    expect(oneLine(cut.err), cut.err).toBe(true);
    expect(cut.err).toMatch(/sweep\.json: not valid JSON/);
    writeFileSync(join(out, "sweep.json"), plan0);
  }, 300_000);

  it("a garbage checkpoint of a run in flight is exit 2; --fresh restarts it; runs/ being a file is exit 2", async () => {
    const data = tinyIdx();
    const common = ["--dataset", `idx:${data}`, "--width", "4", "--epochs", "0", "--batch", "16"];
    // a garbage checkpoint of a run in flight: exit 2 naming it; --fresh starts that run afresh
    const out2 = mkdtempSync(join(tmpdir(), "sigprop-sweepcli-"));
    const more = ["sweep", "run", ...common, "--keep", "0.5", "--depths", "1", "--out", out2, "--json"];
    mkdirSync(join(out2, "runs", ".ckpt"), { recursive: true });
    writeFileSync(join(out2, "runs", ".ckpt", "dropout_keep=0.5__L1__s0.ckpt"), "garbage");
    const ck = await sigprop(more);
    expect(ck.code, ck.err).toBe(2);
    expect(ck.err).toMatch(
      /sweep checkpoint .*dropout_keep=0\.5__L1__s0\.ckpt.*not a sigprop checkpoint.*--fresh/,
    );
    const fresh = await sigprop([...more, "--fresh"]);
    expect(fresh.code, fresh.err).toBe(0);
    expect(JSON.parse(fresh.out)).toMatchObject({ grid_runs: 1, ran: 1 });
    // runs/ is a file
    rmSync(join(out2, "runs"), { recursive: true });
    writeFileSync(join(out2, "runs"), "");
    const file = await sigprop(["sweep", "run", ...common, "--keep", "0.5", "--depths", "1", "--out", out2]);
    expect(file.code).toBe(2);
    expect(oneLine(file.err), file.err).toBe(true);
    expect(file.err).toMatch(/runs: is a file, not a folder/);
  }, 300_000);
});
