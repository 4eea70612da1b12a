/**
 * Activation shaping: Deep Kernel Shaping (DKS; Martens, Ballard, Desjardins, Swirszcz, Dalibard,
 * Sohl-Dickstein, Schoenholz 2021, arXiv 2110.01765) and Tailored Activation Transformation (TAT; Zhang,
 * Botev, Martens 2022, ICLR, arXiv 2203.08120), for plain chains of `depth` nonlinear layers with
 * σ_w² = 1, σ_b² = 0 and inputs normalised to q = 1 (‖x‖²/d = 1): the setting of both papers.
 *
 * ## The transformed activation
 *   φ̂(x) = γ (φ(α x + β) + δ)          (DKS §3.2; TAT §4; `in_scale` α, `in_shift` β, `out_scale` γ,
 *                                         `out_shift` δ in specs and JSON, as deepmind/dks names them)
 * It is an ordinary `Activation` (φ̂′ = γα φ′(αx+β), φ̂″ = γα² φ″(αx+β), kinks mapped to (k − β)/α), so every
 * theory command, the simulation and training accept it. Without loss of generality α > 0: x ↦ φ̂(−x) has
 * the same Gaussian kernels as φ̂.
 *
 * ## Local maps at q = 1 (docs/THEORY.md §2 with σ_w² = 1, σ_b² = 0, no noise; z ~ N(0, 1))
 *   Q(q) = E[φ̂(√q z)²],   Q′(1) = E[z φ̂(z) φ̂′(z)]  (d/dq under the integral; `dPhi2dq`),
 *   C(c) = E[φ̂(u_a) φ̂(u_b)]/Q(1), (u_a, u_b) unit variances, correlation c.
 * By the Mehler series C(c) = Σ_k a_k² c^k / Q(1) (a_k the Hermite coefficients of φ̂, docs/THEORY.md §3) and
 * Price's theorem (d/dc E[f(u_a)g(u_b)] = E[f′(u_a)g′(u_b)]):
 *   C(0) = a_0²/Q(1) = E[φ̂]²/Q(1),   C′(1) = E[φ̂′²]/Q(1),   C″(1) = E[φ̂″²]/Q(1).
 * All five come from the engine's Gaussian expectations (`expectations.ts`), at its 1e-14 quadrature.
 *
 * ## Network maps of a depth-L chain
 * With Q(1) = 1 every layer sees q = 1, so the network C map is the L-fold composition f = C^{∘L}. Since
 * C(1) = 1, the chain rule gives
 *   f′(1) = C′(1)^L,
 *   f″(1) = C″(1) Σ_{k=0}^{L−1} C′(1)^{L−1+k}  (= L·C″(1) when C′(1) = 1),
 * (induction: (g∘C)″(1) = g″(1)C′(1)² + g′(1)C″(1)); C(0) = 0 per layer gives f(0) = 0.
 *
 * ## The conditions solved (deepmind/dks `_get_activations_params`, for a chain: its "maximal slope
 * function" is x^L, its "maximal curvature function" L·x, its subnetwork maximum the L-fold composition)
 * - DKS: Q(1) = 1 (γ), C(0) = 0 (δ = −E[φ(αz+β)]), Q′(1) = 1 and C′(1) = ζ^{1/L} (α, β by Newton).
 *   ReLU has one degree of freedom fewer (relu(αx+β) = α relu(x + β/α)): β = ±1 is fixed and Q′(1) = 1 is
 *   dropped, as in deepmind/dks; C′(1) = Φ(t)/Var(relu(z+t)) with t = β/α decreases from π/(π−1) at t = 0⁺
 *   to 1 as t → ∞ (so β = +1 below π/(π−1), β = −1 above), solved by Brent in log α.
 * - DKS, leaky ReLU: the negative slope a is solved with β = 0, where Q′(1) = 1 holds identically
 *   (`solveDksLeaky`), as deepmind/dks's solution has it.
 * - TAT, smooth φ: Q(1) = 1 (γ), Q′(1) = 1, C′(1) = 1, C″(1) = τ/L (α, β, δ by Newton); solutions with
 *   αγ ≥ 2 are rejected as deepmind/dks does (they have unstable Q maps).
 * - TAT, leaky ReLU: φ̂ = √(2/(1+a²)) LReLU_a (Q(1) = 1 exactly, TAT §4.3), the negative slope a such that
 *   the network's C(0) = C_a^{∘L}(0) = η (Brent on a ∈ [0, 1]: C^{∘L}(0) falls from the ReLU chain's value at
 *   a = 0 to 0 at a = 1, where φ is linear).
 * Newton starts from deepmind/dks's points (α ∈ {1, 0.1} × β ∈ {0, 1, −1} [× δ ∈ {0, 1, −1}], then
 * low-discrepancy ones over α ∈ [0.02, 2], β, δ ∈ [−3, 3]) with a finite-difference Jacobian and backtracking; a solution must meet every condition to
 * 1e-12, else the solve fails with an error naming the parameter. For odd φ the solution (α, −β, γ, −δ)
 * has the same kernels; the one with β ≥ 0 is returned.
 */
import { brent } from "../numerics/roots.js";
import type { Activation, ClosedForms } from "./activations.js";
import { InputError } from "./errors.js";
import type { TensorOps } from "./tensorView.js";
import { dPhi2dq, eD2phi2, eDphi2, ePhi, ePhi2, kernel } from "./expectations.js";
import { checkKeys, formatSpec, parseSpec, type ParsedSpec } from "./spec.js";

/** φ̂(x) = outScale·(φ(inScale·x + inShift) + outShift): γ(φ(αx + β) + δ) of DKS/TAT. */
export interface ShapeTransform {
  /** α > 0 */
  inScale: number;
  /** β */
  inShift: number;
  /** γ */
  outScale: number;
  /** δ */
  outShift: number;
}

/** Spec keys of the transform (`shaped:tanh:in_scale=…,in_shift=…,out_scale=…,out_shift=…`). */
export const SHAPE_KEYS = ["in_scale", "in_shift", "out_scale", "out_shift"] as const;

const IDENTITY: ShapeTransform = { inScale: 1, inShift: 0, outScale: 1, outShift: 0 };

/**
 * The transformed activation φ̂(x) = γ(φ(αx + β) + δ) with derivatives by the chain rule and the base's
 * kinks mapped to (k − β)/α. For β = δ = 0 the base's closed forms carry over by scaling
 * (u ~ N(0, q) ⇒ αu ~ N(0, α²q)): E[φ̂²](q) = γ²E[φ²](α²q), E[φ̂′²] = γ²α²E[φ′²](α²q),
 * E[uφ̂φ̂′] = γ²E[(αu)φφ′](α²q), E[φ̂″²] = γ²α⁴E[φ″²](α²q), kernels likewise at (α²q1, α²q2, c).
 */
export function shapeActivation(base: Activation, t: ShapeTransform, spec?: string): Activation {
  const { inScale: a, inShift: b, outScale: g, outShift: d } = t;
  for (const [k, v] of [
    ["in_scale", a],
    ["in_shift", b],
    ["out_scale", g],
    ["out_shift", d],
  ] as const) {
    if (!Number.isFinite(v))
      throw new InputError("activation", String(v), "finite numbers", `${k} must be finite`);
  }
  if (!(a > 0)) {
    throw new InputError(
      "activation",
      String(a),
      "in_scale > 0",
      "in_scale must be > 0 (φ̂(−x) has the same kernels, so a negative scale adds nothing)",
    );
  }
  const ga = g * a;
  const ga2 = ga * a;
  const centred = b === 0 && d === 0;
  const closed: ClosedForms = {};
  if (centred) {
    const c = base.closed;
    const g2 = g * g;
    const a2 = a * a;
    if (c.m2) closed.m2 = (q) => g2 * c.m2!(a2 * q);
    if (c.d2) closed.d2 = (q) => g2 * a2 * c.d2!(a2 * q);
    if (c.uphidphi) closed.uphidphi = (q) => g2 * c.uphidphi!(a2 * q);
    if (c.dd2) closed.dd2 = (q) => g2 * a2 * a2 * c.dd2!(a2 * q);
    if (c.kernel) closed.kernel = (q1, q2, cc) => g2 * c.kernel!(a2 * q1, a2 * q2, cc);
    if (c.dkernel) closed.dkernel = (q1, q2, cc) => g2 * a2 * c.dkernel!(a2 * q1, a2 * q2, cc);
  }
  const params: Record<string, number> = {
    ...base.params,
    in_scale: a,
    in_shift: b,
    out_scale: g,
    out_shift: d,
  };
  return {
    name: "shaped",
    params,
    spec: spec ?? shapedSpec(base, t),
    phi: (x) => g * (base.phi(a * x + b) + d),
    dphi: (x) => ga * base.dphi(a * x + b),
    d2phi: (x) => ga2 * base.d2phi(a * x + b),
    kinks: base.kinks.map((k) => (k - b) / a),
    dphiContinuous: base.dphiContinuous,
    homogeneous: base.homogeneous && centred,
    odd: base.odd && centred,
    piecewiseLinear01: base.piecewiseLinear01 && ga === 1,
    closed,
    derivatives: base.derivatives,
    shaped: { base, ...t },
    // the base's tensor view composed with the affine maps (simulation and training)
    ...(base.tensor
      ? {
          tensor: <T>(o: TensorOps<T>, x: T): T => o.mul(o.add(base.tensor!(o, o.add(o.mul(x, a), b)), d), g),
        }
      : {}),
  };
}

/** Canonical `shaped:` spec: base name, its parameters, then the transform (full float64 precision). */
export function shapedSpec(base: Activation, t: ShapeTransform): string {
  return formatSpec(`shaped:${base.name}`, {
    ...base.params,
    in_scale: t.inScale,
    in_shift: t.inShift,
    out_scale: t.outScale,
    out_shift: t.outShift,
  });
}

/** The local Q and C maps of an activation at q = 1 (see the module comment). */
export interface LocalMaps {
  /** Q(1) = E[φ̂(z)²] */
  q1: number;
  /** Q′(1) = E[z φ̂(z) φ̂′(z)] */
  qSlope1: number;
  /** C(0) = E[φ̂]²/Q(1) */
  c0: number;
  /** C′(1) = E[φ̂′²]/Q(1) */
  cSlope1: number;
  /** C″(1) = E[φ̂″²]/Q(1); null where φ′ jumps (infinite) */
  cCurv1: number | null;
}

export function localMaps(act: Activation): LocalMaps {
  const q1 = ePhi2(act, 1);
  const m = ePhi(act, 1);
  const dd = eD2phi2(act, 1);
  return {
    q1,
    qSlope1: dPhi2dq(act, 1),
    c0: (m * m) / q1,
    cSlope1: eDphi2(act, 1) / q1,
    cCurv1: dd === null ? null : dd / q1,
  };
}

/** The local C map C(c) = E[φ̂(u_a)φ̂(u_b)]/Q(1) at unit input variance. */
export function localCMap(act: Activation, c: number): number {
  return kernel(act, 1, 1, c) / ePhi2(act, 1);
}

/** The network C map of a depth-L chain: the local map composed L times (each layer at q = 1). */
export function networkCMap(act: Activation, depth: number, c: number): number {
  let x = c;
  for (let l = 0; l < depth; l++) x = Math.max(-1, Math.min(1, localCMap(act, x)));
  return x;
}

/** Network C′(1), C″(1) of a depth-L chain from the local ones (chain rule; module comment). */
export function chainDerivatives(local: { cSlope1: number; cCurv1: number | null }, depth: number) {
  const s = local.cSlope1;
  let sum = 0;
  for (let k = 0; k < depth; k++) sum += Math.pow(s, depth - 1 + k);
  return { cSlope1: Math.pow(s, depth), cCurv1: local.cCurv1 === null ? null : local.cCurv1 * sum };
}

export type ShapeMethod = "dks" | "tat";

export interface ShapeResult {
  method: ShapeMethod;
  /** the base activation (for TAT with leaky ReLU: with the solved negative slope) */
  base: Activation;
  depth: number;
  /** the network-level targets */
  targets: { zeta?: number; tau?: number; eta?: number };
  /** the per-layer targets derived from them (null: not imposed) */
  localTargets: { qSlope1: number | null; cSlope1: number | null; cCurv1: number | null; c0: number | null };
  transform: ShapeTransform;
  /** the shaped activation φ̂ */
  activation: Activation;
  /** the local maps of φ̂ at the solution (recomputed) */
  local: LocalMaps;
  /** the network's C(0) (L-fold composition), C′(1) and C″(1) (chain rule) */
  network: { c0: number; cSlope1: number; cCurv1: number | null };
  /** max |achieved − target| over the imposed local conditions, Q(1) = 1 included */
  residual: number;
  /** Newton/Brent iterations of the successful start, and which start (0-based) */
  iterations: number;
  start: number;
}

/** Builds a catalogue activation (injected by the caller: `makeActivation`), for bases whose parameter is solved. */
export type ActivationFactory = (name: string, params?: Record<string, number>) => Activation;

export interface DksOptions {
  base: Activation;
  /** number of nonlinear layers L ≥ 1 */
  depth: number;
  /** network C′(1) = ζ > 1 (default 1.5, as deepmind/dks) */
  zeta?: number;
  /** per-layer Q′(1) target (default 1, as the paper) */
  qSlope?: number;
  /** builds leaky_relu with a given slope (DKS with leaky ReLU only) */
  make?: ActivationFactory;
}

export interface TatOptions {
  base: Activation;
  depth: number;
  /** network C″(1) = τ > 0 for smooth φ (default 0.3, as deepmind/dks) */
  tau?: number;
  /** network C(0) = η ∈ [0, 1) for leaky ReLU (default 0.9, as deepmind/dks) */
  eta?: number;
  /** builds leaky_relu with a given slope (TAT with leaky ReLU only) */
  make?: ActivationFactory;
}

const RESIDUAL_TOL = 1e-12;
/** Brent tolerance on log α / slope: well below what moves C′(1) or C^{∘L}(0) by 1e-13 */
const BRENT_XTOL = 1e-15;

function checkDepth(depth: number) {
  if (!Number.isInteger(depth) || depth < 1 || depth > 1e6)
    throw new InputError("depth", String(depth), "an integer in [1, 1000000]");
}

/** Solve DKS for a depth-L chain (module comment). */
export function solveDks(opts: DksOptions): ShapeResult {
  const { base, depth } = opts;
  const zeta = opts.zeta ?? 1.5;
  const qSlope = opts.qSlope ?? 1;
  checkDepth(depth);
  if (!(zeta > 1) || !Number.isFinite(zeta))
    throw new InputError("zeta", String(zeta), "a number > 1 (the network's C′(1); 1 is the identity map)");
  if (!(qSlope > 0) || !Number.isFinite(qSlope))
    throw new InputError("qSlope", String(qSlope), "a number > 0");
  const cTarget = Math.pow(zeta, 1 / depth);
  if (base.name === "relu") return solveDksRelu(base, depth, zeta, cTarget);
  if (base.name === "leaky_relu") return solveDksLeaky(opts.make, depth, zeta, cTarget);
  if (base.homogeneous)
    throw new InputError(
      "activation",
      base.spec,
      "relu or a non-homogeneous activation",
      "DKS needs two free parameters (α, β); a positively homogeneous φ other than relu has only the ratio β/α",
    );
  // unknowns (log α, β); δ = −E[φ(αz+β)] (C(0) = 0), γ = 1/√Var (Q(1) = 1)
  const build = (p: number[]) => centredShape(base, Math.exp(p[0]), p[1]);
  const F = (p: number[]) => {
    const act = build(p);
    const l = localMaps(act);
    return [l.qSlope1 - qSlope, l.cSlope1 - cTarget];
  };
  const sol = multiStartNewton(
    F,
    [[1, 0.1].map(Math.log), [0, 1, -1]],
    [
      [Math.log(0.02), Math.log(2)],
      [-3, 3],
    ],
  );
  if (!sol)
    throw new InputError(
      "zeta",
      String(zeta),
      "a target this activation can reach",
      `no (in_scale, in_shift) found for DKS with ${base.spec} at depth ${depth} (local C′(1) = ${cTarget})`,
    );
  let act = build(sol.x);
  if (base.odd && act.params.in_shift < 0)
    act = centredShape(base, act.params.in_scale, -act.params.in_shift);
  return finish(
    "dks",
    base,
    depth,
    { zeta },
    { qSlope1: qSlope, cSlope1: cTarget, cCurv1: null, c0: 0 },
    act,
    sol,
  );
}

/** φ̂ with the given α, β and δ, γ fixed by C(0) = 0 and Q(1) = 1. */
function centredShape(base: Activation, inScale: number, inShift: number): Activation {
  const raw = shapeActivation(base, { inScale, inShift, outScale: 1, outShift: 0 });
  const mean = ePhi(raw, 1);
  const shifted = shapeActivation(base, { inScale, inShift, outScale: 1, outShift: -mean });
  const q1 = ePhi2(shifted, 1);
  return shapeActivation(base, { inScale, inShift, outScale: 1 / Math.sqrt(q1), outShift: -mean });
}

/** φ̂ with the given α, β, δ and γ fixed by Q(1) = 1. */
function scaledShape(base: Activation, inScale: number, inShift: number, outShift: number): Activation {
  const raw = shapeActivation(base, { inScale, inShift, outScale: 1, outShift });
  return shapeActivation(base, { inScale, inShift, outScale: 1 / Math.sqrt(ePhi2(raw, 1)), outShift });
}

/**
 * DKS for leaky ReLU (deepmind/dks solves its negative slope a with the input shift): with β = 0 the
 * centred φ̂ = γ(LReLU_a(x) − μ) has Q(q) = γ²(q s₂ − 2μ²√q + μ²), so Q′(1) = γ²(s₂ − μ²) = Q(1) = 1 holds for
 * every a, and C′(1) = ((1+a²)/2)/((1+a²)/2 − (1−a)²/(2π)) falls from π/(π−1) at a = 0 to 1 at a = 1: one
 * equation in a, solved by Brent (deepmind/dks's 2-D solve lands on β = 0 too).
 */
function solveDksLeaky(
  make: ActivationFactory | undefined,
  depth: number,
  zeta: number,
  cTarget: number,
): ShapeResult {
  if (!make)
    throw new Error("solveDks: leaky_relu needs `make` (e.g. makeActivation) to vary the negative slope");
  if (!(cTarget < RELU_MAX_SLOPE_POSITIVE_SHIFT))
    throw new InputError(
      "zeta",
      String(zeta),
      `a number < (π/(π−1))^L = ${Math.pow(RELU_MAX_SLOPE_POSITIVE_SHIFT, depth)} at depth ${depth}`,
      "leaky ReLU reaches a per-layer C′(1) below π/(π−1) only (use relu for more)",
    );
  const shaped = (a: number) => centredShape(make("leaky_relu", { alpha: a }), 1, 0);
  let evals = 0;
  const a = brent(
    (x) => {
      evals++;
      return localMaps(shaped(x)).cSlope1 - cTarget;
    },
    0,
    1,
    { xtol: BRENT_XTOL },
  );
  const act = shaped(a);
  const base = act.shaped!.base;
  return finish("dks", base, depth, { zeta }, { qSlope1: 1, cSlope1: cTarget, cCurv1: null, c0: 0 }, act, {
    iterations: evals,
    start: 0,
  });
}

/** The largest local C′(1) of shaped ReLU with a positive input shift: π/(π−1) (t = β/α → 0⁺). */
export const RELU_MAX_SLOPE_POSITIVE_SHIFT = Math.PI / (Math.PI - 1);

function solveDksRelu(base: Activation, depth: number, zeta: number, cTarget: number): ShapeResult {
  const shift = cTarget < RELU_MAX_SLOPE_POSITIVE_SHIFT ? 1 : -1;
  const slope = (logA: number) => localMaps(centredShape(base, Math.exp(logA), shift)).cSlope1 - cTarget;
  // β = +1: C′(1) rises from 1 (α → 0) to π/(π−1) (α → ∞); β = −1: falls from ∞ to π/(π−1).
  let lo = -1;
  let hi = 1;
  let iterations = 0;
  const sign = shift > 0 ? 1 : -1;
  while (sign * slope(lo) > 0 && iterations < 60) {
    lo -= 2;
    iterations++;
  }
  while (sign * slope(hi) < 0 && iterations < 120) {
    hi += 2;
    iterations++;
  }
  if (sign * slope(lo) > 0 || sign * slope(hi) < 0 || cTarget === RELU_MAX_SLOPE_POSITIVE_SHIFT) {
    throw new InputError(
      "zeta",
      String(zeta),
      "a target ReLU can reach",
      `no in_scale brackets C′(1) = ${cTarget}`,
    );
  }
  let evals = 0;
  const logA = brent(
    (x) => {
      evals++;
      return slope(x);
    },
    lo,
    hi,
    { xtol: BRENT_XTOL },
  );
  const act = centredShape(base, Math.exp(logA), shift);
  return finish("dks", base, depth, { zeta }, { qSlope1: null, cSlope1: cTarget, cCurv1: null, c0: 0 }, act, {
    iterations: evals,
    start: 0,
  });
}

/** Solve TAT for a depth-L chain: smooth φ (τ) or leaky ReLU (η) (module comment). */
export function solveTat(opts: TatOptions): ShapeResult {
  const { base, depth } = opts;
  checkDepth(depth);
  if (base.name === "relu")
    throw new InputError(
      "activation",
      base.spec,
      "leaky_relu or a smooth activation",
      "TAT does not support ReLU: use leaky_relu (its negative slope is solved)",
    );
  if (base.name === "leaky_relu") return solveTatLeaky(opts);
  if (!base.dphiContinuous || eD2phi2(base, 1) === null)
    throw new InputError(
      "activation",
      base.spec,
      "leaky_relu or an activation with continuous φ′",
      "TAT needs C″(1) = E[φ̂″²]/Q(1), infinite where φ′ jumps",
    );
  const tau = opts.tau ?? 0.3;
  if (!(tau > 0) || !Number.isFinite(tau))
    throw new InputError("tau", String(tau), "a number > 0 (the network's C″(1))");
  const curv = tau / depth;
  const build = (p: number[]) => scaledShape(base, Math.exp(p[0]), p[1], p[2]);
  const F = (p: number[]) => {
    const l = localMaps(build(p));
    return [l.qSlope1 - 1, l.cSlope1 - 1, (l.cCurv1 as number) - curv];
  };
  const reject = (p: number[]) => {
    const act = build(p);
    return act.params.in_scale * act.params.out_scale >= 2;
  };
  const sol = multiStartNewton(
    F,
    [[1, 0.1].map(Math.log), [0, 1, -1], [0, 1, -1]],
    [
      [Math.log(0.02), Math.log(2)],
      [-3, 3],
      [-3, 3],
    ],
    reject,
  );
  if (!sol)
    throw new InputError(
      "tau",
      String(tau),
      "a target this activation can reach",
      `no (in_scale, in_shift, out_shift) found for TAT with ${base.spec} at depth ${depth} (local C″(1) = ${curv})`,
    );
  let act = build(sol.x);
  if (base.odd && act.params.in_shift < 0)
    act = scaledShape(base, act.params.in_scale, -act.params.in_shift, -act.params.out_shift);
  return finish("tat", base, depth, { tau }, { qSlope1: 1, cSlope1: 1, cCurv1: curv, c0: null }, act, sol);
}

function solveTatLeaky(opts: TatOptions): ShapeResult {
  const { depth, make } = opts;
  const eta = opts.eta ?? 0.9;
  if (!(eta >= 0 && eta < 1))
    throw new InputError("eta", String(eta), "a number in [0, 1) (the network's C(0))");
  if (!make)
    throw new Error("solveTat: leaky_relu needs `make` (e.g. makeActivation) to vary the negative slope");
  const leaky = (a: number) => {
    const base = make("leaky_relu", { alpha: a });
    return {
      base,
      act: shapeActivation(base, {
        inScale: 1,
        inShift: 0,
        outScale: Math.sqrt(2 / (1 + a * a)),
        outShift: 0,
      }),
    };
  };
  const c0 = (a: number) => networkCMap(leaky(a).act, depth, 0);
  const top = c0(0);
  if (!(eta < top))
    throw new InputError(
      "eta",
      String(eta),
      `a number in [0, ${top}) at depth ${depth}`,
      "above the ReLU chain's C(0): no slope in [0, 1] reaches it",
    );
  let evals = 0;
  const a =
    eta === 0
      ? 1
      : brent(
          (x) => {
            evals++;
            return c0(x) - eta;
          },
          0,
          1,
          { xtol: BRENT_XTOL },
        );
  const { base, act } = leaky(a);
  return finish(
    "tat",
    base,
    depth,
    { eta },
    { qSlope1: 1, cSlope1: null, cCurv1: null, c0: null },
    act,
    { iterations: evals, start: 0 },
    eta,
  );
}

function finish(
  method: ShapeMethod,
  base: Activation,
  depth: number,
  targets: ShapeResult["targets"],
  localTargets: ShapeResult["localTargets"],
  act: Activation,
  sol: { iterations: number; start: number },
  networkC0Target?: number,
): ShapeResult {
  const local = localMaps(act);
  const chain = chainDerivatives(local, depth);
  const networkC0 = networkCMap(act, depth, 0);
  const errs = [Math.abs(local.q1 - 1)];
  if (localTargets.qSlope1 !== null) errs.push(Math.abs(local.qSlope1 - localTargets.qSlope1));
  if (localTargets.cSlope1 !== null) errs.push(Math.abs(local.cSlope1 - localTargets.cSlope1));
  if (localTargets.cCurv1 !== null) errs.push(Math.abs((local.cCurv1 ?? NaN) - localTargets.cCurv1));
  if (localTargets.c0 !== null) errs.push(Math.abs(local.c0 - localTargets.c0));
  if (networkC0Target !== undefined) errs.push(Math.abs(networkC0 - networkC0Target));
  const residual = Math.max(...errs);
  if (!(residual <= RESIDUAL_TOL * 10)) {
    throw new Error(
      `${method} solve for ${base.spec}: the conditions hold only to ${residual.toExponential(2)} at in_scale=${act.params.in_scale}, in_shift=${act.params.in_shift}`,
    );
  }
  const p = act.params;
  return {
    method,
    base,
    depth,
    targets,
    localTargets,
    transform: { inScale: p.in_scale, inShift: p.in_shift, outScale: p.out_scale, outShift: p.out_shift },
    activation: act,
    local,
    network: { c0: networkC0, cSlope1: chain.cSlope1, cCurv1: chain.cCurv1 },
    residual,
    iterations: sol.iterations,
    start: sol.start,
  };
}

/**
 * Newton's method on F(x) = 0 from a list of starts (the product of `grid`, then low-discrepancy points in
 * `ranges` (log α for the first), 50 starts in all, as deepmind/dks), central-difference Jacobian, backtracking on ‖F‖₂. The
 * first start that converges to ‖F‖∞ ≤ 1e-12 and is not rejected wins; null when none does.
 */
function multiStartNewton(
  F: (x: number[]) => number[],
  grid: number[][],
  ranges: [number, number][],
  reject?: (x: number[]) => boolean,
  tries = 50,
): { x: number[]; iterations: number; start: number } | null {
  const starts: number[][] = [[]];
  for (const values of grid) {
    const next: number[][] = [];
    for (const s of starts) for (const v of values) next.push([...s, v]);
    starts.splice(0, starts.length, ...next);
  }
  // further starts: the R_d low-discrepancy sequence (Roberts 2018), u_n = frac(½ + n·(1/g, 1/g², …)) with
  // g the root of g^{d+1} = g + 1: deterministic and evenly spread without a random generator
  const dim = ranges.length;
  let g = 2;
  for (let k = 0; k < 60; k++) g = Math.pow(1 + g, 1 / (dim + 1));
  for (let n = 1; starts.length < tries; n++)
    starts.push(ranges.map(([lo, hi], i) => lo + (hi - lo) * ((0.5 + n / Math.pow(g, i + 1)) % 1)));
  for (let i = 0; i < starts.length; i++) {
    const r = newton(F, starts[i]);
    if (r && !(reject && reject(r.x))) return { ...r, start: i };
  }
  return null;
}

function newton(F: (x: number[]) => number[], x0: number[]): { x: number[]; iterations: number } | null {
  const n = x0.length;
  const norm = (v: number[]) => Math.sqrt(v.reduce((s, y) => s + y * y, 0));
  const safe = (x: number[]) => {
    try {
      const v = F(x);
      return v.every(Number.isFinite) ? v : null;
    } catch {
      return null;
    }
  };
  let x = [...x0];
  let f = safe(x);
  if (!f) return null;
  for (let it = 0; it < 100; it++) {
    if (Math.max(...f.map(Math.abs)) <= RESIDUAL_TOL) return { x, iterations: it };
    const J: number[][] = Array.from({ length: n }, () => new Array(n).fill(0));
    for (let j = 0; j < n; j++) {
      const h = 1e-6 * Math.max(1, Math.abs(x[j]));
      const xp = [...x];
      const xm = [...x];
      xp[j] += h;
      xm[j] -= h;
      const fp = safe(xp);
      const fm = safe(xm);
      if (!fp || !fm) return null;
      for (let i = 0; i < n; i++) J[i][j] = (fp[i] - fm[i]) / (2 * h);
    }
    const d = solveLinear(
      J,
      f.map((v) => -v),
    );
    if (!d) return null;
    let t = 1;
    let accepted = false;
    const f0 = norm(f);
    for (let k = 0; k < 40; k++) {
      const xn = x.map((v, i) => v + t * d[i]);
      const fn = safe(xn);
      if (fn && norm(fn) < (1 - 1e-4 * t) * f0) {
        x = xn;
        f = fn;
        accepted = true;
        break;
      }
      t /= 2;
    }
    if (!accepted) return Math.max(...f.map(Math.abs)) <= RESIDUAL_TOL ? { x, iterations: it } : null;
  }
  return Math.max(...f.map(Math.abs)) <= RESIDUAL_TOL ? { x, iterations: 100 } : null;
}

/** Gaussian elimination with partial pivoting; null when singular. */
function solveLinear(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    const scale = Math.max(...M[p].slice(0, n).map(Math.abs), ...A.flat().map(Math.abs));
    if (!(Math.abs(M[p][c]) > 1e-13 * scale)) return null;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const k = M[r][c] / M[c][c];
      for (let j = c; j <= n; j++) M[r][j] -= k * M[c][j];
    }
  }
  const x = new Array(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let j = r + 1; j < n; j++) s -= M[r][j] * x[j];
    x[r] = s / M[r][r];
  }
  return x;
}

// ---------------------------------------------------------------------------------------------------
// Spec grammar

/** The keys the solved specs take (besides the base's own). */
const DKS_KEYS = ["depth", "zeta"];
const TAT_KEYS = ["depth", "tau", "eta"];

export const SHAPED_SPECS =
  "shaped:BASE:in_scale=A,in_shift=B,out_scale=G,out_shift=D (φ̂(x) = G·(φ(A·x + B) + D)) | dks:BASE:depth=L,zeta=Z | tat:BASE:depth=L,tau=T | tat:leaky_relu:depth=L,eta=E (BASE a catalogue activation; its own parameters go in the same list, e.g. shaped:elu:alpha=0.5,in_scale=…)";

/** Whether a spec text is one of the shaped forms (`shaped:`, `dks:`, `tat:`). */
export function isShapedSpec(text: string): boolean {
  const name = text.trim().toLowerCase().split(":")[0].trim();
  return name === "shaped" || name === "dks" || name === "tat";
}

/**
 * Parse `shaped:BASE:…`, `dks:BASE:depth=L,zeta=Z`, `tat:BASE:depth=L,tau=T|eta=E`. The keys of the
 * transform (in_scale, …) or the solve (depth, zeta, tau, eta) are reserved; the other keys belong to
 * the base and are checked by its catalogue entry (through `make`). The solved forms are solved here, at
 * parse time, deterministically, and keep their short text as the spec.
 */
export function parseShapedSpec(
  text: string,
  make: ActivationFactory,
  checkBase: (spec: ParsedSpec) => void,
): Activation {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(":");
  const kind = trimmed
    .slice(0, colon < 0 ? trimmed.length : colon)
    .trim()
    .toLowerCase();
  const rest = colon < 0 ? "" : trimmed.slice(colon + 1);
  if (rest.trim() === "")
    throw new InputError(
      "activation",
      text,
      SHAPED_SPECS,
      `${kind} needs a base activation, e.g. ${kind}:tanh`,
    );
  const inner = parseSpec("activation", rest, SHAPED_SPECS);
  const own: string[] = kind === "shaped" ? [...SHAPE_KEYS] : kind === "dks" ? DKS_KEYS : TAT_KEYS;
  const baseParams: Record<string, number> = {};
  const shapeParams: Record<string, number> = {};
  for (const [k, v] of Object.entries(inner.params)) (own.includes(k) ? shapeParams : baseParams)[k] = v;
  const baseSpec: ParsedSpec = { name: inner.name, params: baseParams, bare: inner.bare };
  if (["shaped", "dks", "tat"].includes(inner.name))
    throw new InputError(
      "activation",
      text,
      SHAPED_SPECS,
      "the base must be a catalogue activation, not a shaped one",
    );
  checkBase(baseSpec);
  const base = make(inner.name, baseParams);
  if (kind === "shaped") {
    checkKeys(
      "activation",
      text,
      { name: "shaped", params: shapeParams, bare: [] },
      [...SHAPE_KEYS],
      SHAPED_SPECS,
    );
    const t: ShapeTransform = {
      inScale: shapeParams.in_scale ?? IDENTITY.inScale,
      inShift: shapeParams.in_shift ?? IDENTITY.inShift,
      outScale: shapeParams.out_scale ?? IDENTITY.outScale,
      outShift: shapeParams.out_shift ?? IDENTITY.outShift,
    };
    return shapeActivation(base, t);
  }
  if (!("depth" in shapeParams))
    throw new InputError(
      "activation",
      text,
      SHAPED_SPECS,
      `${kind} needs depth=L (the number of nonlinear layers)`,
    );
  const depth = shapeParams.depth;
  const specText = formatSpec(`${kind}:${base.name}`, { ...baseParams, ...shapeParams });
  let r: ShapeResult;
  try {
    r = solveSpec(kind, base, inner.name, baseParams, shapeParams, depth, text, make);
  } catch (e) {
    // the solver names its own flags (--zeta, --depth, …); inside a spec they are keys of --activation
    if (e instanceof InputError && e.parameter !== "activation")
      throw new InputError(
        "activation",
        text,
        SHAPED_SPECS,
        `${e.parameter.replace(/^--/, "")}=${e.value} must be ${e.valid}`,
      );
    throw e;
  }
  return { ...r.activation, spec: specText };
}

function solveSpec(
  kind: string,
  base: Activation,
  name: string,
  baseParams: Record<string, number>,
  shapeParams: Record<string, number>,
  depth: number,
  text: string,
  make: ActivationFactory,
): ShapeResult {
  let r: ShapeResult;
  if (kind === "dks") {
    if (name === "leaky_relu" && "alpha" in baseParams)
      throw new InputError("activation", text, SHAPED_SPECS, "DKS solves the leaky ReLU slope: drop alpha");
    r = solveDks({ base, depth, zeta: shapeParams.zeta, make });
  } else {
    if (name === "leaky_relu" && "alpha" in baseParams)
      throw new InputError(
        "activation",
        text,
        SHAPED_SPECS,
        "TAT solves the leaky ReLU slope: give eta, not alpha",
      );
    if (name === "leaky_relu" && "tau" in shapeParams)
      throw new InputError(
        "activation",
        text,
        SHAPED_SPECS,
        "TAT with leaky_relu takes eta (the network's C(0)), not tau",
      );
    if (name !== "leaky_relu" && "eta" in shapeParams)
      throw new InputError(
        "activation",
        text,
        SHAPED_SPECS,
        "eta is for leaky_relu; smooth activations take tau",
      );
    r = solveTat({ base, depth, tau: shapeParams.tau, eta: shapeParams.eta, make });
  }
  return r;
}
