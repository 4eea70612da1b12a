/**
 * `reproduce hayou` and `reproduce isometry` through the real reproduce path at the tiny scale (real
 * training on MNIST, seconds per job): files, cache reuse, resume after kill -9, captions that carry the
 * numbers of the data (recomputed here from the raw job results, not copied), and the paper-scale plan
 * of hayou as `--json`.
 */
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cacheFiles, killAfterCached, listAll } from "../support/cacheKill.js";
import { SCALES, type Json, type Scale } from "../../src/report/figure.js";
import {
  HAYOU_ACTIVATIONS,
  HAYOU_PUBLISHED,
  HAYOU_SETTINGS,
  hayou,
  hayouArms,
  hayouSettings,
  makeHayou,
  sweepName,
} from "../../src/report/figures/hayou.js";
import { parseActivation } from "../../src/theory/activations.js";
import { ensurePlan, planRuns, type SweepPlan } from "../../src/train/sweep.js";
import { isometry, isometrySettings } from "../../src/report/figures/isometry.js";
import { reproduce } from "../../src/report/reproduce.js";
import { sigprop } from "../support/cli.js";
import { splitSweeps } from "../../src/cli/commands/reproduce.js";

const TINY: Scale = { name: "tiny", width: 8, networks: 2, weights: "gaussian", pairs: 1 };
const noSim = async () => ({}) as never;
const dirs: string[] = [];
function tmp() {
  const d = mkdtempSync(join(tmpdir(), "sigprop-seedrepro-"));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Raw job results from the cache folder, by job id. */
function cachedResults(out: string, fig: string): Map<string, Record<string, unknown>> {
  const m = new Map<string, Record<string, unknown>>();
  const d = join(out, ".cache", fig);
  for (const f of listAll(d).filter((x) => x.endsWith(".json"))) {
    const e = JSON.parse(readFileSync(join(d, f), "utf8"));
    m.set(e.key.job, e.result);
  }
  return m;
}

describe("reproduce hayou (tiny)", () => {
  it("trains every arm, writes the table with the published numbers, states measured means ± sd; a rerun reuses every job", async () => {
    const out = tmp();
    const s1 = await reproduce({ out, figures: ["hayou"], scale: TINY, seed: 2, simulator: noSim });
    const total = hayou.jobs(TINY).length;
    const s = hayouSettings(TINY);
    expect(total).toBe(HAYOU_ACTIVATIONS.length * hayouArms().length * s.seeds);
    expect(s1.jobs).toEqual({ total, cached: 0, ran: total });
    for (const f of ["hayou.svg", "hayou.png", "data.json", "mnist_table.csv"])
      expect(existsSync(join(out, "hayou", f)), f).toBe(true);
    const data = JSON.parse(readFileSync(join(out, "hayou", "data.json"), "utf8"));
    const caption: string = data.caption;
    // mean ± sd (n − 1) of the final test accuracy over seeds, recomputed from the raw job results
    const raw = cachedResults(out, "hayou");
    for (const a of HAYOU_ACTIVATIONS) {
      for (const arm of hayouArms()) {
        const accs: number[] = [];
        for (let k = 0; k < s.seeds; k++) {
          const r = raw.get(`mnist/${a.name}/${arm.id}/s${k}`) as { status: string; test_acc: number };
          expect(r, `${a.name} ${arm.id} s${k}`).toBeDefined();
          if (r.status === "ok") accs.push(100 * r.test_acc);
        }
        if (!accs.length) continue;
        const m = accs.reduce((x, y) => x + y, 0) / accs.length;
        const sd = Math.sqrt(accs.reduce((x, y) => x + (y - m) ** 2, 0) / (accs.length - 1));
        const pub = HAYOU_PUBLISHED.mnist[a.name][arm.id]!;
        expect(caption).toContain(
          `${arm.name} ${m.toFixed(1)} ± ${sd.toFixed(1)} (paper ${pub.mean} ± ${pub.sd})`,
        );
      }
    }
    expect(caption).toContain("Prediction");
    expect(caption).toContain("Outcome");
    // the table CSV carries the published numbers beside ours
    const csv = readFileSync(join(out, "hayou", "mnist_table.csv"), "utf8");
    expect(csv.split("\n")[0]).toContain("published_mean");
    expect(csv).toContain("93.57");

    const s2 = await reproduce({ out, figures: ["hayou"], scale: TINY, seed: 2, simulator: noSim });
    expect(s2.jobs).toEqual({ total, cached: total, ran: 0 });
  }, 240_000);

  it("with CIFAR-10 the caption states where the seed contradicts itself (ELU 45.76 vs 47.76); CIFAR-10 runs train", async () => {
    // data are loaded lazily by the jobs: building from synthetic results needs no CIFAR-10 files
    const fig = makeHayou({ cifar10: "/no/such/folder" });
    const results = new Map(
      fig.jobs(TINY).map((j) => [
        j.id,
        {
          status: "ok",
          test_acc: j.id.includes("/ordered/") ? 0.1 : 0.5,
          test_loss: 1,
          train_loss: 1,
          seconds: 1,
          sigma_w2: 2,
          sigma_b2: 0,
          history: [{ epoch: 0, seconds: 0, test_acc: 0.1, train_loss: 2.3 }],
        },
      ]),
    );
    const out = fig.build(TINY, results);
    expect(out.caption).toContain("45.76");
    expect(out.caption).toContain("47.76");
    expect(out.caption).toContain("CIFAR-10 final test accuracy (%)");
    expect(out.tables.map((t) => t.name)).toContain("cifar10_table");
    // every EOC run at 50 %, every ordered one at 10 %: the verdict follows the numbers
    expect(out.caption).toContain("on the EOC 4 of 4 activations reached ≥ 20 %");
    expect(out.caption).toContain("in the ordered phase 4 of 4 stayed below 20 %");
    // the CIFAR-10 data path (3,072 inputs) trains for real on a synthetic folder of binary batches
    const dir = tmp();
    const batch = (n: number, seed: number) => {
      const b = Buffer.alloc(n * 3073);
      for (let i = 0; i < b.length; i++) b[i] = (i * 2654435761 + seed) % 251;
      for (let r = 0; r < n; r++) b[r * 3073] = (r + seed) % 10;
      return b;
    };
    for (let k = 1; k <= 5; k++) writeFileSync(join(dir, `data_batch_${k}.bin`), batch(40, k));
    writeFileSync(join(dir, "test_batch.bin"), batch(64, 9));
    const real = makeHayou({ cifar10: dir })
      .jobs(TINY)
      .find((j) => j.id === "cifar10/Tanh/eoc/s0")!;
    const r = (await real.run({ sim: {} as never, seed: 1, onProgress: () => {} })) as {
      status: string;
      test_acc: number;
      history: unknown[];
    };
    expect(r.status).toBe("ok");
    expect(r.test_acc).toBeGreaterThanOrEqual(0);
    expect(r.test_acc).toBeLessThanOrEqual(1);
    expect(r.history).toHaveLength(HAYOU_SETTINGS.tiny.epochs + 1);
    // without CIFAR-10 the note is absent
    expect(
      hayou.build(TINY, new Map([...results].filter(([k]) => k.startsWith("mnist/")))).caption,
    ).not.toContain("47.76");
  });

  it("--scale paper prints the sweep plan (--json: one object) instead of training", async () => {
    const out = tmp();
    const r = await sigprop("reproduce", "hayou", "--scale", "paper", "--out", out, "--json");
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    const plan = j.plans.hayou;
    expect(plan.sweeps).toHaveLength(HAYOU_ACTIVATIONS.length * hayouArms().length);
    for (const w of plan.sweeps) {
      expect(w.command).toMatch(/^sigprop sweep run /);
      expect(w.command).toContain("--depths 200 --width 300");
      expect(w.command).toContain("--optimizer sgd");
      expect(w.command).toContain("--epochs 100");
    }
    expect(plan.render).toContain("--from-sweep");
    expect(existsSync(join(out, "hayou"))).toBe(false); // nothing trained, nothing written
    const text = await sigprop("reproduce", "hayou", "--scale", "paper", "--out", out);
    expect(text.code, text.err).toBe(0);
    expect(text.out.split("\n").filter((l) => l.startsWith("sigprop sweep run"))).toHaveLength(
      plan.sweeps.length,
    );
    const bad = await sigprop("reproduce", "hayou", "--out", out, "--cifar10", join(out, "nope"));
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--cifar10");
    const quick = await sigprop("reproduce", "hayou", "--out", out, "--from-sweep", out);
    expect(quick.code).toBe(2);
    expect(quick.err).toContain("--from-sweep");
    expect(quick.err).toContain("--scale paper");
    // the deprecated alias still works: a one-line notice, and its own name in the error
    const legacy = await sigprop("reproduce", "hayou", "--out", out, "--sweeps", out);
    expect(legacy.code).toBe(2);
    expect(legacy.err).toContain("note: --sweeps is deprecated; use --from-sweep DIR");
    expect(legacy.err).toMatch(/--sweeps[^\n]*--scale paper/);
  }, 120_000);
});

describe("reproduce hayou --scale paper --from-sweep (rendering finished sweep folders)", () => {
  /** Sweep folders as `sigprop sweep run` leaves them, with synthetic results (accuracy per arm). */
  function fakeSweeps(root: string, acc: (act: string, arm: string, seed: number) => number, skip = "") {
    const p = HAYOU_SETTINGS.paper;
    for (const a of HAYOU_ACTIVATIONS) {
      for (const arm of hayouArms()) {
        const name = sweepName("mnist", a.name, arm.id);
        const dir = join(root, name);
        const plan: SweepPlan = {
          version: 1,
          base: {
            dataset: "mnist",
            task: "classification",
            width: p.width,
            activation: parseActivation(a.spec).spec,
            init: arm.init,
            ...(arm.init === "eoc" ? { sigma_b2: a.eocSigmaB2 } : {}),
            ...(arm.batchnorm ? { batchnorm: true } : {}),
            optimizer: "sgd",
            lr: p.lr,
            batch: p.batch,
            epochs: p.epochs,
            val_fraction: p.valFraction,
            limit: null,
            eval_limit: p.evalLimit,
            threshold: 0.5,
          } as SweepPlan["base"],
          noises: ["none"],
          depths: [p.depth],
          seeds: Array.from({ length: p.seeds }, (_, i) => i),
        };
        ensurePlan(dir, plan);
        for (const r of planRuns(plan)) {
          if (r.id === skip && name.endsWith("_ordered") && a.name === "ReLU") continue;
          const test = acc(a.name, arm.id, r.seed);
          const rec = {
            id: r.id,
            index: r.index,
            hash: r.hash,
            noise: r.noise,
            depth: r.depth,
            seed: r.seed,
            base: plan.base,
            sigma_w2: 2,
            mu2: 1,
            result: {
              status: "ok",
              trainable: true,
              trainLoss: 0.5,
              valLoss: 0.5,
              testLoss: 0.5,
              testAcc: test,
              lossRatio: 0.2,
              baselineLoss: 2.3,
              seconds: 100,
              history: [
                { epoch: 0, seconds: 1, testAcc: 0.1, trainLoss: 2.3 },
                { epoch: 100, seconds: 100, testAcc: test, trainLoss: 0.5 },
              ],
            },
            finished_at: "2026-01-01T00:00:00.000Z",
          };
          mkdirSync(join(dir, "runs"), { recursive: true });
          writeFileSync(join(dir, "runs", `${r.id}.json`), JSON.stringify(rec));
        }
      }
    }
  }

  it("reads every record, averages over seeds and says how many are missing", async () => {
    const root = tmp();
    // accuracy 0.9 + 0.01·seed on the EOC, 0.1 in the ordered phase: mean and sd are known in closed form
    fakeSweeps(root, (_a, arm, seed) => (arm === "ordered" ? 0.1 : 0.9 + 0.01 * seed), "none__L200__s4");
    const fig = makeHayou({ sweeps: [root] });
    const results = new Map<string, Json>();
    for (const j of fig.jobs(SCALES.paper))
      results.set(j.id, await j.run({ sim: {} as never, seed: 0, onProgress: () => {} }));
    const out = fig.build(SCALES.paper, results);
    const n = HAYOU_SETTINGS.paper.seeds;
    // seeds 0..n−1: mean 90 + (n−1)/2, sd = √(n(n+1)/12) percentage points
    const m = 90 + (n - 1) / 2;
    const sd = Math.sqrt((n * (n + 1)) / 12);
    expect(out.caption).toContain(`ReLU: EOC ${m.toFixed(1)} ± ${sd.toFixed(1)} (paper 93.57 ± 0.18)`);
    expect(out.caption).toContain("Ord Phase 10.0 ± 0.0");
    expect(out.caption).toContain("1 runs were missing");
    // the sweep folders themselves (e.g. each shard's copy) instead of their root: the same figure
    const each = readdirSync(root).map((n) => join(root, n));
    const figEach = makeHayou({ sweeps: each });
    const resultsEach = new Map<string, Json>();
    for (const j of figEach.jobs(SCALES.paper))
      resultsEach.set(j.id, await j.run({ sim: {} as never, seed: 0, onProgress: () => {} }));
    expect(figEach.build(SCALES.paper, resultsEach).caption).toBe(out.caption);
    // with fig6 and hayou both selected, a folder holding (or being) a hayou sweep is hayou's, any other fig6's
    const fig6Dir = tmp();
    expect(await splitSweeps(["fig6", "hayou"], [root, fig6Dir, each[0]], [])).toEqual({
      fig6: [fig6Dir],
      hayou: [root, each[0]],
    });
    expect(await splitSweeps(["hayou"], [fig6Dir], [])).toEqual({ fig6: [], hayou: [fig6Dir] });
    // a sweep of another setting is refused, naming the parameter (the CLI names --from-sweep)
    const other = tmp();
    fakeSweeps(other, () => 0.5);
    const plan = JSON.parse(
      readFileSync(join(other, sweepName("mnist", "ReLU", "eoc"), "sweep.json"), "utf8"),
    );
    plan.depths = [50];
    writeFileSync(join(other, sweepName("mnist", "ReLU", "eoc"), "sweep.json"), JSON.stringify(plan));
    expect(() => makeHayou({ sweeps: [other] }).jobs(SCALES.paper)).toThrow(/fromSweep/);
  });
});

describe("reproduce isometry (tiny)", () => {
  it("resumes after kill -9 without repeating finished jobs; captions carry the measured steps and widths", async () => {
    const out = tmp();
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "seedReproChild.ts"), out],
      { stdio: "ignore" },
    );
    await killAfterCached(child, out, 3, 50);
    const done = cacheFiles(out);
    const total = isometry.jobs(TINY).length;
    expect(done.length).toBeGreaterThanOrEqual(3);
    expect(done.length).toBeLessThan(total); // really interrupted
    const s = await reproduce({ out, figures: ["isometry"], scale: TINY, seed: 4, simulator: noSim });
    expect(s.jobs).toEqual({ total, cached: done.length, ran: total - done.length });
    expect(cacheFiles(out)).toHaveLength(total); // nothing duplicated
    expect(listAll(out).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    const data = JSON.parse(readFileSync(join(out, "isometry", "data.json"), "utf8"));
    const set = isometrySettings(TINY);
    const L = set.depth;
    const models = data.data.models as {
      name: string;
      predicted_width: number;
      singular_q05: number;
      singular_q95: number;
    }[];
    const by = (n: string) => models.find((m) => m.name.startsWith(n))!;
    // closed forms of the JJᵀ spectrum variance at mean 1 (docs/THEORY.md §5): ReLU He Gaussian 2L, orthogonal
    // L; the looks-linear network with orthogonal blocks is exactly linear and orthogonal: 0
    expect(by("ReLU He gaussian").predicted_width).toBeCloseTo(2 * L, 8);
    expect(by("ReLU He orthogonal").predicted_width).toBeCloseTo(L, 8);
    expect(by("ReLU looks-linear").predicted_width).toBeCloseTo(0, 12);
    // measured: every singular value of the looks-linear orthogonal Jacobian is 1 (float64 products)
    expect(by("ReLU looks-linear").singular_q05).toBeCloseTo(1, 9);
    expect(by("ReLU looks-linear").singular_q95).toBeCloseTo(1, 9);
    // steps to reach the threshold recomputed from the loss CSVs; the caption states them
    const caption: string = data.caption;
    for (const m of models) {
      const csv = readFileSync(join(out, "isometry", `a_${slugOf(m.name)}_loss.csv`), "utf8")
        .trim()
        .split("\n");
      const head = csv[0].split(",");
      const rowsOf = csv.slice(1).map((l) => l.split(","));
      const hit = rowsOf.find(
        (r) => r[head.indexOf("train_loss")] !== "" && +r[head.indexOf("train_loss")] <= set.lossThreshold,
      );
      const text = hit
        ? `loss ≤ ${set.lossThreshold} reached after ${hit[head.indexOf("step")]} steps`
        : `loss ≤ ${set.lossThreshold} not reached within`;
      expect(caption).toContain(`${m.name}: width`);
      expect(caption.slice(caption.indexOf(`${m.name}: width`))).toContain(text);
    }
    expect(caption).toMatch(/\d+ of \d+ comparisons as predicted/);
  }, 240_000);
});

function slugOf(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "_")
    .replace(/^_+|_+$/g, "");
}
