/**
 * Architecture choices of a training MLP beyond the plain one, and the checks that refuse bad
 * combinations (plain TypeScript, no tensor library: the CLI checks before loading jax-js).
 */
import { looksLinearWidthProblem } from "../engine/looksLinear.js";
import type { WeightLaw } from "../engine/weights.js";
import type { Activation } from "../theory/activations.js";
import { InputError } from "../theory/errors.js";

/**
 * Why `spec` cannot use the looks-linear initialisation (an InputError naming the flag), or null: φ must
 * be ReLU or leaky ReLU (the construction needs φ(g) − φ(−g) = c·g with c > 0), the width even (and
 * ≤ 2·input dim for orthogonal blocks), the network plain (a skip connection adds the stream to a branch
 * of the form [g; −g] and the sum is not of that form, so nothing "looks linear" any more).
 */
export function looksLinearProblem(
  spec: { activation: Activation; width: number; inputDim: number; residual?: string },
  law: WeightLaw = "gaussian",
): InputError | null {
  const act = spec.activation;
  if (act.name !== "relu" && act.name !== "leaky_relu")
    return new InputError("activation", act.spec, "relu | leaky_relu:alpha=A with --init looks-linear");
  if (!(looksLinearSlopeSum(act) > 0))
    return new InputError(
      "activation",
      act.spec,
      "leaky_relu with alpha > −1 (φ(1) − φ(−1) > 0) for looks-linear",
    );
  const w = looksLinearWidthProblem(spec.width, spec.inputDim, law);
  if (w !== null)
    return new InputError(
      "width",
      String(spec.width),
      law === "orthogonal" ? `an even number ≤ ${2 * spec.inputDim}` : "an even number",
      w,
    );
  if (spec.residual !== undefined && spec.residual !== "none")
    return new InputError(
      "residual",
      spec.residual,
      "none with --init looks-linear",
      "looks-linear is a plain-network construction (a skip connection breaks the [g; −g] symmetry)",
    );
  return null;
}

/** c with φ(g) − φ(−g) = c·g for a positively homogeneous φ: φ(1) − φ(−1) (ReLU 1, leaky ReLU 1 + α). */
export function looksLinearSlopeSum(act: Activation): number {
  return act.phi(1) - act.phi(-1);
}

/**
 * Why this combination of architecture options cannot be trained, or null (an InputError naming the
 * flag): batch normalisation together with a residual connection is not implemented (where BN would sit
 * in a residual block is a choice of its own; the papers' arms use one or the other); looks-linear as
 * `looksLinearProblem` says; σ_v², σ_a² only with the full residual variant.
 */
export function architectureProblem(
  spec: { activation: Activation; width: number; inputDim: number; batchnorm?: boolean; residual?: string },
  cfg: { init?: string; weights?: WeightLaw; sigmaV2?: number; sigmaA2?: number } = {},
): InputError | null {
  const res = spec.residual ?? "none";
  if (res !== "none" && res !== "reduced" && res !== "full")
    return new InputError("residual", res, "none | reduced | full");
  if (spec.batchnorm && res !== "none")
    return new InputError(
      "batchnorm",
      "true",
      "a plain network (not with --residual)",
      "batch normalisation inside residual blocks is not implemented",
    );
  if (res !== "full") {
    if (cfg.sigmaV2 !== undefined)
      return new InputError("sigmaV2", String(cfg.sigmaV2), "only with --residual full");
    if (cfg.sigmaA2 !== undefined)
      return new InputError("sigmaA2", String(cfg.sigmaA2), "only with --residual full");
  }
  if (cfg.init === "looks-linear") return looksLinearProblem(spec, cfg.weights ?? "gaussian");
  return null;
}
