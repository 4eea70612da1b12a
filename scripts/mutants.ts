/**
 * Mutation check for the tests of issue 15 ("every replaced test is shown to fail on a deliberately broken
 * implementation"): each mutant is one exact-text edit of one file that breaks what a strengthened test
 * guards; the test files named with it must then FAIL ("killed"). A mutant that survives means the test
 * cannot see the defect it was written for.
 *
 *   npx tsx scripts/mutants.ts                 every mutant, one at a time
 *   npx tsx scripts/mutants.ts NAME...         only these
 *   npx tsx scripts/mutants.ts --list          names, files and tests, nothing run
 *   npx tsx scripts/mutants.ts --no-baseline   skip the unmutated run of the same tests
 *   npx tsx scripts/mutants.ts --check         only check that every find text applies (seconds, no tests)
 *   npx tsx scripts/mutants.ts --tests-from=REV  run the mutants' test files as they were at git REV (e.g. the
 *                                              tests before issue 15), without name filters: an old test
 *                                              that cannot see the defect shows up as "survived"
 *   npm run mutants -- NAME...
 *
 * Each mutant runs in a fresh temporary copy of the working tree (the files git lists, tracked and
 * untracked-not-ignored, with node_modules symlinked), removed afterwards even on failure: the working tree
 * is never edited. The baseline runs the union of the mutants' test selections unmutated first; a test that
 * fails there is reported and not counted as killing a mutant. A mutant whose `find` text is absent (the code
 * moved or was renamed) or occurs more than once (without `all`) is an ERROR of this script, never a pass.
 *
 * Output: a readable table on stderr, then one JSON object on stdout
 * ({ mutants: [{ mutant, killed, status, failing, seconds, ... }], baseline, total_seconds }).
 * Exit 0 when every selected mutant is killed and nothing errored; 1 otherwise.
 * Not part of CI (minutes of CPU); docs/TESTING.md has the table and how to read it.
 */
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

interface Mutant {
  name: string;
  /** file to edit, relative to the repository root */
  file: string;
  /** exact text to replace; must occur exactly once unless `all` */
  find: string;
  replace: string;
  /** replace every occurrence (at least one) */
  all?: boolean;
  /** test files to run (`npx vitest run <tests>`) */
  tests: string[];
  /** optional test-name filter (vitest -t) to keep slow files short */
  only?: string;
  /** extra environment for the test run */
  env?: Record<string, string>;
  /** the test (name) expected to kill it and why the edit is a real defect */
  why: string;
}

/**
 * One mutant per test that issue 15 replaced or strengthened. `find` texts are arithmetic or logic lines,
 * chosen to survive field renames (camelCase) elsewhere; if one is gone, the script says so.
 */
export const MUTANTS: Mutant[] = [
  // --- the NaN hole (src/sim/compare.ts, test helpers, sigprop simulate)
  {
    name: "sim-nan-layer",
    file: "src/sim/stats.ts",
    find: "    mean.push(m);",
    replace: "    mean.push(j === 3 ? NaN : m);",
    tests: ["test/sim/maps.test.ts", "test/sim/dynamics.test.ts", "test/sim/cli.test.ts"],
    why: "the simulation's per-layer mean is NaN at layer (or map entry) 3, as after a float32 overflow; before the fix NaN became a null z counted as 0, so maps/dynamics and `simulate` passed",
  },
  {
    name: "compare-nan-as-null",
    file: "src/sim/compare.ts",
    find: "if (!Number.isFinite(m) || !Number.isFinite(sim.std[i])) return NaN;",
    replace: "if (!Number.isFinite(m) || !Number.isFinite(sim.std[i])) return null;",
    tests: ["test/sim/compare.test.ts"],
    why: "zScores reports a blown-up simulated value as 'no comparison' (null), the old NaN hole",
  },
  {
    name: "maxabsz-skips-nonfinite",
    file: "src/sim/compare.ts",
    find: "if (!Number.isFinite(v)) return Infinity;",
    replace: "if (!Number.isFinite(v)) continue;",
    tests: ["test/sim/compare.test.ts"],
    why: "maxAbsZ (and the tests' worst()) skip a NaN z, so a simulation that blew up reports a small largest |z|",
  },
  {
    name: "compare-se-without-sqrt",
    file: "src/sim/compare.ts",
    find: "const se = sim.std[i] / Math.sqrt(networks);",
    replace: "const se = sim.std[i] / networks;",
    tests: ["test/sim/cli.test.ts"],
    only: "--json dynamics",
    why: "standard error std/n instead of std/√n: z inflated by √n; the simulate --json test recomputes every z from the printed columns (it checked lengths and types before)",
  },
  // --- theory tests that could not fail
  {
    name: "reference-gelu-missing",
    file: "test/reference/theory/gelu.json",
    find: '"moments": [',
    replace: '"moments": [], "moments_removed": [',
    tests: ["test/theory/reference.test.ts"],
    only: "has mpmath moments and kernels",
    why: "a catalogue activation (gelu) without mpmath moment rows (the file stays valid JSON, the rows move to an unread key); the old test counted distinct spec strings, which duplicates could satisfy",
  },
  {
    name: "arccos-kernel-sqrt-1.1",
    file: "src/theory/activations.ts",
    find: "(cc * Math.asin(cc) + Math.sqrt(Math.max(0, 1 - cc * cc))) / Math.PI",
    replace: "(cc * Math.asin(cc) + 1.1 * Math.sqrt(Math.max(0, 1 - cc * cc))) / Math.PI",
    tests: ["test/theory/critical.test.ts"],
    only: "ReLU: l²(1 − c^l)",
    why: "the ReLU correlation map (arc-cosine kernel) is wrong near c = 1, so its EOC convergence rate is not 9π²/2; the old test compared eocRate's constant with itself",
  },
  {
    name: "eoc-rate-constant",
    file: "src/theory/rates.ts",
    find: "constant: (9 * Math.PI * Math.PI) / 2, formula",
    replace: "constant: (8 * Math.PI * Math.PI) / 2, formula",
    tests: ["test/theory/critical.test.ts"],
    only: "ReLU: l²(1 − c^l)",
    why: "the hard-coded ReLU EOC rate constant is wrong; the iterated correlation map must disagree with it",
  },
  {
    name: "eoc-chi-q-1pct",
    file: "src/theory/critical.ts",
    find: "const chiQ = sw2 * m * dPhi2dq(act, q);",
    replace: "const chiQ = sw2 * m * dPhi2dq(act, q) * 1.01;",
    tests: ["test/cli/cli.test.ts"],
    only: "eoc: points with stability",
    why: "`sigprop eoc` reports χ_q 1 % off; the test (shape only before) now evaluates each point's defining equations",
  },
  // --- spectra
  {
    name: "histogram-round-not-floor",
    file: "src/spectra/histogram.ts",
    find: "Math.min(bins - 1, Math.floor(x / width))",
    replace: "Math.min(bins - 1, Math.round(x / width))",
    tests: ["test/spectrum/empirical.test.ts"],
    only: "bin by bin",
    why: "eigenvalues binned half a bin off; the histogram total (the old check) is still 1, the per-bin comparison with the density is not",
  },
  {
    name: "svcca-always-one",
    file: "src/analysis/svcca.ts",
    find: "similarity: corr.reduce((x, y) => x + y, 0) / corr.length,",
    replace: "similarity: 1,",
    tests: ["test/spectrum/svcca.test.ts"],
    why: "svcca returns similarity 1 whatever the inputs",
  },
  {
    name: "svcca-drops-top-direction",
    file: "src/analysis/svcca.ts",
    find: "const U = svd.leftSingularVectors.subMatrix(0, n - 1, 0, k - 1);",
    replace:
      "const U = svd.leftSingularVectors.subMatrix(0, n - 1, Math.min(1, sv.length - k), Math.min(1, sv.length - k) + k - 1);",
    tests: ["test/spectrum/svcca.test.ts"],
    only: "linear network without bias",
    why: "SVD reduction keeps singular directions 1..k instead of 0..k−1; the seed experiment's old test ([0, 1] and > 0.5) passed it",
  },
  {
    name: "jacobian-relu-mask-1",
    file: "src/spectra/jacobian.ts",
    find: "(v) => act.dphi(v));",
    replace: "(v) => act.dphi(v) || 1);",
    tests: ["test/spectrum/finiteWidth.test.ts"],
    only: "with orthogonal blocks every singular value",
    why: "the Jacobian ignores ReLU's zero derivative, so the standard ReLU network looks isometric; the contrast with looks-linear was a comment before",
  },
  {
    name: "counting-jacobian-scale",
    file: "src/spectra/jacobian.ts",
    find: "(v) => act.dphi(v));",
    replace: "(v) => act.dphi(v) * 1.02);",
    tests: ["test/spectrum/empirical.test.ts", "test/spectrum/smoothDensity.test.ts"],
    only: "counting function",
    why: "every φ′ in the Jacobian 2 % high, so JJᵀ is scaled by 1.02^{2L} (17 % at L = 4, 37 % at L = 8): the counting-function comparisons (4 SE + the derived c/N bias allowance) must see it",
  },
  {
    name: "relu-counting-dphi-11pct",
    file: "src/spectra/jacobian.ts",
    find: "(v) => act.dphi(v));",
    replace: "(v) => act.dphi(v) * 1.11);",
    tests: ["test/spectrum/empirical.test.ts"],
    only: "matches atom + ∫ρ at three points",
    why: "φ′ 11 % high (JJᵀ × 1.11⁸ = 2.3): the smallest φ′ error the ReLU (L = 4, N = 64, 30 networks) counting points alone provably see: F(t) − F(t/s) > 2 × (4 SE + 1.5/N) at t = 0.5·edge (orthogonal); a 2 % error moves F by ≤ 0.019 < 1.5/64 = 0.023, the bias allowance alone (docs/TESTING.md)",
  },
  {
    name: "jacobian-scale-trace",
    file: "src/spectra/jacobian.ts",
    find: "(v) => act.dphi(v));",
    replace: "(v) => act.dphi(v) * 1.02);",
    tests: ["test/spectrum/empirical.test.ts"],
    only: "mean of (1/N) tr JJᵀ = 1",
    why: "the same 2 % φ′ error: the exact-trace test sees the scale that the ReLU (L = 4) counting-function points alone do not",
  },
  // --- orthogonal sampler
  {
    name: "haar-q-squared",
    file: "src/engine/haar.ts",
    find: "  cgs2Rows(q, n, 0, 0, n);\n  return q;",
    replace:
      "  cgs2Rows(q, n, 0, 0, n);\n  const q2 = new Float64Array(n * n);\n  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) q2[i * n + j] += q[i * n + k] * q[k * n + j];\n  return q2;",
    tests: ["test/sim/sampling.test.ts"],
    only: "Haar, not just orthogonal",
    why: "returns Q² of a Haar Q: orthogonal, exchangeable entries with E[Q_ij²] = 1/N, so the old QQᵀ = I and moment checks pass; not Haar",
  },
  {
    name: "haar-positive-diagonal",
    file: "src/engine/haar.ts",
    find: "const inv = 1 / Math.sqrt(nrm);",
    replace: "const inv = (q[vk + k] < 0 ? -1 : 1) / Math.sqrt(nrm);",
    tests: ["test/sim/sampling.test.ts"],
    only: "Haar, not just orthogonal",
    why: "rows sign-fixed so that diag(Q) ≥ 0 (a QR sign convention applied to the wrong factor): orthogonal, not Haar",
  },
  // --- reports and CLI
  {
    name: "fig5-xi-plus-3pct",
    file: "src/report/figures/fig5.ts",
    find: "0) / W, se: Math.sqrt(1 / W) };",
    replace: "0) / W * 1.03, se: Math.sqrt(1 / W) };",
    tests: ["test/report/figures.test.ts"],
    why: "the combined ξ_c fit of Fig 5 is 3 % high; the old 10 %/25 % tolerances passed it",
  },
  {
    name: "fig5-xi-plus-3pct-build",
    file: "src/report/figures/fig5.ts",
    find: "0) / W, se: Math.sqrt(1 / W) };",
    replace: "0) / W * 1.03, se: Math.sqrt(1 / W) };",
    tests: ["test/report/figures.test.ts"],
    only: "builds with a fit per configuration",
    why: "the same 3 % ξ_c error, seen by the build test alone: ξ_fit must lie in the hull of the local decay lengths −1/ln|ε_{l+1}/ε_l| of the mean-field trajectory over its window (a bound, not the former 9.5 %)",
  },
  {
    name: "plot-dot-at-mean-plus-std",
    file: "src/report/chartSpec.ts",
    find: "x: xx, mean: m, lo, hi });",
    replace: "x: xx, mean: i === 2 ? m + sd : m, lo, hi });",
    tests: ["test/report/plot.test.ts"],
    only: "line + dot + band",
    why: "one simulation dot drawn at mean + std; the old test only checked that an SVG with the mark classes exists",
  },
  {
    name: "reproduce-drops-not-available",
    file: "src/cli/commands/reproduce.ts",
    find: "/^fig\\d+$/.test(n) ? `${n} is not available in this build` : undefined,",
    replace: "undefined,",
    tests: ["test/report/cli.test.ts"],
    why: "an unregistered figure id loses its 'is not available in this build' detail; the old assertion sat behind an `if` that never ran",
  },
  {
    name: "browser-mc-sigma-w2",
    file: "src/web/compute.ts",
    find: "return { model: modelOf(s), width: s.width,",
    replace: "return { model: { ...modelOf(s), sigmaW2: 1.3 * modelOf(s).sigmaW2 }, width: s.width,",
    tests: ["test/web/explorer.test.ts"],
    only: "Monte Carlo overlay",
    why: "the explorer's Monte Carlo simulates σ_w² 30 % above the state the theory lines are drawn for; the tolerance derived for 8 networks (K = 5.859, t₇ at 1 % family-wise) must still see it",
  },
  // --- tests that could vanish (test-side mutants: the guard must be live)
  {
    name: "sweep-kill-after-finish",
    file: "test/train/sweep.test.ts",
    find: "while (done().length < 2 && child.exitCode === null)",
    replace: "while (child.exitCode === null)",
    tests: ["test/train/sweep.test.ts"],
    only: "kill -9 during a sweep",
    why: "the 'kill' is sent after the sweep finished by itself; the test must notice that the kill did not land mid-sweep (it passed before)",
  },
  {
    name: "browser-missing-in-ci",
    file: "test/support/explorerBrowser.ts",
    find: 'process.env.SIGPROP_CHROMIUM ?? "/usr/bin/chromium"',
    replace: '"/nonexistent/chromium"',
    env: { CI: "true" },
    tests: ["test/web/explorer.test.ts"],
    only: "chromium is installed",
    why: "no browser in CI: the browser tests must fail, not skip with a warning",
  },
];

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

interface RunResult {
  code: number | null;
  seconds: number;
  failing: string[];
  passed: number;
  failed: number;
  timedOut: boolean;
  error?: string;
}

interface Outcome {
  mutant: string;
  file: string;
  tests: string[];
  only: string | null;
  status: "killed" | "survived" | "error" | "timeout";
  killed: boolean;
  failing: string[];
  seconds: number;
  why: string;
  error?: string;
}

/** A fresh copy of the working tree (git's tracked + untracked-not-ignored files), node_modules linked. */
function copyTree(): string {
  const dir = mkdtempSync(join(tmpdir(), "sigprop-mutant-"));
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  })
    .split("\0")
    .filter((f) => f && f !== "node_modules");
  for (const f of files) {
    const src = join(root, f);
    if (!existsSync(src)) continue; // deleted in the working tree, not yet staged
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(src, join(dir, f));
  }
  symlinkSync(realpathSync(join(root, "node_modules")), join(dir, "node_modules"), "dir");
  return dir;
}

/**
 * Overwrite the mutant's test files in the copy with their text at git revision `rev`; a file that did not
 * exist there is removed (the old suite had no such test). Returns the files that exist at `rev`.
 */
function testsAt(dir: string, m: Mutant, rev: string): string[] {
  const kept: string[] = [];
  for (const t of m.tests) {
    let text: string | null = null;
    try {
      text = execFileSync("git", ["show", `${rev}:${t}`], {
        cwd: root,
        encoding: "utf8",
        maxBuffer: 64 << 20,
        stdio: ["ignore", "pipe", "ignore"],
      });
    } catch {
      text = null;
    }
    if (text === null) rmSync(join(dir, t), { force: true });
    else {
      writeFileSync(join(dir, t), text);
      kept.push(t);
    }
  }
  return kept;
}

function applyMutant(dir: string, m: Mutant): void {
  const path = join(dir, m.file);
  if (!existsSync(path)) throw new Error(`file not found: ${m.file}`);
  const text = readFileSync(path, "utf8");
  const count = text.split(m.find).length - 1;
  if (count === 0) throw new Error(`find text not found in ${m.file}: ${JSON.stringify(m.find)}`);
  if (count > 1 && !m.all)
    throw new Error(
      `find text occurs ${count} times in ${m.file} (needs to be unique): ${JSON.stringify(m.find)}`,
    );
  writeFileSync(path, text.split(m.find).join(m.replace));
}

interface VitestJson {
  numPassedTests?: number;
  numFailedTests?: number;
  testResults?: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { fullName: string; status: string }[];
  }[];
}

function runVitest(
  dir: string,
  tests: string[],
  only: string | undefined,
  env: Record<string, string> | undefined,
  timeoutS: number,
): Promise<RunResult> {
  const out = join(dir, ".mutant-vitest.json");
  rmSync(out, { force: true });
  const args = ["vitest", "run", ...tests, "--reporter=json", `--outputFile=${out}`];
  // the filter is a regular expression: escape the name's special characters (ReLU: l²(1 − c^l))
  if (only) args.push(`--testNamePattern=${only.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn("npx", args, {
      cwd: dir,
      env: { ...process.env, ...env, FORCE_COLOR: "0" },
      stdio: ["ignore", "ignore", "pipe"],
      detached: true, // own process group, so a timeout can end vitest and its workers
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, timeoutS * 1000);
    child.on("close", (code) => {
      clearTimeout(timer);
      const seconds = (Date.now() - t0) / 1000;
      let report: VitestJson | null = null;
      try {
        report = JSON.parse(readFileSync(out, "utf8")) as VitestJson;
      } catch {
        report = null;
      }
      const failing: string[] = [];
      for (const f of report?.testResults ?? []) {
        const rel = relative(dir, f.name);
        const bad = f.assertionResults.filter((a) => a.status === "failed");
        for (const a of bad) failing.push(`${rel} > ${a.fullName}`);
        // a file that failed to load (import error, syntax error) has no assertion results
        if (f.status === "failed" && bad.length === 0)
          failing.push(
            // the copy's path is different each run: replace it, so a baseline failure matches
            `${rel} (file failed: ${(f.message ?? "").split(dir).join("<copy>").split("\n")[0].slice(0, 160)})`,
          );
      }
      resolve({
        code,
        seconds,
        failing,
        passed: report?.numPassedTests ?? 0,
        failed: report?.numFailedTests ?? 0,
        timedOut,
        error: report
          ? undefined
          : `no vitest report (exit ${code}): ${stderr.trim().split("\n").slice(-3).join(" | ")}`,
      });
    });
  });
}

function table(rows: Outcome[]): string {
  const lines = [
    "| mutant | status | s | failing tests (first 2) |",
    "| --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${r.mutant} | ${r.status}${r.error ? `: ${r.error}` : ""} | ${r.seconds.toFixed(0)} | ${r.failing
          .slice(0, 2)
          .join("; ")
          .replace(/\|/g, "\\|")}${r.failing.length > 2 ? ` (+${r.failing.length - 2})` : ""} |`,
    ),
  ];
  return lines.join("\n");
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const flags = new Set(argv.filter((a) => a.startsWith("--")));
  const names = argv.filter((a) => !a.startsWith("--"));
  for (const f of flags)
    if (
      !["--list", "--no-baseline", "--check"].includes(f) &&
      !f.startsWith("--timeout=") &&
      !f.startsWith("--tests-from=")
    ) {
      console.error(
        `mutants: unknown flag ${f} (valid: --list, --check, --no-baseline, --timeout=SECONDS, --tests-from=REV)`,
      );
      return 2;
    }
  const timeoutArg = [...flags].find((f) => f.startsWith("--timeout="));
  const timeoutS = timeoutArg ? Number(timeoutArg.slice("--timeout=".length)) : 600;
  const fromArg = [...flags].find((f) => f.startsWith("--tests-from="));
  const testsFrom = fromArg ? fromArg.slice("--tests-from=".length) : null;
  // old test files have other test names: no name filter then
  const onlyOf = (m: Mutant) => (testsFrom ? undefined : m.only);
  const unknown = names.filter((n) => !MUTANTS.some((m) => m.name === n));
  if (unknown.length) {
    console.error(
      `mutants: unknown mutant ${unknown.join(", ")} (valid: ${MUTANTS.map((m) => m.name).join(", ")})`,
    );
    return 2;
  }
  const selected = names.length ? MUTANTS.filter((m) => names.includes(m.name)) : MUTANTS;
  if (flags.has("--list")) {
    for (const m of selected)
      console.log(
        `${m.name}\t${m.file}\t${m.tests.join(" ")}${m.only ? ` -t ${JSON.stringify(m.only)}` : ""}`,
      );
    return 0;
  }
  if (flags.has("--check")) {
    let bad = 0;
    for (const m of selected) {
      const dir = copyTree();
      try {
        applyMutant(dir, m);
        console.log(`ok     ${m.name}`);
      } catch (e) {
        bad++;
        console.log(`ERROR  ${m.name}: ${(e as Error).message}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return bad ? 1 : 0;
  }
  const t0 = Date.now();

  // baseline: each distinct (tests, filter, env) selection once, unmutated; a test failing here cannot kill
  const baseFailing = new Set<string>();
  // selections with no passing test unmutated (e.g. the explorer without chromium): nothing there can kill
  const keyOf = (m: Mutant) => JSON.stringify([m.tests, onlyOf(m) ?? null, m.env ?? null]);
  const basePassed = new Map<string, number>();
  const baseline: {
    tests: string[];
    only: string | null;
    seconds: number;
    passed: number;
    failing: string[];
    error?: string;
  }[] = [];
  if (!flags.has("--no-baseline")) {
    const keys = new Map<string, Mutant>();
    for (const m of selected) keys.set(keyOf(m), m);
    const dir = copyTree();
    try {
      for (const m of keys.values()) {
        const tests = testsFrom ? testsAt(dir, m, testsFrom) : m.tests;
        if (tests.length === 0) continue;
        process.stderr.write(`baseline: ${tests.join(" ")}${onlyOf(m) ? ` -t "${onlyOf(m)}"` : ""} … `);
        const r = await runVitest(dir, tests, onlyOf(m), m.env, timeoutS);
        process.stderr.write(`${r.passed} passed, ${r.failing.length} failing, ${r.seconds.toFixed(0)} s\n`);
        if (r.passed + r.failing.length === 0)
          process.stderr.write(`  WARNING: no test matched this selection (renamed test or file?)\n`);
        r.failing.forEach((f) => baseFailing.add(f));
        basePassed.set(keyOf(m), r.passed);
        baseline.push({
          tests: m.tests,
          only: onlyOf(m) ?? null,
          seconds: r.seconds,
          passed: r.passed,
          failing: r.failing,
          error:
            r.error ??
            (r.timedOut ? "timeout" : r.passed + r.failing.length === 0 ? "no test matched" : undefined),
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const outcomes: Outcome[] = [];
  for (const m of selected) {
    process.stderr.write(`mutant ${m.name} (${m.file}) … `);
    const base = {
      mutant: m.name,
      file: m.file,
      tests: m.tests,
      only: onlyOf(m) ?? null,
      why: m.why,
    };
    let dir: string | null = null;
    try {
      dir = copyTree();
      const tests = testsFrom ? testsAt(dir, m, testsFrom) : m.tests;
      applyMutant(dir, m);
      if (tests.length === 0) {
        // --tests-from: none of the test files existed at that revision, so nothing could see the defect
        outcomes.push({ ...base, status: "survived", killed: false, failing: [], seconds: 0 });
        process.stderr.write(`SURVIVED (no test file at ${testsFrom})\n`);
        continue;
      }
      const r = await runVitest(dir, tests, onlyOf(m), m.env, timeoutS);
      const failing = r.failing.filter((f) => !baseFailing.has(f));
      // no test ran at all (a filter that matches nothing, a renamed test): an error, not a survivor
      const noTests = !r.error && r.passed + r.failed === 0 && r.failing.length === 0;
      const deadBaseline = basePassed.get(keyOf(m)) === 0;
      const status: Outcome["status"] = r.timedOut
        ? "timeout"
        : failing.length > 0
          ? "killed"
          : r.error || noTests || deadBaseline
            ? "error"
            : "survived";
      outcomes.push({
        ...base,
        status,
        killed: status === "killed",
        failing,
        seconds: r.seconds,
        error:
          status === "error"
            ? (r.error ??
              (deadBaseline
                ? "no test of the selection passes unmutated (see baseline)"
                : "no test matched the selection"))
            : undefined,
      });
    } catch (e) {
      outcomes.push({
        ...base,
        status: "error",
        killed: false,
        failing: [],
        seconds: 0,
        error: (e as Error).message,
      });
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
    const o = outcomes[outcomes.length - 1];
    process.stderr.write(
      `${o.status.toUpperCase()} (${o.seconds.toFixed(0)} s)${o.error ? `: ${o.error}` : ""}\n`,
    );
  }

  const totalSeconds = (Date.now() - t0) / 1000;
  process.stderr.write(`\n${table(outcomes)}\n\n`);
  const killed = outcomes.filter((o) => o.killed).length;
  process.stderr.write(
    `${killed} of ${outcomes.length} mutants killed in ${totalSeconds.toFixed(0)} s` +
      (baseFailing.size ? `; ${baseFailing.size} test(s) already failed unmutated (not counted)` : "") +
      "\n",
  );
  console.log(
    JSON.stringify(
      { mutants: outcomes, baseline, tests_from: testsFrom, total_seconds: totalSeconds },
      null,
      2,
    ),
  );
  return killed === outcomes.length ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
