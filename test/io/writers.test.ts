/**
 * One writer: no module in src/ writes a file except through io/atomic.ts (a raw `writeFileSync` or
 * stream would bring back partial files on a full disk or a kill). Checked on the source text.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "./cli.js";

const RAW =
  /\b(writeFileSync|appendFileSync|createWriteStream|writeSync|writeFile|appendFile|copyFileSync|copyFile|cpSync|truncateSync)\b/;

describe("every file in src is written by io/atomic.ts", () => {
  it("no other module in src uses a raw file writer", () => {
    const src = join(root, "src");
    const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) =>
      /\.(ts|tsx|js|mjs)$/.test(f),
    );
    expect(files.length).toBeGreaterThan(20);
    const offenders: string[] = [];
    for (const f of files) {
      const rel = relative(root, join(src, f));
      if (rel === join("src", "io", "atomic.ts")) continue;
      const text = readFileSync(join(src, f), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      text.split("\n").forEach((line, i) => {
        if (RAW.test(line.replace(/writeFileAtomic/g, ""))) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});
