/**
 * One-stop analysis of a model (docs/THEORY.md §2): q* and its status, c*, the slopes χ1, χ_grad, χ_q, χ_c,
 * depth scales ξ_q, ξ_c, the trainable-depth prediction 6ξ_c (Schoenholz et al. 2017) and the phase
 * (critical.ts `classifyPhase`: the one phase rule, with the slope that decided it).
 */
import { classifyPhase, phaseSlopes, type Phase, type PhaseDecidedBy } from "./critical.js";
import { chiC as chiCOf, depthScale } from "./maps.js";
import { findCStar, findQStar, type CStatus, type QStatus } from "./fixedPoints.js";
import { checkModel, type Model } from "./model.js";
import { checkRange } from "./errors.js";

export type { Phase, PhaseDecidedBy } from "./critical.js";

export interface Analysis {
  activation: string;
  noise: { kind: string; type: string; mu2: number; spec: string; keep?: number; rate?: number };
  sigmaW2: number;
  sigmaB2: number;
  q0: number;
  c0: number;
  qStar: number | null;
  qStatus: QStatus;
  chi1: number | null;
  chiGrad: number | null;
  chiQ: number | null;
  cStar: number | null;
  cStatus: CStatus;
  chiC: number | null;
  xiQ: number | null;
  xiC: number | null;
  trainableDepth: number | null;
  /** critical.ts `classifyPhase`: by χ_grad with multiplicative noise, by χ1 otherwise; `unbounded` /
   * `vanishing` where q^l → ∞ / 0 */
  phase: Phase;
  /** what decided the phase: "chi1", "chi_grad", or "q_star" (no positive fixed point q*) */
  decidedBy: PhaseDecidedBy;
  /** one sentence: why this phase */
  phaseReason: string;
  notes: string[];
}

export interface AnalyzeOptions {
  /** input variance q⁰ the variance iteration starts from (default 1) */
  q0?: number;
  /** input correlation c⁰ the correlation iteration starts from (default 0.5) */
  c0?: number;
  /**
   * false: skip the correlation fixed point (c*, χ_c, ξ_c and the trainable depth are null, cStatus
   * "undefined"); q*, χ1, χ_grad, χ_q, ξ_q and the phase do not depend on c* and are unchanged. Default true.
   */
  correlation?: boolean;
}

/** Analyse a model from q⁰ (default 1) and c⁰ (default 0.5). */
export function analyze(model: Model, options: AnalyzeOptions = {}): Analysis {
  const q0 = options.q0 ?? 1;
  const c0 = options.c0 ?? 0.5;
  const withCorrelation = options.correlation ?? true;
  checkModel(model);
  checkRange("q0", q0, 0, Number.MAX_VALUE, { loOpen: true });
  checkRange("c0", c0, -1, 1);
  const notes: string[] = [];
  const qr = findQStar(model, q0);
  if (qr.note) notes.push(qr.note);
  const q = qr.qForCorrelation;
  if (qr.status === "unstable") notes.push("q⁰ sits on an unstable fixed point of V (|V′(q*)| > 1)");
  if (qr.status === "marginal") notes.push("V(q) = q at q⁰: the variance is preserved (critical)");
  if (qr.qStar === null && q !== null) {
    notes.push(
      "φ is positively homogeneous and σ_b² = 0: the correlation map does not depend on q, evaluated at q⁰",
    );
  }
  const { chi1, chiGrad } = phaseSlopes(model, q, qr.status);
  let cStar: number | null = null;
  let cStatus: CStatus = "undefined";
  let chiC: number | null = null;
  if (q !== null) {
    if (withCorrelation) {
      const cr = findCStar(model, q, { c0, chi1AtQ: chi1 ?? undefined });
      cStar = cr.cStar;
      cStatus = cr.status;
      if (cr.note) notes.push(cr.note);
      if (cStar !== null) chiC = chiCOf(model, q, cStar);
    } else {
      notes.push("c*, χ_c and ξ_c not computed (correlation: false)");
    }
  } else if (chi1 !== null) {
    // q^l → 0 with φ(0) = 0: the network becomes linear around 0; the slopes take their q → 0 limits.
    notes.push("q^l → 0: χ1 and χ_grad are the q → 0 limits; c* is undefined");
  } else {
    notes.push("no finite variance fixed point: c*, χ1 and χ_c are undefined");
  }
  if (model.noise.type !== "none" && model.noise.mu2 !== (model.noise.type === "additive" ? 0 : 1)) {
    notes.push("noise decorrelates identical inputs: C(1) < 1, so c* < 1");
  }
  const chiQ = qr.slope;
  const xiC = chiC === null ? null : depthScale(chiC);
  const n = model.noise;
  const ph = classifyPhase({ noise: n, qStatus: qr.status, chi1, chiGrad });
  return {
    activation: model.activation.spec,
    noise: {
      kind: n.kind,
      type: n.type,
      mu2: n.mu2,
      spec: n.spec,
      ...(n.keep !== undefined ? { keep: n.keep, rate: n.rate } : {}),
    },
    sigmaW2: model.sigmaW2,
    sigmaB2: model.sigmaB2,
    q0,
    c0,
    qStar: qr.qStar,
    qStatus: qr.status,
    chi1,
    chiGrad,
    chiQ,
    cStar,
    cStatus,
    chiC,
    xiQ: chiQ === null ? null : depthScale(chiQ),
    xiC: xiC,
    trainableDepth: xiC === null ? null : 6 * xiC,
    phase: ph.phase,
    decidedBy: ph.decidedBy,
    phaseReason: ph.reason,
    notes,
  };
}
