/**
 * `sigprop rates`: Hayou et al.'s convergence of the correlation on the edge of chaos (theory/rates.ts):
 * the EOC point at --sigma-b2, the rate constant (9π²/2 for ReLU, β_q = 2E[φ′²]/(q E[φ″²]) for smooth φ)
 * and the exact mean-field iteration l^k(1 − c^l) approaching it.
 */
import type { Command } from "commander";
import { eocCorrelationDecay } from "../../theory/rates.js";
import { action, activationFrom, addActivationOption, emit, fmt, int, num } from "../common.js";

export function register(program: Command) {
  addActivationOption(program.command("rates"))
    .description(
      "convergence rate of the correlation on the edge of chaos (Hayou et al. 2019): 1 − c^l ~ 9π²/(2l²) for ReLU, β_q/l for smooth φ",
    )
    .option("--sigma-b2 <y>", "bias variance σ_b² of the EOC point (0 for the ReLU family)", "0")
    .option("--depth <L>", "layers to iterate", "1000")
    .option("--c0 <c>", "input correlation c⁰", "0.5")
    .option("--json", "one JSON object on stdout")
    .action(
      action((opts) => {
        const act = activationFrom(opts);
        const sb2 = num("--sigma-b2", opts.sigmaB2, "a number ≥ 0");
        const depth = int("--depth", opts.depth, 1, 1000000);
        const c0 = num("--c0", opts.c0, "a number in [-1, 1)");
        const r = eocCorrelationDecay(act, sb2, { depth, c0 });
        const out = {
          activation: act.spec,
          sigma_w2: r.sigmaW2,
          sigma_b2: r.sigmaB2,
          q_star: r.qStar,
          eoc_stable: r.eocStable,
          kind: r.rate.kind,
          constant: r.rate.constant,
          formula: r.rate.formula,
          depth,
          c0,
          l: r.l,
          one_minus_c: r.oneMinusC,
          predicted: r.predicted,
          scaled: r.scaled,
          notes: r.notes,
        };
        const k = r.rate.kind === "inverse_square" ? "l²" : "l";
        emit(!!opts.json, out, () =>
          [
            `${act.spec} on the edge of chaos: σ_w² = ${fmt(r.sigmaW2)}, σ_b² = ${fmt(r.sigmaB2)}, q* = ${fmt(r.qStar)}`,
            `rate: ${r.rate.formula}${r.rate.constant === null ? "" : `, constant = ${fmt(r.rate.constant)}`}`,
            `layer l      1 − c^l           ${r.rate.constant === null ? "" : `${k}(1 − c^l) → ${fmt(r.rate.constant, 8)}`}`,
            ...r.l
              .map((l, i) => ({ l, i }))
              .filter(({ i }) => i % 6 === 0 || i === r.l.length - 1)
              .map(
                ({ l, i }) =>
                  `${String(l).padEnd(13)}${fmt(r.oneMinusC[i], 8).padEnd(18)}${r.scaled[i] === null ? "" : fmt(r.scaled[i], 8)}`,
              ),
            ...r.notes.map((n) => `note: ${n}`),
          ].join("\n"),
        );
      }),
    );
}
