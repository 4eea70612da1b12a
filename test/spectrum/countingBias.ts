/**
 * Development script behind the bias table in counting.ts (not a test): the finite-width bias
 * E[F_N(t)] − F(t) of the eigenvalue counting function at the points the spectrum tests use, at several
 * widths, with N·bias and √N·bias (which of them stays constant tells the order) and their SEs.
 *
 *   npx tsx test/spectrum/countingBias.ts relu-gaussian|relu-orthogonal|tanh 32,64,128 240
 *
 * Network r of seed 1000 + N for width N. ReLU rows add t = 1e-9·edge (the zero atom) in front.
 */
import { makeActivation } from "../../src/theory/activations.js";
import { criticalFromQStar } from "../../src/theory/critical.js";
import { pwlSpectrum } from "../../src/theory/spectrum/density.js";
import { smoothDensity } from "../../src/theory/spectrum/smoothDensity.js";
import { densityIntegral, pwlIntegral } from "../../src/spectra/histogram.js";
import {
  jacobian,
  jjtEigenvalues,
  sampleNetwork,
  type JacobianSpec as Spec,
} from "../../src/spectra/jacobian.js";

/** The same estimate as countingFunction in counting.ts (which imports vitest, so cannot run here). */
function countingFunction(
  spec: Spec,
  nets: number,
  seed: number,
  ts: number[],
): { mean: number; se: number }[] {
  const N = spec.width;
  const per: number[][] = [];
  for (let r = 0; r < nets; r++) {
    const ev = jjtEigenvalues(jacobian(sampleNetwork(spec, { seed, net: r })), N);
    per.push(ts.map((t) => ev.filter((x) => x <= t).length / N));
  }
  return ts.map((_, j) => {
    const xs = per.map((r) => r[j]);
    const m = xs.reduce((a, b) => a + b, 0) / nets;
    return { mean: m, se: Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (nets - 1) / nets) };
  });
}

const [which = "relu-gaussian", widths = "32,64", netsArg = "120"] = process.argv.slice(2);
const nets = Number(netsArg);
let make: (N: number) => Spec;
let ts: number[];
let cdf: number[];
if (which.startsWith("relu")) {
  const weights = which === "relu-orthogonal" ? "orthogonal" : "gaussian";
  const inp = { p: 0.5, sigmaW2: 2, depth: 4, weights } as const;
  const edge = pwlSpectrum(inp).edge as number;
  ts = [1e-9, 0.05, 0.2, 0.5].map((f) => f * edge);
  cdf = ts.map((t) => 0.5 + pwlIntegral(inp, 0, t));
  const relu = makeActivation("relu");
  make = (N) => ({ activation: relu, sigmaW2: 2, sigmaB2: 0, width: N, depth: 4, weights, q0: 1 });
} else {
  const act = makeActivation("tanh");
  const q = 0.05;
  const c = criticalFromQStar(act, q);
  const th = { activation: act, q, sigmaW2: c.sigmaW2, depth: 8, weights: "orthogonal" as const };
  const edge = smoothDensity(th, { xs: [] }).edge;
  ts = [0.25, 0.5, 0.75].map((f) => f * edge);
  cdf = ts.map((t) => densityIntegral(th, 0, t));
  make = (N) => ({
    activation: act,
    sigmaW2: c.sigmaW2,
    sigmaB2: c.sigmaB2,
    width: N,
    depth: 8,
    weights: "orthogonal",
    q0: q,
  });
}
console.log(`${which}: limit F(t) = ${cdf.map((x) => x.toFixed(5)).join(", ")}`);
for (const N of widths.split(",").map(Number)) {
  const t0 = Date.now();
  const res = countingFunction(make(N), nets, 1000 + N, ts);
  console.log(`N = ${N}, ${nets} networks, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  res.forEach(({ mean, se }, j) => {
    const b = mean - cdf[j];
    console.log(
      `  t${j}: bias ${b.toFixed(4)} ± ${se.toFixed(4)}   N·bias ${(N * b).toFixed(2)} ± ${(N * se).toFixed(2)}` +
        `   √N·bias ${(Math.sqrt(N) * b).toFixed(3)} ± ${(Math.sqrt(N) * se).toFixed(3)}`,
    );
  });
}
