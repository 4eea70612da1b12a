/**
 * Training noisy networks on real data (issue 4): the MLP with noise layers, losses, SGD/Adam, the
 * training loop with its trainability criterion, sweeps (shard/resume/merge), the variance-depth
 * experiment, initialisers for users' own jax-js networks, and MSE training on tasks with a known
 * solution (regression.ts, tasks/).
 */
export {
  forward,
  initParams,
  sampleParamsHost,
  layerSizes,
  layerRoles,
  batchStandardize,
  BN_EPS,
  mse,
  crossEntropy,
  taskLoss,
  type MlpSpec,
  type Params,
  type Layer,
  type Task,
  type WeightVariance,
  type InitOptions,
  type LayerRole,
  type ResidualKind,
} from "./mlp.js";
export { architectureProblem, looksLinearProblem } from "./arch.js";
export { evaluationPoint, taskTarget, EVAL_BATCH, type EvalResult } from "./evaluate.js";
export {
  ADAM,
  initOptState,
  stepSize,
  update,
  type OptimizerName,
  type OptState,
  type AdamState,
} from "./optim.js";
export {
  makeFastStep,
  sampleStepNoise,
  stepNoise,
  disposeBnStats,
  type FastStep,
  type BnStats,
  type StepNoiseOptions,
} from "./step.js";
export {
  trainRun,
  baselineLoss,
  disposeTree,
  DEFAULT_TRAINABLE_THRESHOLD,
  type TrainConfig,
  type TrainResult,
  type EpochRecord,
} from "./train.js";
export { CHECKPOINT_FORMAT, CheckpointError, type CheckpointOptions } from "./checkpoint.js";
export {
  INIT_KINDS,
  resolveInit,
  jaxInitializers,
  initSnippetFor,
  type InitKind,
  type InitChoice,
  type Initializer,
  type JaxInitializers,
} from "./init.js";
export {
  planRuns,
  runSweep,
  mergeSweeps,
  type SweepPlan,
  type SweepBase,
  type RunSpec,
  type RunRecord,
  type Merged,
} from "./sweep.js";
export {
  varianceDepth,
  theoryDepth,
  meanSquare,
  type VarianceDepthConfig,
  type VarianceDepthResult,
} from "./varianceDepth.js";
export {
  loadLandscapeModel,
  initialParams,
  filterNormalizedDirection,
  filterNorms,
  lossLine,
  lossPlane,
  trainedLoss,
  gridPoints,
  type LandscapeModel,
  type LoadModelOptions,
  type HostParams,
  type HostLayer,
  type Direction,
  type LossPoint,
  type LossLine,
  type LossPlane,
  type LandscapeOptions,
  type LineOptions,
  type PlaneOptions,
} from "./landscape.js";
export {
  trainRegression,
  specOf,
  uploadNet,
  downloadNet,
  disposeRegressionSteps,
  type RegressionBatch,
  type RegressionConfig,
  type RegressionResult,
  type RegressionSnapshot,
} from "./regression.js";
export * as tasks from "./tasks/index.js";
