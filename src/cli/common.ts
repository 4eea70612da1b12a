/**
 * Shared CLI plumbing: the spec flags every analysis command takes, number parsing with exit-2 errors,
 * `--json` output (one object, snake_case keys), and the exit-code contract:
 * 0 success, 2 bad input (InputError: names parameter, value, valid range), 1 internal failure.
 */
import type { Command } from "commander";
import type { DeviceChoice } from "../engine/device.js";
import { FileWriteError } from "../io/errors.js";
import {
  ACTIVATION_ALIASES,
  ACTIVATION_CATALOGUE,
  ACTIVATION_SPECS,
  parseActivation,
  type Activation,
} from "../theory/activations.js";
import { InputError } from "../theory/errors.js";
import { NOISE_ALIASES, NOISE_KEYS, parseNoise, type Noise } from "../theory/noise.js";
import { checkModel, type Model } from "../theory/model.js";
import { parseDecimal } from "../theory/spec.js";
import { checkPoints, limitsFrom, setLimits } from "./limits.js";

/**
 * The activation of every command that takes `--activation`: ReLU, the toolkit's focus (its critical
 * initialisation σ_w² = 2/μ2 under multiplicative noise is the paper's result). Commands that trace a curve
 * or a phase diagram over σ_b² (`eoc`, `phase`, `draws`) and `shape` (DKS and TAT both need a smooth φ;
 * TAT takes ReLU only as leaky_relu) default to CURVE_ACTIVATION instead.
 */
export const DEFAULT_ACTIVATION = "relu";
/**
 * tanh, the default of `eoc`, `phase`, `draws` and `shape`: ReLU's edge of chaos is the single point
 * σ_w² = 2/μ2 at σ_b² = 0 (no finite q* for σ_b² > 0), so ReLU has no curve and no chaotic phase to
 * show; tanh has both.
 */
export const CURVE_ACTIVATION = "tanh";
export const CURVE_ACTIVATION_REASON =
  "default tanh, not relu: ReLU's edge of chaos is the single point σ_w² = 2/μ2 at σ_b² = 0";

/** The variance convention, shown in the help of every command with a σ_w² or σ_b² flag. */
export const VARIANCE_CONVENTION =
  "σ_w² and σ_b² are variances (not standard deviations): W_ij ~ N(0, σ_w²/N) with N the layer's fan-in, b_i ~ N(0, σ_b²).";

/** Placeholders for noise parameter values in the help list. */
const NOISE_PLACEHOLDER: Record<string, string> = {
  keep: "P (keep probability, 0 < P ≤ 1)",
  rate: "R (drop rate, 0 ≤ R < 1)",
  std: "S",
  scale: "B",
};

/** The activations `--activation` accepts, rendered from the catalogue (theory/activations.ts). */
export function activationList(): string {
  const aliasesOf = (name: string) =>
    Object.entries(ACTIVATION_ALIASES)
      .filter(([, to]) => to === name)
      .map(([a]) => a);
  const plain = ACTIVATION_CATALOGUE.map((a) => {
    const params = a.keys.map((k) => `${k}=${a.defaults[k] ?? "…"}`).join(",");
    const aliases = aliasesOf(a.name);
    return `${a.name}${params ? `:${params}` : ""}${aliases.length ? ` (= ${aliases.join(", ")})` : ""}`;
  });
  // the shaped forms are not catalogue entries: their grammar is the tail of ACTIVATION_SPECS
  const shaped = ACTIVATION_SPECS.split(" | ").filter((x) => /^(shaped|dks|tat):/.test(x));
  return [
    `  catalogue (parameters shown with their defaults): ${plain.join(", ")}`,
    `  shaped (DKS/TAT, see \`sigprop shape --help\`): ${shaped.join(", ")}`,
  ].join("\n");
}

/** The noise specs `--noise` accepts, rendered from NOISE_KEYS (theory/noise.ts). */
export function noiseList(): string {
  const forms = Object.entries(NOISE_KEYS).flatMap(([kind, keys]) => {
    const aliases = Object.entries(NOISE_ALIASES)
      .filter(([, to]) => to === kind)
      .map(([a]) => a);
    const tail = aliases.length ? ` (= ${aliases.join(", ")})` : "";
    if (keys.length === 0) return [`${kind}${tail}`];
    // dropout takes exactly one of keep, rate: one form each
    if (kind === "dropout") return keys.map((k) => `${kind}:${k}=${NOISE_PLACEHOLDER[k] ?? "X"}`);
    return [`${kind}:${keys.map((k) => `${k}=${NOISE_PLACEHOLDER[k] ?? "X"}`).join(",")}${tail}`];
  });
  return `  ${forms.join(", ")}\n  (dropout:0.9 is refused: write keep=0.9 or rate=0.1)`;
}

/**
 * The help section after the options of a command with `--activation`, `--noise` or σ flags: the lists
 * and the variance convention (program.ts adds it to every such command).
 */
export function specHelp(cmd: Command): string | undefined {
  const has = (long: string) => cmd.options.some((o) => o.long === long);
  const parts: string[] = [];
  if (has("--activation")) parts.push(`Activations (--activation):\n${activationList()}`);
  if (has("--noise") || has("--noises")) parts.push(`Noise (--noise):\n${noiseList()}`);
  if (cmd.options.some((o) => /^--sigma-[wb]2/.test(o.long ?? "")))
    parts.push(`Variances: ${VARIANCE_CONVENTION}`);
  return parts.length ? "\n" + parts.join("\n\n") : undefined;
}

/** Add `--activation` (default DEFAULT_ACTIVATION; the list is in the help section of specHelp). */
export function addActivationOption(cmd: Command, def: string = DEFAULT_ACTIVATION, what = "activation") {
  return cmd.option(
    "--activation <spec>",
    `${what}, e.g. relu, tanh, leaky_relu:alpha=0.2 (list below)${def === CURVE_ACTIVATION ? `; ${CURVE_ACTIVATION_REASON}` : ""}`,
    def,
  );
}

/** Add `--noise` (default none; the list is in the help section of specHelp). */
export function addNoiseOption(cmd: Command) {
  return cmd.option(
    "--noise <spec>",
    "noise, e.g. none, dropout:keep=0.9, gauss_mult:std=0.25 (list below)",
    "none",
  );
}

/** Add --activation, --noise, --sigma-w2, --sigma-b2 with the given defaults. */
export function addModelOptions(
  cmd: Command,
  defaults: { activation?: string; sigmaW2?: string; sigmaB2?: string } = {},
) {
  return addNoiseOption(addActivationOption(cmd, defaults.activation ?? DEFAULT_ACTIVATION))
    .option(
      "--sigma-w2 <x>",
      `${defaults.sigmaW2 === undefined ? "(required) " : ""}weight variance σ_w² (W ~ N(0, σ_w²/N))`,
      defaults.sigmaW2,
    )
    .option("--sigma-b2 <y>", "bias variance σ_b²", defaults.sigmaB2 ?? "0");
}

/** Parse a number option in plain decimal notation (no hex, no `Infinity`); exit-2 error naming the flag otherwise. */
export function num(flag: string, raw: unknown, valid = "a finite decimal number"): number {
  const d = parseDecimal(String(raw ?? ""));
  if ("problem" in d)
    throw new InputError(flag, String(raw), valid, d.problem === "empty" ? undefined : d.problem);
  return d.value;
}

/** Parse a positive integer option. */
export function int(flag: string, raw: unknown, lo = 1, hi = Number.MAX_SAFE_INTEGER): number {
  const v = num(flag, raw, `an integer in [${lo}, ${hi}]`);
  if (!Number.isInteger(v) || v < lo || v > hi)
    throw new InputError(flag, String(raw), `an integer in [${lo}, ${hi}]`);
  return v;
}

/**
 * Parse a range `a:b:n` (n ≥ 1 points, inclusive ends). `lo`/`hi` bound the values (`loOpen`: a > lo);
 * the error's example is built inside those bounds. n is checked against the size limits before the
 * points are allocated.
 */
export function range(
  flag: string,
  raw: string,
  { lo = -Infinity, hi = Infinity, loOpen = false }: { lo?: number; hi?: number; loOpen?: boolean } = {},
): number[] {
  const parts = String(raw).split(":");
  const a0 = Number.isFinite(lo) ? (loOpen ? lo + (Number.isFinite(hi) ? (hi - lo) / 4 : 0.5) : lo) : 0;
  const b0 = Number.isFinite(hi) ? hi : a0 + 2;
  const example = `${+a0.toPrecision(3)}:${+b0.toPrecision(3)}:11`;
  const bounds = `${Number.isFinite(lo) ? `${loOpen ? ">" : "≥"} ${lo} ` : ""}${Number.isFinite(hi) ? `≤ ${hi} ` : ""}`;
  const valid = `a:b:n with decimal numbers ${bounds}(a ≤ b) and a whole n ≥ 1, e.g. ${example}`;
  if (parts.length !== 3) throw new InputError(flag, raw, valid);
  const parsed = parts.map((p) => parseDecimal(p));
  for (const d of parsed)
    if ("problem" in d)
      throw new InputError(flag, raw, valid, d.problem === "empty" ? "empty part" : d.problem);
  const [a, b, n] = parsed.map((d) => (d as { value: number }).value);
  if (!Number.isInteger(n) || n < 1)
    throw new InputError(flag, raw, valid, `n = ${parts[2].trim()} is not a whole number ≥ 1`);
  if (a < lo || (loOpen && a <= lo) || b > hi || a > b) throw new InputError(flag, raw, valid);
  checkPoints(flag, raw, n);
  if (n === 1) return [a];
  return Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}

export interface ModelOpts {
  activation: string;
  noise: string;
  sigmaW2?: string;
  sigmaB2?: string;
}

export function activationFrom(opts: { activation: string }): Activation {
  return parseActivation(opts.activation);
}
export function noiseFrom(opts: { noise: string }): Noise {
  return parseNoise(opts.noise);
}

/** Build and validate the model; σ_w² is required unless a default is passed. */
export function modelFrom(opts: ModelOpts, sigmaW2Default?: number): Model {
  const activation = activationFrom(opts);
  const noise = noiseFrom(opts);
  if (opts.sigmaW2 === undefined && sigmaW2Default === undefined) {
    throw new InputError(
      "--sigma-w2",
      "(missing)",
      "a number > 0 (use `sigprop critical` to find the critical value)",
    );
  }
  const sigmaW2 =
    opts.sigmaW2 === undefined ? (sigmaW2Default as number) : num("--sigma-w2", opts.sigmaW2, "a number > 0");
  const sigmaB2 = num("--sigma-b2", opts.sigmaB2 ?? "0", "a number ≥ 0");
  return checkModel({ activation, noise, sigmaW2, sigmaB2 });
}

/** Print one JSON object (with --json) or the readable text. */
export function emit(json: boolean, obj: unknown, text: () => string) {
  if (json)
    process.stdout.write(
      JSON.stringify(obj, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v)) + "\n",
    );
  else process.stdout.write(text() + "\n");
}

/** Format a number for readable output (null → "∞/none" by caller). */
export function fmt(x: number | null | undefined, digits = 10): string {
  if (x === null || x === undefined) return "—";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-4) return x.toExponential(digits - 1);
  return String(Number(x.toPrecision(digits)));
}

/** `--x` for a library parameter name such as `sigmaB2` (flags pass through). */
export function flagOf(parameter: string): string {
  if (parameter.startsWith("-") || !/^[a-z][A-Za-z0-9]*$/.test(parameter)) return parameter;
  return "--" + parameter.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
}

/** The one JSON object printed on stdout for a failure when --json is on. */
export interface ErrorObject {
  error: {
    kind: "bad_input" | "file_write" | "internal";
    message: string;
    flag?: string;
    value?: string;
    valid?: string;
    code?: string;
  };
}

/**
 * Report a failure: one line on stderr (the stack only with SIGPROP_DEBUG=1), and with `json` one
 * `{"error": {...}}` object on stdout. Returns the exit code: 2 for bad input, 1 otherwise.
 */
export function reportError(e: unknown, json: boolean): number {
  let obj: ErrorObject;
  let code: number;
  if (e instanceof InputError) {
    const flag = flagOf(e.parameter);
    const message =
      flag === e.parameter ? e.message : e.message.replace(`invalid ${e.parameter} `, `invalid ${flag} `);
    obj = { error: { kind: "bad_input", flag, value: e.value, valid: e.valid, message } };
    process.stderr.write(`sigprop: ${message}\n`);
    code = 2;
  } else if (e instanceof FileWriteError) {
    // disk full, quota, I/O error: one line (what, where, how much), no stack; nothing partial was left
    obj = { error: { kind: "file_write", message: e.message } };
    process.stderr.write(`sigprop: ${e.message}\n`);
    code = 1;
  } else {
    const message = e instanceof Error ? e.message : String(e);
    obj = { error: { kind: "internal", message } };
    process.stderr.write(
      `sigprop: internal error: ${message}\n` +
        (process.env.SIGPROP_DEBUG && e instanceof Error && e.stack
          ? e.stack + "\n"
          : "(SIGPROP_DEBUG=1 shows where)\n"),
    );
    code = 1;
  }
  if (json) process.stdout.write(JSON.stringify(obj) + "\n");
  return code;
}

/**
 * Wrap a command action: sets the size limits from the command's options, then InputError → exit 2,
 * FileWriteError (disk full, I/O) → its one-line message, exit 1; anything else → exit 1 (reportError).
 * Use for every command so the exit-code contract holds everywhere.
 */
export function action<A extends unknown[]>(fn: (...args: A) => void | Promise<void>) {
  return async (...args: A) => {
    const cmd = args[args.length - 1] as Command | undefined;
    const opts = (typeof cmd?.opts === "function" ? cmd.opts() : {}) as Record<string, unknown>;
    try {
      setLimits(limitsFrom(opts));
      await fn(...args);
    } catch (e) {
      process.exitCode = reportError(e, !!opts.json);
    }
  };
}

/**
 * Add `--device auto|wasm|webgpu` (default wasm) and, with `threads`, `--threads N` (default: the cores
 * Node may use, os.availableParallelism()). Pair with `deviceFrom`.
 */
export function addDeviceOption(cmd: Command, { threads = false }: { threads?: boolean } = {}): Command {
  cmd.option(
    "--device <d>",
    "auto (WebGPU if an adapter works, else wasm; recorded) | wasm (every host, bit-reproducible) | webgpu",
    "wasm",
  );
  if (threads)
    cmd.option("--threads <n>", "worker threads for independent networks (default: all cores)", undefined);
  return cmd;
}

/** Work (e.g. network-layers × width², the normals sampled) below which the default is one thread. */
export const MIN_PARALLEL_WORK = 2e8;

/**
 * Initialise jax-js on the device from `--device` (exit 2 naming the flag when the value is not valid, or
 * when webgpu is asked for and cannot be used: the message says what was tried and why it failed), and
 * read `--threads` (default: all cores, or 1 when `work` < MIN_PARALLEL_WORK). Returns the choice and the `device` record for the result JSON
 * ({requested, used, fallback_reason, adapter}). jax-js is loaded here, not by importing this file.
 * On WebGPU the thread count is 1 (one device; the worker threads would compute on wasm).
 */
export async function deviceFrom(
  opts: { device?: unknown; threads?: unknown },
  { work }: { work?: number } = {},
): Promise<{
  choice: DeviceChoice;
  record: { requested: string; used: string; fallback_reason: string | null; adapter: string | null };
  threads: number;
}> {
  const { parseDevice, initDevice, deviceRecord, DeviceUnavailableError } =
    await import("../engine/device.js");
  const { availableParallelism } = await import("node:os");
  const request = parseDevice(opts.device ?? "wasm", "--device");
  // Without --threads, small jobs stay on this thread: starting a worker (and jax-js in it) costs ~1 s.
  const threads =
    opts.threads !== undefined
      ? int("--threads", opts.threads, 1, 4096)
      : work !== undefined && work < MIN_PARALLEL_WORK
        ? 1
        : availableParallelism();
  let choice: DeviceChoice;
  try {
    choice = await initDevice(request);
  } catch (e) {
    if (e instanceof DeviceUnavailableError) e.message = `--device ${e.message.replace(/^device /, "")}`;
    throw e;
  }
  return { choice, record: deviceRecord(choice), threads: choice.used === "webgpu" ? 1 : threads };
}
