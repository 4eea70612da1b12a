/**
 * Size limits: estimate memory and time from the flags BEFORE allocating anything, and refuse with exit 2
 * (an InputError naming the flag, the estimate and the limit) when a request would run out of heap (V8
 * aborts the process) or would run for hours. Every command gets `--max-memory <GiB>`,
 * `--max-minutes <m>` and `--no-limits` (src/cli/program.ts) to lift a limit knowingly.
 *
 * Two kinds of ceiling:
 * - soft (liftable): `--max-memory` (default: half of V8's heap limit) and `--max-minutes` (default 10);
 * - hard (not liftable by a flag): V8's heap limit for JS arrays and strings (raise it with
 *   NODE_OPTIONS=--max-old-space-size=MB), 4 GiB for tensors in jax-js's wasm32 memory, and V8's largest
 *   string (≈ 2^29 characters) for a JSON result.
 *
 * Time estimates are throughputs measured on an idle 2-core EPYC (STACK.md and bench/): they are meant to
 * be right within a small factor, so a refusal is for requests that are clearly out of reach.
 */
import { getHeapStatistics } from "node:v8";
import type { Command } from "commander";
import { InputError } from "../theory/errors.js";

export const DEFAULT_MAX_MINUTES = 10;
/** jax-js's wasm backend grows one wasm32 memory: 65536 pages of 64 KiB. */
export const WASM_BYTES = 4 * 2 ** 30;
/** V8's longest string (2^29 − 24 UTF-16 units) bounds one JSON result. */
export const MAX_STRING_CHARS = 2 ** 29 - 24;

export interface Limits {
  /** soft ceiling on the estimated memory (bytes) */
  memoryBytes: number;
  /** soft ceiling on the estimated run time (seconds) */
  seconds: number;
  /** --no-limits: the soft ceilings are off (the hard ones stay) */
  lifted: boolean;
}

const heapBytes = () => getHeapStatistics().heap_size_limit;

export function defaultLimits(): Limits {
  return { memoryBytes: Math.floor(heapBytes() / 2), seconds: DEFAULT_MAX_MINUTES * 60, lifted: false };
}

let current: Limits = defaultLimits();

/** The limits in force for the running command (set by `action` from its options). */
export function currentLimits(): Limits {
  return current;
}
export function setLimits(l: Limits) {
  current = l;
}

/** Add the three lifting options to a command. */
export function addLimitOptions(cmd: Command): Command {
  return cmd
    .option(
      "--max-memory <GiB>",
      `refuse requests estimated to need more memory (default ${fmtBytes(defaultLimits().memoryBytes)}, half the V8 heap)`,
    )
    .option("--max-minutes <m>", `refuse requests estimated to run longer (default ${DEFAULT_MAX_MINUTES})`)
    .option("--no-limits", "lift the memory and time limits (V8's heap and wasm's 4 GiB stay)");
}

/** The limits from a command's options (absent options: defaults). Bad values are exit 2. */
export function limitsFrom(opts: Record<string, unknown>): Limits {
  const l = defaultLimits();
  const pos = (flag: string, raw: unknown, unit: number) => {
    const s = String(raw).trim();
    const v = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(s) ? Number(s) : NaN;
    if (!(v > 0) || !Number.isFinite(v * unit))
      throw new InputError(flag, String(raw), "a decimal number > 0");
    return v * unit;
  };
  if (opts.maxMemory !== undefined) l.memoryBytes = pos("--max-memory", opts.maxMemory, 2 ** 30);
  if (opts.maxMinutes !== undefined) l.seconds = pos("--max-minutes", opts.maxMinutes, 60);
  if (opts.limits === false) l.lifted = true;
  return l;
}

export function fmtBytes(b: number): string {
  if (b >= 2 ** 40) return `${(b / 2 ** 40).toPrecision(3)} TiB`;
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toPrecision(3)} GiB`;
  return `${(b / 2 ** 20).toPrecision(3)} MiB`;
}
export function fmtSeconds(s: number): string {
  if (s >= 86400 * 365) return `${(s / (86400 * 365)).toPrecision(3)} years`;
  if (s >= 86400) return `${(s / 86400).toPrecision(3)} days`;
  if (s >= 3600) return `${(s / 3600).toPrecision(3)} h`;
  if (s >= 60) return `${(s / 60).toPrecision(3)} min`;
  return `${s.toPrecision(3)} s`;
}

export interface Estimate {
  /** the flag whose value drives the size (named in the message) */
  flag: string;
  value: string;
  /** what is being sized, e.g. "a 3000 × 3000 phase grid" */
  what: string;
  /** JS heap bytes (arrays, strings, objects) */
  heapBytes?: number;
  /** off-heap tensor bytes in jax-js's wasm memory */
  tensorBytes?: number;
  /** characters of the JSON result */
  jsonChars?: number;
  seconds?: number;
}

/**
 * Refuse (InputError, exit 2) when an estimate passes a limit; the message names the flag, the estimate,
 * the limit and how to lift it.
 */
export function checkEstimate(e: Estimate, limits: Limits = current): void {
  const heap = e.heapBytes ?? 0;
  const refuse = (valid: string, detail: string) => {
    throw new InputError(e.flag, e.value, valid, `${e.what}: ${detail}`);
  };
  if (e.jsonChars !== undefined && e.jsonChars > MAX_STRING_CHARS)
    refuse(
      "a smaller request",
      `the result would be ≈ ${fmtBytes(e.jsonChars)} of JSON, more than the longest string V8 can build (${fmtBytes(MAX_STRING_CHARS)}); a hard limit`,
    );
  if (e.tensorBytes !== undefined && e.tensorBytes > WASM_BYTES)
    refuse(
      "a smaller request",
      `estimated ${fmtBytes(e.tensorBytes)} of tensors, more than jax-js's 4 GiB wasm memory; a hard limit`,
    );
  if (heap > heapBytes())
    refuse(
      "a smaller request",
      `estimated ${fmtBytes(heap)} of memory, more than V8's heap limit ${fmtBytes(heapBytes())} (raise it with NODE_OPTIONS=--max-old-space-size=MB)`,
    );
  if (limits.lifted) return;
  const mem = heap + (e.tensorBytes ?? 0);
  if (mem > limits.memoryBytes)
    refuse(
      `an estimate ≤ ${fmtBytes(limits.memoryBytes)} (lift with --max-memory GiB or --no-limits)`,
      `estimated ${fmtBytes(mem)} of memory > limit ${fmtBytes(limits.memoryBytes)}`,
    );
  if (e.seconds !== undefined && e.seconds > limits.seconds)
    refuse(
      `an estimate ≤ ${fmtSeconds(limits.seconds)} (lift with --max-minutes M or --no-limits)`,
      `estimated ${fmtSeconds(e.seconds)} > limit ${fmtSeconds(limits.seconds)}`,
    );
}

/** The most points a range or list may have before it is even allocated (8 bytes each, ×4 for slack). */
export function checkPoints(flag: string, value: string, n: number, limits: Limits = current): void {
  checkEstimate({ flag, value, what: `${n} points`, heapBytes: n * 32 }, limits);
}

// ---- cost models (idle-machine throughputs; see the module comment) ----

/** Plain-JS float64 arithmetic in tight loops (multiply-adds per second). */
export const JS_FLOPS = 1e9;
/** jax-js float32 matmul on one core (STACK.md: 27–37 GFLOP/s). */
export const JAX_FLOPS = 3e10;
/** Training, forward + backward + optimiser, effective (STACK.md: 469–1000 samples/s at depth 20, width 512). */
export const TRAIN_FLOPS = 2e10;
/** Gaussian draws per second (TypeScript ziggurat 160 M/s, STACK.md). */
export const NORMALS_PER_S = 1.6e8;
/** One edge-of-chaos point (EOC solve: nested root finding over Gaussian integrals). */
export const EOC_POINT_S = 4e-3;
/** One phase-grid cell (χ1 and ξ_c; bench: 100×100 tanh grid 3.95 s). */
export const PHASE_CELL_S = 4e-4;
/** JSON characters per number in a result (≈ 17 significant digits and a separator). */
export const JSON_CHARS_PER_NUMBER = 22;

/** An MLP trained with Adam: parameters, gradients and two moments (float32), and activations of a batch. */
export function trainEstimate(p: {
  width: number;
  depth: number;
  inputDim: number;
  outputDim: number;
  batch: number;
  samplesSeen: number;
}): { tensorBytes: number; seconds: number } {
  const params = p.inputDim * p.width + p.depth * p.width * p.width + p.width * p.outputDim;
  const acts = p.batch * (p.inputDim + (p.depth + 1) * p.width + p.outputDim) * 3;
  return {
    tensorBytes: 4 * (4 * params + acts),
    seconds: (6 * params * p.samplesSeen) / TRAIN_FLOPS,
  };
}
