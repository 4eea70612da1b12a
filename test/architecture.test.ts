/**
 * The folders of src/ are the architecture (issue 15, "Folders show the architecture"): every import of
 * every src/**\/*.ts file, static, `export … from`, type-only and dynamic `import()` alike (read with
 * TypeScript's own pre-processor, so comments and strings cannot fool it), plus worker entries
 * (`new URL("./x.js", import.meta.url)`), must respect the layer order
 *
 *   numerics → theory → engine, sim, spectra, train, data, analysis, io → report → cli, web
 *
 * (an arrow reads "may be imported by"): no folder imports a folder of a later layer, and the folders of
 * one layer import each other without cycles. numerics and theory are plain TypeScript (no package at
 * all: no tensor library, no plotting). A new top-level folder must be placed in LAYERS before it passes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/cli.js";

const SRC = join(ROOT, "src");

/** Layer of each top-level folder of src/ ("." is src/index.ts, the package root, an entry like the CLI). */
const LAYERS: Record<string, number> = {
  numerics: 0,
  theory: 1,
  engine: 2,
  sim: 2,
  spectra: 2,
  train: 2,
  data: 2,
  analysis: 2,
  io: 2,
  report: 3,
  cli: 4,
  web: 4,
  ".": 4,
};

interface Edge {
  from: string;
  to: string;
  file: string;
  spec: string;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : /\.(ts|tsx|mts)$/.test(e.name) && !e.name.endsWith(".d.ts")
        ? [join(dir, e.name)]
        : [],
  );
}

/** The top-level folder of src/ a path lies in ("." for a file directly in src/). */
function folderOf(path: string): string {
  const parts = relative(SRC, path).split(sep);
  return parts.length === 1 ? "." : parts[0];
}

/** Every module specifier a file imports or re-exports, type-only and dynamic imports included. */
export function specifiers(text: string): string[] {
  const pre = ts.preProcessFile(text, true, true);
  const workers = [...text.matchAll(/new\s+URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g)].map(
    (m) => m[1],
  );
  return [...pre.importedFiles.map((f) => f.fileName), ...workers];
}

/** Cross-folder edges of src/ and the packages each folder imports. */
function importGraph(): { edges: Edge[]; packages: Map<string, Set<string>> } {
  const edges: Edge[] = [];
  const packages = new Map<string, Set<string>>();
  for (const file of sources(SRC)) {
    const from = folderOf(file);
    for (const spec of specifiers(readFileSync(file, "utf8"))) {
      if (!spec.startsWith(".")) {
        if (!packages.has(from)) packages.set(from, new Set());
        packages.get(from)!.add(spec);
        continue;
      }
      const target = resolve(dirname(file), spec);
      const rel = relative(SRC, target);
      if (rel.startsWith("..")) {
        // the version comes from package.json; nothing else outside src/ is part of the library
        if (target === join(ROOT, "package.json")) continue;
        throw new Error(`${relative(ROOT, file)} imports ${spec}, outside src/`);
      }
      const to = folderOf(target);
      if (to !== from) edges.push({ from, to, file: relative(ROOT, file), spec });
    }
  }
  return { edges, packages };
}

/** Strongly connected components of the folder graph with more than one folder (Tarjan). */
function folderCycles(edges: Edge[]): string[][] {
  const adj = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!adj.has(e.from)) adj.set(e.from, new Set());
    adj.get(e.from)!.add(e.to);
  }
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of adj.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return out;
}

describe("architecture: the folders of src/ are layered", () => {
  const { edges, packages } = importGraph();

  it("reads the imports it checks (the known edges are seen, including type-only and dynamic imports)", () => {
    // a guard against a reader that silently sees nothing: edges that exist today, of each kind
    const has = (from: string, to: string) => edges.some((e) => e.from === from && e.to === to);
    expect(has("theory", "numerics")).toBe(true);
    expect(has("spectra", "engine")).toBe(true);
    expect(has("cli", "report")).toBe(true); // dynamic import() from command actions
    expect(
      specifiers(`import type { A } from "./a.js"; const b = await import("./b.js"); // import "./c.js"`),
    ).toEqual(["./a.js", "./b.js"]);
  });

  it("every top-level folder of src/ has a layer", () => {
    const folders = [...new Set(sources(SRC).map(folderOf))].sort();
    expect(folders.filter((f) => LAYERS[f] === undefined)).toEqual([]);
  });

  it("no upward import (numerics → theory → engine/sim/spectra/train/data/analysis/io → report → cli/web)", () => {
    const upward = edges
      .filter((e) => LAYERS[e.to] > LAYERS[e.from])
      .map(
        (e) =>
          `${e.file} (${e.from}, layer ${LAYERS[e.from]}) imports ${e.spec} (${e.to}, layer ${LAYERS[e.to]})`,
      );
    expect(upward).toEqual([]);
  });

  it("no import cycle between folders", () => {
    const cycles = folderCycles(edges).map((comp) => {
      const inside = edges.filter((e) => comp.includes(e.from) && comp.includes(e.to));
      const pairs = [...new Map(inside.map((e) => [`${e.from}→${e.to}`, `${e.file} imports ${e.spec}`]))];
      return `${comp.join(" ↔ ")}: ${pairs.map(([k, v]) => `${k} (${v})`).join("; ")}`;
    });
    expect(cycles).toEqual([]);
  });

  it("numerics and theory are plain TypeScript: they import no package", () => {
    const used = ["numerics", "theory"].flatMap((f) => [...(packages.get(f) ?? [])].map((p) => `${f}: ${p}`));
    expect(used).toEqual([]);
  });
});
