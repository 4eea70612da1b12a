/**
 * What a reproducible figure is: a list of independent, cacheable jobs (simulations, or for Fig 6
 * training runs) and a pure `build` step turning their results plus theory into panels, a Vega-Lite
 * figure, data tables and a theory-vs-simulation agreement summary. Adding a figure to
 * `sigprop reproduce` is one entry in `figures/index.ts`.
 */
import type { TopLevelSpec } from "vega-lite";
import type { Simulator } from "./simulator.js";

/** JSON-serialisable values (job configs and results are cached as JSON). */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * The JSON shape of a TypeScript type: a typed value whose every field is JSON (an `interface`, which has
 * no index signature and so is not a `Json` itself, included) maps to an object type that is one.
 * Functions, typed arrays, `undefined` and read-only arrays have no JSON shape (`never`), so that `json`
 * below rejects them at compile time.
 */
export type JsonOf<T> = T extends null | boolean | number | string
  ? T
  : T extends ((...args: never[]) => unknown) | ArrayBufferView | undefined
    ? never
    : T extends readonly unknown[]
      ? T extends unknown[]
        ? JsonOf<T[number]>[]
        : never
      : T extends object
        ? { [K in keyof T]: JsonOf<T[K]> }
        : never;

/**
 * `v` itself, typed as JSON: the compiler checks that every field of `v` is JSON (see `JsonOf`), so a
 * typed record (settings, a summary, an `interface`) goes into a job config, a job result or data.json
 * without a cast. No run-time work.
 */
export function json<T>(v: T & JsonOf<T>): JsonOf<T> {
  return v;
}

/** Scale of a reproduction: the paper's settings or a faster one that still shows the effects. */
export interface Scale {
  name: string;
  /** layer width N (and input dimension) */
  width: number;
  /** independent networks per configuration */
  networks: number;
  weights: "gaussian" | "orthogonal";
  /** input pairs per network and starting point, averaged within each network (cheap: weights dominate) */
  pairs: number;
}

export const SCALES: Record<"quick" | "paper", Scale> = {
  paper: { name: "paper", width: 1000, networks: 50, weights: "gaussian", pairs: 1 },
  quick: { name: "quick", width: 400, networks: 12, weights: "gaussian", pairs: 16 },
};

/** What a job may use while running. */
export interface JobContext {
  sim: Simulator;
  /** the job's own seed (derived from the run seed and the job id) */
  seed: number;
  onProgress: (done: number, total: number) => void;
}

/**
 * One unit of work whose result is cached under a hash of (figure, id, config, seed, version). `Config` and
 * `Result` are the JSON shapes of this kind of job (a figure reads its results back typed with
 * `resultOf` in jobs.ts); `Job` alone is any job.
 */
export interface Job<Config extends Json = Json, Result extends Json = Json> {
  /** unique within its figure, e.g. "a/tanh+noise" */
  id: string;
  /** everything that determines the result (besides the seed and the package version) */
  config: Config;
  /** relative cost used for the ETA (e.g. networks × depth × width²) */
  cost: number;
  run(ctx: JobContext): Promise<Result>;
}

/** A row of the theory-vs-simulation agreement table. */
export interface Agreement {
  panel: string;
  series: string;
  /** number of simulated points compared */
  n: number;
  /** mean |sim − theory| */
  meanAbsDev: number;
  /** max |sim − theory| / std over networks */
  maxDevOverStd: number;
  /** max |z| with z = (sim − theory)/(std/√networks), the standard error of the mean */
  maxAbsZ: number;
  /** max |sim − theory|/|theory| over the points whose theory is not near zero (see agreement.ts) */
  maxRelErr?: number;
  /**
   * degrees of freedom of the z-scores: networks − 1 when the std is a sample std over networks (Student
   * t); absent when z uses a known or fitted standard error (normal)
   */
  dof?: number;
  /** set by `judgeAgreement`: the |z| threshold of this row and whether it passes */
  threshold?: number;
  verdict?: "pass" | "flag" | "n/a";
  note?: string;
}

/** A data table written as CSV next to the figure. */
export interface Table {
  name: string;
  rows: Record<string, number | string | null>[];
}

export interface FigureOutput {
  /** the whole figure (all panels) as one Vega-Lite spec */
  spec: TopLevelSpec;
  /** a short caption for the HTML report */
  caption: string;
  tables: Table[];
  agreement: Agreement[];
  /** everything else worth recording in data.json (theory values, fits, settings) */
  data: Record<string, Json>;
  /**
   * What this figure actually ran (widths, networks, protocol), shown after the caption in the report;
   * default: the scale's generic width and networks (right for the simulation figures only).
   */
  footer?: string;
  /** panels also written on their own as DIR/<fig>/<name>.svg and .png (readable at full size) */
  panels?: { name: string; spec: TopLevelSpec }[];
}

export interface Figure {
  id: string;
  title: string;
  /** the jobs to run at this scale (may be empty for theory-only figures) */
  jobs(scale: Scale): Job[];
  /** assemble the figure from job results (keyed by job id) */
  build(scale: Scale, results: Map<string, Json>): FigureOutput;
}
