/**
 * Gaussian expectations of the activation (docs/THEORY.md §2–3): closed forms when the activation has them,
 * otherwise adaptive Gauss–Legendre quadrature on z ∈ [−Z, Z] split at the kinks (u = √q z).
 * The 2-D correlation integrals use u_a = √q1 z1, u_b = √q2 (c z1 + √(1−c²) z2) and are computed as an
 * outer integral over z1 of an inner integral over z2, each split where φ's kinks fall.
 */
import { integrate } from "../numerics/integrate.js";
import { normPdf } from "../numerics/special.js";
import type { Activation } from "./activations.js";
import { hermiteApplies, hermiteSeries, seriesDkernel, seriesKernel } from "./hermite.js";
import { activationMemo } from "./memo.js";

/** Truncation of the standard normal range: ∫_{|z|>Z} (1+z²)φ(z) dz < 1e-21 for these values. */
const Z1 = 11;
const Z2 = 10;
const RTOL_1D = 1e-14;
const RTOL_INNER = 1e-14;
const RTOL_OUTER = 1e-12;

/**
 * Breakpoints in z for u = √q z (shifted/scaled for the inner variable of 2-D integrals): the kinks,
 * z = 0, ±2, ±5 for the Gaussian weight, and, when φ's features are narrower than the Gaussian
 * (s = √q·scale > 1/2), u = ±1, ±4, ±16, … (|u| < 2s) where every catalogue activation bends and decays. Without those a large q squeezes
 * φ's transition between two quadrature nodes and the rule can miss it entirely.
 */
function zBreaks(s: number, kinks: readonly number[], shift = 0): number[] {
  const out = [0, 2, -2, 5, -5];
  if (s > 0) {
    for (const k of kinks) out.push(k / s - shift);
    for (let u = 1; u < 2 * s; u *= 4) out.push(u / s - shift, -u / s - shift);
    if (shift !== 0) out.push(-shift);
  }
  return out;
}

/** E[f(√q z)], z ~ N(0,1), split at the activation's kinks. q = 0 gives f(0). */
export function gaussMean(
  f: (u: number) => number,
  q: number,
  kinks: readonly number[] = [],
  scale = 0,
): number {
  if (q === 0) return f(0);
  const s = Math.sqrt(q);
  const br = zBreaks(s, kinks);
  return integrate((z) => normPdf(z) * f(s * z), -Z1, Z1, br, { rtol: RTOL_1D, atol: 1e-16 * scale });
}

/**
 * E[F(u_a, u_b)] for (u_a, u_b) centred bivariate normal with variances q1, q2 and correlation c.
 * kinksA/kinksB: non-smooth points of F in its first/second argument. `scale` (≈ E|F|) sets an absolute
 * error floor of 1e-13·scale, needed when the result is ~0 by symmetry (c = 0 for odd φ).
 */
export function gaussMean2(
  F: (ua: number, ub: number) => number,
  q1: number,
  q2: number,
  c: number,
  kinksA: readonly number[],
  kinksB: readonly number[],
  scale = 0,
): number {
  const s1 = Math.sqrt(q1);
  const s2 = Math.sqrt(q2);
  const cc = Math.max(-1, Math.min(1, c));
  const sc = Math.sqrt(Math.max(0, 1 - cc * cc));
  if (sc < 1e-12 || q2 === 0) {
    const all = [
      ...zBreaks(s1, kinksA),
      ...(cc !== 0
        ? zBreaks(
            s2 * Math.abs(cc),
            kinksB.map((k) => k * Math.sign(cc)),
          )
        : []),
    ];
    return integrate((z) => normPdf(z) * F(s1 * z, s2 * cc * z), -Z1, Z1, all, {
      rtol: RTOL_1D,
      atol: 1e-16 * scale,
    });
  }
  const outerBreaks = zBreaks(s1, kinksA);
  if (Math.abs(cc) > 1e-12)
    outerBreaks.push(
      ...zBreaks(
        s2 * Math.abs(cc),
        kinksB.map((k) => k * Math.sign(cc)),
      ),
    );
  const outer = (z1: number) => {
    const ua = s1 * z1;
    // inner variable z2: u_b = s2 (c z1 + sc z2), so a point u in u_b-space sits at z2 = (u/s2 − c z1)/sc
    const br = zBreaks(s2 * sc, kinksB, (cc * z1) / sc);
    const inner = integrate((z2) => normPdf(z2) * F(ua, s2 * (cc * z1 + sc * z2)), -Z2, Z2, br, {
      rtol: RTOL_INNER,
      atol: 1e-15 * scale,
    });
    return normPdf(z1) * inner;
  };
  return integrate(outer, -Z2, Z2, outerBreaks, { rtol: RTOL_OUTER, atol: 1e-13 * scale });
}

/**
 * Memo of the quadrature moments per activation and q: analyze asks for E[φ²] and E[φ′²] at q* several
 * times (V(q*) in the c* solve and in χ_c, χ1, χ_grad, the scale of dE[φ²]/dq, the Hermite grid check).
 * The values are deterministic functions of (φ, q), so a hit returns exactly what a recomputation would.
 */
const memoM2 = activationMemo<number>(4096);
const memoD2 = activationMemo<number>(4096);

/** E[φ(u)²]. */
export function ePhi2(act: Activation, q: number): number {
  if (act.closed.m2) return act.closed.m2(q);
  return memoM2(act, q, () => gaussMean((u) => act.phi(u) ** 2, q, act.kinks));
}

/** E[φ′(u)²]. */
export function eDphi2(act: Activation, q: number): number {
  if (act.closed.d2) return act.closed.d2(q);
  return memoD2(act, q, () => gaussMean((u) => act.dphi(u) ** 2, q, act.kinks));
}

/** E[φ(u)]. */
export function ePhi(act: Activation, q: number): number {
  return gaussMean(act.phi, q, act.kinks, Math.sqrt(ePhi2(act, q)));
}

/**
 * dE[φ(√q z)²]/dq = E[u φ(u) φ′(u)]/q (differentiate under the integral; valid for continuous, piecewise
 * C¹ φ, kinks included). For smooth φ it equals E[φ′²] + E[φ φ″] (Gaussian integration by parts).
 * At q = 0 the limit φ′(0)² + φ(0)φ″(0).
 */
export function dPhi2dq(act: Activation, q: number): number {
  if (q === 0) return act.dphi(0) ** 2 + act.phi(0) * act.d2phi(0);
  if (act.closed.uphidphi) return act.closed.uphidphi(q) / q;
  return gaussMean((u) => u * act.phi(u) * act.dphi(u), q, act.kinks, q * Math.sqrt(eDphi2(act, q))) / q;
}

/** E[φ″(u)²]; null when φ′ jumps (φ″ has a delta and the expectation is infinite). */
export function eD2phi2(act: Activation, q: number): number | null {
  if (act.closed.dd2) return act.closed.dd2(q);
  if (!act.dphiContinuous) return null;
  return gaussMean((u) => act.d2phi(u) ** 2, q, act.kinks);
}

/** The Mehler series at (q, q), when it applies and c is not at ±1. */
function series(act: Activation, q1: number, q2: number, c: number) {
  if (q1 !== q2 || Math.abs(c) > 1 - 1e-9 || !hermiteApplies(act, q1)) return null;
  return hermiteSeries(
    act,
    q1,
    () => ePhi2(act, q1),
    () => eDphi2(act, q1),
  );
}

/**
 * E[φ(u_a) φ(u_b)] (the covariance kernel without σ's): closed form, else the Mehler series (smooth φ,
 * equal variances, tail bound met), else 2-D adaptive quadrature.
 */
export function kernel(act: Activation, q1: number, q2: number, c: number): number {
  if (act.closed.kernel) return act.closed.kernel(q1, q2, c);
  // identical inputs: u_a = u_b, the 1-D integral E[φ²] (memoised; C(1) in the c* solve)
  if (c === 1 && q1 === q2) return ePhi2(act, q1);
  const s = series(act, q1, q2, c);
  const v = s && seriesKernel(s, c);
  if (v !== null && v !== undefined) return v;
  const scale = Math.sqrt(ePhi2(act, q1) * ePhi2(act, q2));
  return gaussMean2((a, b) => act.phi(a) * act.phi(b), q1, q2, c, act.kinks, act.kinks, scale);
}

/** E[φ′(u_a) φ′(u_b)]. */
export function dkernel(act: Activation, q1: number, q2: number, c: number): number {
  if (act.closed.dkernel) return act.closed.dkernel(q1, q2, c);
  // identical inputs: E[φ′²] (memoised; χ_c at c* = 1 in the ordered phase)
  if (c === 1 && q1 === q2) return eDphi2(act, q1);
  const s = series(act, q1, q2, c);
  const v = s && seriesDkernel(s, c);
  if (v !== null && v !== undefined) return v;
  const scale = Math.sqrt(eDphi2(act, q1) * eDphi2(act, q2));
  return gaussMean2((a, b) => act.dphi(a) * act.dphi(b), q1, q2, c, act.kinks, act.kinks, scale);
}

/** E[φ(u_a) φ(u_b)] by 2-D adaptive quadrature only (the independent route used in tests). */
export function kernelQuadrature(act: Activation, q1: number, q2: number, c: number): number {
  const scale = Math.sqrt(ePhi2(act, q1) * ePhi2(act, q2));
  return gaussMean2((a, b) => act.phi(a) * act.phi(b), q1, q2, c, act.kinks, act.kinks, scale);
}

/** E[φ′(u_a) φ′(u_b)] by 2-D adaptive quadrature only. */
export function dkernelQuadrature(act: Activation, q1: number, q2: number, c: number): number {
  const scale = Math.sqrt(eDphi2(act, q1) * eDphi2(act, q2));
  return gaussMean2((a, b) => act.dphi(a) * act.dphi(b), q1, q2, c, act.kinks, act.kinks, scale);
}
