/**
 * The shared spec grammar: `name` or `name:key=value,key=value` (e.g. `leaky_relu:alpha=0.2`,
 * `dropout:keep=0.9`). Parsing only splits and checks numbers; each catalogue validates its keys.
 */
import { InputError } from "./errors.js";

export interface ParsedSpec {
  name: string;
  params: Record<string, number>;
  /** positional values given without a key (always an error, but reported with context) */
  bare: string[];
}

/** Plain decimal notation: optional sign, digits with an optional point, optional exponent (`1e-3`). */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parse a number written in plain decimal notation, or say why it is not one. `Number()` also accepts
 * `0x10`, `0b1`, `0o7`, `Infinity`, `""` and whitespace, which mean nothing on a command line; values
 * that overflow to ±∞ (`1e400`) or underflow to 0 from non-zero digits (`1e-400`) are refused too.
 */
export function parseDecimal(raw: string): { value: number } | { problem: string } {
  const s = raw.trim();
  if (s === "") return { problem: "empty" };
  if (!DECIMAL.test(s)) {
    if (/^[+-]?0[xXbBoO]/.test(s))
      return { problem: `'${s}' is not decimal (hex, binary and octal are not accepted)` };
    return { problem: `'${s}' is not a decimal number` };
  }
  const v = Number(s);
  if (!Number.isFinite(v)) return { problem: `'${s}' overflows a float64 (|x| ≤ 1.8e308)` };
  if (v === 0 && /[1-9]/.test(s.split(/[eE]/)[0])) return { problem: `'${s}' underflows to 0 in float64` };
  return { value: v };
}

/** Split a spec string into its name and numeric key=value parameters. */
export function parseSpec(parameter: string, text: string, valid: string): ParsedSpec {
  const trimmed = text.trim();
  if (trimmed === "") throw new InputError(parameter, text, valid, "empty spec");
  const colon = trimmed.indexOf(":");
  const name = (colon < 0 ? trimmed : trimmed.slice(0, colon)).trim().toLowerCase();
  const params: Record<string, number> = {};
  const bare: string[] = [];
  if (colon >= 0) {
    const rest = trimmed.slice(colon + 1);
    for (const part of rest.split(",")) {
      const p = part.trim();
      if (p === "") continue;
      const eq = p.indexOf("=");
      if (eq < 0) {
        bare.push(p);
        continue;
      }
      const key = p.slice(0, eq).trim().toLowerCase();
      const raw = p.slice(eq + 1).trim();
      const d = parseDecimal(raw);
      if ("problem" in d) {
        throw new InputError(
          parameter,
          text,
          valid,
          `'${key}' must be a finite number in decimal notation, got '${raw}' (${d.problem})`,
        );
      }
      if (key in params) throw new InputError(parameter, text, valid, `'${key}' given twice`);
      params[key] = d.value;
    }
  }
  return { name, params, bare };
}

/** Reject keys other than the allowed ones. */
export function checkKeys(
  parameter: string,
  text: string,
  spec: ParsedSpec,
  allowed: string[],
  valid: string,
) {
  for (const k of Object.keys(spec.params)) {
    if (!allowed.includes(k)) {
      throw new InputError(
        parameter,
        text,
        valid,
        allowed.length
          ? `unknown parameter '${k}' (this one takes ${allowed.join(", ")})`
          : `'${spec.name}' takes no parameters`,
      );
    }
  }
  if (spec.bare.length) {
    throw new InputError(
      parameter,
      text,
      valid,
      `value '${spec.bare[0]}' has no name; write ${allowed.length ? allowed.map((k) => `${k}=…`).join(" or ") : "the name alone"}`,
    );
  }
}

/** Canonical text form of a spec, e.g. `leaky_relu:alpha=0.2`. */
export function formatSpec(name: string, params: Record<string, number>): string {
  const keys = Object.keys(params);
  return keys.length ? `${name}:${keys.map((k) => `${k}=${params[k]}`).join(",")}` : name;
}
