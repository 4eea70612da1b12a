/** The reproduce pipeline with a fake simulator: files, report, cache reuse, interrupted runs. */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { toCsv } from "../../src/report/csv.js";
import type { Scale } from "../../src/report/figure.js";
import { FIGURES } from "../../src/report/figures/index.js";
import { reproduce } from "../../src/report/reproduce.js";
import { fakeSimulator } from "./fakeSim.js";
import { rmSync } from "node:fs";

const TINY: Scale = { name: "tiny", width: 8, networks: 2, weights: "gaussian", pairs: 1 };
const dirs: string[] = [];
function tmp() {
  const d = mkdtempSync(join(tmpdir(), "sigprop-reproduce-"));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** All files under dir (relative paths), including hidden ones. */
function listAll(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listAll(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}
const jobCount = (ids: string[]) =>
  FIGURES.filter((f) => ids.includes(f.id)).reduce((a, f) => a + f.jobs(TINY).length, 0);

/**
 * The simulation figures (Figs 2–5); Fig 6 and `shaping` train real networks and have their own tests
 * (test/report/fig6.test.ts, test/report/shaping.test.ts); the NNGP figure runs GP regressions
 * (test/report/nngp.test.ts); hayou-rates and draws do not call the simulator (theory and plain-TS float64
 * draws) and are tested in test/report/hayouFigures.test.ts; after-init trains small networks
 * (test/report/afterInit.test.ts).
 */
const SIM_FIGURES = FIGURES.filter(
  (f) => !["fig6", "nngp", "shaping", "hayou-rates", "draws", "after-init"].includes(f.id),
);

describe("reproduce", () => {
  it("writes every figure's plots, data and CSVs and an index listing every figure; a rerun reuses the cache", async () => {
    const out = tmp();
    const sim = fakeSimulator();
    const ids = SIM_FIGURES.map((f) => f.id);
    const s1 = await reproduce({
      out,
      figures: ids,
      scale: TINY,
      seed: 5,
      simulator: async () => sim,
      command: "test",
    });
    const total = jobCount(ids);
    expect(s1.jobs).toEqual({ total, cached: 0, ran: total });
    expect(sim.calls).toHaveLength(total);
    const html = readFileSync(join(out, "index.html"), "utf8");
    for (const f of SIM_FIGURES) {
      for (const file of [`${f.id}.svg`, `${f.id}.png`, "data.json", "agreement.csv"]) {
        expect(existsSync(join(out, f.id, file)), `${f.id}/${file}`).toBe(true);
      }
      const png = readFileSync(join(out, f.id, `${f.id}.png`));
      expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
      expect(readFileSync(join(out, f.id, `${f.id}.svg`), "utf8")).toContain("<svg");
      const data = JSON.parse(readFileSync(join(out, f.id, "data.json"), "utf8"));
      expect(data.seed).toBe(5);
      expect(data.scale.width).toBe(8);
      expect(data.versions.sigprop).toMatch(/^\d+\.\d+\.\d+/);
      expect(data.versions.simulation_engines).toEqual(["fake"]);
      expect(data.jobs.length).toBe(f.jobs(TINY).length);
      for (const csv of data.files.filter((n: string) => n.endsWith(".csv")))
        expect(existsSync(join(out, f.id, csv))).toBe(true);
      expect(html).toContain(`id="${f.id}"`);
      expect(html).toContain(`${f.id}/${f.id}.svg`);
      expect(html).toContain(f.title.replace(/&/g, "&amp;"));
    }
    expect(html).toContain("Theory vs simulation");
    const before = Object.fromEntries(listAll(out).map((p) => [p, readFileSync(join(out, p))]));

    const sim2 = fakeSimulator();
    const s2 = await reproduce({
      out,
      figures: ids,
      scale: TINY,
      seed: 5,
      simulator: async () => sim2,
      command: "test",
    });
    expect(sim2.calls).toHaveLength(0);
    expect(s2.jobs).toEqual({ total, cached: total, ran: 0 });
    const after = listAll(out);
    expect(after.sort()).toEqual(Object.keys(before).sort()); // nothing duplicated
    for (const p of after) expect(readFileSync(join(out, p)).equals(before[p]), p).toBe(true); // deterministic
  });

  it("a different seed or scale does not reuse cached results", async () => {
    const out = tmp();
    await reproduce({ out, figures: ["fig2"], scale: TINY, seed: 1, simulator: async () => fakeSimulator() });
    const sim = fakeSimulator();
    await reproduce({ out, figures: ["fig2"], scale: TINY, seed: 2, simulator: async () => sim });
    expect(sim.calls).toHaveLength(jobCount(["fig2"]));
  });

  it("a failed run leaves no partial files under final names, and the rerun only computes what is missing", async () => {
    const out = tmp();
    const failing = fakeSimulator({ failOnCall: 5 });
    await expect(
      reproduce({ out, figures: ["fig2", "fig3"], scale: TINY, seed: 9, simulator: async () => failing }),
    ).rejects.toThrow(/injected failure/);
    const files = listAll(out);
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(files.filter((f) => !f.startsWith(".cache/"))).toEqual([]); // no figure files, no index
    expect(files.filter((f) => f.startsWith(".cache/"))).toHaveLength(4);
    // a stale temporary file from a killed process is cleaned up
    mkdirSync(join(out, ".cache", "fig2"), { recursive: true });
    writeFileSync(join(out, ".cache", "fig2", ".x.json.999999999.1.tmp"), "{partial");
    const sim = fakeSimulator();
    const s = await reproduce({
      out,
      figures: ["fig2", "fig3"],
      scale: TINY,
      seed: 9,
      simulator: async () => sim,
    });
    expect(sim.calls).toHaveLength(jobCount(["fig2", "fig3"]) - 4);
    expect(s.jobs.cached).toBe(4);
    expect(listAll(out).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("resumes after kill -9 without duplicating or corrupting cache entries", async () => {
    const out = tmp();
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "childRun.ts"), out],
      {
        stdio: "ignore",
      },
    );
    const cacheFiles = () =>
      existsSync(join(out, ".cache")) ? listAll(join(out, ".cache")).filter((f) => f.endsWith(".json")) : [];
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (cacheFiles().length >= 3) {
          clearInterval(timer);
          child.kill("SIGKILL");
          resolve();
        }
      }, 20);
      child.on("exit", () => {
        clearInterval(timer);
        resolve();
      });
      child.on("error", reject);
    });
    await new Promise((r) =>
      child.exitCode === null && child.signalCode === null ? child.on("exit", r) : r(null),
    );
    const done = cacheFiles();
    expect(done.length).toBeGreaterThanOrEqual(3);
    for (const f of done)
      expect(() => JSON.parse(readFileSync(join(out, ".cache", f), "utf8"))).not.toThrow();
    const sim = fakeSimulator();
    const scale: Scale = { name: "tiny", width: 8, networks: 2, weights: "gaussian", pairs: 1 };
    const s = await reproduce({ out, figures: ["fig2", "fig4"], scale, seed: 3, simulator: async () => sim });
    const total = FIGURES.filter((f) => f.id === "fig2" || f.id === "fig4").reduce(
      (a, f) => a + f.jobs(scale).length,
      0,
    );
    expect(done.length).toBeLessThan(total); // the run really was interrupted
    expect(s.jobs.cached).toBe(done.length);
    expect(sim.calls).toHaveLength(total - done.length);
    expect(cacheFiles()).toHaveLength(total);
    expect(listAll(out).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("writes CSV with quoting and empty cells for missing values", () => {
    expect(
      toCsv([
        { a: 1, b: "x, y", c: null },
        { a: NaN, b: 'say "hi"', c: 2 },
      ]),
    ).toBe('a,b,c\n1,"x, y",\n,"say ""hi""",2\n');
  });
});
