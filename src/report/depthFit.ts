/**
 * Fitting the correlation depth scale ξ_c to a simulated trajectory: |c^l − c*| ≈ A e^{−l/ξ_c}, fitted by
 * weighted least squares of ln|c^l − c*| against l over a decay window, with c* the exact (mean-field)
 * fixed point. The window starts at `from` and ends at the last layer before the expected deviation
 * falls below k standard errors of the simulated mean (beyond it the data are sampling noise).
 *
 * The authors' notebook instead subtracted the simulated correlation at the last layer (layer 30) as if it
 * were c*, which biases ξ_c low whenever the decay has not finished by then (weak noise); `fitDecay` with
 * `reference = c^L` reproduces that for comparison.
 */

export interface DecayWindow {
  from: number;
  to: number;
}

export interface DecayFit {
  /** fitted depth scale (null when the window has fewer than two usable layers or no decay) */
  xi: number | null;
  /** standard error of ξ from the fit (delta method on the slope) */
  se: number | null;
  window: DecayWindow | null;
  /** layers used */
  points: number;
  note?: string;
}

/**
 * The first layer where the expected (theory) decay is already exponential: the local rate
 * ln(d_l/d_{l+1}) is within `tol` (relative) of the asymptotic rate −ln χ_c. Before it, the correlation
 * map is still visibly nonlinear and a log-linear fit would be biased.
 */
export function asymptoticStart(expectedDev: number[], chiC: number, tol = 0.1): number {
  const rate = -Math.log(chiC);
  for (let l = 0; l + 1 < expectedDev.length; l++) {
    const a = Math.abs(expectedDev[l]);
    const b = Math.abs(expectedDev[l + 1]);
    if (!(a > 0 && b > 0)) break;
    if (Math.abs(Math.log(a / b) - rate) <= tol * rate) return l;
  }
  return expectedDev.length;
}

/**
 * The decay window: from `from` to the last layer l such that every layer in between has an expected
 * deviation |c^l − c*| (theory) of at least k·sem_l and at least `minDev`.
 */
export function decayWindow(
  expectedDev: number[],
  sem: number[],
  from = 1,
  k = 2,
  minDev = 1e-9,
): DecayWindow | null {
  let to = from - 1;
  for (let l = from; l < expectedDev.length; l++) {
    const d = Math.abs(expectedDev[l]);
    const s = Number.isFinite(sem[l]) ? sem[l] : Infinity;
    if (!(d >= minDev) || !(d >= k * s)) break;
    to = l;
  }
  return to - from + 1 >= 2 ? { from, to } : null;
}

/**
 * Weighted least-squares fit of ln|c^l − reference| = a − l/ξ over the window; weights from the standard
 * error of each mean (σ_ln = sem/|dev|), or equal weights when sem is zero or missing.
 */
export function fitDecay(
  c: number[],
  reference: number,
  window: DecayWindow | null,
  sem: number[] = [],
): DecayFit {
  if (!window)
    return { xi: null, se: null, window: null, points: 0, note: "no decay window above the sampling floor" };
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  for (let l = window.from; l <= window.to; l++) {
    const d = Math.abs(c[l] - reference);
    if (!(d > 0) || !Number.isFinite(d)) continue;
    const s = sem[l];
    const sl = Number.isFinite(s) && s > 0 ? s / d : NaN;
    xs.push(l);
    ys.push(Math.log(d));
    ws.push(sl);
  }
  const n = xs.length;
  if (n < 2) return { xi: null, se: null, window, points: n, note: "fewer than two usable layers" };
  const useW = ws.every((w) => Number.isFinite(w) && w > 0);
  const w = ws.map((s) => (useW ? 1 / (s * s) : 1));
  const W = w.reduce((a, b) => a + b, 0);
  const mx = xs.reduce((a, x, i) => a + w[i] * x, 0) / W;
  const my = ys.reduce((a, y, i) => a + w[i] * y, 0) / W;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += w[i] * (xs[i] - mx) ** 2;
    sxy += w[i] * (xs[i] - mx) * (ys[i] - my);
  }
  const slope = sxy / sxx;
  let seSlope: number | null = null;
  if (useW) {
    seSlope = Math.sqrt(1 / sxx);
  } else if (n > 2) {
    let rss = 0;
    for (let i = 0; i < n; i++) rss += (ys[i] - my - slope * (xs[i] - mx)) ** 2;
    seSlope = Math.sqrt(rss / (n - 2) / sxx);
  }
  if (!(slope < 0)) return { xi: null, se: null, window, points: n, note: "no decay (slope ≥ 0)" };
  const xi = -1 / slope;
  return { xi, se: seSlope === null ? null : seSlope / (slope * slope), window, points: n };
}
