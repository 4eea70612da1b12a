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
        const r = analyze(m, q0, c0);
        const out: Record<string, unknown> = { ...r };
        const extra: string[] = [];
        if (res) {
          const t = residualDynamics(m, depth, res, q0, c0);
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
            `σ_w² = ${fmt(r.sigma_w2)}, σ_b² = ${fmt(r.sigma_b2)}, q⁰ = ${fmt(r.q0)}, c⁰ = ${fmt(r.c0)}`,
            `q*      ${fmt(r.q_star)}  (${r.q_status})`,
            `χ_q     ${fmt(r.chi_q)}   ξ_q ${r.xi_q === null ? (r.chi_q === null ? "—" : "∞") : fmt(r.xi_q)}`,
            `χ1      ${fmt(r.chi1)}`,
            `χ_grad  ${fmt(r.chi_grad)}`,
            `phase   ${r.phase}, decided by ${DECIDED_BY_TEXT[r.decided_by]}: ${r.phase_reason}`,
            `c*      ${fmt(r.c_star)}  (${r.c_status})`,
            `χ_c     ${fmt(r.chi_c)}   ξ_c ${r.xi_c === null ? (r.chi_c === null ? "—" : "∞") : fmt(r.xi_c)}`,
            `trainable depth ≈ 6ξ_c = ${r.trainable_depth === null ? (r.chi_c === null ? "—" : "∞") : fmt(r.trainable_depth, 4)}`,
            ...r.notes.map((n) => `note: ${n}`),
            ...extra,
          ].join("\n"),
        );
      }),
    );
}
