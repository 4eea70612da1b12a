/**
 * One-stop Jacobian spectrum theory for a model (THEORY.md §5): the layer variances, moments of J Jᵀ,
 * and for piecewise-linear φ the edge, atoms and density samples.
 */
import type { Activation } from "../activations.js";
import { InputError } from "../errors.js";
import { findQStar } from "../fixedPoints.js";
import { varianceDynamics } from "../dynamics.js";
import { makeNoise } from "../noise.js";
import { criticalFromQStar } from "./critical.js";
import { pwlDensity, type Atom } from "./density.js";
import { spectrumMoments, type WeightLaw } from "./moments.js";
import { smoothDensity } from "./smoothDensity.js";

export * from "./critical.js";
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
}

export interface SpectrumTheory {
  activation: string;
  weights: WeightLaw;
  depth: number;
  sigma_w2: number;
  sigma_b2: number;
  q_star: number | null;
  q_status: string;
  /** pre-activation variance of the layer feeding each D^l, l = 0..L−1 */
  layer_q: number[];
  chi1: number;
  p: number | null;
  moments: number[];
  mean: number;
  variance: number;
  third_central: number;
  variance_closed_form: number;
  edge: number | null;
  support_max: number | null;
  atoms: Atom[];
  density: { x: number[]; rho: number[] } | null;
  notes: string[];
}

export function spectrumTheory(inp: SpectrumTheoryInput): SpectrumTheory {
  const { activation, weights, depth } = inp;
  if (!Number.isInteger(depth) || depth < 1) throw new InputError("--depth", String(depth), "an integer ≥ 1");
  const notes: string[] = [];
  let sigmaW2: number;
  let sigmaB2: number;
  let qStar: number | null;
  let qStatus: string;
  let layerQ: number[];
  if (inp.qStar !== undefined) {
    if (inp.sigmaW2 !== undefined) {
      throw new InputError(
        "--sigma-w2",
        String(inp.sigmaW2),
        "absent when --q-star is given (σ_w², σ_b² follow from q*)",
      );
    }
    const cr = criticalFromQStar(activation, inp.qStar);
    sigmaW2 = cr.sigma_w2;
    sigmaB2 = cr.sigma_b2;
    qStar = inp.qStar;
    qStatus = cr.stable ? "converged" : "unstable";
    if (!cr.stable) notes.push("q* is an unstable fixed point of the variance map (V′(q*) > 1)");
    layerQ = new Array<number>(depth).fill(qStar);
  } else {
    if (inp.sigmaW2 === undefined)
      throw new InputError("--sigma-w2", "(missing)", "a number > 0, or give --q-star");
    sigmaW2 = inp.sigmaW2;
    sigmaB2 = inp.sigmaB2 ?? 0;
    const model = { activation, noise: makeNoise("none"), sigmaW2, sigmaB2 };
    const q0 = inp.q0 ?? 1;
    const qr = findQStar(model, q0);
    qStatus = qr.status;
    if (qr.qStar !== null && qr.status !== "unstable") {
      qStar = qr.qStar;
      layerQ = new Array<number>(depth).fill(qStar);
      notes.push("input drawn at q* so that every layer sits at the fixed point");
    } else {
      qStar = qr.qStar;
      layerQ = varianceDynamics(model, depth - 1, q0);
      notes.push(`no stable fixed point reached (${qr.status}): layer variances follow q^l from q⁰ = ${q0}`);
    }
  }
  const mom = spectrumMoments({ activation, sigmaW2, depth, weights, q: layerQ, order: inp.order ?? 3 });
  const constantQ = layerQ.every((q) => q === layerQ[0]);
  let edge: number | null = null;
  let supportMax: number | null = null;
  let atoms: Atom[] = [];
  let density: SpectrumTheory["density"] = null;
  let p: number | null = null;
  if (activation.piecewiseLinear01) {
    p = mom.mu[0];
    if (constantQ) {
      const d = pwlDensity({ p, sigmaW2, depth, weights }, { points: inp.points ?? 200 });
      edge = d.edge;
      supportMax = d.support_max;
      atoms = d.atoms;
      density = { x: d.x, rho: d.density };
    } else notes.push("density: layers at different variances; only moments are computed");
  } else if (constantQ) {
    try {
      const d = smoothDensity(
        { activation, q: layerQ[0], sigmaW2, depth, weights },
        { points: inp.points ?? 200 },
      );
      edge = d.edge;
      supportMax = d.edge;
      if (d.atom0 > 0) atoms = [{ x: 0, mass: d.atom0 }];
      density = { x: d.x, rho: d.density };
      notes.push(
        "density: Newton continuation of the free-probability equation (M_D by 1024-node Gauss–Legendre)",
      );
      if (d.left_edge !== null)
        notes.push(
          `density: the support has a left edge near ${d.left_edge.toPrecision(6)} (zero density below)`,
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
    sigma_w2: sigmaW2,
    sigma_b2: sigmaB2,
    q_star: qStar,
    q_status: qStatus,
    layer_q: layerQ,
    chi1: mom.chi1,
    p,
    moments: mom.moments,
    mean: mom.mean,
    variance: mom.variance,
    third_central: mom.third_central,
    variance_closed_form: mom.variance_closed_form,
    edge,
    support_max: supportMax,
    atoms,
    density,
    notes,
  };
}
