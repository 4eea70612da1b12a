/**
 * Truncated power series for free multiplicative convolution (Voiculescu's S-transform).
 *
 * For a spectral measure with moments m_k = ∫λ^k dρ, the moment generating function is
 * M(z) = Σ_{k≥1} m_k z^k, its compositional inverse χ = M^{-1}, and S(z) = (1+z)/z · χ(z).
 * For free A, B: S_{AB} = S_A S_B. Working with series truncated at order K, the first K moments of a
 * product follow exactly from the first K moments of each factor.
 */

/** Series product truncated to `n` coefficients (index = power). */
export function mulSeries(a: readonly number[], b: readonly number[], n: number): number[] {
  const out = new Array<number>(n).fill(0);
  for (let i = 0; i < n && i < a.length; i++) {
    for (let j = 0; i + j < n && j < b.length; j++) out[i + j] += a[i] * b[j];
  }
  return out;
}

/**
 * Compositional inverse of f(x) = Σ_{k=1}^{K} f_k x^k (f[0] must be 0, f[1] ≠ 0), to order K.
 * Returns g with g[0] = 0 and f(g(z)) = z + O(z^{K+1}).
 */
export function revertSeries(f: readonly number[], K: number): number[] {
  if (!(f[1] !== 0 && Number.isFinite(f[1])))
    throw new RangeError("revertSeries: f'(0) must be finite and non-zero");
  const g = new Array<number>(K + 1).fill(0);
  g[1] = 1 / f[1];
  for (let n = 2; n <= K; n++) {
    // coefficient of z^n in f(g(z)) with the current g (g_n = 0 so far)
    let pow = g.slice(0, K + 1); // g^1
    let cn = f[1] * pow[n];
    for (let k = 2; k <= n && k < f.length; k++) {
      pow = mulSeries(pow, g, K + 1);
      cn += f[k] * pow[n];
    }
    g[n] = -cn / f[1];
  }
  return g;
}

/** S-transform coefficients s_0..s_{K-1} from moments m_1..m_K (moments[0] = m_1). */
export function sFromMoments(moments: readonly number[]): number[] {
  const K = moments.length;
  const f = [0, ...moments];
  const chi = revertSeries(f, K); // chi[1..K]
  // S(z) = (1+z) Σ_{k≥1} chi_k z^{k-1}
  const base = chi.slice(1); // length K
  return mulSeries([1, 1], base, K);
}

/** Moments m_1..m_K from S-transform coefficients s_0..s_{K-1}. */
export function momentsFromS(s: readonly number[]): number[] {
  const K = s.length;
  // χ(z) = z S(z)/(1+z); 1/(1+z) = Σ (−z)^k
  const inv = Array.from({ length: K }, (_, k) => (k % 2 === 0 ? 1 : -1));
  const sOver = mulSeries(s, inv, K); // S/(1+z), coefficients 0..K-1
  const chi = [0, ...sOver];
  const m = revertSeries(chi, K);
  return m.slice(1);
}

/** Catalan numbers C_1..C_K (moments of the Marchenko–Pastur law with ratio 1, unit scale). */
export function catalan(K: number): number[] {
  const out: number[] = [];
  let c = 1;
  for (let k = 1; k <= K; k++) {
    c = (c * 2 * (2 * k - 1)) / (k + 1);
    out.push(c);
  }
  return out;
}
