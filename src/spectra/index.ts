/**
 * Jacobian spectra (docs/THEORY.md §5): the free-probability theory of the spectrum of J Jᵀ (float64, from
 * src/theory/spectrum) next to exact empirical spectra of simulated networks and their histograms, and the
 * looks-linear initialisation (its one home is src/engine/looksLinear.ts). Public entry `sigprop/spectrum`
 * (example: examples/spectrum.ts).
 */
export { spectrumTheory, type SpectrumTheory, type SpectrumTheoryInput } from "../theory/spectrum/index.js";
export {
  empiricalSpectrum,
  hutchinsonMoments,
  jacobian,
  jjtEigenvalues,
  sampleNetwork,
  type EmpiricalSpectrum,
  type EmpiricalSpectrumOptions,
  type HutchinsonOptions,
  type JacobianSpec,
  type SampledNetwork,
} from "./jacobian.js";
export { spectrumHistogram, type SpectrumHistogram, type SpectrumHistogramOptions } from "./histogram.js";
export {
  linearForward,
  looksLinearInit,
  reluForward,
  reluJacobian,
  type DenseLayer,
  type LooksLinearNet,
} from "../engine/looksLinear.js";
