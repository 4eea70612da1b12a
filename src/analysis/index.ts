/**
 * Analyses of representations and kernels on data (docs/THEORY.md §6, §9): SVCCA (Raghu et al. 2017) of
 * two representations and across the layers of random networks, and GP regression with the noisy NNGP/NTK
 * on MNIST-style data. Public entry `sigprop/analysis` (example: examples/analysis.ts).
 */
export { svcca, svReduce, type Representation, type SvccaOptions, type SvccaResult } from "./svcca.js";
export {
  defaultSvccaConfigs,
  svccaExperiment,
  type SvccaConfig,
  type SvccaCurve,
  type SvccaExperimentOptions,
} from "./svccaExperiment.js";
export { gpRun, gpSubset, type GpRunOptions, type GpRunResult, type GpSubset } from "./gpExperiment.js";
