/**
 * Jacobian spectra (docs/THEORY.md §5): the free-probability theory of the spectrum of J Jᵀ (float64, from
 * src/theory/spectrum) next to exact empirical spectra of simulated networks, their histograms and the
 * looks-linear initialisation. Public entry `sigprop/spectrum` (example: examples/spectrum.ts).
 */
export { spectrumTheory, type SpectrumTheory, type SpectrumTheoryInput } from "../theory/spectrum/index.js";
export {
  empiricalSpectrum,
  hutchinsonMoments,
  jacobian,
  jjtEigenvalues,
  sampleNetwork,
  type EmpiricalSpectrum,
  type JacobianSpec,
  type SampledNetwork,
} from "./jacobian.js";
export { spectrumHistogram, type SpectrumHistogram } from "./histogram.js";
export {
  linearForward,
  looksLinearInit,
  reluForward,
  reluJacobian,
  type DenseLayer,
  type LooksLinearNet,
} from "./looksLinear.js";
