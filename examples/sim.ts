/**
 * sigprop/sim: Monte Carlo of finite noisy networks against the theory's variance and correlation
 * (docs/THEORY.md §4). Run: `npx tsx examples/sim.ts`.
 */
import { dynamics, parseActivation, parseNoise } from "sigprop/theory";
import { maxAbsZ, simulateDynamics, zScores } from "sigprop/sim";

const model = {
  activation: parseActivation("tanh"),
  noise: parseNoise("gauss_mult:std=0.3"),
  sigmaW2: 1.5,
  sigmaB2: 0.05,
};
const depth = 8;
const sim = await simulateDynamics(
  { model, width: 300, depth, networks: 8, seed: 1, weights: "gaussian" },
  1,
  [0.5],
);
const theory = dynamics(model, { depth, q0: 1, c0: 0.5 });
// entry l is layer l (0 = the inputs), as in the theory's trajectory
const zq = zScores(sim.variance, theory.q, sim.networks);
const zc = zScores(sim.correlation[0], theory.c, sim.networks);
console.log(
  `layer ${depth}: variance ${sim.variance.mean[depth].toFixed(4)} (theory ${theory.q[depth].toFixed(4)})`,
);
console.log(
  `correlation ${sim.correlation[0].mean[depth].toFixed(4)} (theory ${theory.c[depth]!.toFixed(4)})`,
);
console.log(`max |z| over layers ${Math.max(maxAbsZ(zq), maxAbsZ(zc)).toFixed(2)}`);
