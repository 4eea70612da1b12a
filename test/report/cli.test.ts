/** `sigprop reproduce` input validation: exit 2 naming the parameter, the value and the valid values. */
import { Command } from "commander";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { parseFigures, register } from "../../src/cli/commands/reproduce.js";
import { FIGURES } from "../../src/report/figures/index.js";

const out = mkdtempSync(join(tmpdir(), "sigprop-cli-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

async function run(args: string[]): Promise<{ code: number | undefined; stderr: string }> {
  let stderr = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  const program = new Command().exitOverride();
  register(program);
  process.exitCode = undefined;
  await program.parseAsync(["node", "sigprop", "reproduce", ...args]);
  const code = process.exitCode as number | undefined;
  return { code, stderr };
}

describe("sigprop reproduce: bad input", () => {
  it("rejects an unknown figure, naming it and the valid names", async () => {
    const r = await run(["fig9", "--out", join(out, "a")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("figure");
    expect(r.stderr).toContain("fig9");
    expect(r.stderr).toContain("fig2 | fig3 | fig4 | fig5");
    expect(existsSync(join(out, "a"))).toBe(false);
  });

  it("rejects a bad --scale and --seed", async () => {
    const s = await run(["fig2", "--out", join(out, "b"), "--scale", "huge"]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/--scale 'huge'.*quick \| paper/);
    const seed = await run(["fig2", "--out", join(out, "b"), "--seed", "-3"]);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toMatch(/--seed '-3'.*integer/);
    const missing = await run(["fig2"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--out");
    expect(readdirSync(out)).toEqual([]);
  });

  it("accepts registered figures and `all`, in registry order", () => {
    expect(parseFigures([])).toEqual(FIGURES.map((f) => f.id));
    expect(parseFigures(["all"])).toEqual(FIGURES.map((f) => f.id));
    expect(parseFigures(["fig4", "FIG2"])).toEqual(["fig2", "fig4"]);
    // a figure name that is not registered: InputError naming the value and the valid names
    expect(() => parseFigures(["fig99"])).toThrow(/fig99 is not available/);
    expect(() => parseFigures(["fig99"])).toThrow(/fig2 \| .* \| all/);
    expect(() => parseFigures(["histogram"])).toThrow(/'histogram'/);
  });
});
