/**
 * Shared CLI plumbing: the spec flags every analysis command takes, number parsing with exit-2 errors,
 * `--json` output (one object, snake_case keys), and the exit-code contract:
 * 0 success, 2 bad input (InputError: names parameter, value, valid range), 1 internal failure.
 */
import type { Command } from "commander";
import { FileWriteError } from "../io/errors.js";
import { parseActivation, type Activation } from "../theory/activations.js";
import { InputError } from "../theory/errors.js";
import { parseNoise, type Noise } from "../theory/noise.js";
import { checkModel, type Model } from "../theory/model.js";

/** Add --activation, --noise, --sigma-w2, --sigma-b2 with the given defaults. */
export function addModelOptions(
  cmd: Command,
  defaults: { activation?: string; sigmaW2?: string; sigmaB2?: string } = {},
) {
  return cmd
    .option(
      "--activation <spec>",
      "activation, e.g. relu, tanh, leaky_relu:alpha=0.2",
      defaults.activation ?? "relu",
    )
    .option(
      "--noise <spec>",
      "noise, e.g. none, dropout:keep=0.9, dropout:rate=0.1, gauss_mult:std=0.25, gauss_add:std=1",
      "none",
    )
    .option("--sigma-w2 <x>", "weight variance σ_w²", defaults.sigmaW2)
    .option("--sigma-b2 <y>", "bias variance σ_b²", defaults.sigmaB2 ?? "0");
}

/** Parse a finite number option; exit-2 error naming the flag otherwise. */
export function num(flag: string, raw: unknown, valid = "a finite number"): number {
  const s = String(raw ?? "").trim();
  const v = Number(s);
  if (s === "" || !Number.isFinite(v)) throw new InputError(flag, String(raw), valid);
  return v;
}

/** Parse a positive integer option. */
export function int(flag: string, raw: unknown, lo = 1, hi = Number.MAX_SAFE_INTEGER): number {
  const v = num(flag, raw, `an integer in [${lo}, ${hi}]`);
  if (!Number.isInteger(v) || v < lo || v > hi)
    throw new InputError(flag, String(raw), `an integer in [${lo}, ${hi}]`);
  return v;
}

/** Parse a range `a:b:n` (n ≥ 1 points, inclusive ends). */
export function range(flag: string, raw: string, { lo = -Infinity, hi = Infinity } = {}): number[] {
  const parts = String(raw).split(":");
  const valid = `a:b:n with numbers ${Number.isFinite(lo) ? `≥ ${lo} ` : ""}${Number.isFinite(hi) ? `≤ ${hi} ` : ""}and a whole n ≥ 1, e.g. 0:2:21`;
  if (parts.length !== 3) throw new InputError(flag, raw, valid);
  const [a, b, n] = parts.map((p) => Number(p.trim()));
  if (![a, b, n].every(Number.isFinite) || !Number.isInteger(n) || n < 1 || a < lo || b > hi || a > b) {
    throw new InputError(flag, raw, valid);
  }
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

/**
 * Wrap a command action: InputError → message on stderr, exit 2; FileWriteError (disk full, I/O) → its
 * one-line message, exit 1; other errors → exit 1 with the stack.
 * Use for every command so the exit-code contract holds everywhere.
 */
export function action<A extends unknown[]>(fn: (...args: A) => void | Promise<void>) {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      if (e instanceof InputError) {
        process.stderr.write(`sigprop: ${e.message}\n`);
        process.exitCode = 2;
      } else if (e instanceof FileWriteError) {
        // disk full, quota, I/O error: one line (what, where, how much), no stack; nothing partial was left
        process.stderr.write(`sigprop: ${e.message}\n`);
        process.exitCode = 1;
      } else {
        process.stderr.write(
          `sigprop: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
        );
        process.exitCode = 1;
      }
    }
  };
}
