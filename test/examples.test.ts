/**
 * Every public entry point in package.json `exports` has a runnable example (examples/<name>.ts, importing
 * `sigprop/<entry>` as a user would; vitest.config.ts maps the names to the sources), and each example
 * prints numbers that are checked here against values computed another way.
 */
import { existsSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ROOT } from "./support/cli.js";
import { join } from "node:path";

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  exports: Record<string, { import: string; types: string }>;
};

/** Run an example, returning what it printed. */
async function run(name: string): Promise<string> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
  try {
    await import(`../examples/${name}.ts`);
  } finally {
    spy.mockRestore();
  }
  return lines.join("\n");
}

/** The numbers after `label` in the output. */
function nums(out: string, label: string): number[] {
  const line = out.split("\n").find((l) => l.startsWith(label));
  if (!line) throw new Error(`no line '${label}' in:\n${out}`);
  return [...line.slice(label.length).matchAll(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g)].map((m) => Number(m[0]));
}

afterEach(() => vi.restoreAllMocks());

describe("public entry points", () => {
  it("each export maps to a source module and its declaration path, and each capability has an example", () => {
    const examples: Record<string, string[]> = {
      "./theory": ["theory"],
      "./kernels": ["kernels"],
      "./sim": ["sim"],
      "./spectrum": ["spectrum"],
      "./finite-width": ["finite-width"],
      "./data": ["train"],
      "./train": ["train"],
      "./analysis": ["analysis"],
      "./report": ["report"],
    };
    for (const [entry, t] of Object.entries(pkg.exports)) {
      expect(t.types).toBe(t.import.replace(/\.js$/, ".d.ts"));
      expect(existsSync(join(ROOT, t.import.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts")))).toBe(
        true,
      );
      if (entry === ".") continue;
      const names = examples[entry];
      expect(names, `an example for ${entry}`).toBeDefined();
      for (const n of names) {
        const text = readFileSync(join(ROOT, "examples", `${n}.ts`), "utf8");
        expect(text).toContain(`from "sigprop${entry.slice(1)}"`);
      }
    }
  });
});

describe("examples print what the theory says", () => {
  it("theory: dropout keep 0.6 at criticality gives the published check values (docs/THEORY.md §2)", async () => {
    const out = await run("theory");
    expect(nums(out, "critical sigma_w2")[0]).toBeCloseTo(1.2, 12);
    expect(Math.abs(nums(out, "c*")[0] - 0.2839086535)).toBeLessThan(1e-9);
    expect(Math.abs(nums(out, "xi_c")[0] - 0.9655330257)).toBeLessThan(1e-9);
  });

  it("kernels: the NNGP equals the arc-cosine recursion with a noisy diagonal, written out here", async () => {
    const out = await run("kernels");
    const x = [
      [1, 0],
      [0, 1],
      [1, 1],
    ];
    const sw2 = 1.6;
    const mu2 = 1 / 0.8;
    const g = (c: number) => (c * Math.asin(c) + Math.sqrt(1 - c * c)) / Math.PI + c / 2;
    // layer 1: σ_w² x_a·x_b/d off the diagonal, σ_w² μ2 |x|²/d on it; then two ReLU layers
    let K = x.map((a, i) => x.map((b, j) => ((i === j ? mu2 : 1) * sw2 * (a[0] * b[0] + a[1] * b[1])) / 2));
    for (let l = 0; l < 2; l++) {
      K = K.map((row, i) =>
        row.map((kab, j) => {
          if (i === j) return (sw2 * mu2 * K[i][i]) / 2;
          const s = Math.sqrt(K[i][i] * K[j][j]);
          return (sw2 * s * g(Math.max(-1, Math.min(1, kab / s)))) / 2;
        }),
      );
    }
    for (let i = 0; i < 3; i++) {
      const row = nums(out, `nngp row ${i}:`);
      for (let j = 0; j < 3; j++) expect(Math.abs(row[j] - K[i][j])).toBeLessThan(1e-6);
    }
  });

  it("sim: finite networks agree with the theory within sampling error", async () => {
    const out = await run("sim");
    // 8 networks: z is t-distributed with 7 degrees of freedom; 2 × 9 layers compared, and the two-sided
    // t₇ quantile for a 1e-3 family-wise false-alarm rate over 18 comparisons is ≈ 7.4
    expect(nums(out, "max |z|")[0]).toBeLessThan(7.4);
  });

  it("spectrum: critical ReLU with orthogonal weights has mean 1 and variance L; simulation agrees", async () => {
    const out = await run("spectrum");
    const [mean, variance] = nums(out, "theory mean");
    expect(mean).toBeCloseTo(1, 12);
    expect(variance).toBeCloseTo(4, 9);
    // the first moment (1/N) tr JJᵀ of one network fluctuates by O(√(L/N)) ≈ 0.14 at N = 200, L = 4;
    // averaged over 6 networks ≈ 0.06: 0.25 is 4 of those
    expect(Math.abs(nums(out, "simulated mean")[0] - 1)).toBeLessThan(0.25);
  });

  it("finite-width: the exact kurtosis equals 3(1 + 5/N)^(L−1) and sampled networks agree", async () => {
    const out = await run("finite-width");
    const exact = nums(out, "exact kurtosis")[0];
    expect(Math.abs(exact - 3 * (1 + 5 / 20) ** 5)).toBeLessThan(1e-4);
    const [k, se] = nums(out, "sampled kurtosis");
    expect(Math.abs(k - exact)).toBeLessThan(5 * se);
  });

  it("analysis: SVCCA of a representation with an invertible linear image of itself is 1", async () => {
    const out = await run("analysis");
    expect(Math.abs(nums(out, "similarity with a linear image")[0] - 1)).toBeLessThan(1e-6);
    // unrelated 3-d data, 200 samples: canonical correlations are O(√(3/200)) ≈ 0.12 each
    expect(nums(out, "similarity with unrelated data")[0]).toBeLessThan(0.5);
  });

  it("report: the chart renders to SVG and PNG", async () => {
    const out = await run("report");
    const [svgChars, pngBytes] = nums(out, "svg");
    expect(svgChars).toBeGreaterThan(1000);
    expect(pngBytes).toBeGreaterThan(1000);
  });

  it("train: a critical ReLU network with dropout learns MNIST digits above chance (0.1)", async () => {
    const out = await run("train");
    const first = nums(out, "epoch 0:");
    const last = nums(out, "epoch 2:");
    expect(first[0]).toBeLessThan(0.3);
    expect(last[0]).toBeGreaterThan(0.6);
  });
});
