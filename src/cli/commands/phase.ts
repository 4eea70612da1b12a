/**
 * `sigprop phase`: the deciding slope (χ1, or χ_grad with multiplicative noise; critical.ts `phaseSlope`),
 * ξ_c and the phase over a σ_w² × σ_b² grid.
 */
import type { Command } from "commander";
import { phaseSlope } from "../../theory/critical.js";
import { phaseGrid } from "../../theory/phase.js";
import {
  action,
  activationFrom,
  addActivationOption,
  addNoiseOption,
  CURVE_ACTIVATION,
  emit,
  fmt,
  noiseFrom,
  num,
  range,
} from "../common.js";
import { checkEstimate, JSON_CHARS_PER_NUMBER, PHASE_CELL_S } from "../limits.js";
import { progressBar } from "../progress.js";
import { snakeKeys } from "../snakeJson.js";

/** Short phase names for the text table. */
const PHASE_SHORT = {
  ordered: "ord",
  chaotic: "chaos",
  edge_of_chaos: "EOC",
  unbounded: "unbnd",
  vanishing: "vanish",
  none: "—",
} as const;

export function register(program: Command) {
  addNoiseOption(
    addActivationOption(
      program
        .command("phase")
        .description("phase diagram: χ1 (χ_grad with multiplicative noise), ξ_c and phase over σ_w² × σ_b²"),
      CURVE_ACTIVATION,
    ),
  )
    .option("--sigma-w2-range <a:b:n>", "σ_w² values", "0.5:4:8")
    .option("--sigma-b2-range <a:b:n>", "σ_b² values", "0:0.5:6")
    .option("--q0 <q>", "input variance q⁰", "1")
    .option("--c0 <c>", "input correlation c⁰", "0.5")
    .option("--json", "one JSON object on stdout")
    .action(
      action((opts) => {
        const act = activationFrom(opts);
        const noise = noiseFrom(opts);
        const sw = range("--sigma-w2-range", opts.sigmaW2Range, { lo: 0, loOpen: true });
        const sb = range("--sigma-b2-range", opts.sigmaB2Range, { lo: 0 });
        // seven fields per cell (χ1, χ_grad, ξ_c, χ_c, q*, c*, phase): arrays, the JSON text and the table
        const cells = sw.length * sb.length;
        const bigger = sw.length >= sb.length ? "--sigma-w2-range" : "--sigma-b2-range";
        checkEstimate({
          flag: bigger,
          value: String(bigger === "--sigma-w2-range" ? opts.sigmaW2Range : opts.sigmaB2Range),
          what: `a ${sw.length} × ${sb.length} phase grid (σ_w² × σ_b²)`,
          seconds: cells * PHASE_CELL_S,
          heapBytes: cells * 7 * (16 + 2 * JSON_CHARS_PER_NUMBER),
          jsonChars: cells * 7 * JSON_CHARS_PER_NUMBER,
        });
        const bar = progressBar("phase");
        const g = phaseGrid(act, noise, {
          sigmaW2s: sw,
          sigmaB2s: sb,
          q0: num("--q0", opts.q0),
          c0: num("--c0", opts.c0),
          onProgress: bar.update,
        });
        bar.stop();
        const slope = phaseSlope(noise);
        const out = {
          activation: act.spec,
          noise: { kind: noise.kind, mu2: noise.mu2, spec: noise.spec },
          // the slope that decides each cell's phase; cells without a positive q* are "unbounded"/"vanishing"
          decided_by: slope,
          ...(snakeKeys(g) as Record<string, unknown>),
        };
        emit(!!opts.json, out, () => {
          const name = slope === "chi_grad" ? "χ_grad" : "χ1";
          const cellSlope = slope === "chi_grad" ? g.chiGrad : g.chi1;
          const lines = [
            `phase diagram for ${act.spec} with ${noise.spec}: rows σ_b², columns σ_w²; each cell ${name} / ξ_c / phase`,
            `phase decided by ${name}${slope === "chi_grad" ? " (multiplicative noise)" : ""}; "unbounded"/"vanishing": q^l → ∞/0, no fixed point q*`,
          ];
          lines.push("σ_b² \\ σ_w²".padEnd(12) + sw.map((x) => fmt(x, 4).padEnd(22)).join(""));
          g.sigmaB2.forEach((b, i) => {
            lines.push(
              fmt(b, 4).padEnd(12) +
                sw
                  .map((_, j) =>
                    `${fmt(cellSlope[i][j], 4)}/${g.xiC[i][j] === null ? (g.chiC[i][j] === null ? "—" : "∞") : fmt(g.xiC[i][j], 4)}/${PHASE_SHORT[g.phase[i][j] ?? "none"]}`.padEnd(
                      22,
                    ),
                  )
                  .join(""),
            );
          });
          return lines.join("\n");
        });
      }),
    );
}
