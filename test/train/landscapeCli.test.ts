/**
 * `sigprop landscape` through the real entry (src/cli/main.ts): a checkpoint written by `sigprop train`
 * gives one JSON object whose line at t = 0 and plane origin are the run's recorded losses, and the data
 * and figure files; a missing or corrupt checkpoint and a bad flag are exit 2 with a `--json` error
 * object and nothing written.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { endsWithOneLineError, sigprop, tinyIdx, tinyTrain } from "../io/cli.js";

const data = tinyIdx();
const dir = mkdtempSync(join(tmpdir(), "sigprop-landscape-cli-"));
const ckpt = join(dir, "run.ckpt");

beforeAll(async () => {
  // classification, 2 epochs: the finished run's checkpoint (epoch 2, its final weights) stays
  const r = await sigprop([...tinyTrain(data, 2), "--task", "classification", "--checkpoint", ckpt]);
  expect(r.code, r.err).toBe(0);
}, 180_000);

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));

describe("sigprop landscape (real CLI)", () => {
  it("writes the data and the figure; t = 0 and the origin are the recorded losses", async () => {
    const out = join(dir, "out");
    const r = await sigprop(["landscape", ckpt, "--out", out, "--grid", "3", "--steps", "7", "--json"]);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]);
    expect(j.checkpoint.epoch).toBe(2);
    expect(j.checkpoint.finished).toBe(true);
    expect(j.examples).toBe(108); // all of the split's training examples (< --points 1000)
    expect(j.line.t[1]).toBe(0);
    expect(j.line.t[5]).toBe(1);
    // the same evaluation as the training loop's on the same examples (see test/train/landscape.test.ts)
    expect(rel(j.line.loss[1], j.recorded.init_train_loss)).toBeLessThan(1e-12);
    expect(rel(j.line.loss[5], j.recorded.train_loss)).toBeLessThan(1e-12);
    expect(rel(j.plane.loss[1][1], j.recorded.train_loss)).toBeLessThan(1e-12);
    expect(j.plane.accuracy).toHaveLength(3);
    for (const f of ["landscape.json", "line.csv", "plane.csv", "landscape.svg", "landscape.png"])
      expect(existsSync(join(out, f)), f).toBe(true);
    expect(readdirSync(out).some((f) => f.includes("partial"))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, "landscape.json"), "utf8")).plane.loss).toEqual(j.plane.loss);
    expect(readFileSync(join(out, "plane.csv"), "utf8").trim().split("\n")).toHaveLength(1 + 9);
  }, 180_000);

  it("any architecture `train` builds: a 1-epoch run's final weights give its recorded losses", async () => {
    for (const [tag, extra] of [
      ["bn", ["--batchnorm"]],
      ["full", ["--residual", "full", "--sigma-v2", "0.5"]],
      ["ll", ["--activation", "relu", "--init", "looks-linear"]],
    ] as const) {
      const file = join(dir, `${tag}.ckpt`);
      const t = await sigprop([
        ...tinyTrain(data, 1),
        "--task",
        "classification",
        ...extra,
        "--checkpoint",
        file,
      ]);
      expect(t.code, `${tag}: ${t.err}`).toBe(0);
      const out = join(dir, `out-${tag}`);
      const r = await sigprop(["landscape", file, "--out", out, "--grid", "3", "--steps", "7", "--json"]);
      expect(r.code, `${tag}: ${r.err}`).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.checkpoint).toMatchObject({ epoch: 1, epochs: 1, finished: true });
      expect(j.run.batchnorm, tag).toBe(tag === "bn");
      expect(j.run.residual, tag).toBe(tag === "full" ? "full" : "none");
      expect(j.run.init, tag).toBe(tag === "ll" ? "looks-linear" : "iid");
      if (tag === "full") expect(j.run.sigma_v2).toBe(0.5);
      if (tag === "bn") expect(j.plane.batchnorm_statistics).toMatch(/108 train-loss examples/);
      // the recorded losses are the train command's own (its --json), and the landscape reproduces them
      // (same float32 evaluation, see test/train/landscape.test.ts for the 1e-9 tolerance)
      const rec = JSON.parse(t.out);
      expect(j.recorded.train_loss).toBe(rec.train_loss);
      expect(rel(j.line.loss[1], j.recorded.init_train_loss), tag).toBeLessThan(1e-9);
      expect(rel(j.line.loss[5], j.recorded.train_loss), tag).toBeLessThan(1e-9);
      expect(rel(j.plane.loss[1][1], j.recorded.train_loss), tag).toBeLessThan(1e-9);
    }
  }, 300_000);

  it("a missing or corrupt checkpoint is exit 2 with a --json error object, nothing written", async () => {
    const bad = join(dir, "bad.ckpt");
    const raw = readFileSync(ckpt);
    raw[raw.length - 40] ^= 0x10;
    writeFileSync(bad, raw);
    for (const [file, why] of [
      [join(dir, "missing.ckpt"), /no such file/],
      [bad, /SHA-256 mismatch/],
    ] as const) {
      const out = join(dir, "out-bad");
      const r = await sigprop(["landscape", file, "--out", out, "--json"]);
      expect(r.code, r.err).toBe(2);
      expect(endsWithOneLineError(r.err)).toBe(true);
      const j = JSON.parse(r.out.trim());
      expect(j.error.kind).toBe("bad_input");
      expect(j.error.message).toMatch(why);
      expect(existsSync(out)).toBe(false);
    }
  }, 180_000);

  it("a bad flag is named before the checkpoint is read", async () => {
    const r = await sigprop(["landscape", join(dir, "missing.ckpt"), "--out", dir, "--grid", "1", "--json"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out.trim()).error.flag).toBe("--grid");
  }, 180_000);
});
