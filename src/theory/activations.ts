/**
 * The activation catalogue: φ, φ′, φ″ (analytic), the kinks where φ or its derivatives are not smooth,
 * and closed-form Gaussian expectations where they exist (u ~ N(0, q), (u_a, u_b) bivariate normal with
 * variances q1, q2 and correlation c). Everything else is computed by quadrature in `expectations.ts`.
 *
 * Closed forms:
 * - ReLU arc-cosine kernel (Cho & Saul 2009; docs/THEORY.md §2): E[relu(u_a)relu(u_b)] = √(q1q2) g(c)/2,
 *   g(c) = [c·asin c + √(1−c²)]/π + c/2; E[relu′relu′] = 1/4 + asin(c)/(2π).
 * - leaky ReLU φ = αx + (1−α)relu(x): E[φφ] = √(q1q2)[αc + (1−α)² g(c)/2],
 *   E[φ′φ′] = α + (1−α)²(1/4 + asin(c)/(2π)).
 * - erf (Williams 1997): E[erf(u_a)erf(u_b)] = (2/π) asin(2√(q1q2)c/√((1+2q1)(1+2q2))),
 *   E[erf′erf′] = (4/π)/√((1+2q1)(1+2q2) − 4q1q2c²).
 * - ELU via E[e^{λu}1{u<0}] = ½ erfcx(λ√(q/2)); hard-tanh and shifted ReLU via truncated normal moments.
 * - ELU/SELU kernels E[φφ], E[φ′φ′] by quadrant split, exponential tilting and the bivariate normal CDF
 *   (`eluKernel.ts`, where the derivation is).
 */
import { erf, erfc, erfcx, normPdf, sigmoid, softplus, SQRT_2, SQRT_2PI } from "../numerics/special.js";
import { InputError } from "./errors.js";
import { eluDkernel, eluKernel } from "./eluKernel.js";
import { isShapedSpec, parseShapedSpec } from "./shaping.js";
import { checkKeys, formatSpec, parseSpec } from "./spec.js";
import type { TensorView } from "./tensorView.js";

export type { TensorOps, TensorView } from "./tensorView.js";

/** Closed-form Gaussian expectations; each is optional. u = √q z. */
export interface ClosedForms {
  /** E[φ(u)²] */
  m2?: (q: number) => number;
  /** E[φ′(u)²] */
  d2?: (q: number) => number;
  /** E[u φ(u) φ′(u)] = q · dE[φ²]/dq (Stein) */
  uphidphi?: (q: number) => number;
  /** E[φ″(u)²] (only where φ′ is continuous) */
  dd2?: (q: number) => number;
  /** E[φ(u_a) φ(u_b)] */
  kernel?: (q1: number, q2: number, c: number) => number;
  /** E[φ′(u_a) φ′(u_b)] */
  dkernel?: (q1: number, q2: number, c: number) => number;
}

export interface Activation {
  name: string;
  params: Record<string, number>;
  /** canonical spec text */
  spec: string;
  phi: (x: number) => number;
  dphi: (x: number) => number;
  d2phi: (x: number) => number;
  /** points where φ, φ′ or φ″ is not smooth (integration breakpoints) */
  kinks: readonly number[];
  /** false when φ′ jumps somewhere (then E[φ″²] is infinite: φ″ has a delta) */
  dphiContinuous: boolean;
  /** positively homogeneous of degree 1 (φ(λx) = λφ(x), λ > 0): the ReLU family */
  homogeneous: boolean;
  /** φ(−x) = −φ(x) */
  odd: boolean;
  /** piecewise linear with φ′ ∈ {0, 1} (Pennington's class: relu, hard_tanh, shifted_relu) */
  piecewiseLinear01: boolean;
  closed: ClosedForms;
  derivatives: "analytic" | "finite-difference";
  /** set for a shaped activation φ̂(x) = outScale·(φ(inScale·x + inShift) + outShift) (`shaping.ts`) */
  shaped?: { base: Activation; inScale: number; inShift: number; outScale: number; outShift: number };
  /**
   * φ over tensors (tensorView.ts), used by the simulation and training; every catalogue entry has one.
   * Absent for a custom φ given without one: the engine then applies `phi` on the host (exact to float32
   * rounding, not differentiable; see src/engine/tensor.ts `tensorActivation`). Nothing looks φ up by name.
   */
  tensor?: TensorView;
}

export const ACTIVATION_SPECS =
  "relu | leaky_relu:alpha=A | shifted_relu:alpha=A | elu:alpha=A | selu | gelu | swish (silu) | softplus | s_softplus | sigmoid | tanh | hard_tanh | erf | linear | shaped:BASE:in_scale=A,in_shift=B,out_scale=G,out_shift=D | dks:BASE:depth=L,zeta=Z | tat:BASE:depth=L,tau=T | tat:leaky_relu:depth=L,eta=E";

/** g(c) = [c·asin c + √(1−c²)]/π + c/2, the normalised arc-cosine kernel of degree 1. */
export function arccosKernel(c: number): number {
  const cc = Math.max(-1, Math.min(1, c));
  return (cc * Math.asin(cc) + Math.sqrt(Math.max(0, 1 - cc * cc))) / Math.PI + cc / 2;
}

/** E[H(u_a)H(u_b)] for centred bivariate normal with correlation c: 1/4 + asin(c)/(2π). */
export function arcsinStep(c: number): number {
  return 0.25 + Math.asin(Math.max(-1, Math.min(1, c))) / (2 * Math.PI);
}

/** Upper normal tail Φ̄(t) = ½ erfc(t/√2). */
function upperTail(t: number): number {
  return 0.5 * erfc(t / SQRT_2);
}

interface Base {
  phi: (x: number) => number;
  dphi: (x: number) => number;
  d2phi: (x: number) => number;
  kinks?: number[];
  dphiContinuous?: boolean;
  homogeneous?: boolean;
  odd?: boolean;
  piecewiseLinear01?: boolean;
  closed?: ClosedForms;
  tensor: TensorView;
}

function make(name: string, params: Record<string, number>, b: Base): Activation {
  return {
    name,
    params,
    spec: formatSpec(name, params),
    phi: b.phi,
    dphi: b.dphi,
    d2phi: b.d2phi,
    kinks: b.kinks ?? [],
    dphiContinuous: b.dphiContinuous ?? true,
    homogeneous: b.homogeneous ?? false,
    odd: b.odd ?? false,
    piecewiseLinear01: b.piecewiseLinear01 ?? false,
    closed: b.closed ?? {},
    derivatives: "analytic",
    tensor: b.tensor,
  };
}

function relu(): Activation {
  return make(
    "relu",
    {},
    {
      phi: (x) => (x > 0 ? x : 0),
      dphi: (x) => (x > 0 ? 1 : 0),
      d2phi: () => 0,
      tensor: (o, x) => o.relu(x),
      kinks: [0],
      dphiContinuous: false,
      homogeneous: true,
      piecewiseLinear01: true,
      closed: {
        m2: (q) => q / 2,
        d2: () => 0.5,
        uphidphi: (q) => q / 2,
        kernel: (q1, q2, c) => (Math.sqrt(q1 * q2) * arccosKernel(c)) / 2,
        dkernel: (_q1, _q2, c) => arcsinStep(c),
      },
    },
  );
}

function leakyRelu(alpha: number): Activation {
  const a = alpha;
  return make(
    "leaky_relu",
    { alpha },
    {
      phi: (x) => (x > 0 ? x : a * x),
      dphi: (x) => (x > 0 ? 1 : a),
      d2phi: () => 0,
      tensor: (o, x) => o.wherePositive(o.ref(x), o.ref(x), o.mul(x, a)),
      kinks: [0],
      dphiContinuous: a === 1,
      homogeneous: true,
      odd: a === 1,
      closed: {
        m2: (q) => (q * (1 + a * a)) / 2,
        d2: () => (1 + a * a) / 2,
        uphidphi: (q) => (q * (1 + a * a)) / 2,
        kernel: (q1, q2, c) => Math.sqrt(q1 * q2) * (a * c + ((1 - a) * (1 - a) * arccosKernel(c)) / 2),
        dkernel: (_q1, _q2, c) => a + (1 - a) * (1 - a) * arcsinStep(c),
      },
    },
  );
}

function linear(): Activation {
  return make(
    "linear",
    {},
    {
      phi: (x) => x,
      dphi: () => 1,
      d2phi: () => 0,
      tensor: (_o, x) => x,
      homogeneous: true,
      odd: true,
      closed: {
        m2: (q) => q,
        d2: () => 1,
        uphidphi: (q) => q,
        dd2: () => 0,
        kernel: (q1, q2, c) => Math.sqrt(q1 * q2) * c,
        dkernel: () => 1,
      },
    },
  );
}

/** shifted ReLU φ(x) = max(0, x+α) − α = max(−α, x) (Pennington et al. 2017). Kink at x = −α. */
function shiftedRelu(alpha: number): Activation {
  return make(
    "shifted_relu",
    { alpha },
    {
      phi: (x) => (x > -alpha ? x : -alpha),
      dphi: (x) => (x > -alpha ? 1 : 0),
      d2phi: () => 0,
      tensor: (o, x) => o.maximum(x, -alpha),
      kinks: [-alpha],
      dphiContinuous: false,
      piecewiseLinear01: true,
      closed: {
        // t = −α/√q; E[z²1{z>t}] = Φ̄(t) + tφ(t)
        m2: (q) => {
          if (q === 0) return alpha * alpha;
          const t = -alpha / Math.sqrt(q);
          return alpha * alpha * (1 - upperTail(t)) + q * (upperTail(t) + t * normPdf(t));
        },
        d2: (q) => (q === 0 ? (alpha < 0 ? 0 : alpha > 0 ? 1 : 0.5) : upperTail(-alpha / Math.sqrt(q))),
        uphidphi: (q) => {
          if (q === 0) return 0;
          const t = -alpha / Math.sqrt(q);
          return q * (upperTail(t) + t * normPdf(t));
        },
      },
    },
  );
}

/** hard-tanh φ(x) = clip(x, −1, 1). */
function hardTanh(): Activation {
  return make(
    "hard_tanh",
    {},
    {
      phi: (x) => (x > 1 ? 1 : x < -1 ? -1 : x),
      dphi: (x) => (x > -1 && x < 1 ? 1 : 0),
      d2phi: () => 0,
      tensor: (o, x) => o.clip(x, -1, 1),
      kinks: [-1, 1],
      dphiContinuous: false,
      odd: true,
      piecewiseLinear01: true,
      closed: {
        // t = 1/√q; E[z²1{|z|<t}] = erf(t/√2) − 2tφ(t); P(|u|>1) = erfc(t/√2)
        m2: (q) => {
          if (q === 0) return 0;
          const t = 1 / Math.sqrt(q);
          return q * (erf(t / SQRT_2) - 2 * t * normPdf(t)) + erfc(t / SQRT_2);
        },
        d2: (q) => (q === 0 ? 1 : erf(1 / Math.sqrt(2 * q))),
        uphidphi: (q) => {
          if (q === 0) return 0;
          const t = 1 / Math.sqrt(q);
          return q * (erf(t / SQRT_2) - 2 * t * normPdf(t));
        },
      },
    },
  );
}

/**
 * ELU φ(x) = x (x>0), α(eˣ−1) (x≤0), scaled by λ (λ = 1 for ELU, the SELU constants for SELU).
 * With E_λ := E[e^{λu}1{u<0}] = ½ erfcx(λ√(q/2)) and M_λ := E[u e^{λu}1{u<0}] = λq E_λ − √q/√(2π):
 * E[φ²]/λ² = q/2 + α²(E_2 − 2E_1 + ½), E[φ′²]/λ² = ½ + α²E_2, E[uφφ′]/λ² = q/2 + α²(M_2 − M_1),
 * E[φ″²]/λ² = α²E_2 (finite only when φ′ is continuous, α = 1). The kernels E[φ(u_a)φ(u_b)]/λ² and
 * E[φ′(u_a)φ′(u_b)]/λ² are `eluKernel` / `eluDkernel` (quadrant split, tilting, Φ2; see eluKernel.ts).
 */
function eluFamily(name: string, alpha: number, scale: number, params: Record<string, number>): Activation {
  const l2 = scale * scale;
  const E = (lam: number, q: number) => 0.5 * erfcx(lam * Math.sqrt(q / 2));
  return make(name, params, {
    phi: (x) => scale * (x > 0 ? x : alpha * Math.expm1(x)),
    dphi: (x) => scale * (x > 0 ? 1 : alpha * Math.exp(x)),
    d2phi: (x) => scale * (x > 0 ? 0 : alpha * Math.exp(x)),
    // λ·(x for x > 0, α·expm1(min(x, 0)) otherwise): min keeps expm1 finite on the branch not taken
    tensor: (o, x) => {
      const y = o.wherePositive(o.ref(x), o.ref(x), o.mul(o.expm1(o.minimum(x, 0)), alpha));
      return scale === 1 ? y : o.mul(y, scale);
    },
    kinks: [0],
    dphiContinuous: alpha === 1,
    closed: {
      m2: (q) => l2 * (q / 2 + alpha * alpha * (E(2, q) - 2 * E(1, q) + 0.5)),
      d2: (q) => l2 * (0.5 + alpha * alpha * E(2, q)),
      uphidphi: (q) => l2 * (q / 2 + alpha * alpha * (2 * q * E(2, q) - q * E(1, q))),
      ...(alpha === 1 ? { dd2: (q: number) => l2 * alpha * alpha * E(2, q) } : {}),
      kernel: (q1, q2, c) => l2 * eluKernel(alpha, q1, q2, c),
      dkernel: (q1, q2, c) => l2 * eluDkernel(alpha, q1, q2, c),
    },
  });
}

/** SELU constants (Klambauer et al. 2017). */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

function erfAct(): Activation {
  const k = 2 / Math.sqrt(Math.PI);
  return make(
    "erf",
    {},
    {
      phi: erf,
      tensor: (o, x) => o.erf(x),
      dphi: (x) => k * Math.exp(-x * x),
      d2phi: (x) => -2 * x * k * Math.exp(-x * x),
      odd: true,
      closed: {
        m2: (q) => (2 / Math.PI) * Math.asin((2 * q) / (1 + 2 * q)),
        d2: (q) => 4 / Math.PI / Math.sqrt(1 + 4 * q),
        uphidphi: (q) => (q * 4) / Math.PI / ((1 + 2 * q) * Math.sqrt(1 + 4 * q)),
        dd2: (q) => (16 * q) / (Math.PI * Math.pow(1 + 4 * q, 1.5)),
        kernel: (q1, q2, c) =>
          (2 / Math.PI) * Math.asin((2 * Math.sqrt(q1 * q2) * c) / Math.sqrt((1 + 2 * q1) * (1 + 2 * q2))),
        dkernel: (q1, q2, c) => 4 / Math.PI / Math.sqrt((1 + 2 * q1) * (1 + 2 * q2) - 4 * q1 * q2 * c * c),
      },
    },
  );
}

function tanhAct(): Activation {
  return make(
    "tanh",
    {},
    {
      phi: Math.tanh,
      tensor: (o, x) => o.tanh(x),
      dphi: (x) => {
        const t = Math.tanh(x);
        return 1 - t * t;
      },
      d2phi: (x) => {
        const t = Math.tanh(x);
        return -2 * t * (1 - t * t);
      },
      odd: true,
    },
  );
}

function sigmoidAct(): Activation {
  return make(
    "sigmoid",
    {},
    {
      phi: sigmoid,
      tensor: (o, x) => o.sigmoid(x),
      dphi: (x) => {
        const s = sigmoid(x);
        return s * (1 - s);
      },
      d2phi: (x) => {
        const s = sigmoid(x);
        return s * (1 - s) * (1 - 2 * s);
      },
    },
  );
}

function softplusAct(): Activation {
  return make(
    "softplus",
    {},
    {
      phi: softplus,
      tensor: (o, x) => o.softplus(x),
      dphi: sigmoid,
      d2phi: (x) => {
        const s = sigmoid(x);
        return s * (1 - s);
      },
    },
  );
}

/**
 * Shifted softplus φ(x) = softplus(x) − ln 2 = ln((1 + eˣ)/2) (Hayou et al. 2019), so φ(0) = 0 and
 * φ′(0) = ½; φ′ = σ, φ″ = σ(1 − σ) as for softplus. Evaluated as log1p(expm1(x)/2) (no cancellation near
 * 0, where φ(x) ≈ x/2), and as x − ln 2 + log1p(e^{−x}) for x > 30 where expm1 would lose nothing but
 * could overflow past 709. Moments and kernels by quadrature / the Mehler series (no closed forms).
 * Its edge-of-chaos fixed points are unstable (|V′(q*)| > 1; docs/THEORY.md §2, Hayou et al. 2019).
 */
function shiftedSoftplusAct(): Activation {
  return make(
    "s_softplus",
    {},
    {
      phi: (x) => (x > 30 ? x - Math.LN2 + Math.log1p(Math.exp(-x)) : Math.log1p(Math.expm1(x) / 2)),
      // softplus(x) − ln 2: in float32 the cancellation near 0 costs ~1e-7 absolute, float32 rounding level
      tensor: (o, x) => o.add(o.softplus(x), -Math.LN2),
      dphi: sigmoid,
      d2phi: (x) => {
        const s = sigmoid(x);
        return s * (1 - s);
      },
    },
  );
}

/** swish / SiLU φ(x) = x σ(x). */
function swishAct(name: string): Activation {
  return make(
    name,
    {},
    {
      phi: (x) => x * sigmoid(x),
      tensor: (o, x) => o.mul(o.ref(x), o.sigmoid(x)),
      dphi: (x) => {
        const s = sigmoid(x);
        return s + x * s * (1 - s);
      },
      d2phi: (x) => {
        const s = sigmoid(x);
        return s * (1 - s) * (2 + x * (1 - 2 * s));
      },
    },
  );
}

/** GELU, exact erf form φ(x) = x Φ(x). */
function geluAct(): Activation {
  return make(
    "gelu",
    {},
    {
      phi: (x) => 0.5 * x * erfc(-x / SQRT_2),
      // ½ x erfc(−x/√2)
      tensor: (o, x) => o.mul(o.mul(o.ref(x), 0.5), o.erfc(o.mul(x, -1 / SQRT_2))),
      dphi: (x) => 0.5 * erfc(-x / SQRT_2) + (x * Math.exp(-0.5 * x * x)) / SQRT_2PI,
      d2phi: (x) => ((2 - x * x) * Math.exp(-0.5 * x * x)) / SQRT_2PI,
    },
  );
}

type Factory = {
  keys: string[];
  defaults: Record<string, number>;
  build: (p: Record<string, number>) => Activation;
};

const CATALOGUE: Record<string, Factory> = {
  relu: { keys: [], defaults: {}, build: () => relu() },
  leaky_relu: { keys: ["alpha"], defaults: { alpha: 0.01 }, build: (p) => leakyRelu(p.alpha) },
  shifted_relu: { keys: ["alpha"], defaults: { alpha: 0 }, build: (p) => shiftedRelu(p.alpha) },
  elu: {
    keys: ["alpha"],
    defaults: { alpha: 1 },
    build: (p) => eluFamily("elu", p.alpha, 1, { alpha: p.alpha }),
  },
  selu: { keys: [], defaults: {}, build: () => eluFamily("selu", SELU_ALPHA, SELU_SCALE, {}) },
  gelu: { keys: [], defaults: {}, build: () => geluAct() },
  swish: { keys: [], defaults: {}, build: () => swishAct("swish") },
  softplus: { keys: [], defaults: {}, build: () => softplusAct() },
  s_softplus: { keys: [], defaults: {}, build: () => shiftedSoftplusAct() },
  sigmoid: { keys: [], defaults: {}, build: () => sigmoidAct() },
  tanh: { keys: [], defaults: {}, build: () => tanhAct() },
  hard_tanh: { keys: [], defaults: {}, build: () => hardTanh() },
  erf: { keys: [], defaults: {}, build: () => erfAct() },
  linear: { keys: [], defaults: {}, build: () => linear() },
};

/** Other names for catalogue entries, accepted by `parseActivation` and `makeActivation`. */
export const ACTIVATION_ALIASES: Readonly<Record<string, string>> = { silu: "swish", hardtanh: "hard_tanh" };

/** Names accepted by `parseActivation` (aliases included). */
export const ACTIVATION_NAMES = [...Object.keys(CATALOGUE), ...Object.keys(ACTIVATION_ALIASES)];

/** The catalogue (no aliases): each activation's parameter names and defaults (for menus and forms). */
export const ACTIVATION_CATALOGUE: readonly {
  name: string;
  keys: string[];
  defaults: Record<string, number>;
}[] = Object.entries(CATALOGUE).map(([name, f]) => ({
  name,
  keys: [...f.keys],
  defaults: { ...f.defaults },
}));

/** The catalogue entry of a name or alias. */
function factoryOf(name: string): Factory | undefined {
  return CATALOGUE[ACTIVATION_ALIASES[name] ?? name];
}

/** Build a catalogue activation by name and parameters (defaults filled in). */
export function makeActivation(name: string, params: Record<string, number> = {}): Activation {
  const f = factoryOf(name);
  if (!f) throw new InputError("activation", name, ACTIVATION_SPECS, `unknown activation '${name}'`);
  const p = { ...f.defaults, ...params };
  if ("alpha" in p) {
    if (!Number.isFinite(p.alpha))
      throw new InputError("activation", formatSpec(name, p), ACTIVATION_SPECS, "alpha must be finite");
    // α² enters E[φ²] and E[φ′²] (leaky/shifted ReLU, ELU): it must not overflow
    if (!Number.isFinite(p.alpha * p.alpha))
      throw new InputError(
        "activation",
        formatSpec(name, p),
        ACTIVATION_SPECS,
        "alpha² (in E[φ²], E[φ′²]) overflows",
      );
    if (name === "elu" && !(p.alpha >= 0)) {
      throw new InputError("activation", formatSpec(name, p), ACTIVATION_SPECS, "elu alpha must be ≥ 0");
    }
  }
  return f.build(p);
}

/**
 * Parse `--activation` text such as `tanh` or `leaky_relu:alpha=0.2`, or a shaped activation
 * (`shaped:…`, `dks:…`, `tat:…`; DKS/TAT, see `shaping.ts`, solved here for the given depth).
 */
export function parseActivation(text: string): Activation {
  if (isShapedSpec(text)) {
    return parseShapedSpec(text, makeActivation, (spec) => {
      const f = factoryOf(spec.name);
      if (!f) throw new InputError("activation", text, ACTIVATION_SPECS, `unknown activation '${spec.name}'`);
      checkKeys("activation", text, spec, f.keys, ACTIVATION_SPECS);
    });
  }
  const spec = parseSpec("activation", text, ACTIVATION_SPECS);
  const f = factoryOf(spec.name);
  if (!f) throw new InputError("activation", text, ACTIVATION_SPECS, `unknown activation '${spec.name}'`);
  checkKeys("activation", text, spec, f.keys, ACTIVATION_SPECS);
  return makeActivation(spec.name, spec.params);
}

export interface CustomActivationInput {
  name?: string;
  phi: (x: number) => number;
  dphi?: (x: number) => number;
  d2phi?: (x: number) => number;
  kinks?: number[];
  /**
   * φ over tensors (tensorView.ts) for simulation and training. Without it the engine applies `phi` on the
   * host: exact to float32 rounding, one host copy per layer, and not differentiable (training refuses it).
   * A custom φ is never matched to a catalogue entry by its name.
   */
  tensor?: TensorView;
}

/**
 * A user-supplied φ. Missing derivatives come from central differences: φ′ with step h = 1e-5·max(1,|x|)
 * (error ~ h²|φ‴|/6 + ε|φ|/h ≈ 1e-10), φ″ with h = 1e-4·max(1,|x|) (≈ 1e-8). Quantities built on them
 * (χ1, χ_c, EOC) inherit that accuracy instead of the catalogue's 1e-10. Pass kinks for piecewise φ.
 */
export function customActivation(input: CustomActivationInput): Activation {
  const { phi } = input;
  const dphi =
    input.dphi ??
    ((x: number) => {
      const h = 1e-5 * Math.max(1, Math.abs(x));
      return (phi(x + h) - phi(x - h)) / (2 * h);
    });
  const d2phi =
    input.d2phi ??
    ((x: number) => {
      const h = 1e-4 * Math.max(1, Math.abs(x));
      return (phi(x + h) - 2 * phi(x) + phi(x - h)) / (h * h);
    });
  return {
    name: input.name ?? "custom",
    params: {},
    spec: input.name ?? "custom",
    phi,
    dphi,
    d2phi,
    kinks: input.kinks ?? [],
    dphiContinuous: !(input.kinks && input.kinks.length),
    homogeneous: false,
    odd: false,
    piecewiseLinear01: false,
    closed: {},
    derivatives: input.dphi && input.d2phi ? "analytic" : "finite-difference",
    ...(input.tensor ? { tensor: input.tensor } : {}),
  };
}
