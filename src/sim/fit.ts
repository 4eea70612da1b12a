/**
 * Depth scale of correlation convergence (THEORY.md §2, FIGURES.md Fig 5): |c^l − c*| ≈ A e^{−l/ξ_c}.
 * Least-squares fit of ln|c^l − c*| = a − l/ξ_c over a window of layers, against the exact (theory) c*,
 * not against the last simulated layer (the original notebook's choice, which biases weak-noise ξ low).
 */

export interface DepthScaleFit {
  /** fitted ξ_c = −1/slope (NaN when fewer than two usable layers or the slope is not negative) */
  xi: number;
  /** slope of ln|c^l − c*| per layer */
  slope: number;
  intercept: number;
  /** coefficient of determination of the log-linear fit */
  r2: number;
  /** layers used (inclusive) */
  from: number;
  to: number;
  points: number;
}

export interface FitOptions {
  /**
   * When no explicit window is given: stop before the first layer l ≥ from where |c^l − c*| falls below
   * `floor` (default 1e-3) or below `k·sem[l]` when standard errors `sem` are given (default k = 3), i.e.
   * where the deviation is lost in sampling noise.
   */
  floor?: number;
  sem?: number[];
  k?: number;
}

/**
 * Fit ξ_c from a correlation trajectory `corr[l]` (l = 0..L). Default window: from layer 1 to the last
 * layer before the deviation drops into the noise (see FitOptions).
 */
export function fitDepthScale(
  corr: number[],
  cStar: number,
  window?: { from: number; to: number },
  opts: FitOptions = {},
): DepthScaleFit {
  const dev = corr.map((c) => Math.abs(c - cStar));
  const from = window?.from ?? 1;
  let to = window?.to ?? corr.length - 1;
  if (!window) {
    const floor = opts.floor ?? 1e-3;
    const k = opts.k ?? 3;
    for (let l = from; l <= to; l++) {
      const noise = opts.sem ? k * opts.sem[l] : 0;
      if (!(dev[l] > Math.max(floor, noise))) {
        to = l - 1;
        break;
      }
    }
  }
  const xs: number[] = [];
  const ys: number[] = [];
  for (let l = from; l <= Math.min(to, corr.length - 1); l++) {
    if (dev[l] > 0 && Number.isFinite(dev[l])) {
      xs.push(l);
      ys.push(Math.log(dev[l]));
    }
  }
  const m = xs.length;
  if (m < 2) return { xi: NaN, slope: NaN, intercept: NaN, r2: NaN, from, to, points: m };
  const mx = xs.reduce((a, b) => a + b, 0) / m;
  const my = ys.reduce((a, b) => a + b, 0) / m;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < m; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : 1;
  return { xi: slope < 0 ? -1 / slope : NaN, slope, intercept, r2, from, to, points: m };
}
