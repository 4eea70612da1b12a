/**
 * Weight initialisation choices for training and for users' own jax-js networks (plain TypeScript, no
 * tensor library, so the CLI resolves them without loading jax-js; train/init.ts re-exports them next to
 * the jax-js initialisers):
 *
 * - `critical`: σ_w² of `criticalInit` (THEORY.md §1–2; ReLU with multiplicative noise: 2/μ2, e.g. 2p for
 *   dropout with keep p), σ_b² = 0 for the ReLU family; refused with the theory's reason where none exists
 *   (additive noise);
 * - `he`: σ_w² = 2 (He et al. 2015, fan-in, noise ignored);
 * - `xavier`: Glorot normal, Var W = 2/(fan_in + fan_out), i.e. σ_w²(l) = 2 fan_in/(fan_in + fan_out);
 * - `custom`: a σ_w² chosen by the user (a point off criticality, e.g. for the variance-depth experiment).
 *
 * All draw W_ij ~ N(0, σ_w²/fan_in) and b_i ~ N(0, σ_b²).
 */
import type { Activation } from "../theory/activations.js";
import { criticalInit } from "../theory/critical.js";
import { InputError } from "../theory/errors.js";
import type { Noise } from "../theory/noise.js";
import { initSnippet, type SnippetFormat } from "../theory/snippets.js";
import type { WeightVariance } from "./mlp.js";

export type InitKind = "critical" | "he" | "xavier" | "custom";
export const INIT_KINDS: InitKind[] = ["critical", "he", "xavier", "custom"];

export interface InitChoice {
  kind: InitKind;
  /** σ_w² for all layers, or the per-layer rule (xavier) */
  sigmaW2: WeightVariance;
  /** a single number to report (xavier: the value for a square layer, 1) */
  sigmaW2Value: number;
  sigmaB2: number;
  label: string;
}

/** Resolve an initialisation; `sigmaW2` is required for `custom` and refused otherwise. */
export function resolveInit(
  kind: InitKind,
  act: Activation,
  noise: Noise,
  opts: { sigmaW2?: number; sigmaB2?: number } = {},
): InitChoice {
  const sb2 = opts.sigmaB2 ?? 0;
  if (kind !== "custom" && opts.sigmaW2 !== undefined) {
    throw new InputError(
      "--sigma-w2",
      String(opts.sigmaW2),
      "only with --init custom",
      `--init ${kind} sets σ_w² itself`,
    );
  }
  switch (kind) {
    case "critical": {
      const c = criticalInit(act, noise, act.homogeneous && opts.sigmaB2 === undefined ? undefined : sb2);
      if (!c.exists || c.sigma_w2 === null) {
        throw new InputError(
          "--init",
          "critical",
          "he | xavier | custom",
          `no critical initialisation for ${act.spec} with ${noise.spec}: ${c.reason ?? ""}`,
        );
      }
      return {
        kind,
        sigmaW2: c.sigma_w2,
        sigmaW2Value: c.sigma_w2,
        sigmaB2: c.sigma_b2,
        label: `critical σ_w² = ${+c.sigma_w2.toPrecision(8)} (${act.spec}, ${noise.spec}, μ2 = ${+noise.mu2.toPrecision(8)})`,
      };
    }
    case "he":
      return { kind, sigmaW2: 2, sigmaW2Value: 2, sigmaB2: sb2, label: "He σ_w² = 2" };
    case "xavier":
      return {
        kind,
        sigmaW2: (_l, fi, fo) => (2 * fi) / (fi + fo),
        sigmaW2Value: 1,
        sigmaB2: sb2,
        label: "Xavier/Glorot normal Var W = 2/(fan_in + fan_out)",
      };
    case "custom": {
      const s = opts.sigmaW2;
      if (s === undefined || !(s > 0) || !Number.isFinite(s))
        throw new InputError("--sigma-w2", String(s), "a number > 0 (required with --init custom)");
      return { kind, sigmaW2: s, sigmaW2Value: s, sigmaB2: sb2, label: `σ_w² = ${s}` };
    }
  }
}

/** The same choice as a PyTorch / tfjs / JAX snippet (xavier is a per-layer rule: not exportable as one σ_w²). */
export function initSnippetFor(fw: SnippetFormat, choice: InitChoice, noise: Noise): string {
  if (choice.kind === "xavier") {
    const c = fw === "tfjs" ? "//" : "#";
    return `${c} Xavier/Glorot normal is built in: ${fw === "torch" ? "nn.init.xavier_normal_(layer.weight)" : fw === "tfjs" ? "kernelInitializer: 'glorotNormal'" : "jax.nn.initializers.glorot_normal()"}`;
  }
  return initSnippet(fw, choice.sigmaW2Value, choice.sigmaB2, noise, choice.label);
}
