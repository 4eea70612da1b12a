/**
 * The one ξ_c fitter (docs/THEORY.md §2, FIGURES.md Fig 5): the correlation depth scale from a correlation
 * trajectory c^l, |c^l − c*| ≈ A e^{−l/ξ_c}, by (weighted) least squares of ln|c^l − c*| against l over a
 * window of layers, against the exact (theory) c* — not against the last simulated layer (the authors'
 * notebook subtracted the simulated correlation at layer 30 as if it were c*, which biases ξ_c low whenever
 * the decay has not finished by then; passing `reference = c^L` reproduces that for comparison).
 *
 * "No fit" convention: `xi: null` with a `note` saying why (no window, fewer than two usable layers, or a
 * slope ≥ 0); never NaN. Callers serialise it as JSON null.
 *
 * Windows: explicit (`window`), or by default from layer 1 to the last layer before the deviation from the
 * reference falls below `floor` or k·sem (where it is lost in sampling noise). `decayWindow` and
 * `asymptoticStart` build windows from the theory trajectory instead (Fig 5).
 */

export interface DecayWindow {
  from: number;
  to: number;
}

export interface DepthScaleFit {
  /** fitted ξ_c = −1/slope; null when there is no fit (see `note`) */
  xi: number | null;
  /** standard error of ξ (delta method on the slope: se_slope/slope²); null without a fit or an estimate */
  se: number | null;
  /** slope of ln|c^l − reference| per layer and its intercept (null with fewer than two usable layers) */
  slope: number | null;
  intercept: number | null;
  /** (weighted) coefficient of determination of the log-linear fit */
  r2: number | null;
  /** the window fitted (inclusive), null when there was none */
  window: DecayWindow | null;
  /** layers used */
  points: number;
  /** why there is no fit */
  note?: string;
}

export interface DepthScaleFitOptions {
  /**
   * the layers to fit (inclusive); `null` means "no window" (no fit, with a note); absent: from layer 1 to
   * the last layer before |c^l − reference| ≤ max(floor, k·sem[l])
   */
  window?: DecayWindow | null;
  /** standard errors of the mean per layer: used by the default window and, with `weighted`, as weights */
  sem?: number[];
  /**
   * weight each layer by 1/σ_ln² with σ_ln = sem/|c^l − reference| (the standard error of ln|dev|); falls
   * back to equal weights when any used layer lacks a finite positive sem. Default false (equal weights).
   */
  weighted?: boolean;
  /** default window: deviation floor (default 1e-3) and the multiple of sem (default 3) */
  floor?: number;
  k?: number;
}

/** Fit ξ_c to `corr[l]` (l = 0..L) against `reference` (the exact c*); see the module doc. */
export function fitDepthScale(
  corr: number[],
  reference: number,
  options: DepthScaleFitOptions = {},
): DepthScaleFit {
  const dev = corr.map((c) => Math.abs(c - reference));
  let window: DecayWindow | null;
  if (options.window !== undefined) window = options.window;
  else {
    const floor = options.floor ?? 1e-3;
    const k = options.k ?? 3;
    let to = corr.length - 1;
    for (let l = 1; l <= to; l++) {
      const noise = options.sem ? k * options.sem[l] : 0;
      if (!(dev[l] > Math.max(floor, noise))) {
        to = l - 1;
        break;
      }
    }
    window = { from: 1, to };
  }
  const none = (points: number, note: string): DepthScaleFit => ({
    xi: null,
    se: null,
    slope: null,
    intercept: null,
    r2: null,
    window,
    points,
    note,
  });
  if (!window) return none(0, "no decay window above the sampling floor");
  const xs: number[] = [];
  const ys: number[] = [];
  const sl: number[] = [];
  for (let l = window.from; l <= Math.min(window.to, corr.length - 1); l++) {
    const d = dev[l];
    if (!(d > 0) || !Number.isFinite(d)) continue;
    const s = options.sem?.[l];
    xs.push(l);
    ys.push(Math.log(d));
    sl.push(s !== undefined && Number.isFinite(s) && s > 0 ? s / d : NaN);
  }
  const n = xs.length;
  if (n < 2) return none(n, "fewer than two usable layers");
  const useW = options.weighted === true && sl.every((s) => Number.isFinite(s) && s > 0);
  const w = sl.map((s) => (useW ? 1 / (s * s) : 1));
  const W = w.reduce((a, b) => a + b, 0);
  const mx = xs.reduce((a, x, i) => a + w[i] * x, 0) / W;
  const my = ys.reduce((a, y, i) => a + w[i] * y, 0) / W;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += w[i] * (xs[i] - mx) ** 2;
    sxy += w[i] * (xs[i] - mx) * (ys[i] - my);
    syy += w[i] * (ys[i] - my) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : 1;
  // slope standard error: from the weights (known variances) or, unweighted, from the residuals (n > 2)
  let seSlope: number | null = null;
  if (useW) seSlope = Math.sqrt(1 / sxx);
  else if (n > 2) {
    let rss = 0;
    for (let i = 0; i < n; i++) rss += (ys[i] - my - slope * (xs[i] - mx)) ** 2;
    seSlope = Math.sqrt(rss / (n - 2) / sxx);
  }
  const fit = { slope, intercept, r2, window, points: n };
  if (!(slope < 0)) return { ...fit, xi: null, se: null, note: "no decay (slope ≥ 0)" };
  return { ...fit, xi: -1 / slope, se: seSlope === null ? null : seSlope / (slope * slope) };
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

/** Where a decay window starts and how far above the sampling floor its layers must be. */
export interface DecayWindowOptions {
  /** first layer of the window (default 1) */
  from?: number;
  /** a layer's expected deviation must be at least k standard errors (default 2) */
  k?: number;
  /** … and at least this (default 1e-9) */
  minDev?: number;
}

/**
 * The decay window from the theory: from `from` to the last layer l such that every layer in between has
 * an expected deviation |c^l − c*| of at least k·sem_l and at least `minDev`; null when it has fewer than
 * two layers.
 */
export function decayWindow(
  expectedDev: number[],
  sem: number[],
  { from = 1, k = 2, minDev = 1e-9 }: DecayWindowOptions = {},
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
