/** `sigprop critical`: the critical initialisation for an activation and noise, or why none exists. */
import type { Command } from "commander";
import { InputError } from "../../theory/errors.js";
import { criticalInit } from "../../theory/critical.js";
import { initSnippet, SNIPPET_FORMATS, type SnippetFormat } from "../../theory/snippets.js";
import {
  action,
  activationFrom,
  addActivationOption,
  addNoiseOption,
  emit,
  fmt,
  noiseFrom,
  num,
} from "../common.js";

export function register(program: Command) {
  addNoiseOption(addActivationOption(program.command("critical")))
    .description(
      "critical σ_w² (ReLU family: 2/μ2; other φ: the edge-of-chaos point at --sigma-b2); 'none exists' for additive noise with ReLU",
    )
    .option("--sigma-b2 <y>", "bias variance σ_b² (required outside the ReLU family)")
    .option("--format <fw>", "print an initialiser snippet: torch | tfjs | jax")
    .option("--json", "one JSON object on stdout")
    .action(
      action((opts) => {
        const act = activationFrom(opts);
        const noise = noiseFrom(opts);
        const sb2 = opts.sigmaB2 === undefined ? undefined : num("--sigma-b2", opts.sigmaB2, "a number ≥ 0");
        if (opts.format !== undefined && !SNIPPET_FORMATS.includes(opts.format)) {
          throw new InputError("--format", String(opts.format), SNIPPET_FORMATS.join(" | "));
        }
        const r = criticalInit(act, noise, sb2);
        const out = {
          activation: act.spec,
          noise: {
            kind: noise.kind,
            type: noise.type,
            mu2: noise.mu2,
            spec: noise.spec,
            ...(noise.keep !== undefined ? { keep: noise.keep, rate: noise.rate } : {}),
          },
          exists: r.exists,
          sigma_w2: r.sigmaW2,
          sigma_b2: r.sigmaB2,
          mu2: r.mu2,
          q_star: r.qStar,
          chi_q: r.chiQ,
          stable: r.stable,
          method: r.method,
          ...(r.reason ? { reason: r.reason } : {}),
          ...(r.note ? { note: r.note } : {}),
          ...(opts.format && r.exists && r.sigmaW2 !== null
            ? {
                format: opts.format,
                snippet: initSnippet(
                  opts.format as SnippetFormat,
                  r.sigmaW2,
                  r.sigmaB2,
                  noise,
                  `critical init for ${act.spec} with ${noise.spec}`,
                ),
              }
            : {}),
        };
        emit(!!opts.json, out, () => {
          if (!r.exists)
            return `no critical initialisation exists for ${act.spec} with ${noise.spec}:\n${r.reason}`;
          if (opts.format) return out.snippet as string;
          return [
            `critical initialisation for ${act.spec} with ${noise.spec} (μ2 = ${fmt(noise.mu2)}${noise.keep !== undefined ? `, keep p = ${fmt(noise.keep)}, drop rate ${fmt(noise.rate)}` : ""}):`,
            `σ_w² = ${fmt(r.sigmaW2)}   σ_b² = ${fmt(r.sigmaB2)}`,
            `q* = ${r.qStar === null ? "any (marginal)" : fmt(r.qStar)}   V′(q*) = ${fmt(r.chiQ)}${r.stable === false ? "  UNSTABLE" : ""}`,
            ...(r.note ? [`note: ${r.note}`] : []),
          ].join("\n");
        });
      }),
    );
}
