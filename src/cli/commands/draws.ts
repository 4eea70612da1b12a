/**
 * `sigprop draws`: outputs of random networks along a great circle of the input space, several draws
 * (src/sim/draws.ts) — Hayou et al.'s ordered (σ_b, σ_w) = (1, 1) vs chaotic (0.3, 2) pictures of 300×20
 * tanh networks — with the mean-field correlation of neighbouring outputs set against the drawn one.
 */
import type { Command } from "commander";
import { action, addModelOptions, CURVE_ACTIVATION, emit, fmt, int, modelFrom } from "../common.js";
import { progressBar } from "../progress.js";

export function register(program: Command) {
  addModelOptions(
    program
      .command("draws")
      .description("outputs of random networks along a 1-D input path (a great circle), several draws"),
    { activation: CURVE_ACTIVATION, sigmaB2: "1" },
  )
    .option("--width <N>", "hidden width", "300")
    .option("--depth <L>", "layers", "20")
    .option("--draws <n>", "independent networks", "5")
    .option("--points <P>", "points on the circle", "200")
    .option("--input-dim <d>", "input dimension (≥ 2)", "2")
    .option("--seed <n>", "random seed (integer ≥ 0)", "0")
    .option("--json", "one JSON object on stdout")
    .action(
      action(async (opts) => {
        const { networkDraws } = await import("../../sim/draws.js");
        const model = modelFrom(opts, 1);
        const bar = opts.json ? null : progressBar("draws");
        const r = networkDraws({
          model,
          width: int("--width", opts.width, 1, 4096),
          depth: int("--depth", opts.depth, 1, 1000),
          draws: int("--draws", opts.draws, 1, 1000),
          points: int("--points", opts.points, 3, 100000),
          inputDim: int("--input-dim", opts.inputDim, 2, 100000),
          seed: int("--seed", opts.seed, 0, 2 ** 31 - 1),
          onProgress: bar?.update,
        });
        bar?.stop();
        const out = {
          activation: r.activation,
          sigma_w2: r.sigmaW2,
          sigma_b2: r.sigmaB2,
          width: r.width,
          depth: r.depth,
          input_dim: r.inputDim,
          seed: r.seed,
          angles: r.angles,
          outputs: r.outputs,
          theory: {
            q_out: r.theory.qOut,
            neighbour_correlation: r.theory.neighbourCorrelation,
          },
          empirical: {
            q_out: r.empirical.qOut,
            q_out_std: r.empirical.qOutStd,
            neighbour_correlation: r.empirical.neighbourCorrelation,
            neighbour_correlation_std: r.empirical.neighbourCorrelationStd,
          },
        };
        emit(!!opts.json, out, () =>
          [
            `${r.outputs.length} draws of a ${r.width}×${r.depth} ${r.activation} network (σ_w² = ${fmt(r.sigmaW2)}, σ_b² = ${fmt(r.sigmaB2)}) along a great circle, ${r.angles.length} points, seed ${r.seed}`,
            `output variance: mean field ${fmt(r.theory.qOut, 6)}, drawn ${fmt(r.empirical.qOut, 6)} ± ${fmt(r.empirical.qOutStd, 3)}`,
            `correlation of neighbouring outputs (Δθ = 2π/${r.angles.length}): mean field ${fmt(r.theory.neighbourCorrelation, 8)}, drawn ${fmt(r.empirical.neighbourCorrelation, 8)} ± ${fmt(r.empirical.neighbourCorrelationStd, 3)}`,
            "θ          " + r.outputs.map((_, i) => `draw ${i + 1}`.padEnd(12)).join(""),
            ...r.angles
              .map((a, k) => ({ a, k }))
              .filter(({ k }) => k % Math.max(1, Math.floor(r.angles.length / 20)) === 0)
              .map(
                ({ a, k }) => fmt(a, 4).padEnd(11) + r.outputs.map((o) => fmt(o[k], 5).padEnd(12)).join(""),
              ),
            "(--json for every point)",
          ].join("\n"),
        );
      }),
    );
}
