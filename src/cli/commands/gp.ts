/**
 * `sigprop gp --dataset mnist|idx:DIR|cifar10:DIR --train-size n --test-size m --depth L …spec flags…`:
 * GP regression with the NNGP (or NTK) kernel of a noisy deep network on centred one-hot targets (Lee et
 * al. 2018's protocol; src/analysis/gpExperiment.ts): test accuracy and MSE, float64 Cholesky with the
 * jitter it needed reported.
 */
import type { Command } from "commander";
import { DATASET_SPECS, loadDataset } from "../../data/index.js";
import { InputError } from "../../theory/errors.js";
import { GpSolveError } from "../../theory/kernels/gp.js";
import { action, addModelOptions, emit, fmt, int, modelFrom, num } from "../common.js";
import { KERNEL_CONVENTION } from "./kernel.js";

export function register(program: Command) {
  addModelOptions(
    program
      .command("gp")
      .description(
        "GP regression on images with the NNGP (or --ntk: NTK) kernel of a noisy deep network: test accuracy and MSE",
      )
      .addHelpText(
        "after",
        `\nTargets: centred one-hot (e_label − 1/classes); prediction: argmax of the posterior mean
K(X*, X)(K(X, X) + r I)⁻¹Y; MSE: mean over test points and classes. Inputs: pixels / 255, flattened.
A seeded subset of --train-size training and --test-size test images is used.\n${KERNEL_CONVENTION}`,
      ),
  )
    .option("--dataset <spec>", DATASET_SPECS, "mnist")
    .option("--train-size <n>", "training examples (seeded subset of the training split)", "1000")
    .option("--test-size <m>", "test examples (seeded subset of the test split)", "1000")
    .option("--depth <L>", "hidden layers L (the kernel is of the read-out: L + 1 dense layers)", "3")
    .option("--diag-reg <r>", "added to the diagonal of K(X, X) (absolute, ≥ 0)", "0")
    .option("--ntk", "use the NTK (mean prediction of infinitely long gradient flow on MSE)")
    .option("--seed <s>", "seed of the subsets", "0")
    .option("--json", "one JSON object on stdout")
    .action(
      action(async (opts) => {
        const { gpRun, gpSubset } = await import("../../analysis/gpExperiment.js");
        const { packageVersion } = await import("../../report/reproduce.js");
        const m = modelFrom(opts);
        const n = int("--train-size", opts.trainSize, 1, 60000);
        const mt = int("--test-size", opts.testSize, 1, 60000);
        const depth = int("--depth", opts.depth, 0, 10000);
        const diagReg = num("--diag-reg", opts.diagReg, "a number ≥ 0");
        if (!(diagReg >= 0)) throw new InputError("--diag-reg", String(opts.diagReg), "a number ≥ 0");
        const seed = int("--seed", opts.seed, 0, 2 ** 31 - 1);
        const ds = loadDataset(String(opts.dataset));
        // a data set too small for any subset is the data set's fault, not the size flags'
        if (ds.train.n < 2 || ds.test.n < 1)
          throw new InputError(
            "--dataset",
            String(opts.dataset),
            "a data set with at least 2 training and 1 test images",
            `${ds.name} has ${ds.train.n} training and ${ds.test.n} test images`,
          );
        if (n > ds.train.n)
          throw new InputError(
            "--train-size",
            String(n),
            `an integer in [1, ${ds.train.n}] (${ds.name}'s training split)`,
          );
        if (mt > ds.test.n)
          throw new InputError(
            "--test-size",
            String(mt),
            `an integer in [1, ${ds.test.n}] (${ds.name}'s test split)`,
          );
        const sub = gpSubset(ds, n, mt, seed);
        let r;
        try {
          r = gpRun(sub, { model: m, depth, ntk: !!opts.ntk, diagReg });
        } catch (e) {
          if (e instanceof GpSolveError)
            throw new InputError(
              "--diag-reg",
              String(diagReg),
              "a regulariser that makes K(X, X) + r I positive definite",
              e.message,
            );
          throw e;
        }
        const out = {
          dataset: ds.name,
          source: ds.source,
          train_size: n,
          test_size: mt,
          kernel: opts.ntk ? "ntk" : "nngp",
          activation: m.activation.spec,
          noise: { spec: m.noise.spec, kind: m.noise.kind, type: m.noise.type, mu2: m.noise.mu2 },
          sigma_w2: m.sigmaW2,
          sigma_b2: m.sigmaB2,
          depth,
          diag_reg: diagReg,
          seed,
          version: packageVersion(),
          accuracy: r.accuracy,
          mse: r.mse,
          jitter: r.jitter,
          jitter_abs: r.jitterAbs,
          route: r.route,
          quadrature_fallbacks: r.fallbacks,
          kernel_seconds: r.kernelSeconds,
          solve_seconds: r.solveSeconds,
        };
        emit(!!opts.json, out, () =>
          [
            `${out.kernel.toUpperCase()}-GP on ${ds.name}: ${n} train, ${mt} test (seed ${seed}); ${m.activation.spec}, noise ${m.noise.spec} (μ2 = ${fmt(m.noise.mu2)}), σ_w² = ${fmt(m.sigmaW2)}, σ_b² = ${fmt(m.sigmaB2)}, depth ${depth}`,
            `test accuracy ${fmt(r.accuracy, 4)}   MSE ${fmt(r.mse, 6)}`,
            `jitter ${r.jitter === 0 ? "none needed" : `${r.jitter} × mean diagonal (${fmt(r.jitterAbs)})`}; kernel ${r.kernelSeconds.toFixed(2)} s, solve ${r.solveSeconds.toFixed(2)} s (${r.route})`,
          ].join("\n"),
        );
      }),
    );
}
