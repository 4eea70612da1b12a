/**
 * sigprop/finite-width: the exact output law of a finite ReLU network at He init (Burkholz & Dubatovka;
 * docs/THEORY.md §5) against sampled networks. Run: `npx tsx examples/finite-width.ts`.
 */
import { finiteWidthLaw, kurtosisEstimate, sampleReluNetworkOutputs } from "sigprop/finite-width";

const width = 20;
const depth = 6;
// a fixed input: s_1 is deterministic and depth − 1 random stages follow
const law = finiteWidthLaw({ width, stages: depth - 1, sigmaW2: 2, sigmaB2: 0, s0: 2 });
const samples = sampleReluNetworkOutputs({
  width,
  depth,
  sigmaW2: 2,
  sigmaB2: 0,
  xNorm2: 1,
  networks: 4000,
  seed: 7,
});
const k = kurtosisEstimate(samples.h2, samples.h4);
console.log(`exact kurtosis ${law.kurtosis[law.kurtosis.length - 1].toFixed(4)} (mean field 3)`);
console.log(`sampled kurtosis ${k.kurtosis.toFixed(4)} ± ${k.se.toFixed(4)}`);
