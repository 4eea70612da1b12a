/**
 * `sigprop svcca`: SVCCA similarity (Raghu et al. 2017; docs/THEORY.md §6) between two representations given
 * as CSV files (rows = inputs, columns = neurons), or, without files, the seed's experiment: similarity of
 * each layer to the input for critical vs off-critical initialisation, ReLU vs shifted ReLU.
 */
import type { Command } from "commander";
import { InputError } from "../../theory/errors.js";
import { parseWeightLaw } from "../../theory/spectrum/moments.js";
import { action, emit, fmt, int, num } from "../common.js";
import { snakeKeys } from "../snakeJson.js";
import { checkEstimate, JS_FLOPS } from "../limits.js";

export function register(program: Command) {
  program
    .command("svcca")
    .description(
      "SVCCA similarity of two representations (--x, --y CSV), or the critical-vs-random initialisation experiment",
    )
    .option("--x <file>", "first representation (CSV: rows = inputs, columns = neurons)")
    .option("--y <file>", "second representation (same inputs)")
    .option("--variance-kept <f>", "fraction of Σ s_i² kept in the SV step", "0.99")
    .option("--width <N>", "experiment: network width", "64")
    .option("--depth <L>", "experiment: depth", "20")
    .option("--samples <n>", "experiment: number of inputs", "256")
    .option("--manifold-dim <d>", "experiment: input manifold dimension", "8")
    .option("--seeds <k>", "experiment: networks per configuration", "3")
    .option("--weights <law>", "experiment: gaussian | orthogonal", "gaussian")
    .option("--seed <s>", "random seed", "1")
    .option("--json", "one JSON object on stdout")
    .action(
      action(async (opts) => {
        const { svcca } = await import("../../analysis/svcca.js");
        const { svccaExperiment } = await import("../../analysis/svccaExperiment.js");
        const { readNumericCsv } = await import("../readCsv.js");
        const vk = num("--variance-kept", opts.varianceKept, "a fraction in (0, 1]");
        if (!(vk > 0 && vk <= 1))
          throw new InputError("--variance-kept", String(opts.varianceKept), "a fraction in (0, 1]");
        if ((opts.x === undefined) !== (opts.y === undefined)) {
          throw new InputError(
            opts.x === undefined ? "--x" : "--y",
            "(missing)",
            "both --x and --y, or neither (experiment)",
          );
        }
        if (opts.x !== undefined) {
          const X = readNumericCsv("--x", opts.x).rows;
          const Y = readNumericCsv("--y", opts.y).rows;
          if (Y.length !== X.length)
            throw new InputError(
              "--y",
              opts.y,
              `the same inputs as --x: ${X.length} data rows`,
              `it has ${Y.length} data rows`,
            );
          const r = svcca(X, Y, { varianceKept: vk });
          // Independent data: E[Σ r_i²] = kx·ky/(n−1) (trace of two independent random projections in the
          // (n−1)-dim space of centred rows), so sqrt(max(kx, ky)/(n−1)) bounds the chance similarity
          // (numpy check: 0.43 vs 0.49 at n = 256, 64 columns; 0.21 vs 0.25 at n = 1000).
          const n = X.length;
          if (r.kx + r.ky >= n - 1)
            throw new InputError(
              "--x",
              opts.x,
              `more inputs (rows) than kx + ky + 1 = ${r.kx + r.ky + 1}, or a smaller --variance-kept`,
              `${n} rows: the kept subspaces (kx = ${r.kx}, ky = ${r.ky}) must intersect in the ${n - 1}-dimensional space of centred rows, so the similarity is near 1 for any data, independent noise included`,
            );
          const chance = Math.sqrt(Math.max(r.kx, r.ky) / (n - 1));
          const warnings =
            chance >= 0.5
              ? [
                  `independent data with these sizes give a similarity up to ≈ ${fmt(chance, 3)} (sqrt(max(kx, ky)/(n−1))): use more rows than ${n} or a smaller --variance-kept for a meaningful estimate`,
                ]
              : [];
          for (const w of warnings) process.stderr.write(`sigprop: warning: ${w}\n`);
          const json = {
            mode: "pair",
            ...(snakeKeys(r) as object),
            samples: n,
            chance_level: chance,
            warnings,
          };
          emit(!!opts.json, json, () =>
            [
              `SVCCA similarity = ${fmt(r.similarity, 6)} (kx = ${r.kx}, ky = ${r.ky}, ${n} inputs; independent data: ≲ ${fmt(chance, 3)})`,
              `canonical correlations: ${r.correlations.map((c) => fmt(c, 4)).join(", ")}`,
              `convention: ${r.convention}`,
            ].join("\n"),
          );
          return;
        }
        const width = int("--width", opts.width, 2, 4096);
        const depth = int("--depth", opts.depth, 1, 10000);
        const samples = int("--samples", opts.samples, 3, 100000);
        const seeds = int("--seeds", opts.seeds, 1, 1000);
        // 4 configurations × seeds × layers: a samples × N × N forward pass and an SVCCA (≈ 10·samples·N²)
        const flag = width >= 512 ? "--width" : samples >= 10 * depth ? "--samples" : "--depth";
        checkEstimate({
          flag,
          value: String(flag === "--width" ? opts.width : flag === "--samples" ? opts.samples : opts.depth),
          what: `SVCCA experiment: 4 configurations × ${seeds} seeds × ${depth} layers, ${samples} inputs of width ${width}`,
          heapBytes: 6 * 16 * samples * width,
          seconds: (4 * seeds * depth * 12 * samples * width * width) / JS_FLOPS,
        });
        const curves = svccaExperiment({
          width,
          depth,
          samples,
          manifoldDim: int("--manifold-dim", opts.manifoldDim, 1, 4096),
          seeds,
          weights: parseWeightLaw(String(opts.weights)),
          varianceKept: vk,
          seed: int("--seed", opts.seed, 0, 2 ** 31),
        });
        emit(
          !!opts.json,
          {
            mode: "experiment",
            comparison: "SVCCA similarity of layer l (pre-activations) to the input h⁰",
            variance_kept: vk,
            curves: snakeKeys(curves),
          },
          () =>
            curves
              .map((c) => `${c.label}: ${c.mean.map((m, i) => `l=${c.layers[i]}:${fmt(m, 3)}`).join(" ")}`)
              .join("\n"),
        );
      }),
    );
}
