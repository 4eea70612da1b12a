/**
 * One-stop Jacobian spectrum theory for a model (docs/THEORY.md §5): the layer variances, moments of J Jᵀ,
 * and for piecewise-linear φ the edge, atoms and density samples.
 *
 * Noise (optional, default none): multiplicative noise multiplies the moments of D² by E[ε^{2k}]; additive
 * noise changes only the layer variances (noisy variance map, `findQStar`/`varianceDynamics`). Densities
 * with noise: dropout keep p only. For φ′ ∈ {0,1}, D² = ε²φ′² ∈ {0, 1/p²} with P(≠ 0) = p·P(φ′ = 1), and
 * since a scalar on D commutes through J, J Jᵀ has the law of the noiseless case with active fraction
 * p·P(φ′ = 1) and σ_w² ↦ σ_w²/p²; for other φ the smooth route maps the law of D² the same way. Other
 * multiplicative noises make D² unbounded (no right edge): moments only.
 */
import type { Activation } from "../activations.js";
import { InputError } from "../errors.js";
import { findQStar } from "../fixedPoints.js";
import { varianceDynamics } from "../dynamics.js";
import { eDphi2 } from "../expectations.js";
import { makeNoise, type Noise } from "../noise.js";
import { criticalFromQStar } from "../critical.js";
import { pwlDensity, type Atom, type PwlSpectrumInput } from "./density.js";
import { spectrumMoments, type WeightLaw } from "./moments.js";
import { smoothDensity, type SmoothSpectrumInput } from "./smoothDensity.js";

export * from "./density.js";
export * from "./moments.js";
export * from "./series.js";
export * from "./smoothDensity.js";

export interface SpectrumTheoryInput {
  activation: Activation;
  weights: WeightLaw;
  depth: number;
  /** critical initialisation from q* (then sigmaW2/sigmaB2 must be absent) */
  qStar?: number;
  sigmaW2?: number;
  sigmaB2?: number;
  /** input variance when there is no finite fixed point (default 1) */
  q0?: number;
  /** density grid size (piecewise-linear φ) */
  points?: number;
  order?: number;
  /** noise on each layer's input (default none: results identical to the noiseless theory) */
  noise?: Noise;
}

export interface SpectrumTheory {
  activation: string;
  weights: WeightLaw;
  depth: number;
  sigmaW2: number;
  sigmaB2: number;
  qStar: number | null;
  qStatus: string;
  /** canonical noise spec and μ2 = E[ε²] */
  noise: string;
  mu2: number;
  /** pre-activation variance of the layer feeding each D^l, l = 0..L−1 */
  layerQ: number[];
  chi1: number;
  /** σ_w² μ1 of D² (noise included): the per-layer mean factor, = χ1 without multiplicative noise */
  chiGrad: number;
  /** P(φ′ = 1) at the first layer (piecewise-linear φ; noise not included) */
  p: number | null;
  moments: number[];
  mean: number;
  variance: number;
  thirdCentral: number;
  varianceClosedForm: number;
  edge: number | null;
  supportMax: number | null;
  atoms: Atom[];
  density: { x: number[]; rho: number[] } | null;
  /** the input of the density route used (noise mapped in), for histograms; null without a density */
  densityInput: PwlSpectrumInput | SmoothSpectrumInput | null;
  notes: string[];
}

export function spectrumTheory(inp: SpectrumTheoryInput): SpectrumTheory {
  const { activation, weights, depth } = inp;
  const noise = inp.noise ?? makeNoise("none");
  if (!Number.isInteger(depth) || depth < 1) throw new InputError("depth", String(depth), "an integer ≥ 1");
  const notes: string[] = [];
  let sigmaW2: number;
  let sigmaB2: number;
  let qStar: number | null;
  let qStatus: string;
  let layerQ: number[];
  if (inp.qStar !== undefined) {
    if (inp.sigmaW2 !== undefined) {
      throw new InputError(
        "sigmaW2",
        String(inp.sigmaW2),
        "absent when --q-star is given (σ_w², σ_b² follow from q*)",
      );
    }
    const cr = criticalFromQStar(activation, inp.qStar, inp.noise);
    sigmaW2 = cr.sigmaW2;
    sigmaB2 = cr.sigmaB2;
    qStar = inp.qStar;
    qStatus = cr.stable ? "converged" : "unstable";
    if (!cr.stable) notes.push("q* is an unstable fixed point of the variance map (V′(q*) > 1)");
    layerQ = new Array<number>(depth).fill(qStar);
  } else {
    if (inp.sigmaW2 === undefined)
      throw new InputError("sigmaW2", "(missing)", "a number > 0, or give --q-star");
    sigmaW2 = inp.sigmaW2;
    sigmaB2 = inp.sigmaB2 ?? 0;
    const model = { activation, noise, sigmaW2, sigmaB2 };
    const q0 = inp.q0 ?? 1;
    const qr = findQStar(model, q0);
    qStatus = qr.status;
    if (qr.qStar !== null && qr.status !== "unstable") {
      qStar = qr.qStar;
      layerQ = new Array<number>(depth).fill(qStar);
      notes.push("input drawn at q* so that every layer sits at the fixed point");
    } else {
      qStar = qr.qStar;
      layerQ = varianceDynamics(model, { depth: depth - 1, q0 });
      notes.push(`no stable fixed point reached (${qr.status}): layer variances follow q^l from q⁰ = ${q0}`);
    }
  }
  const mom = spectrumMoments({
    activation,
    sigmaW2,
    depth,
    weights,
    q: layerQ,
    order: inp.order ?? 3,
    noise: inp.noise,
  });
  const constantQ = layerQ.every((q) => q === layerQ[0]);
  let edge: number | null = null;
  let supportMax: number | null = null;
  let atoms: Atom[] = [];
  let density: SpectrumTheory["density"] = null;
  let p: number | null = null;
  let densityInput: SpectrumTheory["densityInput"] = null;
  // dropout keep probability (1 for none/additive); null for multiplicative noise without a density route
  const keep =
    noise.kind === "dropout"
      ? (noise.keep as number)
      : noise.type !== "multiplicative" || noise.mu2 === 1
        ? 1
        : null;
  if (keep === null) {
    if (activation.piecewiseLinear01) p = eDphi2(activation, layerQ[0]);
    notes.push(
      `density: not computed for ${noise.spec} (D² = ε²φ′² has unbounded support, so there is no right edge); moments include E[ε^{2k}]`,
    );
  } else if (activation.piecewiseLinear01) {
    p = eDphi2(activation, layerQ[0]);
    // the density needs the same law of D in every layer, not the same variance: for φ′ ∈ {0,1} that is
    // the same P(φ′ = 1) (ReLU: ½ at every q, so a growing or vanishing q^l still has a density)
    const pl = p;
    const sameLaw = constantQ || layerQ.every((q) => eDphi2(activation, q) === pl);
    if (sameLaw && !constantQ)
      notes.push(
        `density: layers at different variances, but P(φ′ = 1) = ${Number(p.toPrecision(12))} in every layer, so D has one law`,
      );
    if (sameLaw) {
      const pwlIn: PwlSpectrumInput =
        keep === 1
          ? { p, sigmaW2, depth, weights }
          : { p: keep * p, sigmaW2: sigmaW2 / (keep * keep), depth, weights };
      if (keep !== 1)
        notes.push(
          `density: dropout maps to the noiseless φ′ ∈ {0,1} law with active fraction p·P(φ′=1) = ${Number(pwlIn.p.toPrecision(12))} and σ_w²/p² = ${Number(pwlIn.sigmaW2.toPrecision(12))}`,
        );
      densityInput = pwlIn;
      const d = pwlDensity(pwlIn, { points: inp.points ?? 200 });
      edge = d.edge;
      supportMax = d.supportMax;
      atoms = d.atoms;
      density = { x: d.x, rho: d.density };
    } else notes.push("density: layers at different variances; only moments are computed");
  } else if (constantQ) {
    try {
      const smIn: SmoothSpectrumInput = { activation, q: layerQ[0], sigmaW2, depth, weights };
      if (keep !== 1) smIn.keep = keep;
      const d = smoothDensity(smIn, { points: inp.points ?? 200 });
      densityInput = smIn;
      edge = d.edge;
      supportMax = d.edge;
      if (d.atom0 > 0) atoms = [{ x: 0, mass: d.atom0 }];
      density = { x: d.x, rho: d.density };
      notes.push(
        "density: Newton continuation of the free-probability equation (M_D by 1024-node Gauss–Legendre)",
      );
      if (d.leftEdge !== null)
        notes.push(
          `density: the support has a left edge near ${d.leftEdge.toPrecision(6)} (zero density below)`,
        );
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      notes.push(`density: ${e.message}`);
    }
  } else notes.push("density: layers at different variances; only moments are computed");
  return {
    activation: activation.spec,
    weights,
    depth,
    sigmaW2,
    sigmaB2,
    qStar,
    qStatus,
    noise: noise.spec,
    mu2: noise.mu2,
    layerQ,
    chi1: mom.chi1,
    chiGrad: mom.chiGrad,
    p,
    moments: mom.moments,
    mean: mom.mean,
    variance: mom.variance,
    thirdCentral: mom.thirdCentral,
    varianceClosedForm: mom.varianceClosedForm,
    edge,
    supportMax,
    atoms,
    density,
    densityInput,
    notes,
  };
}
