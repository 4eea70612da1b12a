/**
 * sigprop/theory: the critical initialisation of a ReLU network with dropout and what the mean-field theory
 * predicts there (docs/THEORY.md §2). Run: `npx tsx examples/theory.ts`.
 */
import { analyze, criticalInit, parseActivation, parseNoise } from "sigprop/theory";

const activation = parseActivation("relu");
const noise = parseNoise("dropout:keep=0.6");
const crit = criticalInit(activation, noise); // σ_w² = 2p for ReLU with dropout keep p
const a = analyze({ activation, noise, sigmaW2: crit.sigmaW2!, sigmaB2: 0 });
console.log(`critical sigma_w2 ${crit.sigmaW2}`);
console.log(`c* ${a.cStar}`);
console.log(`xi_c ${a.xiC}`);
console.log(`trainable depth ${a.trainableDepth}`);
