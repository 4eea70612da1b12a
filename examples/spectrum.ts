/**
 * sigprop/spectrum: the Jacobian spectrum of a critical ReLU network with orthogonal weights, free-probability
 * theory against exact Jacobians of simulated networks (docs/THEORY.md §5). Run: `npx tsx examples/spectrum.ts`.
 */
import { parseActivation } from "sigprop/theory";
import { empiricalSpectrum, spectrumTheory } from "sigprop/spectrum";

const activation = parseActivation("relu");
const depth = 4;
const theory = spectrumTheory({ activation, weights: "orthogonal", depth, qStar: 1 });
const sim = empiricalSpectrum(
  {
    activation,
    sigmaW2: theory.sigmaW2,
    sigmaB2: theory.sigmaB2,
    width: 200,
    depth,
    weights: "orthogonal",
    q0: 1,
  },
  { networks: 6 },
);
const simVariance = sim.moments[1] - sim.moments[0] ** 2;
console.log(`theory mean ${theory.mean} variance ${theory.variance}`);
console.log(`simulated mean ${sim.moments[0].toFixed(4)} variance ${simVariance.toFixed(4)}`);
