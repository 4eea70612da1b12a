/**
 * The residual-network flags shared by `analyze` and `dynamics`: --residual reduced|full, --sigma-v2 and
 * --sigma-a2 (full variant's second matrix and bias), and the snake_case JSON of a residual depth law.
 */
import type { Command } from "commander";
import { InputError } from "../theory/errors.js";
import { parseResidualVariant, type ResidualLaw, type ResidualOptions } from "../theory/residual.js";
import { num } from "./common.js";

export function addResidualOptions(cmd: Command): Command {
  return cmd
    .option(
      "--residual <variant>",
      "residual network: reduced (y + Wφ(y) + b; Hayou et al.) or full (x + Vφ(Wx + b) + a; Yang & Schoenholz)",
    )
    .option("--sigma-v2 <x>", "full residual variant: variance σ_v² of the second matrix V (default 1)")
    .option("--sigma-a2 <y>", "full residual variant: variance σ_a² of the second bias a (default 0)");
}

/** The residual options from parsed flags, or null without --residual. */
export function residualFrom(opts: {
  residual?: string;
  sigmaV2?: string;
  sigmaA2?: string;
}): ResidualOptions | null {
  if (opts.residual === undefined) {
    for (const [flag, v] of [
      ["--sigma-v2", opts.sigmaV2],
      ["--sigma-a2", opts.sigmaA2],
    ] as const) {
      if (v !== undefined) throw new InputError(flag, v, "only with --residual full");
    }
    return null;
  }
  const variant = parseResidualVariant(String(opts.residual));
  if (variant === "reduced") {
    for (const [flag, v] of [
      ["--sigma-v2", opts.sigmaV2],
      ["--sigma-a2", opts.sigmaA2],
    ] as const) {
      if (v !== undefined)
        throw new InputError(flag, v, "only with --residual full (reduced has one matrix)");
    }
    return { variant };
  }
  return {
    variant,
    sigmaV2: opts.sigmaV2 === undefined ? 1 : num("--sigma-v2", opts.sigmaV2, "a number > 0"),
    sigmaA2: opts.sigmaA2 === undefined ? 0 : num("--sigma-a2", opts.sigmaA2, "a number ≥ 0"),
  };
}

/** snake_case JSON of a residual depth law. */
export function lawJson(law: ResidualLaw): Record<string, unknown> {
  switch (law.kind) {
    case "relu_inverse_square":
      return {
        kind: law.kind,
        beta: law.beta,
        variance_growth: law.varianceGrowth,
        constant: law.constant,
        hayou_gamma: law.hayouGamma,
        formula: law.formula,
      };
    case "bounded_odd":
      return {
        kind: law.kind,
        variance_slope: law.varianceSlope,
        c_star: law.cStar,
        exponent: law.exponent,
        formula: law.formula,
      };
    default:
      return { kind: law.kind, reason: law.reason };
  }
}

/** Readable lines for a residual depth law. */
export function lawText(law: ResidualLaw, fmt: (x: number) => string): string[] {
  switch (law.kind) {
    case "relu_inverse_square":
      return [
        `depth law: q^l ≈ (1+β)^l q⁰ with β = ${fmt(law.beta)} (exponential variance), 1 − c^l ~ ${fmt(law.constant)}/l² (polynomial)`,
        `Hayou et al. Prop. 1: the plain ReLU network on the EOC has 1 − c^l ~ γ (1 − c^l_res), γ = (β/(1+β))² = ${fmt(law.hayouGamma)}`,
      ];
    case "bounded_odd":
      return [
        `depth law: q^l ~ ${fmt(law.varianceSlope)}·l (linear), |c^l − c*| ~ K l^(−ν), c* = ${fmt(law.cStar)}, ν = ${fmt(law.exponent)}`,
      ];
    default:
      return [`depth law: none (${law.reason})`];
  }
}
