/**
 * `sigprop reproduce`: run the figures' simulation jobs (reusing cached ones), build each figure from
 * theory and simulation, and write DIR/<fig>/{<fig>.svg, <fig>.png, data.json, *.csv} and DIR/index.html.
 * Every file is written atomically; finished jobs are cached under DIR/.cache so that a rerun, or a rerun
 * after the process was killed, recomputes only what is missing.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as vega from "vega";
import * as vegaLite from "vega-lite";
import { writeFileAtomic } from "../io/atomic.js";
import { InputError } from "../theory/errors.js";
import { judgeAgreement } from "./agreement.js";
import { JobCache, hashKey, jobSeed, removeStaleTemps, type CacheKey } from "./cache.js";
import { toCsv } from "./csv.js";
import { json, type Agreement, type Figure, type Json, type Scale } from "./figure.js";
import { FIGURES } from "./figures/index.js";
import { renderHtml, type HtmlFigure } from "./html.js";
import { panelSpecs, renderPng, renderSvg } from "./plot.js";
import {
  EtaModel,
  formatSeconds,
  silentProgress,
  type ProgressReporter,
  type ProgressState,
} from "./progress.js";
import { loadSimulator, type Simulator } from "./simulator.js";

export interface ReproduceOptions {
  /** output folder */
  out: string;
  /** figure ids to (re)build; all registered figures when omitted */
  figures?: string[];
  scale: Scale;
  seed: number;
  /** the simulation engine (default: src/sim, loaded only when a job has to run) */
  simulator?: () => Promise<Simulator>;
  progress?: ProgressReporter;
  /** ignore cached jobs (they are recomputed and overwritten) */
  fresh?: boolean;
  /** the figure registry (default FIGURES) */
  registry?: readonly Figure[];
  /** the command line, recorded in data.json and the report */
  command?: string;
  /** PNG resolution factor */
  pngScale?: number;
}

export interface ReproduceSummary {
  out: string;
  figures: { id: string; files: string[]; agreement: Agreement[] }[];
  jobs: { total: number; cached: number; ran: number };
  /** seconds spent in simulation jobs run now */
  simulationSeconds: number;
  index: string;
}

/** The package version (package.json two levels above this file, in src/ and in dist/). */
export function packageVersion(): string {
  const p = fileURLToPath(new URL("../../package.json", import.meta.url));
  try {
    return (JSON.parse(readFileSync(p, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** Run the reproduction; returns what was written. */
export async function reproduce(opts: ReproduceOptions): Promise<ReproduceSummary> {
  const registry = opts.registry ?? FIGURES;
  const ids = opts.figures ?? registry.map((f) => f.id);
  const figures = ids.map((id) => {
    const f = registry.find((g) => g.id === id);
    if (!f) throw new Error(`figure '${id}' is not registered`);
    return f;
  });
  const progress = opts.progress ?? silentProgress;
  const version = packageVersion();
  const cache = new JobCache(join(opts.out, ".cache"));
  removeStaleTemps(opts.out);

  // 1. Plan: every job of every figure, with its cache key; split into cached and pending.
  const plan = figures.map((fig) =>
    fig.jobs(opts.scale).map((job) => {
      const seed = jobSeed(opts.seed, fig.id, job.id);
      const key: CacheKey = { figure: fig.id, job: job.id, config: job.config, seed, version };
      return { fig, job, seed, key, entry: opts.fresh ? undefined : cache.get(key) };
    }),
  );
  const all = plan.flat();
  const pending = all.filter((p) => !p.entry);
  const totalCost = pending.reduce((a, p) => a + p.job.cost, 0);

  // 2. Run pending jobs (the engine is loaded only if there are any), with one overall progress
  //    report: the ETA learns each figure's seconds per cost unit (cached jobs' recorded times count too).
  let simulationSeconds = 0;
  if (pending.length) {
    const sim = await (opts.simulator ?? loadSimulator)();
    const engine = sim.version?.() ?? "unknown";
    const etaJobs = pending.map((p) => ({ figure: p.fig.id, cost: p.job.cost }));
    const eta = new EtaModel(
      etaJobs,
      all
        .filter((p) => p.entry)
        .map((p) => ({ figure: p.fig.id, cost: p.job.cost, seconds: p.entry!.seconds })),
    );
    progress.start(totalCost, pending.length);
    const tStart = performance.now();
    const state = (i: number, fraction: number, jobElapsed: number, label: string): ProgressState => {
      const left = eta.remaining(i, fraction, jobElapsed);
      const elapsed = (performance.now() - tStart) / 1000;
      const byJobs = (i + Math.min(Math.max(fraction, 0), 1)) / pending.length;
      return {
        fraction: left === null || elapsed + left <= 0 ? byJobs : elapsed / (elapsed + left),
        jobsDone: i,
        jobs: pending.length,
        eta: left,
        elapsed,
        label,
      };
    };
    try {
      for (const [i, p] of pending.entries()) {
        const label = `${p.fig.id} ${p.job.id}`;
        const t0 = performance.now();
        progress.update(state(i, 0, 0, label));
        const result = await p.job.run({
          sim,
          seed: p.seed,
          onProgress: (done, total) =>
            progress.update(state(i, done / Math.max(total, 1), (performance.now() - t0) / 1000, label)),
        });
        const seconds = (performance.now() - t0) / 1000;
        simulationSeconds += seconds;
        p.entry = { key: p.key, engine, seconds, result };
        cache.put(p.entry);
        eta.record(etaJobs[i], seconds);
        const after = state(i + 1, 0, 0, label);
        progress.update(after);
        progress.log(
          `  [${i + 1}/${pending.length}] ${label}: ${seconds.toFixed(1)} s; ETA ${formatSeconds(after.eta)}`,
        );
      }
    } finally {
      progress.stop();
    }
  }

  // 3. Build and write each figure.
  const written: ReproduceSummary["figures"] = [];
  for (const [i, fig] of figures.entries()) {
    const results = new Map<string, Json>(plan[i].map((p) => [p.job.id, p.entry!.result]));
    const output = fig.build(opts.scale, results);
    const judged = judgeAgreement(output.agreement);
    const dir = join(opts.out, fig.id);
    const svg = await renderSvg(output.spec);
    const png = renderPng(svg, opts.pngScale ?? 2);
    const csvFiles: string[] = [];
    const files: [string, string | Uint8Array][] = [];
    // each panel on its own too: the report lays panels out to fit the page's width
    const panelFiles: string[] = [];
    const panels = panelSpecs(output.spec);
    if (panels.length >= 1)
      for (const [k, p] of panels.entries()) {
        panelFiles.push(`${fig.id}_panel${k + 1}.svg`);
        files.push([`${fig.id}_panel${k + 1}.svg`, await renderSvg(p)]);
      }
    for (const t of output.tables) {
      csvFiles.push(`${t.name}.csv`);
      files.push([`${t.name}.csv`, toCsv(t.rows)]);
    }
    // panels a figure names itself (Fig 6: fig6a.svg/png …), each also as a PNG of its own
    for (const pnl of output.panels ?? []) {
      const psvg = await renderSvg(pnl.spec);
      panelFiles.push(`${pnl.name}.svg`, `${pnl.name}.png`);
      files.push([`${pnl.name}.svg`, psvg], [`${pnl.name}.png`, renderPng(psvg, opts.pngScale ?? 2)]);
    }
    csvFiles.push("agreement.csv");
    files.push(["agreement.csv", toCsv(judged.rows.map(agreementRow))]);
    const record = {
      figure: fig.id,
      title: fig.title,
      caption: output.caption,
      footer: output.footer ?? null,
      scale: json(opts.scale),
      seed: opts.seed,
      command: opts.command ?? null,
      versions: {
        sigprop: version,
        node: process.version,
        vega: vega.version,
        vega_lite: vegaLite.version,
        simulation_engines: [...new Set(plan[i].map((p) => p.entry!.engine))].sort(),
      },
      jobs: plan[i].map((p) => ({
        id: p.job.id,
        seed: p.seed,
        cache_key: hashKey(p.key),
        config: p.job.config,
      })),
      agreement: judged.rows.map(agreementRow),
      agreement_criterion: judged.criterion?.text ?? null,
      files: [`${fig.id}.svg`, `${fig.id}.png`, ...panelFiles, ...csvFiles],
      data: output.data,
    };
    files.push([`${fig.id}.svg`, svg], [`${fig.id}.png`, png], ["data.json", jsonText(record)]);
    for (const [name, content] of files)
      writeFileAtomic(join(dir, name), content, { what: `a ${fig.id} file` });
    written.push({ id: fig.id, files: files.map(([n]) => join(dir, n)), agreement: judged.rows });
  }

  // 4. The report lists every registered figure that has been written to this folder.
  const index = join(opts.out, "index.html");
  writeFileAtomic(
    index,
    renderHtml({
      title: "sigprop: reproduction of Pretorius et al. (2018)",
      settings: reportSettings(opts, version),
      figures: htmlFigures(opts.out, registry),
    }),
    { what: "the report" },
  );
  return {
    out: opts.out,
    figures: written,
    jobs: { total: all.length, cached: all.length - pending.length, ran: pending.length },
    simulationSeconds,
    index,
  };
}

function agreementRow(a: Agreement): Record<string, number | string | null> {
  const f = (x: number) => (Number.isFinite(x) ? x : Number.isNaN(x) ? null : x > 0 ? "inf" : "-inf");
  return {
    panel: a.panel,
    series: a.series,
    n: a.n,
    mean_abs_dev: f(a.meanAbsDev),
    max_dev_over_std: f(a.maxDevOverStd),
    max_abs_z: f(a.maxAbsZ),
    max_rel_err: a.maxRelErr === undefined ? null : f(a.maxRelErr),
    dof: a.dof ?? null,
    z_threshold: a.threshold === undefined ? null : f(a.threshold),
    verdict: a.verdict ?? null,
    note: a.note ?? null,
  };
}

/** JSON with non-finite numbers as null. */
function jsonText(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? null : x), 2) + "\n";
}

function reportSettings(opts: ReproduceOptions, version: string): Record<string, string> {
  return {
    command: opts.command ?? "",
    "sigprop version": version,
    node: process.version,
    "vega / vega-lite": `${vega.version} / ${vegaLite.version}`,
    "last run": `scale ${opts.scale.name} (width ${opts.scale.width}, ${opts.scale.networks} networks, ${opts.scale.weights} weights), seed ${opts.seed}`,
  };
}

interface StoredRecord {
  figure: string;
  title: string;
  caption: string;
  /** what the figure actually ran (absent or null: the scale's width and networks) */
  footer?: string | null;
  seed: number;
  scale: Scale;
  agreement: Record<string, number | string | null>[];
  agreement_criterion?: string | null;
  files: string[];
}

/**
 * A figure's data.json read back for the report: an InputError naming the file when it is cut, edited or
 * not a record (exit 2, not a stack trace); rebuilding that figure rewrites it.
 */
function readStoredRecord(out: string, p: string): StoredRecord {
  let r: unknown;
  let problem: string | null = null;
  try {
    r = JSON.parse(readFileSync(p, "utf8"));
  } catch (e) {
    problem = `not valid JSON (${(e as Error).message})`;
  }
  if (!problem) {
    const o = r as Partial<StoredRecord> | null;
    if (o === null || typeof o !== "object") problem = "not a JSON object";
    else if (typeof o.caption !== "string" || typeof o.seed !== "number") problem = "caption or seed missing";
    else if (!o.scale || typeof o.scale !== "object" || typeof o.scale.name !== "string")
      problem = "scale missing";
    else if (!Array.isArray(o.agreement) || !Array.isArray(o.files)) problem = "agreement or files missing";
  }
  if (problem)
    throw new InputError(
      "out",
      out,
      "a folder written by `sigprop reproduce`",
      `${p}: ${problem}; rebuild that figure (name it on the command line) or delete its folder`,
    );
  return r as StoredRecord;
}

/** The width attribute of an SVG file's root element (px), NaN if absent. */
function svgWidth(path: string): number {
  const m = /<svg[^>]*?\swidth="([0-9.]+)"/.exec(readFileSync(path, "utf8").slice(0, 2000));
  return m ? Number(m[1]) : NaN;
}

/** Read back every registered figure's data.json present under `out`, in registry order. */
function htmlFigures(out: string, registry: readonly Figure[]): HtmlFigure[] {
  const figs: HtmlFigure[] = [];
  for (const f of registry) {
    const p = join(out, f.id, "data.json");
    if (!existsSync(p)) continue;
    const r = readStoredRecord(out, p);
    const num = (x: number | string | null) => (x === null ? NaN : x === "inf" ? Infinity : Number(x));
    figs.push({
      id: f.id,
      title: f.title,
      caption: `${r.caption} [scale ${r.scale.name}: ${typeof r.footer === "string" ? r.footer : `width ${r.scale.width}, ${r.scale.networks} networks`}; seed ${r.seed}]`,
      svg: `${f.id}/${f.id}.svg`,
      png: `${f.id}/${f.id}.png`,
      data: `${f.id}/data.json`,
      csvs: r.files.filter((n) => n.endsWith(".csv")).map((n) => `${f.id}/${n}`),
      agreement: r.agreement.map((a) => ({
        panel: String(a.panel),
        series: String(a.series),
        n: Number(a.n),
        meanAbsDev: num(a.mean_abs_dev),
        maxDevOverStd: num(a.max_dev_over_std),
        maxAbsZ: num(a.max_abs_z),
        ...(a.max_rel_err === undefined || a.max_rel_err === null ? {} : { maxRelErr: num(a.max_rel_err) }),
        ...(typeof a.dof === "number" ? { dof: a.dof } : {}),
        ...(a.z_threshold === undefined || a.z_threshold === null ? {} : { threshold: num(a.z_threshold) }),
        ...(a.verdict === "pass" || a.verdict === "flag" || a.verdict === "n/a"
          ? { verdict: a.verdict }
          : {}),
        ...(a.note ? { note: String(a.note) } : {}),
      })),
      criterion: r.agreement_criterion ?? null,
      panels: r.files
        .filter((n) => /_panel\d+\.svg$/.test(n) && existsSync(join(out, f.id, n)))
        .map((n) => ({ src: `${f.id}/${n}`, width: svgWidth(join(out, f.id, n)) })),
    });
  }
  return figs;
}
