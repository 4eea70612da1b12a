/**
 * The exact finite-width output law of ReLU networks with Gaussian weights (Burkholz & Dubatovka 2019;
 * docs/THEORY.md §5), in plain float64.
 *
 * Given layer l−1, the N pre-activations of layer l are i.i.d. N(0, s_l) with the random scale
 * s_l = σ_b² + (σ_w²/N) Σ_j relu(h^{l−1}_j)². Given s_{l−1}, each relu(h_j)² is 0 with probability ½ and
 * s_{l−1} z² otherwise, so
 *
 *     s_l = σ_b² + (σ_w²/N) s_{l−1} χ²_{K_l},    K_l ~ Binomial(N, ½),   all independent,
 *
 * and the output is the Gaussian scale mixture h^L | s_L ~ N(0, s_L).
 *
 * Counting stages. A network with L weight layers and a fixed input x has a deterministic first scale
 * s_1 = σ_w² |x|²/N_0 + σ_b² and L−1 random stages: at He init (σ_w² = 2, σ_b² = 0)
 * E[s_{l+1}²] = (4/N²) E[(χ²_K)²] E[s_l²] = (1 + 5/N) E[s_l²] (E[(χ²_K)²] = E[K² + 2K] = N²/4 + 5N/4),
 * so the output kurtosis is 3 E[s_L²]/E[s_L]² = 3(1 + 5/N)^{L−1} (docs/THEORY.md's statement). With the
 * project's simulation convention (input pre-activation h^0 ~ N(0, q⁰ I), relu applied to it) there are
 * L random stages and the kurtosis is 3(1 + 5/N)^L. `stages` makes this explicit.
 *
 * The mean E[s_L] equals the mean-field q^L exactly; the mean-field law is Gaussian (kurtosis 3).
 * With σ_b² = 0 the signal dies (s = 0 from then on, output exactly 0) when some K_l = 0:
 * P(dead) = 1 − (1 − 2^{−N})^{stages}.
 */
import { InputError } from "./errors.js";

export interface ScaleLawInput {
  width: number;
  /** number of random χ² stages (L − 1 for a fixed input, L for a Gaussian input pre-activation) */
  stages: number;
  sigmaW2: number;
  sigmaB2: number;
  /** the deterministic starting scale (s_1 for a fixed input, q⁰ for a Gaussian input) */
  s0: number;
}

export function checkScaleLaw(inp: ScaleLawInput): ScaleLawInput {
  if (!Number.isInteger(inp.width) || inp.width < 1 || inp.width > 1_000_000) {
    throw new InputError("width", String(inp.width), "an integer in [1, 1000000]");
  }
  if (!Number.isInteger(inp.stages) || inp.stages < 0 || inp.stages > 100_000) {
    throw new InputError("depth", String(inp.stages), "a number of layers ≥ 1");
  }
  if (!(inp.sigmaW2 > 0 && Number.isFinite(inp.sigmaW2)))
    throw new InputError("sigmaW2", String(inp.sigmaW2), "a number > 0");
  if (!(inp.sigmaB2 >= 0 && Number.isFinite(inp.sigmaB2)))
    throw new InputError("sigmaB2", String(inp.sigmaB2), "a number ≥ 0");
  if (!(inp.s0 > 0 && Number.isFinite(inp.s0))) throw new InputError("q0", String(inp.s0), "a number > 0");
  return inp;
}

/** log Γ(x), x > 0 (Lanczos, g = 7, n = 9; relative error < 1e-15). */
export function lgamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const xx = x - 1;
  let a = c[0];
  const t = xx + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (xx + i);
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The Binomial(N, ½) probability mass function as an array of length N+1. */
export function binomialHalfPmf(N: number): Float64Array {
  const out = new Float64Array(N + 1);
  let logc = 0;
  const l2 = N * Math.LN2;
  for (let k = 0; k <= N; k++) {
    out[k] = Math.exp(logc - l2);
    logc += Math.log((N - k) / (k + 1));
  }
  return out;
}

/**
 * E[(χ²_K)^j], K ~ Bin(N, ½), j = 0..J: E[K(K+2)⋯(K+2j−2)], computed without cancellation from the
 * factorial moments E[K(K−1)⋯(K−r+1)] = N(N−1)⋯(N−r+1)/2^r: the raw moments are
 * E[K^m] = Σ_r S(m, r) N^{(r)}/2^r (Stirling numbers of the second kind, all terms ≥ 0), and the
 * polynomial Π_{i<j}(K + 2i) has non-negative coefficients.
 */
export function chiMixtureMoments(N: number, J: number): number[] {
  // Stirling numbers S(m, r), m ≤ J
  const S: number[][] = Array.from({ length: J + 1 }, () => new Array<number>(J + 1).fill(0));
  S[0][0] = 1;
  for (let m = 1; m <= J; m++) for (let r = 1; r <= m; r++) S[m][r] = r * S[m - 1][r] + S[m - 1][r - 1];
  const fact: number[] = [1];
  for (let r = 1; r <= J; r++) fact.push(fact[r - 1] * Math.max(0, N - r + 1) * 0.5);
  const raw = Array.from({ length: J + 1 }, (_, m) => {
    let s = 0;
    for (let r = 0; r <= m; r++) s += S[m][r] * fact[r];
    return s;
  });
  const out: number[] = [];
  let poly = [1]; // coefficients of Π_{i<j}(K + 2i) in powers of K
  for (let j = 0; j <= J; j++) {
    out.push(poly.reduce((s, c, m) => s + c * raw[m], 0));
    const next = new Array<number>(poly.length + 1).fill(0);
    poly.forEach((c, m) => {
      next[m + 1] += c;
      next[m] += 2 * j * c;
    });
    poly = next;
  }
  return out;
}

function binom(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

export interface ScaleMomentsOptions {
  /** highest moment K (default 4) */
  order?: number;
}

/** E[s^k] after each stage, k = 1..K (exact finite sums). Row l = after l stages (row 0 = s0^k). */
export function scaleMoments(inp: ScaleLawInput, opts: ScaleMomentsOptions = {}): number[][] {
  checkScaleLaw(inp);
  const K = opts.order ?? 4;
  const { width: N, stages, sigmaW2, sigmaB2, s0 } = inp;
  const a = sigmaW2 / N;
  const chi = chiMixtureMoments(N, K);
  const rows: number[][] = [];
  let m = Array.from({ length: K + 1 }, (_, k) => Math.pow(s0, k)); // m[0] = 1
  rows.push(m.slice(1));
  for (let l = 0; l < stages; l++) {
    const next = new Array<number>(K + 1).fill(0);
    next[0] = 1;
    for (let k = 1; k <= K; k++) {
      let s = 0;
      for (let j = 0; j <= k; j++)
        s += binom(k, j) * Math.pow(sigmaB2, k - j) * Math.pow(a, j) * m[j] * chi[j];
      next[k] = s;
    }
    m = next;
    rows.push(m.slice(1));
  }
  return rows;
}

export interface FiniteWidthLaw {
  width: number;
  stages: number;
  /** E[s_l] per stage = mean-field q (exactly) */
  mean: number[];
  /** E[h⁴]/E[h²]² = 3 E[s²]/E[s]² per stage */
  kurtosis: number[];
  /** mean-field kurtosis (Gaussian) */
  kurtosisMeanField: number;
  /** 3(1+5/N)^l per stage: the He-init closed form (σ_w² = 2, σ_b² = 0), null otherwise */
  kurtosisHeClosedForm: number[] | null;
  /** E[s_L^k]/E[s_L]^k, k = 1..4 */
  normalizedScaleMoments: number[];
  /** P(s_L = 0): the signal dies (σ_b² = 0 only) */
  pDead: number;
}

/** Moments, kurtosis per stage and the death probability. */
export function finiteWidthLaw(inp: ScaleLawInput): FiniteWidthLaw {
  const rows = scaleMoments(inp, { order: 4 });
  const mean = rows.map((r) => r[0]);
  const kurt = rows.map((r) => (3 * r[1]) / (r[0] * r[0]));
  const last = rows[rows.length - 1];
  const he = inp.sigmaW2 === 2 && inp.sigmaB2 === 0;
  return {
    width: inp.width,
    stages: inp.stages,
    mean,
    kurtosis: kurt,
    kurtosisMeanField: 3,
    kurtosisHeClosedForm: he ? rows.map((_, l) => 3 * Math.pow(1 + 5 / inp.width, l)) : null,
    normalizedScaleMoments: last.map((m, k) => m / Math.pow(last[0], k + 1)),
    pDead: inp.sigmaB2 > 0 ? 0 : -Math.expm1(inp.stages * Math.log1p(-Math.pow(2, -inp.width))),
  };
}

export interface ScaleDensity {
  /** grid in t = log(s/E[s]) */
  logScale: number[];
  /** density of log(s/E[s]) on the alive part (integrates to 1 − pDead − lost) */
  density: number[];
  pDead: number;
  /** mass outside the grid (truncation) */
  lost: number;
}

export interface ScaleDensityOptions {
  /** points of the uniform grid in log s (default 2048) */
  gridPoints?: number;
}

/**
 * The density of log s_L by repeated numerical convolution on a uniform grid in log s: each stage adds
 * log(σ_w²χ²_K/N) (a Binomial mixture of log-χ² laws, K = 0 sending mass to the dead atom) and then, if
 * σ_b² > 0, maps y ↦ log(σ_b² + e^y) (change of variables with linear interpolation).
 */
export function scaleDensity(inp: ScaleLawInput, opts: ScaleDensityOptions = {}): ScaleDensity {
  checkScaleLaw(inp);
  const gridPoints = opts.gridPoints ?? 2048;
  const { width: N, stages, sigmaW2, sigmaB2, s0 } = inp;
  const a = sigmaW2 / N;
  const pmf = binomialHalfPmf(N);
  const meanS = scaleMoments(inp, { order: 1 })[stages][0];
  const logMean = Math.log(meanS);
  // spread of log χ²_K/K ≈ √(2/K); heavy left tail from small K; choose a generous window
  const sd = Math.sqrt(stages * (2 / Math.max(1, N / 2) + 1 / N)) + 0.1;
  const lo = Math.min(logMean - Math.max(12, 14 * sd), sigmaB2 > 0 ? Math.log(sigmaB2) - 1 : Infinity);
  const hi = logMean + Math.max(4, 8 * sd);
  const G = gridPoints;
  const dy = (hi - lo) / (G - 1);
  const ys = Array.from({ length: G }, (_, i) => lo + i * dy);
  // the stage kernel on offsets d = j·dy, j ∈ [−G, G]: density of log(aχ²_K)
  const kernelAt = (y: number) => {
    let f = 0;
    const x = y - Math.log(a); // log χ²
    const ex = Math.exp(x);
    for (let k = 1; k <= N; k++) {
      if (pmf[k] < 1e-300) continue;
      const logf = (k / 2) * x - ex / 2 - (k / 2) * Math.LN2 - lgamma(k / 2);
      f += pmf[k] * Math.exp(logf);
    }
    return f;
  };
  let pDeadAlive = 1; // probability alive so far
  let dens: Float64Array | null = null; // null: point mass at log s0
  let curPoint = Math.log(s0);
  let lost = 0;
  for (let l = 0; l < stages; l++) {
    const next = new Float64Array(G);
    if (dens === null) {
      for (let i = 0; i < G; i++) next[i] = kernelAt(ys[i] - curPoint);
    } else {
      // convolution: next(y_i) = Σ_j dens(y_j) K(y_i − y_j) dy
      const kern = new Float64Array(2 * G - 1);
      for (let d = -(G - 1); d <= G - 1; d++) kern[d + G - 1] = kernelAt(d * dy);
      for (let i = 0; i < G; i++) {
        let s = 0;
        for (let j = 0; j < G; j++) {
          const v = dens[j];
          if (v !== 0) s += v * kern[i - j + G - 1];
        }
        next[i] = s * dy;
      }
    }
    pDeadAlive *= 1 - pmf[0];
    if (sigmaB2 > 0) {
      // u = log(σ_b² + e^y): move each cell's mass to u(y) by linear (cloud-in-cell) deposition, which
      // conserves mass; the alive mass that fell below the grid (y < lo) maps into
      // [log σ_b², log(σ_b² + e^lo)] and is deposited at u(lo) (the grid starts below log σ_b²).
      const mapped = new Float64Array(G);
      let inGrid = 0;
      for (let i = 0; i < G; i++) inGrid += next[i] * dy;
      const deposit = (u: number, mass: number) => {
        const pos = Math.min(G - 1, Math.max(0, (u - lo) / dy));
        const j = Math.min(G - 2, Math.floor(pos));
        const f = pos - j;
        mapped[j] += (mass * (1 - f)) / dy;
        mapped[j + 1] += (mass * f) / dy;
      };
      for (let i = 0; i < G; i++) if (next[i] > 0) deposit(Math.log(sigmaB2 + Math.exp(ys[i])), next[i] * dy);
      // with σ_b² > 0 nothing dies: the K = 0 mass sits at u = log σ_b², next to the y < lo mass
      const below = 1 - inGrid;
      if (below > 0) deposit(Math.log(sigmaB2 + Math.exp(lo)), below);
      dens = mapped;
    } else dens = next;
    // the point-mass case with s0 is only the first stage
    curPoint = NaN;
  }
  if (dens === null) return { logScale: [0], density: [Infinity], pDead: 0, lost: 0 };
  let total = 0;
  for (let i = 0; i < G; i++) total += dens[i] * dy;
  const pDead = sigmaB2 > 0 ? 0 : 1 - pDeadAlive;
  lost = Math.max(0, 1 - pDead - total);
  return { logScale: ys.map((y) => y - logMean), density: Array.from(dens), pDead, lost };
}

/**
 * Density of the standardised output h/√E[s] at the points `xs`: the Gaussian scale mixture
 * ∫ N(x; 0, s/E[s]) dP(s) over the alive part (the dead part is an atom at 0 of mass pDead).
 */
export function outputDensity(sd: ScaleDensity, xs: readonly number[]): number[] {
  const dt = sd.logScale.length > 1 ? sd.logScale[1] - sd.logScale[0] : 0;
  return xs.map((x) => {
    let f = 0;
    for (let i = 0; i < sd.logScale.length; i++) {
      const v = Math.exp(sd.logScale[i]);
      f += (sd.density[i] * dt * Math.exp((-0.5 * x * x) / v)) / Math.sqrt(2 * Math.PI * v);
    }
    return f;
  });
}
