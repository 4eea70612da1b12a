/**
 * `sigprop shape`: DKS / TAT activation transformations for a plain chain of `--depth` nonlinear layers
 * (src/theory/shaping.ts). Prints φ̂(x) = γ(φ(αx + β) + δ) and a `shaped:` spec that every command takes
 * as `--activation` (use it with σ_w² = 1, σ_b² = 0 and inputs normalised to q = 1).
 */
import type { Command } from "commander";
import { isShapedSpec, solveDks, solveTat, type ShapeResult } from "../../theory/shaping.js";
import { makeActivation } from "../../theory/activations.js";
import { InputError } from "../../theory/errors.js";
import { action, activationFrom, CURVE_ACTIVATION, emit, fmt, int, num } from "../common.js";

/** The snake_case JSON of a shaping result (also used by `reproduce shaping`). */
export function shapeJson(r: ShapeResult) {
  const t = r.transform;
  return {
    method: r.method,
    activation: r.base.spec,
    depth: r.depth,
    targets: r.targets,
    local_targets: {
      q_slope1: r.localTargets.qSlope1,
      c_slope1: r.localTargets.cSlope1,
      c_curv1: r.localTargets.cCurv1,
      c0: r.localTargets.c0,
    },
    in_scale: t.inScale,
    in_shift: t.inShift,
    out_scale: t.outScale,
    out_shift: t.outShift,
    ...(r.base.name === "leaky_relu" ? { negative_slope: r.base.params.alpha } : {}),
    spec: r.activation.spec,
    sigma_w2: 1,
    sigma_b2: 0,
    local: {
      q1: r.local.q1,
      q_slope1: r.local.qSlope1,
      c0: r.local.c0,
      c_slope1: r.local.cSlope1,
      c_curv1: r.local.cCurv1,
    },
    network: { c0: r.network.c0, c_slope1: r.network.cSlope1, c_curv1: r.network.cCurv1 },
    residual: r.residual,
  };
}

export function register(program: Command) {
  program
    .command("shape")
    .description(
      "DKS / TAT: transform φ into φ̂(x) = γ(φ(αx+β)+δ) so that a depth-L plain chain has the network C map's C′(1) = ζ (DKS), C″(1) = τ (TAT, smooth φ) or C(0) = η (TAT, leaky ReLU)",
    )
    .requiredOption("--method <m>", "dks | tat")
    .option(
      "--activation <spec>",
      `base activation (a catalogue spec, e.g. tanh, softplus, relu, leaky_relu; list below); default tanh, a smooth φ to which both DKS and TAT apply (TAT takes ReLU only as leaky_relu)`,
      CURVE_ACTIVATION,
    )
    .requiredOption("--depth <L>", "number of nonlinear layers of the chain")
    .option("--zeta <z>", "DKS: the network's C′(1) (> 1)", "1.5")
    .option("--tau <t>", "TAT, smooth φ: the network's C″(1) (> 0)", "0.3")
    .option("--eta <e>", "TAT, leaky_relu: the network's C(0) (in [0, 1))", "0.9")
    .option("--json", "one JSON object on stdout")
    .addHelpText(
      "after",
      [
        "",
        "The printed `spec` (shaped:BASE:in_scale=α,in_shift=β,out_scale=γ,out_shift=δ) is a valid --activation",
        "for analyze, dynamics, simulate, train, …; `dks:tanh:depth=50,zeta=1.5` and `tat:leaky_relu:depth=50,eta=0.9`",
        "solve the same at parse time. Use σ_w² = 1, σ_b² = 0 (DKS/TAT's setting). Conditions hold to 1e-12.",
      ].join("\n"),
    )
    .action(
      action((opts) => {
        const method = String(opts.method).toLowerCase();
        if (method !== "dks" && method !== "tat")
          throw new InputError("--method", String(opts.method), "dks | tat");
        if (isShapedSpec(String(opts.activation)))
          throw new InputError(
            "--activation",
            String(opts.activation),
            "a catalogue activation (the base to shape)",
          );
        const base = activationFrom(opts);
        const depth = int("--depth", opts.depth, 1, 1000000);
        let r: ShapeResult;
        if (method === "dks") {
          if (base.name === "leaky_relu" && String(opts.activation).includes("alpha"))
            throw new InputError(
              "--activation",
              String(opts.activation),
              "leaky_relu",
              "DKS solves the negative slope; drop alpha",
            );
          r = solveDks({ base, depth, zeta: num("--zeta", opts.zeta, "a number > 1"), make: makeActivation });
        } else if (base.name === "leaky_relu") {
          if (String(opts.activation).includes("alpha"))
            throw new InputError(
              "--activation",
              String(opts.activation),
              "leaky_relu",
              "TAT solves the negative slope; drop alpha",
            );
          r = solveTat({
            base,
            depth,
            eta: num("--eta", opts.eta, "a number in [0, 1)"),
            make: makeActivation,
          });
        } else {
          r = solveTat({ base, depth, tau: num("--tau", opts.tau, "a number > 0") });
        }
        const out = shapeJson(r);
        emit(!!opts.json, out, () =>
          [
            `${method.toUpperCase()} for ${r.base.spec}, depth ${depth} (σ_w² = 1, σ_b² = 0, inputs at q = 1):`,
            `  φ̂(x) = γ·(φ(α·x + β) + δ)   α = ${fmt(r.transform.inScale, 15)}   β = ${fmt(r.transform.inShift, 15)}`,
            `                              γ = ${fmt(r.transform.outScale, 15)}   δ = ${fmt(r.transform.outShift, 15)}`,
            ...(out.negative_slope !== undefined
              ? [`  negative slope = ${fmt(out.negative_slope, 15)}`]
              : []),
            `  local maps:   Q(1) = ${fmt(r.local.q1)}   Q′(1) = ${fmt(r.local.qSlope1)}   C(0) = ${fmt(r.local.c0)}   C′(1) = ${fmt(r.local.cSlope1)}   C″(1) = ${fmt(r.local.cCurv1)}`,
            `  network map:  C(0) = ${fmt(r.network.c0)}   C′(1) = ${fmt(r.network.cSlope1)}   C″(1) = ${fmt(r.network.cCurv1)}`,
            `  conditions met to ${r.residual.toExponential(1)}`,
            `  --activation "${r.activation.spec}"`,
          ].join("\n"),
        );
      }),
    );
}
