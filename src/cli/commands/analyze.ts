/**
 * `sigprop analyze`: fixed points, slopes, depth scales and phase of one model (docs/THEORY.md §2);
 * `--residual reduced|full` adds the residual network's recursion at `--depth` and its depth law
 * (theory/residual.ts); `--batchnorm` adds the large-batch gradient growth of a batch-normalised network
 * (theory/batchnorm.ts).
 */
import type { Command } from "commander";
import { analyze } from "../../theory/analyze.js";
import { batchNormGradientGrowth } from "../../theory/batchnorm.js";
import { residualDynamics, residualLaw } from "../../theory/residual.js";
import { action, addModelOptions, emit, fmt, int, modelFrom, num } from "../common.js";
import { addResidualOptions, lawJson, lawText, residualFrom } from "../residualOptions.js";
import { snakeKeys } from "../snakeJson.js";

/** How the text mode names what decided the phase (the JSON has `decided_by`). */
const DECIDED_BY_TEXT = { chi1: "χ1", chi_grad: "χ_grad", q_star: "q*" } as const;

export function register(program: Command) {
  addResidualOptions(
    addModelOptions(
      program
        .command("analyze")
        .description("fixed points q*, c*, slopes χ, depth scales ξ and phase for one initialisation"),
    ),
  )
    .option("--q0 <q>", "input variance q⁰", "1")
    .option("--c0 <c>", "input correlation c⁰", "0.5")
    .option("--depth <L>", "with --residual: report q^L and c^L of the residual recursion", "50")
    .option("--batchnorm", "also report the large-batch gradient growth per layer with batch norm")
    .option("--json", "one JSON object on stdout")
    .action(
      action((opts) => {
        const m = modelFrom(opts);
        const res = residualFrom(opts);
        const q0 = num("--q0", opts.q0, "a number > 0");
        const c0 = num("--c0", opts.c0, "a number in [-1, 1]");
        const depth = int("--depth", opts.depth, 1, 100000);
        const r = analyze(m, { q0, c0 });
        const out = snakeKeys(r) as Record<string, unknown>;
        const extra: string[] = [];
        if (res) {
          const t = residualDynamics(m, { ...res, depth, q0, c0 });
          const law = residualLaw(m, res);
          out.residual = {
            variant: res.variant,
            ...(res.variant === "full" ? { sigma_v2: res.sigmaV2, sigma_a2: res.sigmaA2 } : {}),
            depth,
            q_at_depth: t.q[depth],
            c_at_depth: t.c[depth],
            law: lawJson(law),
            note: "q*, χ and ξ above describe the branch as a plain layer; the residual stream has no finite fixed point in general",
          };
          extra.push(
            `residual (${res.variant}${res.variant === "full" ? `, σ_v² = ${fmt(res.sigmaV2)}, σ_a² = ${fmt(res.sigmaA2)}` : ""}): q^${depth} = ${fmt(t.q[depth])}, c^${depth} = ${fmt(t.c[depth])}`,
            ...lawText(law, (x) => fmt(x, 8)),
            "note: q*, χ and ξ above describe the branch as a plain layer",
          );
        }
        if (opts.batchnorm) {
          const bn = batchNormGradientGrowth(m.activation);
          out.bn_gradient_growth = bn.gradientGrowth;
          out.bn_depth_scale = bn.depthScale;
          extra.push(
            `batch norm (large batch): squared gradient norm grows ×${fmt(bn.gradientGrowth)} per layer (e-fold every ${bn.depthScale === null ? "∞" : fmt(bn.depthScale, 6)} layers), whatever σ_w², σ_b²`,
          );
          if (m.noise.type !== "none") {
            out.bn_note = "bn_gradient_growth is the noiseless large-batch value; noise is not included";
            extra.push(`note: ${out.bn_note}`);
          }
        }
        emit(!!opts.json, out, () =>
          [
            `activation ${r.activation}, noise ${r.noise.spec} (${r.noise.type}, μ2 = ${fmt(r.noise.mu2)}${r.noise.keep !== undefined ? `, keep p = ${fmt(r.noise.keep)} = drop rate ${fmt(r.noise.rate)}` : ""})`,
            `σ_w² = ${fmt(r.sigmaW2)}, σ_b² = ${fmt(r.sigmaB2)}, q⁰ = ${fmt(r.q0)}, c⁰ = ${fmt(r.c0)}`,
            `q*      ${fmt(r.qStar)}  (${r.qStatus})`,
            `χ_q     ${fmt(r.chiQ)}   ξ_q ${r.xiQ === null ? (r.chiQ === null ? "—" : "∞") : fmt(r.xiQ)}`,
            `χ1      ${fmt(r.chi1)}`,
            `χ_grad  ${fmt(r.chiGrad)}`,
            `phase   ${r.phase}, decided by ${DECIDED_BY_TEXT[r.decidedBy]}: ${r.phaseReason}`,
            `c*      ${fmt(r.cStar)}  (${r.cStatus})`,
            `χ_c     ${fmt(r.chiC)}   ξ_c ${r.xiC === null ? (r.chiC === null ? "—" : "∞") : fmt(r.xiC)}`,
            `trainable depth ≈ 6ξ_c = ${r.trainableDepth === null ? (r.chiC === null ? "—" : "∞") : fmt(r.trainableDepth, 4)}`,
            ...r.notes.map((n) => `note: ${n}`),
            ...extra,
          ].join("\n"),
        );
      }),
    );
}
