/**
 * Issue 16, help texts: every command with --activation lists every catalogue name (ACTIVATION_NAMES,
 * aliases included), every command with --noise lists every noise kind (NOISE_KEYS, NOISE_ALIASES), every
 * command with a σ_w² / σ_b² flag states the variance convention, required flags say "(required)", and
 * the default activation is relu except where a command says why not.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram, leafCommands } from "../../src/cli/program.js";
import { ACTIVATION_NAMES } from "../../src/theory/activations.js";
import { NOISE_ALIASES, NOISE_KEYS } from "../../src/theory/noise.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** A command's full help (options and the sections added after them) as printed by --help. */
function helpOf(c: Command): string {
  let text = "";
  c.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  c.outputHelp();
  return text;
}

const name = (c: Command): string =>
  c.parent && c.parent.name() !== "sigprop" ? `${c.parent.name()} ${c.name()}` : c.name();

describe("help texts", () => {
  const leaves = leafCommands(buildProgram());
  const has = (c: Command, long: string) => c.options.some((o) => o.long === long);

  it("list the activations, the noise specs and the variance convention where those flags exist", () => {
    let checked = 0;
    for (const c of leaves) {
      const help = helpOf(c);
      if (has(c, "--activation")) {
        checked++;
        // each name as a whole word in the list section (not only inside an example)
        const list = help.slice(help.indexOf("Activations (--activation):"));
        expect(list.length, name(c)).toBeGreaterThan(30);
        for (const a of ACTIVATION_NAMES) expect(list, `${name(c)}: ${a}`).toMatch(new RegExp(`\\b${a}\\b`));
      }
      if (has(c, "--noise") || has(c, "--noises")) {
        const list = help.slice(help.indexOf("Noise (--noise):"));
        for (const k of [...Object.keys(NOISE_KEYS), ...Object.keys(NOISE_ALIASES)])
          expect(list, `${name(c)}: ${k}`).toMatch(new RegExp(`\\b${k}\\b`));
        expect(list).toContain("dropout:keep=");
        expect(list).toContain("dropout:rate=");
      }
      if (c.options.some((o) => /^--sigma-[wb]2/.test(o.long ?? "")))
        expect(help, name(c)).toContain("W_ij ~ N(0, σ_w²/N)");
    }
    // analyze, critical, eoc, dynamics, phase, rates, shape, simulate, train, sweep run, spectrum, draws, kernel, gp
    expect(checked).toBeGreaterThanOrEqual(12);
  });

  it("mark required flags", () => {
    let marked = 0;
    for (const c of leaves)
      for (const o of c.options.filter((o) => o.mandatory)) {
        marked++;
        expect(o.description, `${name(c)} ${o.long}`).toMatch(/^\(required\) /);
      }
    expect(marked).toBeGreaterThanOrEqual(3); // shape --method, --depth; sweep --out …
    const analyze = leaves.find((c) => c.name() === "analyze")!;
    expect(helpOf(analyze)).toMatch(/--sigma-w2 <x>\s+\(required\)/);
  });

  it("default to relu, or say why not", () => {
    for (const c of leaves) {
      const o = c.options.find((o) => o.long === "--activation");
      if (!o) continue;
      if (o.defaultValue !== "relu") expect(o.description, name(c)).toMatch(/default tanh/);
    }
    const act = (n: string) =>
      leaves.find((c) => c.name() === n)!.options.find((o) => o.long === "--activation")!.defaultValue;
    for (const n of ["analyze", "critical", "dynamics", "rates", "simulate", "train", "spectrum"])
      expect(act(n), n).toBe("relu");
  });

  it("through the real entry: sigprop eoc --help exits 0 with the lists", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "eoc", "--help"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Activations (--activation):");
    expect(r.stdout).toContain("gauss_mult:std=");
  });
});
