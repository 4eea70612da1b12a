/**
 * `sigprop spectrum`: the spectrum of J Jᵀ for the input–output Jacobian at initialisation (docs/THEORY.md §5):
 * moments (any φ, Gaussian or orthogonal weights), and for φ′ ∈ {0,1} (relu, hard_tanh, shifted_relu)
 * the free-probability density, atoms and right edge. --simulate adds exact Jacobian spectra of
 * simulated networks of width --width. --noise (docs/THEORY.md §1) enters D² (multiplicative) or the layer
 * variances (additive), in the theory and in the simulated networks alike.
 */
import type { Command } from "commander";
import { criticalInit } from "../../theory/critical.js";
import { InputError } from "../../theory/errors.js";
import { eDphi2 } from "../../theory/expectations.js";
import { spectrumTheory } from "../../theory/spectrum/index.js";
import { parseWeightLaw } from "../../theory/spectrum/moments.js";
import { spectrumHistogram } from "../../spectra/histogram.js";
import {
  action,
  activationFrom,
  addActivationOption,
  addNoiseOption,
  emit,
  fmt,
  int,
  noiseFrom,
  num,
} from "../common.js";
import { checkEstimate, JS_FLOPS } from "../limits.js";

export function register(program: Command) {
  addNoiseOption(addActivationOption(program.command("spectrum")))
    .description(
      "Jacobian spectrum of a deep network at initialisation: moments, free-probability density, edge; --simulate for empirical spectra",
    )
    .option("--weights <law>", "gaussian | orthogonal", "gaussian")
    .option("--depth <L>", "number of layers L", "10")
    .option("--q-star <q>", "critical initialisation from the fixed-point variance q* (σ_w², σ_b² derived)")
    .option("--sigma-w2 <x>", "weight variance σ_w² (instead of --q-star)")
    .option("--sigma-b2 <y>", "bias variance σ_b² (with --sigma-w2)", "0")
    .option("--points <n>", "density samples", "200")
    .option("--moments <k>", "number of moments", "3")
    .option("--simulate", "add the empirical spectrum of simulated networks")
    .option("--width <N>", "width of the simulated networks", "256")
    .option("--networks <k>", "number of simulated networks", "4")
    .option("--bins <b>", "histogram bins", "40")
    .option("--seed <s>", "random seed", "1")
    .option("--json", "one JSON object on stdout")
    .action(
      action(async (opts) => {
        const { empiricalSpectrum } = await import("../../spectra/jacobian.js");
        const act = activationFrom(opts);
        const noise = noiseFrom(opts);
        const cliNotes: string[] = [];
        const weights = parseWeightLaw(String(opts.weights));
        const depth = int("--depth", opts.depth, 1, 100000);
        const points = int("--points", opts.points, 1, 100000);
        const order = int("--moments", opts.moments, 1, 12);
        let qStar: number | undefined;
        let sigmaW2: number | undefined;
        let sigmaB2: number | undefined;
        if (opts.qStar !== undefined) {
          qStar = num("--q-star", opts.qStar, "a number > 0");
          if (opts.sigmaW2 !== undefined) {
            throw new InputError(
              "--sigma-w2",
              String(opts.sigmaW2),
              "absent when --q-star is given (σ_w², σ_b² follow from q*)",
            );
          }
        } else if (opts.sigmaW2 !== undefined) {
          sigmaW2 = num("--sigma-w2", opts.sigmaW2, "a number > 0");
          sigmaB2 = num("--sigma-b2", opts.sigmaB2, "a number ≥ 0");
          if (!(sigmaW2 > 0)) throw new InputError("--sigma-w2", String(opts.sigmaW2), "a number > 0");
          if (!(sigmaB2 >= 0)) throw new InputError("--sigma-b2", String(opts.sigmaB2), "a number ≥ 0");
        } else if (act.homogeneous) {
          // critical default σ_w² = 1/(μ2 E[φ′²]) (multiplicative noise), 1/E[φ′²] otherwise
          const cr = noise.type === "multiplicative" ? criticalInit(act, noise) : null;
          sigmaW2 = cr?.sigmaW2 ?? 1 / eDphi2(act, 1);
          sigmaB2 = 0;
          if (noise.type === "additive") {
            const why = criticalInit(act, noise).reason;
            cliNotes.push(
              `default σ_w² = 1/E[φ′²] (χ1 = 1; D = diag φ′ is unchanged by additive noise)${why ? `, but ${why}` : ""}`,
            );
          }
        } else {
          throw new InputError(
            "--q-star",
            "(missing)",
            "a number > 0 (critical initialisation), or give --sigma-w2 and --sigma-b2",
          );
        }
        const th = spectrumTheory({
          activation: act,
          weights,
          depth,
          qStar,
          sigmaW2,
          sigmaB2,
          points,
          order,
          noise,
        });
        let empirical: Record<string, unknown> | null = null;
        if (opts.simulate) {
          const width = int("--width", opts.width, 2, 2048);
          const networks = int("--networks", opts.networks, 1, 10000);
          const bins = int("--bins", opts.bins, 1, 10000);
          const seed = int("--seed", opts.seed, 0, 2 ** 31);
          // float64 Jacobian products (2N³ per layer) and one eigen-decomposition (≈ 10N³) per network
          checkEstimate({
            flag: width >= 512 ? "--width" : networks >= depth ? "--networks" : "--depth",
            value: String(width >= 512 ? opts.width : networks >= depth ? opts.networks : opts.depth),
            what: `${networks} simulated networks of width ${width} and depth ${depth}`,
            heapBytes: 6 * 8 * width * width,
            seconds: (networks * (depth * 2 + 10) * width ** 3) / JS_FLOPS,
          });
          const q0 = th.layerQ[0];
          const em = empiricalSpectrum(
            { activation: act, sigmaW2: th.sigmaW2, sigmaB2: th.sigmaB2, width, depth, weights, q0, noise },
            { networks, seed, order },
          );
          const maxEv = em.eigenvalues.reduce((m, x) => Math.max(m, x), 0);
          const hi = Math.max(th.supportMax ?? 0, maxEv) * 1.02;
          const theory = th.densityInput ?? undefined;
          const hist = spectrumHistogram(em.eigenvalues, { bins, hi, theory });
          empirical = {
            width,
            networks,
            seed,
            moments: em.moments,
            moments_se: em.momentsSe,
            max_eigenvalue: maxEv,
            zero_fraction: hist.zeroFraction,
            rank_bound_zero_fraction: em.zeroFraction,
            histogram: { edges: hist.edges, empirical: hist.empirical, predicted: hist.predicted },
            note: `moments: mean ± standard error over networks; finite-width corrections are O(L/N)${noise.kind !== "none" ? "; one fixed noise draw per network and layer" : ""}`,
          };
        }
        const out = {
          activation: th.activation,
          weights: th.weights,
          depth: th.depth,
          sigma_w2: th.sigmaW2,
          sigma_b2: th.sigmaB2,
          q_star: th.qStar,
          q_status: th.qStatus,
          noise: th.noise,
          mu2: th.mu2,
          chi1: th.chi1,
          chi_grad: th.chiGrad,
          p: th.p,
          moments: th.moments,
          mean: th.mean,
          variance: th.variance,
          variance_closed_form: th.varianceClosedForm,
          third_central: th.thirdCentral,
          edge: th.edge,
          support_max: th.supportMax,
          atoms: th.atoms,
          density: th.density,
          ...(empirical ? { empirical } : {}),
          notes: [...cliNotes, ...th.notes],
        };
        emit(!!opts.json, out, () => {
          const lines = [
            `Jacobian spectrum of J Jᵀ: ${th.activation}, ${weights} weights, depth ${depth}`,
            `noise ${th.noise}   μ2 = ${fmt(th.mu2)}   χ_grad = σ_w²·E[D²] = ${fmt(th.chiGrad)}`,
            `σ_w² = ${fmt(th.sigmaW2)}   σ_b² = ${fmt(th.sigmaB2)}   q* = ${fmt(th.qStar)} (${th.qStatus})   χ1 = ${fmt(th.chi1)}${th.p !== null ? `   p = P(φ′=1) = ${fmt(th.p)}` : ""}`,
            `mean = ${fmt(th.mean)}   variance = ${fmt(th.variance)}   third central moment = ${fmt(th.thirdCentral)}`,
            `moments m_k: ${th.moments.map((m) => fmt(m)).join(", ")}`,
          ];
          if (th.edge !== null)
            lines.push(
              `right edge of the continuous part = ${fmt(th.edge)}   support max = ${fmt(th.supportMax)}`,
            );
          for (const a of th.atoms) lines.push(`atom at ${fmt(a.x)} with mass ${fmt(a.mass)}`);
          if (empirical) {
            const e = empirical as {
              moments: number[];
              moments_se: number[];
              max_eigenvalue: number;
              zero_fraction: number;
              width: number;
              networks: number;
            };
            lines.push(
              `simulated (width ${e.width}, ${e.networks} networks): moments ${e.moments.map((m, i) => `${fmt(m, 6)} ± ${fmt(e.moments_se[i], 2)}`).join(", ")}`,
              `  largest eigenvalue ${fmt(e.max_eigenvalue, 6)}   zero fraction ${fmt(e.zero_fraction, 4)}`,
            );
          }
          for (const n of out.notes) lines.push(`note: ${n}`);
          return lines.join("\n");
        });
      }),
    );
}
