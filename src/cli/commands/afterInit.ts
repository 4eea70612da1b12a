/**
 * `sigprop after-init`: one arm of the after-initialisation experiment (src/analysis/afterInit.ts; issue
 * 12): train students on a task with a known optimal solution (parity, FFT, teacher) from one
 * initialisation, over several seeds, and report per layer and over training the SVCCA similarity of
 * their representations to the solution's and to their own initialisation, the loss and (parity) the
 * success. `--init solution --distance D` starts from the exact solution plus noise of relative size D.
 * `sigprop reproduce after-init` runs every arm and draws the figure.
 */
import type { Command } from "commander";
import { InputError } from "../../theory/errors.js";
import { action, addActivationOption, emit, fmt, int, num } from "../common.js";
import { checkEstimate } from "../limits.js";
import { progressBar } from "../progress.js";

const TASKS = ["parity", "fft", "teacher"];
const INITS = ["critical", "orthogonal", "ordered", "chaotic", "he", "xavier", "solution"];
/** Milliseconds per training step of a small network, measured on the loaded 2-core VM (≈ 3–6). */
const MS_PER_STEP = 6;

export function register(program: Command) {
  addActivationOption(
    program
      .command("after-init")
      .description(
        "train from one initialisation towards a known solution (parity | fft | teacher): SVCCA to the solution per layer over training",
      ),
  )
    .option("--task <name>", "parity | fft | teacher", "parity")
    .option("--init <name>", INITS.join(" | "), "critical")
    .option("--distance <d>", "with --init solution: ‖θ₀ − θ*‖/‖θ*‖ of the start", "0.5")
    .option("--size <n>", "parity: bits; fft: points (powers of two); teacher: input/output dimension", "8")
    .option("--width <N>", "hidden width (parity, teacher; the FFT network has width 2n)", "8")
    .option("--depth <L>", "teacher: hidden layers (parity: log₂ bits; fft: log₂ points − 1)", "3")
    .option("--steps <n>", "training steps (Adam)", "600")
    .option("--lr <x>", "learning rate", "0.01")
    .option("--batch <B>", "fft, teacher: fresh Gaussian inputs per step (parity: all 2ⁿ inputs)", "64")
    .option("--seeds <k>", "independent students (and task instances)", "3")
    .option("--seed <s>", "random seed (integer ≥ 0)", "1")
    .option("--json", "one JSON object on stdout")
    .action(
      action(async (opts) => {
        const task = String(opts.task);
        if (!TASKS.includes(task)) throw new InputError("--task", task, TASKS.join(" | "));
        const init = String(opts.init);
        if (!INITS.includes(init)) throw new InputError("--init", init, INITS.join(" | "));
        const size = int("--size", opts.size, 2, task === "parity" ? 16 : 256);
        const width = int("--width", opts.width, 1, 512);
        const depth = int("--depth", opts.depth, 1, 64);
        const steps = int("--steps", opts.steps, 0, 100000);
        const seeds = int("--seeds", opts.seeds, 1, 100);
        const batch = int("--batch", opts.batch, 1, 4096);
        const lr = num("--lr", opts.lr);
        if (!(lr > 0 && lr <= 10)) throw new InputError("--lr", String(opts.lr), "a number in (0, 10]");
        const distance = num("--distance", opts.distance);
        if (!(distance >= 0 && distance <= 100))
          throw new InputError("--distance", String(opts.distance), "a number in [0, 100]");
        const seed = int("--seed", opts.seed, 0, 2 ** 31 - 1);
        if ((task === "parity" || task === "fft") && 2 ** Math.round(Math.log2(size)) !== size)
          throw new InputError("--size", String(opts.size), `a power of two for --task ${task}`);
        if (task === "fft" && size < 4)
          throw new InputError("--size", String(opts.size), "a power of two ≥ 4 for --task fft");
        if (task === "parity" && width < size)
          throw new InputError(
            "--width",
            String(opts.width),
            `≥ --size (${size}): the parity solution needs n units`,
          );
        const rows = task === "parity" ? 2 ** size : batch;
        const w = task === "fft" ? 2 * size : width;
        const layers = task === "parity" ? Math.log2(size) : task === "fft" ? Math.log2(size) - 1 : depth;
        const flopsPerStep = 6 * rows * w * w * (layers + 1);
        checkEstimate({
          flag: "--steps",
          value: String(opts.steps),
          what: `${seeds} × ${steps} steps of a ${w}×${layers} network on ${rows} rows`,
          seconds: seeds * steps * (MS_PER_STEP / 1000 + flopsPerStep / 5e9),
          tensorBytes: 4 * rows * w * (layers + 2) * 4,
        });
        const { runArm, summariseArm } = await import("../../analysis/afterInit.js");
        const bar = opts.json ? null : progressBar("after-init");
        const runs: Awaited<ReturnType<typeof runArm>>[] = [];
        for (let k = 0; k < seeds; k++) {
          runs.push(
            await runArm(
              {
                task: task as "parity",
                size,
                width,
                depth: layers,
                activation: String(opts.activation),
                init: init as "critical",
                distance,
                steps,
                lr,
                batch: task === "parity" ? 2 ** size : batch,
                seed: (seed * 1000003 + k) >>> 0,
                taskSeed: seed + k + 1,
              },
              (d) => bar?.update(k * steps + d, seeds * steps),
            ),
          );
        }
        bar?.stop();
        const sum = summariseArm(runs);
        const r0 = runs[0];
        const out = {
          task,
          activation: r0.config.activation,
          init: {
            name: init,
            label: r0.init.label,
            sigma_w2: r0.init.sigmaW2,
            sigma_b2: r0.init.sigmaB2,
            weights: r0.init.law,
            chi: r0.init.chi,
          },
          distance: init === "solution" ? distance : null,
          size,
          width: w,
          hidden_layers: layers,
          steps,
          lr,
          optimizer: "adam",
          seed,
          seeds,
          variance_kept: r0.config.varianceKept,
          summary: {
            steps: sum.steps,
            svcca_solution_mean: sum.svccaSolution.mean,
            svcca_solution_sd: sum.svccaSolution.sd,
            svcca_init_mean: sum.svccaInit.mean,
            svcca_init_sd: sum.svccaInit.sd,
            rel_loss_mean: sum.relLoss.mean,
            rel_loss_sd: sum.relLoss.sd,
            final_svcca_solution_per_layer_mean: sum.finalSvccaSolution.mean,
            final_svcca_solution_per_layer_sd: sum.finalSvccaSolution.sd,
            solved_rate: sum.solvedRate,
            diverged: sum.diverged,
          },
          runs: runs.map((r) => ({
            seed: r.config.seed,
            task_seed: r.config.taskSeed,
            status: r.status,
            diverged_at: r.divergedAt ?? null,
            solved: r.solved,
            steps: r.steps,
            loss: r.loss,
            rel_loss: r.relLoss,
            accuracy: r.accuracy,
            svcca_solution: r.svccaSolution,
            svcca_init: r.svccaInit,
            distance_to_solution: r.distance,
            top4_weight_mass: r.sparsity,
            seconds: r.seconds,
          })),
        };
        emit(!!opts.json, out, () =>
          [
            `${task}, ${r0.config.activation}, init ${r0.init.label}${init === "solution" ? ` at distance ${distance}` : ""}: ${seeds} seeds × ${steps} steps (Adam, lr ${lr})`,
            `step    SVCCA→solution      SVCCA→init          loss/E[y²]`,
            ...sum.steps.map(
              (s, i) =>
                `${String(s).padEnd(8)}${fmt(sum.svccaSolution.mean[i], 3)} ± ${fmt(sum.svccaSolution.sd[i], 2)}`.padEnd(
                  28,
                ) +
                `${fmt(sum.svccaInit.mean[i], 3)} ± ${fmt(sum.svccaInit.sd[i], 2)}`.padEnd(20) +
                `${fmt(sum.relLoss.mean[i], 4)}`,
            ),
            `final SVCCA to the solution per hidden layer: ${sum.finalSvccaSolution.mean.map((m, l) => `l${l + 1} ${fmt(m, 3)}`).join(", ")}`,
            `solved: ${runs.filter((r) => r.solved).length}/${seeds}${sum.diverged ? `; diverged: ${sum.diverged}` : ""}`,
          ].join("\n"),
        );
      }),
    );
}
