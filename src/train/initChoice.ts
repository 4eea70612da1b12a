/**
 * Weight initialisation choices for training and for users' own jax-js networks (plain TypeScript, no
 * tensor library, so the CLI resolves them without loading jax-js; train/init.ts re-exports them next to
 * the jax-js initialisers):
 *
 * - `critical`: σ_w² of `criticalInit` (docs/THEORY.md §1–2; ReLU with multiplicative noise: 2/μ2, e.g. 2p for
 *   dropout with keep p), σ_b² = 0 for the ReLU family; refused with the theory's reason where none exists
 *   (additive noise);
 * - `he`: σ_w² = 2 (He et al. 2015, fan-in, noise ignored);
 * - `xavier`: Glorot normal, Var W = 2/(fan_in + fan_out), i.e. σ_w²(l) = 2 fan_in/(fan_in + fan_out);
 * - `custom`: a σ_w² chosen by the user (a point off criticality, e.g. for the variance-depth experiment);
 * - `eoc`: σ_w² on the edge of chaos at the given σ_b² (default 0) for any φ, from the theory's solver
 *   (`criticalInit`, theory/critical.ts: χ_grad = σ_w² m E[φ′(√q* z)²] = 1 at the fixed point q* of
 *   q = σ_b² + R(q); for the ReLU family σ_w² = 1/(μ2 m) and σ_b² must be 0). It equals `critical`
 *   except that σ_b² defaults to 0 for every φ (tanh at σ_b² = 0: the q* → 0 limit, σ_w² = 1/μ2);
 * - `ordered`: a named point in the ordered phase, (σ_b², σ_w²) = (1, 1/m) with m = μ2 for
 *   multiplicative noise and 1 otherwise — Hayou, Doucet & Rousseau (2019)'s ordered tanh point
 *   (σ_b, σ_w) = (1, 1) when there is no noise, and for the ReLU family half the critical σ_w²
 *   (χ_grad = 1/2). `--sigma-b2` moves σ_b². The point is checked, not assumed: the theory
 *   (theory/analyze.ts) must find a stable q* with χ_grad = m σ_w² E[φ′(√q* z)²] < 1, so the
 *   squared gradient and (noiseless) 1 − c shrink geometrically with depth; otherwise it is refused
 *   with the numbers (e.g. a φ with E[φ′²] ≥ 1 there).
 *
 * - `looks-linear`: the parameter-sharing construction of Burkholz & Dubatovka (2019)
 *   (engine/looksLinear.ts; train/arch.ts says which networks admit it): N = width/2 blocks W0 with
 *   σ² = 1 (norm-preserving; orthogonal with `--weights orthogonal`), every bias 0, for ReLU and leaky
 *   ReLU only; the network then computes exactly a linear map at initialisation.
 *
 * All others draw W_ij ~ N(0, σ_w²/fan_in) and b_i ~ N(0, σ_b²).
 */
import type { Activation } from "../theory/activations.js";
import { analyze } from "../theory/analyze.js";
import { criticalInit } from "../theory/critical.js";
import { InputError } from "../theory/errors.js";
import { slopeFactor, type Noise } from "../theory/noise.js";
import { initSnippet, type SnippetFormat } from "../theory/snippets.js";
import type { WeightVariance } from "./mlp.js";

export type InitKind = "critical" | "eoc" | "ordered" | "he" | "xavier" | "custom" | "looks-linear";
export const INIT_KINDS: InitKind[] = [
  "critical",
  "eoc",
  "ordered",
  "he",
  "xavier",
  "custom",
  "looks-linear",
];

/** σ_b² of the named ordered point (Hayou et al. 2019's σ_b = 1). */
export const ORDERED_SIGMA_B2 = 1;

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
      "sigmaW2",
      String(opts.sigmaW2),
      "only with --init custom",
      `--init ${kind} sets σ_w² itself`,
    );
  }
  switch (kind) {
    case "critical": {
      const c = criticalInit(act, noise, act.homogeneous && opts.sigmaB2 === undefined ? undefined : sb2);
      if (!c.exists || c.sigmaW2 === null) {
        throw new InputError(
          "init",
          "critical",
          "he | xavier | custom",
          `no critical initialisation for ${act.spec} with ${noise.spec}: ${c.reason ?? ""}`,
        );
      }
      return {
        kind,
        sigmaW2: c.sigmaW2,
        sigmaW2Value: c.sigmaW2,
        sigmaB2: c.sigmaB2,
        label: `critical σ_w² = ${+c.sigmaW2.toPrecision(8)} (${act.spec}, ${noise.spec}, μ2 = ${+noise.mu2.toPrecision(8)})`,
      };
    }
    case "eoc": {
      const c = criticalInit(act, noise, sb2);
      if (!c.exists || c.sigmaW2 === null) {
        throw new InputError(
          "init",
          "eoc",
          "ordered | he | xavier | custom, or another --sigma-b2",
          `no edge-of-chaos point for ${act.spec} with ${noise.spec} at σ_b² = ${sb2}: ${c.reason ?? ""}`,
        );
      }
      const q = c.qStar === null ? "" : `, q* = ${+c.qStar.toPrecision(6)}`;
      return {
        kind,
        sigmaW2: c.sigmaW2,
        sigmaW2Value: c.sigmaW2,
        sigmaB2: c.sigmaB2,
        label: `EOC σ_w² = ${+c.sigmaW2.toPrecision(8)} at σ_b² = ${c.sigmaB2}${q} (${act.spec}, ${noise.spec})`,
      };
    }
    case "ordered": {
      const b2 = opts.sigmaB2 ?? ORDERED_SIGMA_B2;
      const w2 = 1 / slopeFactor(noise);
      const a = analyze(
        { activation: act, noise, sigmaW2: w2, sigmaB2: b2 },
        { q0: 1, c0: 0.5, correlation: false },
      );
      if (a.qStatus !== "converged" || a.chiGrad === null || !(a.chiGrad < 1 - 1e-6)) {
        throw new InputError(
          "init",
          "ordered",
          "eoc | he | xavier | custom, or another --sigma-b2",
          `the named ordered point (σ_b², σ_w²) = (${b2}, ${+w2.toPrecision(8)}) is not in the ordered phase for ${act.spec} with ${noise.spec}: ` +
            (a.qStatus !== "converged"
              ? `the variance map has no stable fixed point (q* ${a.qStatus})`
              : `χ_grad = ${a.chiGrad === null ? "undefined" : +a.chiGrad.toPrecision(6)} ≥ 1 at q* = ${+(a.qStar ?? NaN).toPrecision(6)}`),
        );
      }
      return {
        kind,
        sigmaW2: w2,
        sigmaW2Value: w2,
        sigmaB2: b2,
        label: `ordered σ_w² = ${+w2.toPrecision(8)}, σ_b² = ${b2} (q* = ${+(a.qStar as number).toPrecision(6)}, χ_grad = ${+a.chiGrad.toPrecision(6)} < 1; ${act.spec}, ${noise.spec})`,
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
    case "looks-linear": {
      if (act.name !== "relu" && act.name !== "leaky_relu")
        throw new InputError(
          "activation",
          act.spec,
          "relu | leaky_relu:alpha=A with --init looks-linear",
          "the construction needs φ(g) − φ(−g) = c·g",
        );
      if (sb2 !== 0)
        throw new InputError("sigmaB2", String(sb2), "0 with --init looks-linear (its biases are zero)");
      return {
        kind,
        sigmaW2: 1,
        sigmaW2Value: 1,
        sigmaB2: 0,
        label: `looks-linear (Burkholz & Dubatovka 2019): blocks W0 with σ² = 1, zero biases (${act.spec})`,
      };
    }
    case "custom": {
      const s = opts.sigmaW2;
      if (s === undefined || !(s > 0) || !Number.isFinite(s))
        throw new InputError("sigmaW2", String(s), "a number > 0 (required with --init custom)");
      return { kind, sigmaW2: s, sigmaW2Value: s, sigmaB2: sb2, label: `σ_w² = ${s}` };
    }
  }
}

/** The same choice as a PyTorch / tfjs / JAX snippet (xavier is a per-layer rule: not exportable as one σ_w²). */
export function initSnippetFor(fw: SnippetFormat, choice: InitChoice, noise: Noise): string {
  if (choice.kind === "looks-linear") {
    const c = fw === "tfjs" ? "//" : "#";
    return `${c} looks-linear (Burkholz & Dubatovka 2019) is a structured init, not one σ_w²: first layer [W0; −W0], hidden [[W0, −W0], [−W0, W0]], last [W0, −W0], zero biases`;
  }
  if (choice.kind === "xavier") {
    const c = fw === "tfjs" ? "//" : "#";
    return `${c} Xavier/Glorot normal is built in: ${fw === "torch" ? "nn.init.xavier_normal_(layer.weight)" : fw === "tfjs" ? "kernelInitializer: 'glorotNormal'" : "jax.nn.initializers.glorot_normal()"}`;
  }
  return initSnippet(fw, choice.sigmaW2Value, choice.sigmaB2, noise, choice.label);
}
