/**
 * Ready-to-paste initialiser snippets for PyTorch, TensorFlow.js and JAX/Flax: W ~ N(0, σ_w²/fan_in),
 * b ~ N(0, σ_b²), with the keep-vs-rate convention of each framework spelled out (all three frameworks'
 * dropout layers take the DROP rate r = 1 − p).
 */
import type { Noise } from "./noise.js";

export type SnippetFormat = "torch" | "tfjs" | "jax";
export const SNIPPET_FORMATS: SnippetFormat[] = ["torch", "tfjs", "jax"];

function dropoutLine(noise: Noise, fw: SnippetFormat): string {
  if (noise.kind !== "dropout" || noise.keep === undefined) {
    return noise.type === "none"
      ? ""
      : `# noise ${noise.spec} (μ2 = ${noise.mu2}): add it yourself after each activation`;
  }
  const rate = +(1 - noise.keep).toPrecision(12);
  const c = fw === "tfjs" ? "//" : "#";
  const layer =
    fw === "torch"
      ? `nn.Dropout(p=${rate})`
      : fw === "tfjs"
        ? `tf.layers.dropout({ rate: ${rate} })`
        : `nn.Dropout(rate=${rate})`;
  return `${c} dropout: keep probability p = ${noise.keep} (the paper's p) = DROP RATE ${rate} in this framework: ${layer}`;
}

/** The snippet text for a critical (or chosen) initialisation. */
export function initSnippet(
  fw: SnippetFormat,
  sigmaW2: number,
  sigmaB2: number,
  noise: Noise,
  label: string,
): string {
  const head = `sigprop: ${label}; σ_w² = ${sigmaW2}, σ_b² = ${sigmaB2}, μ2 = ${noise.mu2}`;
  const drop = dropoutLine(noise, fw);
  if (fw === "torch") {
    return [
      `# ${head}`,
      "import math",
      "import torch.nn as nn",
      `SIGMA_W2, SIGMA_B2 = ${sigmaW2}, ${sigmaB2}`,
      "",
      "def sigprop_init_(module):",
      "    if isinstance(module, nn.Linear):",
      "        nn.init.normal_(module.weight, 0.0, math.sqrt(SIGMA_W2 / module.in_features))",
      "        if module.bias is not None:",
      "            nn.init.normal_(module.bias, 0.0, math.sqrt(SIGMA_B2))",
      "",
      "# model.apply(sigprop_init_)",
      drop,
    ]
      .filter((l, i, a) => l !== "" || i < a.length - 1)
      .join("\n");
  }
  if (fw === "tfjs") {
    return [
      `// ${head}`,
      `const SIGMA_W2 = ${sigmaW2}, SIGMA_B2 = ${sigmaB2};`,
      "// fanIn = number of inputs of the dense layer",
      "const dense = (units, fanIn) => tf.layers.dense({",
      "  units,",
      "  kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(SIGMA_W2 / fanIn) }),",
      "  biasInitializer: SIGMA_B2 > 0 ? tf.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(SIGMA_B2) }) : 'zeros',",
      "});",
      drop.replace(/^#/, "//"),
    ].join("\n");
  }
  return [
    `# ${head}`,
    "import jax, jax.numpy as jnp",
    `SIGMA_W2, SIGMA_B2 = ${sigmaW2}, ${sigmaB2}`,
    '# "normal" here is the untruncated normal: W ~ N(0, SIGMA_W2 / fan_in)',
    'kernel_init = jax.nn.initializers.variance_scaling(SIGMA_W2, "fan_in", "normal")',
    "bias_init = jax.nn.initializers.normal(stddev=jnp.sqrt(SIGMA_B2)) if SIGMA_B2 > 0 else jax.nn.initializers.zeros",
    "# flax: nn.Dense(features, kernel_init=kernel_init, bias_init=bias_init)",
    drop,
  ].join("\n");
}
