/** `sigprop eoc`: the edge-of-chaos curve σ_w²(σ_b²) with the stability of each point. */
import type { Command } from "commander";
import { eocCurve } from "../../theory/critical.js";
import {
  action,
  activationFrom,
  addActivationOption,
  addNoiseOption,
  CURVE_ACTIVATION,
  emit,
  fmt,
  noiseFrom,
  range,
} from "../common.js";
import { checkEstimate, EOC_POINT_S } from "../limits.js";
import { snakeKeys } from "../snakeJson.js";

export function register(program: Command) {
  addNoiseOption(
    addActivationOption(
      program
        .command("eoc")
        .description("edge-of-chaos curve σ_w²(σ_b²) (χ1 = 1, or χ_grad = 1 with multiplicative noise)"),
      CURVE_ACTIVATION,
    ),
  )
    .option("--sigma-b2-range <a:b:n>", "σ_b² values, inclusive", "0:1:11")
    .option("--json", "one JSON object on stdout")
    .action(
      action((opts) => {
        const act = activationFrom(opts);
        const noise = noiseFrom(opts);
        const sb2 = range("--sigma-b2-range", opts.sigmaB2Range, { lo: 0 });
        checkEstimate({
          flag: "--sigma-b2-range",
          value: String(opts.sigmaB2Range),
          what: `${sb2.length} edge-of-chaos points`,
          seconds: sb2.length * EOC_POINT_S,
          heapBytes: sb2.length * 400,
        });
        const r = eocCurve(act, noise, sb2);
        const out = {
          activation: act.spec,
          noise: { kind: noise.kind, mu2: noise.mu2, spec: noise.spec },
          points: snakeKeys(r.points),
          excluded: snakeKeys(r.excluded),
          ...(r.reason ? { reason: r.reason } : {}),
        };
        emit(!!opts.json, out, () => {
          if (r.points.length === 0)
            return `no edge of chaos for ${act.spec} with ${noise.spec}: ${r.reason}`;
          const lines = [
            `edge of chaos for ${act.spec} with ${noise.spec}`,
            "σ_b²          σ_w²          q*            V′(q*)        stable",
          ];
          for (const p of r.points) {
            lines.push(
              [fmt(p.sigmaB2, 8), fmt(p.sigmaW2, 8), Number.isNaN(p.qStar) ? "any q" : fmt(p.qStar, 8)]
                .concat(fmt(p.chiQ, 8))
                .map((x) => x.padEnd(14))
                .join("") + (p.stable ? "yes" : "NO"),
            );
          }
          for (const note of new Set(r.points.flatMap((p) => p.qStarNote ?? [])))
            lines.push(`q* "any q": ${note}`);
          for (const e of r.excluded) lines.push(`σ_b² = ${fmt(e.sigmaB2, 8)}: no point: ${e.reason}`);
          return lines.join("\n");
        });
      }),
    );
}
