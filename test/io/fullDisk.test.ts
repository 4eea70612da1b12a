/**
 * Every writer on a full disk (a 64 KiB tmpfs with 4 KiB free; the injected equivalent where mounting is
 * refused, test/io/diskFull.ts): `train --out`, `train --checkpoint`, `sweep run` (records), `sweep
 * merge` (CSV/JSON/SVG/PNG) and `reproduce` (cache, SVG, PNG, JSON, CSV, HTML). Each fails with exit 1
 * and one line (what, where, how much) through the real CLI, or a FileWriteError from the library, and
 * leaves no partial file: whatever is on the disk afterwards is complete, and no temporary file remains.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FileWriteError } from "../../src/io/errors.js";
import { reproduce } from "../../src/report/reproduce.js";
import { fakeSimulator } from "../report/fakeSim.js";
import { endsWithOneLineError, oneLine, sigprop, tinyIdx } from "./cli.js";
import { fullDisk, injectedDisk, listFiles, type FullDisk } from "./diskFull.js";

const disks: FullDisk[] = [];
afterAll(() => disks.forEach((d) => d.cleanup()));
const disk = () => {
  const d = fullDisk();
  disks.push(d);
  return d;
};
const data = tinyIdx();
const small = ["--dataset", `idx:${data}`, "--width", "4", "--batch", "16"];
const ENOSPC = /^sigprop: no space left on device: could not write /;

describe("full disk through the CLI: exit 1, one line, nothing partial", () => {
  it("train --out (a 60-epoch record, ~7 KB)", async () => {
    const d = disk();
    const r = await sigprop(
      ["train", ...small, "--depth", "1", "--epochs", "60", "--out", join(d.dir, "res.json"), "--json"],
      {
        env: d.env,
        nodeArgs: d.nodeArgs,
      },
    );
    expect(r.code, r.err).toBe(1);
    expect(oneLine(r.err), r.err).toBe(true);
    expect(r.err).toMatch(ENOSPC);
    expect(r.err).toMatch(/the train result .*res\.json \(\d+\.\d KiB, 4\.0 KiB written before it failed/);
    // with --json stdout is exactly the one error object (issue 14's contract), never a partial result
    const e = JSON.parse(r.out).error;
    expect(e.kind).toBe("file_write");
    expect(Object.keys(JSON.parse(r.out))).toEqual(["error"]);
    expect(e.message).toMatch(/no space left on device/);
    expect(listFiles(d.dir)).toEqual([]);
  }, 300_000);

  it("train --checkpoint (an 8 KB checkpoint after epoch 1), on the injected fault (the fallback itself)", async () => {
    const d = injectedDisk();
    disks.push(d);
    const r = await sigprop(
      [
        "train",
        ...small,
        "--width",
        "8",
        "--depth",
        "2",
        "--epochs",
        "2",
        "--checkpoint",
        join(d.dir, "run.ckpt"),
      ],
      {
        env: d.env,
        nodeArgs: d.nodeArgs,
      },
    );
    expect(r.code, r.err).toBe(1);
    expect(oneLine(r.err), r.err).toBe(true);
    expect(r.err).toMatch(/could not write the checkpoint .*run\.ckpt/);
    expect(listFiles(d.dir)).toEqual([]);
  }, 300_000);

  it("sweep run (the plan takes the last page; the run's final checkpoint does not fit) and sweep merge", async () => {
    const d = disk();
    const sweepArgs = ["sweep", "run", ...small, "--epochs", "0", "--keep", "0.5", "--depths", "1"];
    const r = await sigprop([...sweepArgs, "--out", d.dir], { env: d.env, nodeArgs: d.nodeArgs });
    expect(r.code, r.err).toBe(1);
    // the sweep logs each finished run on stderr (not a TTY); the error is the last line, no stack
    expect(endsWithOneLineError(r.err), r.err).toBe(true);
    // the first write after the plan is the run's final checkpoint (saved before its record, so that a kill
    // between the two replays the finished run instead of retraining it)
    expect(r.err).toMatch(/could not write the checkpoint .*runs\/\.ckpt\/dropout_keep=0\.5__L1__s0\.ckpt/);
    expect(listFiles(d.dir)).toEqual(["sweep.json"]);
    JSON.parse(readFileSync(join(d.dir, "sweep.json"), "utf8"));
    // merge a finished sweep (on a normal disk) onto the full one
    const ok = mkdtempSync(join(tmpdir(), "sigprop-fullsrc-"));
    expect((await sigprop([...sweepArgs, "--out", ok])).code).toBe(0);
    const d2 = disk();
    const m = await sigprop(["sweep", "merge", ok, "--out", join(d2.dir, "merged")], {
      env: d2.env,
      nodeArgs: d2.nodeArgs,
    });
    expect(m.code, m.err).toBe(1);
    expect(oneLine(m.err), m.err).toBe(true);
    expect(m.err).toMatch(/could not write the merged sweep .*merged\/results\.json/);
    // the CSV (one page) was complete before the disk filled; nothing else is there
    expect(listFiles(d2.dir)).toEqual(["merged/results.csv"]);
    expect(
      readFileSync(join(d2.dir, "merged", "results.csv"), "utf8")
        .trim()
        .split("\n"),
    ).toHaveLength(2);
  }, 300_000);
});

describe("full disk in reproduce (library, fake simulator)", () => {
  it("throws FileWriteError; every file left is complete (JSON parses, PNG has its IEND chunk)", async () => {
    const d = disk();
    const undo = d.inject();
    let err: unknown;
    try {
      await reproduce({
        out: join(d.dir, "figs"),
        figures: ["fig2"],
        scale: { name: "tiny", width: 8, networks: 2, weights: "gaussian", pairs: 1 },
        seed: 1,
        simulator: async () => fakeSimulator(),
      });
    } catch (e) {
      err = e;
    } finally {
      undo();
    }
    expect(err).toBeInstanceOf(FileWriteError);
    expect((err as FileWriteError).code).toBe("ENOSPC");
    const left = listFiles(d.dir);
    expect(left.filter((f) => f.endsWith(".tmp"))).toEqual([]);
    for (const f of left) {
      const b = readFileSync(join(d.dir, f));
      if (f.endsWith(".json")) expect(() => JSON.parse(b.toString("utf8")), f).not.toThrow();
      if (f.endsWith(".png"))
        expect(b.subarray(b.length - 8, b.length - 4).toString("latin1"), f).toBe("IEND");
      if (f.endsWith(".svg") || f.endsWith(".html"))
        expect(b.toString("utf8").trimEnd(), f).toMatch(/<\/(svg|html)>$/);
    }
  });
});
