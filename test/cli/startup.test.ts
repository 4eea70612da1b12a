/**
 * Issue 16: the theory commands load neither the tensor library (@jax-js/jax) nor the plotting stack
 * (vega, vega-lite, @resvg/resvg-js, ml-matrix). Each runs through the real entry with module-loader hooks
 * (test/cli/importSpy/) that write every resolved module URL to a file. The time this saves is measured by
 * bench/startup.ts, not here.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const HEAVY = ["@jax-js/jax", "vega", "vega-lite", "@resvg/resvg-js", "ml-matrix"];

/** The packages (node_modules/<name>) a command line resolved, and the sigprop sources it loaded. */
function loaded(args: string[]): { code: number | null; packages: Set<string>; sources: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "sigprop-startup-"));
  const log = join(dir, "modules.txt");
  try {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", "--import", "./test/cli/importSpy/register.mjs", "src/cli/main.ts", ...args],
      { cwd: root, encoding: "utf8", env: { ...process.env, SIGPROP_IMPORT_LOG: log } },
    );
    const urls = readFileSync(log, "utf8").split("\n").filter(Boolean);
    const packages = new Set(
      urls
        .map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1])
        .filter((p): p is string => p !== undefined),
    );
    const sources = urls.filter((u) => u.includes("/src/")).map((u) => u.slice(u.indexOf("/src/") + 5));
    return { code: r.status, packages, sources };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("start-up of the theory commands", () => {
  const lines = [
    ["analyze", "--sigma-w2", "2", "--json"],
    ["critical", "--json"],
    ["eoc", "--json"],
    ["dynamics", "--sigma-w2", "2", "--json"],
    ["phase", "--json"],
    ["rates", "--json"],
    ["shape", "--method", "dks", "--activation", "tanh", "--depth", "5", "--json"],
  ];
  for (const args of lines) {
    it(`${args[0]} loads no tensor or plotting library`, () => {
      const r = loaded(args);
      expect(r.code).toBe(0);
      // the spy works: it saw the command line library and the command's own module
      expect(r.packages.has("commander")).toBe(true);
      expect(r.sources).toContain(`cli/commands/${args[0]}.ts`);
      expect(HEAVY.filter((p) => r.packages.has(p))).toEqual([]);
    });
  }

  it("the spy does see a heavy library where a command uses it (svcca loads ml-matrix)", () => {
    const dir = mkdtempSync(join(tmpdir(), "sigprop-startup-csv-"));
    try {
      const csv = join(dir, "x.csv");
      const rows = Array.from({ length: 12 }, (_, i) => `${Math.sin(i)},${Math.cos(3 * i)},${i % 5}`);
      writeFileSync(csv, rows.join("\n") + "\n");
      const r = loaded(["svcca", "--x", csv, "--y", csv, "--json"]);
      expect(r.packages.has("ml-matrix")).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
