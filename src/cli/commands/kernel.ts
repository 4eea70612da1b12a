/**
 * `sigprop kernel --x A.csv [--y B.csv] --depth L …spec flags… [--ntk]`: the NNGP (or NTK) kernel matrix
 * of the read-out of a noisy deep network (src/theory/kernels/nngp.ts) between the rows of the CSV files.
 */
import type { Command } from "commander";
import { writeFileAtomic } from "../../io/atomic.js";
import { InputError } from "../../theory/errors.js";
import { nngpKernel, type Matrix } from "../../theory/kernels/nngp.js";
import { readNumericCsv } from "../readCsv.js";
import { action, addModelOptions, emit, fmt, int, modelFrom } from "../common.js";

export const KERNEL_CONVENTION = `Convention: each row of a CSV is one input x ∈ R^d (a first non-numeric line is taken as a header).
The network has L = --depth hidden layers and a read-out; every layer is h = W(noise ⊙ input) + b
(additive noise: W(input + noise) + b) with W_ij ~ N(0, σ_w²/fan-in), b ~ N(0, σ_b²), φ between layers,
and the data is the first layer's input (subject to the noise, as in training). The kernel is that of
the read-out pre-activations, i.e. of L + 1 dense layers. Noise is independent per unit and per example:
it enters the diagonal of K(X, X) (an example with itself, one pass) and no off-diagonal entry (two rows,
even equal ones, are two examples); K(X, Y) (with --y) has no diagonal. --ntk: the neural tangent kernel
in the NTK parameterisation, with noise (derivation in src/theory/kernels/nngp.ts).`;

/** Read a numeric CSV (rows = inputs) with the strict reader of every CSV flag (errors name line and column). */
export function readMatrixCsv(flag: string, path: string): Matrix {
  const { rows } = readNumericCsv(flag, path, { minRows: 1 });
  return { data: Float64Array.from(rows.flat()), rows: rows.length, cols: rows[0].length };
}

function toCsv(m: Matrix): string {
  const lines: string[] = [];
  for (let i = 0; i < m.rows; i++) {
    const r: string[] = [];
    for (let j = 0; j < m.cols; j++) r.push(String(m.data[i * m.cols + j]));
    lines.push(r.join(","));
  }
  return lines.join("\n") + "\n";
}

function nested(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

export function register(program: Command) {
  addModelOptions(
    program
      .command("kernel")
      .description("NNGP (or --ntk: NTK) kernel matrix of a deep network with noise, between CSV inputs")
      .addHelpText("after", "\n" + KERNEL_CONVENTION),
  )
    .option("--x <file>", "inputs (CSV: one row per input)")
    .option("--y <file>", "second set of inputs (CSV, same columns): K(X, Y) instead of K(X, X)")
    .option("--depth <L>", "hidden layers L (the kernel is of the read-out: L + 1 dense layers)")
    .option("--ntk", "the neural tangent kernel instead of the NNGP kernel")
    .option("--out <file>", "write the matrix as CSV (atomically)")
    .option("--json", "one JSON object on stdout (key `kernel`)")
    .action(
      action((opts) => {
        if (!opts.x) throw new InputError("--x", "(missing)", "a CSV file of inputs (rows = inputs)");
        if (opts.depth === undefined)
          throw new InputError("--depth", "(missing)", "an integer ≥ 0 (hidden layers)");
        const depth = int("--depth", opts.depth, 0, 10000);
        const m = modelFrom(opts);
        const x = readMatrixCsv("--x", opts.x);
        const y = opts.y ? readMatrixCsv("--y", opts.y) : null;
        if (y && y.cols !== x.cols)
          throw new InputError("--y", opts.y, `a CSV with ${x.cols} columns (as --x)`, `it has ${y.cols}`);
        const t0 = performance.now();
        const r = nngpKernel(x, y, { model: m, depth, ntk: !!opts.ntk });
        const seconds = (performance.now() - t0) / 1000;
        const K = opts.ntk ? (r.ntk as Matrix) : r.nngp;
        if (opts.out) writeFileAtomic(opts.out, toCsv(K));
        const out = {
          kind: opts.ntk ? "ntk" : "nngp",
          activation: m.activation.spec,
          noise: { spec: m.noise.spec, kind: m.noise.kind, type: m.noise.type, mu2: m.noise.mu2 },
          sigma_w2: m.sigmaW2,
          sigma_b2: m.sigmaB2,
          depth,
          dense_layers: depth + 1,
          rows: K.rows,
          cols: K.cols,
          symmetric: r.symmetric,
          route: r.route,
          quadrature_fallbacks: r.fallbacks,
          seconds,
          ...(opts.out ? { out: opts.out } : {}),
          kernel: nested(K),
        };
        emit(!!opts.json, out, () => {
          const head = [
            `${out.kind.toUpperCase()} kernel ${K.rows}×${K.cols} (${r.symmetric ? "K(X, X), noisy diagonal" : "K(X, Y), no diagonal"}), ${m.activation.spec}, noise ${m.noise.spec} (μ2 = ${fmt(m.noise.mu2)}), σ_w² = ${fmt(m.sigmaW2)}, σ_b² = ${fmt(m.sigmaB2)}, ${depth} hidden layers + read-out`,
            `route: ${r.route}${r.fallbacks ? ` (${r.fallbacks} entries by 2-D quadrature)` : ""}; ${seconds.toFixed(2)} s${opts.out ? `; written to ${opts.out}` : ""}`,
          ];
          if (K.rows <= 12 && K.cols <= 12)
            head.push(...nested(K).map((row) => row.map((v) => fmt(v, 8).padStart(14)).join(" ")));
          else if (!opts.out) head.push("(matrix too large to print: use --out FILE.csv or --json)");
          return head.join("\n");
        });
      }),
    );
}
