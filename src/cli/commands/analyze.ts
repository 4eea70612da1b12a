/** `sigprop analyze`: fixed points, slopes, depth scales and phase of one model (THEORY.md §2). */
import type { Command } from "commander";
import { analyze } from "../../theory/analyze.js";
import { action, addModelOptions, emit, fmt, modelFrom, num } from "../common.js";

export function register(program: Command) {
  addModelOptions(
    program
      .command("analyze")
      .description("fixed points q*, c*, slopes χ, depth scales ξ and phase for one initialisation"),
  )
    .option("--q0 <q>", "input variance q⁰", "1")
    .option("--c0 <c>", "input correlation c⁰", "0.5")
    .option("--json", "one JSON object on stdout")
    .action(
      action((opts) => {
        const m = modelFrom(opts);
        const r = analyze(
          m,
          num("--q0", opts.q0, "a number > 0"),
          num("--c0", opts.c0, "a number in [-1, 1]"),
        );
        emit(!!opts.json, r, () =>
          [
            `activation ${r.activation}, noise ${r.noise.spec} (${r.noise.type}, μ2 = ${fmt(r.noise.mu2)}${r.noise.keep !== undefined ? `, keep p = ${fmt(r.noise.keep)} = drop rate ${fmt(r.noise.rate)}` : ""})`,
            `σ_w² = ${fmt(r.sigma_w2)}, σ_b² = ${fmt(r.sigma_b2)}, q⁰ = ${fmt(r.q0)}, c⁰ = ${fmt(r.c0)}`,
            `q*      ${fmt(r.q_star)}  (${r.q_status})`,
            `χ_q     ${fmt(r.chi_q)}   ξ_q ${r.xi_q === null ? "∞" : fmt(r.xi_q)}`,
            `χ1      ${fmt(r.chi1)}   phase ${r.phase ?? "—"}`,
            `χ_grad  ${fmt(r.chi_grad)}`,
            `c*      ${fmt(r.c_star)}  (${r.c_status})`,
            `χ_c     ${fmt(r.chi_c)}   ξ_c ${r.xi_c === null ? (r.chi_c === null ? "—" : "∞") : fmt(r.xi_c)}`,
            `trainable depth ≈ 6ξ_c = ${r.trainable_depth === null ? (r.chi_c === null ? "—" : "∞") : fmt(r.trainable_depth, 4)}`,
            ...r.notes.map((n) => `note: ${n}`),
          ].join("\n"),
        );
      }),
    );
}
