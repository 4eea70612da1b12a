/**
 * Fig 6 end to end: a real (tiny) run with CIFAR-10 panels from synthetic binary batches, the paper-scale
 * plan through the real CLI (its sweep commands parse to the paper's protocol), and a tiny sharded sweep
 * rendered by `sigprop reproduce fig6 --from-sweep` (the variance jobs are put in the cache first, so the
 * CLI only renders).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { planFrom, writeMerged } from "../../src/cli/commands/sweep.js";
import { SCALES, type Figure, type Json } from "../../src/report/figure.js";
import {
  cellsFromSweep,
  loadFig6Sweeps,
  makeFig6,
  panelTitles,
} from "../../src/report/figures/fig6/figure.js";
import { FIG6_SETTINGS, type Fig6Settings } from "../../src/report/figures/fig6/settings.js";
import { reproduce } from "../../src/report/reproduce.js";
import { runSweep } from "../../src/train/sweep.js";
import type { TrainResult } from "../../src/train/train.js";
import { sigprop } from "../support/cli.js";
import { fakeTrainResult, tinyPlan } from "../support/trainFixtures.js";
import { fakeSimulator } from "./fakeSim.js";

const dirs: string[] = [];
function tmp(tag = "fig6") {
  const d = mkdtempSync(join(tmpdir(), `sigprop-${tag}-`));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A CIFAR-10 folder of `per` random-looking records per batch (label byte + 3072 pixel bytes). */
function writeCifar(per: number): string {
  const dir = tmp("cifar");
  const names = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`).concat("test_batch.bin");
  names.forEach((name, k) => {
    const b = new Uint8Array(per * 3073);
    for (let r = 0; r < per; r++) {
      b[r * 3073] = (k * per + r) % 10;
      for (let j = 0; j < 3072; j++) b[r * 3073 + 1 + j] = (j * 31 + r * 17 + k * 7) & 255;
    }
    writeFileSync(join(dir, name), b);
  });
  return dir;
}

/** Settings small enough for a test: width 8, three σ_w², 2 × 2 cells, one epoch on 64 examples. */
const TINY: Fig6Settings = {
  variance: { width: 8, batch: 4, networks: 2, keep: 0.6, sigmaW2s: [0.3, 1.2, 2.5], maxDepth: 200 },
  training: {
    ...FIG6_SETTINGS.quick.training,
    width: 8,
    keeps: [0.5, 1],
    depths: [1, 3],
    epochs: 1,
    limit: 64,
    evalLimit: 32,
    batch: 16,
  },
};

describe("fig6 with a synthetic CIFAR-10 folder", () => {
  it("runs every job for real and writes panels (a)–(f), each also as its own PNG", async () => {
    const cifar = writeCifar(20);
    const out = tmp();
    const fig = makeFig6({ cifar10: cifar, settings: TINY });
    const s = await reproduce({
      out,
      figures: ["fig6"],
      registry: [fig],
      scale: SCALES.quick,
      seed: 3,
      simulator: async () => fakeSimulator(), // fig6 trains and forwards with its own code, not src/sim
    });
    // (a, d): 3 σ_w² each; (b, e): 2 × 2 cells each
    expect(s.jobs.ran).toBe(2 * 3 + 2 * 4);
    for (const p of ["a", "b", "c", "d", "e", "f"])
      expect(existsSync(join(out, "fig6", `fig6${p}.png`))).toBe(true);
    const rec = JSON.parse(readFileSync(join(out, "fig6", "data.json"), "utf8")) as {
      footer: string;
      data: { cifar10: { included: boolean }; cifar10_q0: number; cifar10_boundary: unknown[] };
    };
    expect(rec.data.cifar10.included).toBe(true);
    expect(rec.data.cifar10_boundary).toHaveLength(2);
    // q⁰ = 2⟨x²⟩ of the CIFAR test batch: pixels (31 j + 17 r + 7·5) mod 256 / 255 have ⟨x²⟩ ≈ 1/3
    expect(rec.data.cifar10_q0).toBeGreaterThan(2 * 0.25);
    expect(rec.data.cifar10_q0).toBeLessThan(2 * 0.42);
    expect(rec.footer).toContain("width 8, 2 networks × batch 4");
    const html = readFileSync(join(out, "index.html"), "utf8");
    const caption = /<section id="fig6">[\s\S]*?<figcaption>([\s\S]*?)<\/figcaption>/.exec(html)![1];
    expect(caption).toContain("[scale quick: (a/d) width 8, 2 networks × batch 4");
    expect(caption).not.toContain("width 400, 12 networks");
    const rows = readFileSync(join(out, "fig6", "d_cifar10_variance_depth.csv"), "utf8")
      .trim()
      .split("\n");
    expect(rows).toHaveLength(1 + 3);
  }, 300_000);
});

describe("sigprop reproduce fig6 --scale paper", () => {
  it("prints the plan (JSON) instead of running, and its sweep commands parse to the paper's protocol", async () => {
    const cifar = writeCifar(1);
    const r = await sigprop("reproduce", "fig6", "--scale", "paper", "--cifar10", cifar, "--json");
    expect(r.code).toBe(0);
    // one JSON object for every plan printed (fig6, hayou) under `plans`
    const plan = (
      JSON.parse(r.out) as {
        plans: {
          fig6: {
            planned_not_run: boolean;
            datasets: { tag: string; sweep_run: string; slurm: string; kubernetes: string; runs: number }[];
            render: string;
          };
        };
      }
    ).plans.fig6;
    expect(plan.planned_not_run).toBe(true);
    expect(plan.datasets.map((d) => d.tag)).toEqual(["mnist", "cifar10"]);
    expect(plan.render).toContain("--from-sweep");
    const p = FIG6_SETTINGS.paper.training;
    for (const d of plan.datasets) {
      expect(d.slurm).toContain("SLURM_ARRAY_TASK_ID");
      expect(d.kubernetes).toContain("JOB_COMPLETION_INDEX");
      // the printed command, parsed as `sweep run` parses it
      const args = d.sweep_run.split(" ").slice(4); // after "npx sigprop sweep run"
      const opts: Record<string, string> = { seed: "0", weights: "gaussian", shard: "0/1" };
      for (let i = 0; i < args.length; i += 2)
        opts[args[i].slice(2).replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase())] = args[i + 1];
      const sp = planFrom(opts);
      expect(sp.base).toMatchObject({
        task: p.task,
        width: p.width,
        optimizer: p.optimizer,
        lr: p.lr,
        batch: p.batch,
        epochs: p.epochs,
        init: "critical",
        activation: "relu",
      });
      expect(sp.depths).toEqual(p.depths);
      expect(sp.noises).toHaveLength(p.keeps.length);
      expect(sp.noises.length * sp.depths.length).toBe(d.runs);
    }
  }, 120_000);

  it("refuses --cifar10 without fig6 and a folder that is not CIFAR-10 (exit 2, before any work)", async () => {
    const a = await sigprop("reproduce", "fig2", "--cifar10", writeCifar(1), "--out", tmp());
    expect(a.code).toBe(2);
    expect(a.err).toContain("--cifar10");
    const empty = tmp();
    const b = await sigprop("reproduce", "fig6", "--scale", "paper", "--cifar10", empty);
    expect(b.code).toBe(2);
    expect(b.err).toContain("missing data_batch_1.bin");
  }, 120_000);
});

describe("sigprop reproduce fig6 --from-sweep", () => {
  it("renders a tiny two-shard sweep as Fig 6's heat maps with the sweep's protocol in the footer", async () => {
    const plan = tinyPlan({
      base: { task: "classification", width: 16, optimizer: "adam", batch: 32, epochs: 2, eval_limit: 50 },
      depths: [2, 4],
    });
    // synthetic truth: keep 0.5 trains only at depth 2, keep 1 at both depths
    const result = (trainable: boolean): TrainResult =>
      fakeTrainResult({
        trainable,
        trainLoss: trainable ? 0.5 : 2.3,
        valLoss: trainable ? 0.6 : 2.3,
        testLoss: null,
        baselineLoss: 2.3,
        lossRatio: trainable ? 0.6 / 2.3 : 1,
        nTest: 0,
        seconds: 0.1,
        samplesPerSecond: 1,
      });
    const shards = [tmp("sweep"), tmp("sweep")];
    for (const [i, d] of shards.entries())
      await runSweep(d, plan, { index: i, count: 2 }, async (r) => ({
        sigma_w2: 2 * (r.noise.endsWith("0.5") ? 0.5 : 1),
        mu2: r.noise.endsWith("0.5") ? 2 : 1,
        result: result(r.noise.endsWith("=1") || r.depth === 2),
      }));
    // a `sweep merge` folder (results.json) reads back as the same sweep as its shard folders
    const merged = join(tmp("merged"), "m");
    await writeMerged(shards, merged);
    const [fromMerged] = loadFig6Sweeps([merged]);
    const [fromShards] = loadFig6Sweeps(shards);
    expect(cellsFromSweep(fromMerged)).toEqual(cellsFromSweep(fromShards));
    expect(fromMerged.missing).toHaveLength(0);
    const out = tmp();
    // put the (quick) variance jobs in the cache with synthetic results, so that the CLI only renders
    const real = makeFig6({ sweeps: loadFig6Sweeps(shards) });
    const cacheOnly: Figure = {
      ...real,
      jobs: (sc) =>
        real.jobs(sc).map((j) => ({
          ...j,
          run: async (): Promise<Json> => ({
            nets: [{ depth: 50, kind: "underflow", signal_depth: null, log10q_first: [] }],
            mean_square: 0.1,
          }),
        })),
    };
    expect(real.jobs(SCALES.quick)).toHaveLength(25); // variance only: the heat maps come from the sweep
    await reproduce({ out, figures: ["fig6"], registry: [cacheOnly], scale: SCALES.quick, seed: 0 });
    const r = await sigprop(
      "reproduce",
      "fig6",
      "--from-sweep",
      shards[0],
      "--from-sweep",
      shards[1],
      "--out",
      out,
      "--json",
    );
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as { jobs: { ran: number; cached: number } };
    expect(summary.jobs).toMatchObject({ ran: 0, cached: 25 });
    const rec = JSON.parse(readFileSync(join(out, "fig6", "data.json"), "utf8")) as {
      footer: string;
      data: { mnist_boundary: { keep: number; deepest_trainable: number | null }[] };
    };
    expect(rec.data.mnist_boundary).toEqual([
      expect.objectContaining({ keep: 0.5, deepest_trainable: 2 }),
      expect.objectContaining({ keep: 1, deepest_trainable: 4 }),
    ]);
    expect(rec.footer).toContain("merged sweep: 4 runs, 0 missing");
    expect(rec.footer).toContain("width 16");
    expect(rec.footer).toContain("2 epochs");
    expect(existsSync(join(out, "fig6", "fig6b.png"))).toBe(true);
    expect(panelTitles(real.build(SCALES.quick, new Map()).spec)).toHaveLength(3);
  }, 300_000);

  it("a folder that is neither a sweep nor a merged sweep is exit 2 naming --from-sweep", async () => {
    const d = tmp();
    mkdirSync(join(d, "x"));
    const r = await sigprop("reproduce", "fig6", "--from-sweep", join(d, "x"), "--out", tmp());
    expect(r.code).toBe(2);
    expect(r.err).toContain("--from-sweep");
  }, 120_000);
});
