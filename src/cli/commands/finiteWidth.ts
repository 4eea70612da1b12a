/**
 * `sigprop finite-width`: the exact finite-width output law of ReLU networks with Gaussian weights
 * (Burkholz & Dubatovka 2019): kurtosis per layer against mean field, the probability that the signal
 * dies, the density of the output scale; --simulate checks it by Monte Carlo (the recursion and actual
 * networks); --looks-linear checks their parameter-sharing initialisation.
 */
import type { Command } from "commander";
import { InputError } from "../../theory/errors.js";
import { finiteWidthLaw, outputDensity, scaleDensity } from "../../theory/finiteWidth.js";
import { kurtosisEstimate, sampleReluNetworkOutputs, sampleScaleRecursion } from "../../sim/finiteWidth.js";
import { linearForward, looksLinearInit, reluForward, reluJacobian } from "../../engine/looksLinear.js";
import { Stream } from "../../engine/rng.js";
import { action, emit, fmt, int, num } from "../common.js";
import { checkEstimate, JS_FLOPS, NORMALS_PER_S } from "../limits.js";

export function register(program: Command) {
  program
    .command("finite-width")
    .description(
      "exact finite-width output law of Gaussian ReLU networks (Burkholz & Dubatovka): kurtosis vs depth, P(signal dies), scale density",
    )
    .option("--width <N>", "layer width N", "50")
    .option("--depth <L>", "number of weight layers L", "10")
    .option("--sigma-w2 <x>", "weight variance σ_w²", "2")
    .option("--sigma-b2 <y>", "bias variance σ_b²", "0")
    .option("--q0 <q>", "first-layer scale s_1 (fixed input) or input variance q⁰ (gaussian input)", "1")
    .option(
      "--input <kind>",
      "fixed (data input: L−1 random stages) | gaussian (h⁰ ~ N(0, q⁰I): L stages)",
      "fixed",
    )
    .option("--density", "add the density of log(s/E[s]) and of the standardised output")
    .option("--simulate", "Monte Carlo: the scale recursion and actual networks")
    .option("--samples <k>", "Monte Carlo samples (recursion) / networks", "20000")
    .option(
      "--looks-linear",
      "check the looks-linear initialisation (orthogonal blocks) at this width and depth",
    )
    .option("--seed <s>", "random seed", "1")
    .option("--json", "one JSON object on stdout")
    .action(
      action(async (opts) => {
        const { Matrix, SingularValueDecomposition } = await import("ml-matrix");
        const width = int("--width", opts.width, 1, 1_000_000);
        const depth = int("--depth", opts.depth, 1, 100_000);
        const sigmaW2 = num("--sigma-w2", opts.sigmaW2, "a number > 0");
        const sigmaB2 = num("--sigma-b2", opts.sigmaB2, "a number ≥ 0");
        const q0 = num("--q0", opts.q0, "a number > 0");
        const seed = int("--seed", opts.seed, 0, 2 ** 31);
        if (opts.input !== "fixed" && opts.input !== "gaussian")
          throw new InputError("--input", String(opts.input), "fixed | gaussian");
        const stages = opts.input === "fixed" ? depth - 1 : depth;
        const law = finiteWidthLaw({ width, stages, sigmaW2, sigmaB2, s0: q0 });
        const out: Record<string, unknown> = {
          width,
          depth,
          input: opts.input,
          stages,
          sigma_w2: sigmaW2,
          sigma_b2: sigmaB2,
          q0,
          mean_scale: law.mean,
          kurtosis: law.kurtosis,
          kurtosis_mean_field: 3,
          kurtosis_he_closed_form: law.kurtosisHeClosedForm,
          normalized_scale_moments: law.normalizedScaleMoments,
          p_dead: law.pDead,
          note: "entry l of mean_scale/kurtosis is after l random stages; the mean equals the mean-field variance exactly",
        };
        if (opts.density)
          // measured (loaded machine, 9 stages): width 2·10⁴ in 5 s, 10⁵ in > 116 s, so ≈ 1.5e-9·N² s per
          // stage at large N (an empirical fit); plus the 1024² convolution per stage
          checkEstimate({
            flag: "--width",
            value: String(opts.width),
            what: `the scale density at width ${width} over ${stages} stages`,
            seconds: stages * (1.5e-9 * width * width + (1024 * 1024) / JS_FLOPS),
          });
        if (opts.simulate) {
          const samples = int("--samples", opts.samples, 10, 10_000_000);
          // networks: samples/10 forward passes of N² Gaussian weights per layer; recursion: samples × stages
          const nets = opts.input === "fixed" ? Math.max(10, Math.floor(samples / 10)) : 0;
          checkEstimate({
            flag: width >= 1000 ? "--width" : "--samples",
            value: String(width >= 1000 ? opts.width : opts.samples),
            what: `${nets} simulated networks of width ${width} and depth ${depth}, ${samples} recursion samples`,
            seconds:
              (nets * depth * width * width) / (NORMALS_PER_S / 4) + (samples * stages * 50) / JS_FLOPS,
            heapBytes: 8 * (samples + 4 * width),
          });
        }
        if (opts.density) {
          const sd = scaleDensity({ width, stages, sigmaW2, sigmaB2, s0: q0 }, { gridPoints: 1024 });
          const xs = Array.from({ length: 121 }, (_, i) => -6 + i * 0.1);
          out.scale_density = {
            log_scale: sd.logScale,
            density: sd.density,
            p_dead: sd.pDead,
            lost: sd.lost,
          };
          out.output_density = { x: xs, density: outputDensity(sd, xs) };
        }
        if (opts.simulate) {
          const samples = int("--samples", opts.samples, 10, 10_000_000);
          const s = sampleScaleRecursion({ width, stages, sigmaW2, sigmaB2, s0: q0 }, { samples, seed });
          let m1 = 0;
          let m2 = 0;
          for (const v of s) {
            m1 += v;
            m2 += v * v;
          }
          m1 /= samples;
          m2 /= samples;
          const nets =
            opts.input === "fixed"
              ? sampleReluNetworkOutputs({
                  width,
                  depth,
                  sigmaW2,
                  sigmaB2,
                  xNorm2: (q0 - sigmaB2) / sigmaW2,
                  networks: Math.max(10, Math.floor(samples / 10)),
                  seed: seed + 1,
                })
              : null;
          const k = nets ? kurtosisEstimate(nets.h2, nets.h4) : null;
          out.monte_carlo = {
            recursion: { samples, mean_scale: m1, kurtosis: (3 * m2) / (m1 * m1) },
            ...(nets && k
              ? {
                  networks: {
                    networks: nets.h2.length,
                    kurtosis: k.kurtosis,
                    kurtosis_se: k.se,
                    dead_fraction: nets.dead,
                  },
                }
              : {}),
          };
          if (opts.input === "fixed" && q0 - sigmaB2 <= 0)
            throw new InputError("--q0", String(q0), "a first-layer scale > σ_b² for network simulation");
        }
        if (opts.looksLinear) {
          const n = Math.min(width, 256);
          const net = looksLinearInit({
            inputDim: n,
            width: n,
            outputDim: n,
            depth: Math.max(2, depth),
            weights: "orthogonal",
            seed,
          });
          const x = new Stream(seed + 7).normals(n);
          const y = reluForward(net.layers, x).output;
          const z = linearForward(net.blocks, x);
          let err = 0;
          let nz = 0;
          for (let i = 0; i < n; i++) {
            err = Math.max(err, Math.abs(y[i] - z[i]));
            nz = Math.max(nz, Math.abs(z[i]));
          }
          const J = reluJacobian(net.layers, x);
          const rows: number[][] = [];
          for (let i = 0; i < J.rows; i++) rows.push(Array.from(J.J.subarray(i * J.cols, (i + 1) * J.cols)));
          const sv = new SingularValueDecomposition(new Matrix(rows), {
            computeLeftSingularVectors: false,
            computeRightSingularVectors: false,
          }).diagonal;
          out.looks_linear = {
            width: n,
            hidden_width: 2 * n,
            depth: Math.max(2, depth),
            max_relative_deviation_from_linear: err / nz,
            singular_value_min: Math.min(...sv),
            singular_value_max: Math.max(...sv),
          };
        }
        emit(!!opts.json, out, () => {
          const lines = [
            `finite-width ReLU output law: width ${width}, depth ${depth} (${stages} random stages, ${opts.input} input), σ_w² = ${fmt(sigmaW2)}, σ_b² = ${fmt(sigmaB2)}`,
            `kurtosis of the output: ${fmt(law.kurtosis[stages])} (mean field: 3${law.kurtosisHeClosedForm ? `; 3(1+5/N)^${stages} = ${fmt(law.kurtosisHeClosedForm[stages])}` : ""})`,
            `E[s_L] = ${fmt(law.mean[stages])} (= mean field)   P(signal dies) = ${fmt(law.pDead)}`,
            `E[s^k]/E[s]^k, k = 1..4: ${law.normalizedScaleMoments.map((v) => fmt(v, 6)).join(", ")}`,
          ];
          const mc = out.monte_carlo as
            | {
                recursion: { kurtosis: number };
                networks?: { kurtosis: number; kurtosis_se: number; networks: number };
              }
            | undefined;
          if (mc) {
            lines.push(`Monte Carlo: recursion kurtosis ${fmt(mc.recursion.kurtosis, 5)}`);
            if (mc.networks)
              lines.push(
                `             networks (${mc.networks.networks}) kurtosis ${fmt(mc.networks.kurtosis, 5)} ± ${fmt(mc.networks.kurtosis_se, 2)}`,
              );
          }
          const ll = out.looks_linear as
            | {
                max_relative_deviation_from_linear: number;
                singular_value_min: number;
                singular_value_max: number;
              }
            | undefined;
          if (ll) {
            lines.push(
              `looks-linear init (orthogonal blocks): deviation from linear ${fmt(ll.max_relative_deviation_from_linear, 3)}, singular values in [${fmt(ll.singular_value_min, 12)}, ${fmt(ll.singular_value_max, 12)}]`,
            );
          }
          return lines.join("\n");
        });
      }),
    );
}
