/**
 * `sigprop landscape CHECKPOINT`: loss landscape of a trained network from a `sigprop train --checkpoint`
 * file (src/train/landscape.ts; Li et al. 2018): the loss along the line from the re-derived
 * initialisation to the trained weights (`--line`) and on a 2-D slice through the trained weights along
 * two filter-normalised random directions (`--plane`); both when neither is given. Any architecture
 * `train` builds (batch norm, residual reduced | full, looks-linear init); a finished run's checkpoint
 * holds its final weights. Writes
 * landscape.json, line.csv / plane.csv and a figure (landscape.svg, landscape.png) atomically into
 * --out; the grid resumes after a kill from the partial files it keeps there.
 */
import type { Command } from "commander";
import { join } from "node:path";
import { DATASET_SPECS } from "../../data/index.js";
import { checkWritableOutput } from "../../io/outputPath.js";
import { InputError } from "../../theory/errors.js";
import { action, emit, fmt, int, num } from "../common.js";
import { addLimitOptions, checkEstimate, JAX_FLOPS, JS_FLOPS } from "../limits.js";
import { progressBar } from "../progress.js";

type Opts = Record<string, string | boolean | undefined>;

const orNull = (x: number | null | undefined) => (x === undefined ? null : x);

export function register(program: Command) {
  const cmd = program
    .command("landscape")
    .description(
      "loss landscape of a trained network (a `train --checkpoint` file): the line from init to trained weights and a 2-D slice along filter-normalised directions (Li et al. 2018)",
    )
    .argument(
      "<checkpoint>",
      "a checkpoint written by `sigprop train --checkpoint FILE` (a finished run's: its final weights)",
    )
    .requiredOption("--out <dir>", "folder for landscape.json, line.csv, plane.csv, landscape.svg/png")
    .option("--line", "the loss along θ(t) = (1 − t)·θ_init + t·θ_trained")
    .option("--plane", "the loss on θ_trained + α·δ + β·η (filter-normalised random directions δ, η)")
    .option("--grid <n>", "plane: grid points per axis (odd includes the trained point)", "21")
    .option("--range <r>", "plane: α and β run over [−r, r]", "1")
    .option("--seed <s>", "plane: seed of the two random directions", "0")
    .option("--steps <n>", "line: points from --t-min to --t-max", "31")
    .option("--t-min <t>", "line: first t", "-0.25")
    .option("--t-max <t>", "line: last t", "1.25")
    .option(
      "--points <n>",
      "examples the loss is evaluated on: the first n of the run's own seeded training split",
      "1000",
    )
    .option("--dataset <spec>", `the data set, if not the one the checkpoint records: ${DATASET_SPECS}`)
    .option("--json", "one JSON object on stdout");
  addLimitOptions(cmd).action(
    action(async (file: string, opts: Opts) => {
      // every flag is checked before any file is read or written
      const both = !opts.line && !opts.plane;
      const doLine = both || !!opts.line;
      const doPlane = both || !!opts.plane;
      const grid = int("--grid", opts.grid, 2, 1001);
      const rangeValid = "a decimal number > 0";
      const range = num("--range", opts.range, rangeValid);
      if (!(range > 0)) throw new InputError("--range", String(opts.range), rangeValid);
      const seed = int("--seed", opts.seed, 0, 2 ** 32 - 1);
      const steps = int("--steps", opts.steps, 2, 10001);
      const tMin = num("--t-min", opts.tMin);
      const tMax = num("--t-max", opts.tMax);
      if (!(tMin < tMax))
        throw new InputError("--t-max", String(opts.tMax), `a number above --t-min ${String(opts.tMin)}`);
      const points = int("--points", opts.points, 1, 1e7);
      const out = checkWritableOutput("--out", String(opts.out), "dir");
      const { loadDataset } = await import("../../data/index.js");
      // a bad --dataset is named before the checkpoint is read
      const dsText = opts.dataset === undefined ? undefined : String(opts.dataset);
      if (dsText !== undefined) {
        const ds = loadDataset(dsText);
        if (ds.train.n < 2)
          throw new InputError("--dataset", dsText, "a data set with at least 2 training examples");
      }
      const lib = await import("../../train/landscape.js");
      const model = lib.loadLandscapeModel(file, { dataset: dsText, flag: "CHECKPOINT" });
      // cost: a forward pass of `points` examples per point (2·params flops each) and the host mix
      const params = model.trained.reduce((s, p) => s + p.w.length + p.b.length, 0);
      const examples = Math.min(points, model.dataset.train.n);
      const evals = (doLine ? steps : 0) + (doPlane ? grid * grid : 0);
      // batch norm: each point also runs the run's train-loss subset for its population statistics
      const bnExamples = model.spec.batchnorm
        ? Math.min(model.evalLimit, model.trainExamples ?? model.dataset.train.n)
        : 0;
      checkEstimate({
        flag: doPlane && grid * grid >= steps ? "--grid" : "--steps",
        value: String(doPlane && grid * grid >= steps ? opts.grid : opts.steps),
        what: `${evals} loss evaluations of ${examples} examples on ${params} parameters`,
        seconds: evals * ((2 * params * (examples + bnExamples)) / JAX_FLOPS + (3 * params) / JS_FLOPS),
        heapBytes: 8 * 6 * params + 4 * Math.max(Math.min(examples, 500), bnExamples) * model.dataset.dim,
      });
      const t0 = performance.now();
      let line = null;
      let plane = null;
      const bar = (label: string) => (opts.json ? null : progressBar(label));
      if (doLine) {
        const b = bar("landscape line");
        try {
          line = await lib.lossLine(model, {
            tMin,
            tMax,
            steps,
            examples: points,
            onProgress: b?.update,
            partialFile: join(out, ".line.partial.json"),
          });
        } finally {
          b?.stop();
        }
      }
      if (doPlane) {
        const b = bar(`landscape plane ${grid}×${grid}`);
        try {
          plane = await lib.lossPlane(model, {
            grid,
            range,
            seed,
            examples: points,
            onProgress: b?.update,
            partialFile: join(out, ".plane.partial.json"),
          });
        } finally {
          b?.stop();
        }
      }
      const { landscapeFigure } = await import("../../report/landscape.js");
      const { renderPng, renderSvg } = await import("../../report/plot.js");
      const { toCsv } = await import("../../report/csv.js");
      const { packageVersion } = await import("../../report/reproduce.js");
      const { writeFileAtomic } = await import("../../io/atomic.js");
      const cfg = model.config;
      const residual = model.spec.residual ?? "none";
      const arch = [
        model.spec.batchnorm ? ", batch norm" : "",
        residual !== "none" ? `, residual ${residual}` : "",
        model.looksLinear ? ", looks-linear init" : "",
      ].join("");
      const fig = landscapeFigure({
        line,
        plane,
        title: "Loss landscape",
        subtitle: `${String(cfg.task)}, depth ${model.spec.depth}, width ${model.spec.width}, ${model.spec.activation.spec}, noise ${model.spec.noise.spec}${arch}; ${model.epoch === model.epochs ? `final weights (epoch ${model.epoch})` : `checkpoint epoch ${model.epoch} of ${model.epochs}`}`,
      });
      const files: string[] = [];
      const write = (name: string, data: string | Uint8Array) => {
        const p = join(out, name);
        writeFileAtomic(p, data, { what: name });
        files.push(p);
      };
      for (const t of fig.tables) write(`${t.name}.csv`, toCsv(t.rows));
      const svg = await renderSvg(fig.spec);
      write("landscape.svg", svg);
      write("landscape.png", renderPng(svg));
      const rec = model.history[model.epoch];
      const result = {
        version: packageVersion(),
        checkpoint: {
          file,
          sha256: model.sha256,
          epoch: model.epoch,
          epochs: model.epochs,
          finished: model.epoch === model.epochs,
        },
        run: {
          dataset: model.dataset.name,
          task: model.task,
          width: model.spec.width,
          depth: model.spec.depth,
          activation: model.spec.activation.spec,
          noise: model.spec.noise.spec,
          sigma_w2: model.sigmaW2,
          sigma_b2: model.sigmaB2,
          weights: model.weights,
          init: model.looksLinear ? "looks-linear" : "iid",
          batchnorm: model.spec.batchnorm === true,
          residual,
          ...(residual === "full" ? { sigma_v2: model.sigmaV2 ?? 1, sigma_a2: model.sigmaA2 ?? 0 } : {}),
          seed: model.seed,
        },
        examples: line?.examples ?? plane?.examples ?? examples,
        recorded: {
          init_train_loss: orNull(model.history[0]?.trainLoss),
          train_loss: orNull(rec?.trainLoss),
          eval_limit: model.evalLimit,
        },
        line: line && {
          t: line.t,
          loss: line.loss,
          accuracy: line.accuracy,
        },
        plane: plane && {
          alpha: plane.alpha,
          beta: plane.beta,
          loss: plane.loss,
          accuracy: plane.accuracy,
          seed: plane.seed,
          range,
          grid,
          normalisation: "filter (per output neuron of every weight layer; bias entries 0), Li et al. 2018",
          ...(model.spec.batchnorm
            ? {
                batchnorm_statistics: `population statistics over the run's ${Math.min(model.evalLimit, model.trainExamples ?? model.dataset.train.n)} train-loss examples, recomputed at each point's weights`,
              }
            : {}),
        },
        seconds: (performance.now() - t0) / 1000,
        files: [...files, join(out, "landscape.json")],
      };
      write("landscape.json", JSON.stringify(result, null, 1) + "\n");
      emit(!!opts.json, result, () => {
        const lines = [
          `checkpoint ${file} (${model.epoch === model.epochs ? "finished run, final weights: " : ""}epoch ${model.epoch} of ${model.epochs}), ${result.examples} examples`,
          `recorded train loss: init ${fmt(result.recorded.init_train_loss, 6)}, epoch ${model.epoch} ${fmt(result.recorded.train_loss, 6)}`,
        ];
        if (line) {
          const at = (t: number) => line.loss[line.t.indexOf(t)];
          lines.push(
            `line t ∈ [${tMin}, ${tMax}], ${steps} points: loss at t=0 ${fmt(at(0), 6)}, t=1 ${fmt(at(1), 6)}, min ${fmt(Math.min(...line.loss.filter((x): x is number => x !== null)), 6)}`,
          );
        }
        if (plane) {
          const flat = plane.loss.flat().filter((x): x is number => x !== null);
          const c = (grid - 1) / 2;
          lines.push(
            `plane ${grid}×${grid} on [−${range}, ${range}]², seed ${seed}: ${grid % 2 ? `loss at origin ${fmt(plane.loss[c][c], 6)}, ` : ""}min ${fmt(Math.min(...flat), 6)}, max ${fmt(Math.max(...flat), 6)}`,
          );
        }
        lines.push(`wrote ${result.files.join(", ")}`);
        return lines.join("\n");
      });
    }),
  );
}
