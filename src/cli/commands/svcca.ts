/**
 * `sigprop svcca`: SVCCA similarity (Raghu et al. 2017; THEORY.md §6) between two representations given
 * as CSV files (rows = inputs, columns = neurons), or, without files, the seed's experiment: similarity of
 * each layer to the input for critical vs off-critical initialisation, ReLU vs shifted ReLU.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { svcca } from "../../analysis/svcca.js";
import { svccaExperiment } from "../../analysis/svccaExperiment.js";
import { InputError } from "../../theory/errors.js";
import { parseWeightLaw } from "../../theory/spectrum/moments.js";
import { action, emit, fmt, int, num } from "../common.js";

function readCsv(flag: string, path: string): number[][] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new InputError(flag, path, "a readable CSV file (rows = inputs, columns = neurons)");
  }
  const rows = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const out: number[][] = [];
  for (const [i, line] of rows.entries()) {
    const vals = line.split(/[,;\s]+/).map(Number);
    if (vals.some((v) => !Number.isFinite(v))) {
      if (i === 0) continue; // header
      throw new InputError(flag, path, "a numeric CSV file", `line ${i + 1} is not numeric`);
    }
    out.push(vals);
  }
  if (out.length < 2) throw new InputError(flag, path, "a CSV with ≥ 2 numeric rows");
  const w = out[0].length;
  if (out.some((r) => r.length !== w))
    throw new InputError(flag, path, "a CSV with the same number of columns on every row");
  return out;
}

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
      action((opts) => {
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
          const r = svcca(readCsv("--x", opts.x), readCsv("--y", opts.y), { varianceKept: vk });
          emit(!!opts.json, { mode: "pair", ...r }, () =>
            [
              `SVCCA similarity = ${fmt(r.similarity, 6)} (kx = ${r.kx}, ky = ${r.ky})`,
              `canonical correlations: ${r.correlations.map((c) => fmt(c, 4)).join(", ")}`,
              `convention: ${r.convention}`,
            ].join("\n"),
          );
          return;
        }
        const curves = svccaExperiment({
          width: int("--width", opts.width, 2, 4096),
          depth: int("--depth", opts.depth, 1, 10000),
          samples: int("--samples", opts.samples, 3, 100000),
          manifoldDim: int("--manifold-dim", opts.manifoldDim, 1, 4096),
          seeds: int("--seeds", opts.seeds, 1, 1000),
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
            curves,
          },
          () =>
            curves
              .map((c) => `${c.label}: ${c.mean.map((m, i) => `l=${c.layers[i]}:${fmt(m, 3)}`).join(" ")}`)
              .join("\n"),
        );
      }),
    );
}
