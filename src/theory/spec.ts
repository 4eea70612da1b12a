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
      const v = Number(raw);
      if (raw === "" || !Number.isFinite(v)) {
        throw new InputError(parameter, text, valid, `'${key}' must be a finite number, got '${raw}'`);
      }
      if (key in params) throw new InputError(parameter, text, valid, `'${key}' given twice`);
      params[key] = v;
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
