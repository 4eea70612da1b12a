/**
 * Input parsing pieces of issue 14: decimal-only numbers, ranges whose suggested example is itself
 * valid, size limits that name flag, estimate and limit and can be lifted, the JSON error object, and
 * the strict svcca CSV reader with its chance-level guard (checked against a Monte Carlo of independent
 * data).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { svcca } from "../../src/analysis/svcca.js";
import { flagOf, int, num, range, reportError } from "../../src/cli/common.js";
import { checkEstimate, defaultLimits, limitsFrom, type Limits } from "../../src/cli/limits.js";
import { readNumericCsv } from "../../src/cli/readCsv.js";
import { InputError } from "../../src/theory/errors.js";
import { parseNoise } from "../../src/theory/noise.js";
import { parseActivation } from "../../src/theory/activations.js";
import { parseDecimal } from "../../src/theory/spec.js";
import { Stream } from "../../src/engine/rng.js";

const dir = mkdtempSync(join(tmpdir(), "sigprop-inputs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe("decimal numbers", () => {
  it("accepts plain decimal notation and nothing else Number() would take", () => {
    for (const [s, v] of [
      ["2", 2],
      ["-0.5", -0.5],
      [".5", 0.5],
      ["5.", 5],
      ["1e-3", 1e-3],
      ["+2E+2", 200],
      [" 3 ", 3],
    ] as const)
      expect(parseDecimal(s)).toEqual({ value: v });
    for (const s of [
      "0x10",
      "0b1",
      "0o7",
      "Infinity",
      "-Infinity",
      "NaN",
      "",
      "1_000",
      "1e",
      "e5",
      "2,5",
      "1e400",
      "1e-400",
    ])
      expect("problem" in parseDecimal(s), s).toBe(true);
    expect(() => num("--sigma-w2", "0x10")).toThrow(/--sigma-w2 '0x10'.*not decimal/);
    expect(() => int("--depth", "1e400")).toThrow(/--depth/);
    // 1e-320 is a valid (subnormal) float64; 1e-400 underflows to 0 and is refused
    expect(parseDecimal("1e-320")).toEqual({ value: 1e-320 });
  });

  it("spec parameters are decimal, and derived μ2 and α² must not overflow (named)", () => {
    expect(() => parseNoise("dropout:keep=0x1")).toThrow(/decimal/);
    expect(() => parseNoise("dropout:keep=1e-320")).toThrow(/μ2 = 1\/keep/);
    expect(parseNoise("dropout:keep=1e-300").mu2).toBeCloseTo(1e300, -290);
    expect(() => parseNoise("gauss_mult:std=1e200")).toThrow(/μ2 = 1 \+ std²/);
    expect(() => parseNoise("laplace_add:scale=1e200")).toThrow(/2·scale²/);
    expect(() => parseActivation("leaky_relu:alpha=1e200")).toThrow(/alpha²/);
    expect(() => parseActivation("leaky_relu:alpha=Infinity")).toThrow(/decimal/);
  });
});

describe("ranges", () => {
  it("the example in the error is itself a valid range for the same bounds", () => {
    for (const bounds of [{}, { lo: 0 }, { lo: 0, loOpen: true }, { lo: -1, hi: 1 }, { lo: 1e-9, hi: 1 }]) {
      let msg = "";
      try {
        range("--r", "1:0:5", bounds);
      } catch (e) {
        msg = (e as Error).message;
      }
      const example = /e\.g\. (\S+)/.exec(msg)![1];
      expect(() => range("--r", example, bounds), `${JSON.stringify(bounds)} → ${example}`).not.toThrow();
    }
  });
  it("refuses n beyond the heap before allocating, naming the flag", () => {
    expect(() => range("--c0", "0:1:1e9")).toThrow(/--c0 '0:1:1e9'.*1000000000 points.*heap/);
    expect(range("--c0", "0:1:3")).toEqual([0, 0.5, 1]);
    expect(() => range("--c0", "0:1:2.5")).toThrow(/whole number/);
  });
});

describe("size limits", () => {
  const est = { flag: "--width", value: "5000", what: "a test", seconds: 3600, heapBytes: 1e6 };
  it("names the flag, the estimate and the limit, and says how to lift it", () => {
    expect(() => checkEstimate(est, defaultLimits())).toThrow(
      /--width '5000'.*estimated 1\.00 h > limit 10\.0 min.*--max-minutes.*--no-limits/,
    );
  });
  it("--max-minutes and --no-limits lift the soft limits; V8's heap and wasm's 4 GiB stay", () => {
    const lifted: Limits = limitsFrom({ limits: false });
    expect(() => checkEstimate(est, limitsFrom({ maxMinutes: "61" }))).not.toThrow();
    expect(() => checkEstimate(est, lifted)).not.toThrow();
    expect(() => checkEstimate({ ...est, heapBytes: 1e15 }, lifted)).toThrow(
      /heap limit.*max-old-space-size/,
    );
    expect(() => checkEstimate({ ...est, tensorBytes: 5 * 2 ** 30 }, lifted)).toThrow(/4 GiB wasm/);
    expect(() => checkEstimate({ ...est, heapBytes: 3 * 2 ** 30 }, limitsFrom({ maxMemory: "2" }))).toThrow(
      /3\.00 GiB of memory > limit 2\.00 GiB/,
    );
    expect(() => limitsFrom({ maxMinutes: "0x10" })).toThrow(/--max-minutes/);
  });
});

describe("the JSON error object", () => {
  it("bad input: kind, flag (library names mapped), value, valid, message; exit 2", () => {
    const out: string[] = [];
    const w = process.stdout.write;
    const e = process.stderr.write;
    process.stdout.write = ((s: string) => (out.push(s), true)) as typeof w;
    process.stderr.write = (() => true) as typeof e;
    try {
      expect(reportError(new InputError("sigmaB2", "-1", "a number ≥ 0"), true)).toBe(2);
      expect(reportError(new Error("boom"), true)).toBe(1);
      expect(reportError(new InputError("--x", "1", "y"), false)).toBe(2);
    } finally {
      process.stdout.write = w;
      process.stderr.write = e;
    }
    expect(out).toHaveLength(2);
    expect(JSON.parse(out[0])).toEqual({
      error: {
        kind: "bad_input",
        flag: "--sigma-b2",
        value: "-1",
        valid: "a number ≥ 0",
        message: "invalid --sigma-b2 '-1': valid: a number ≥ 0",
      },
    });
    expect(JSON.parse(out[1])).toEqual({ error: { kind: "internal", message: "boom" } });
    expect(flagOf("--q0")).toBe("--q0");
  });
});

describe("svcca CSV", () => {
  const bad = (text: string) => {
    try {
      readNumericCsv("--x", file("t.csv", text));
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message;
    }
    return "accepted";
  };
  it("names the line and column of a bad field", () => {
    expect(bad("1,2,\n3,4,\n5,6,\n")).toMatch(/line 1, column 3 is empty \(a trailing delimiter\?\)/);
    expect(bad("NaN,1\n2,3\n4,5\n")).toMatch(/line 1, column 1: 'NaN'/);
    expect(bad("a,b\n1,2\n3,x\n")).toMatch(/line 3, column 2: 'x'/);
    expect(bad("1,2,3\n4,5\n")).toMatch(/line 2/);
    expect(bad("1,2\n0x10,3\n4,5\n")).toMatch(/line 2, column 1/);
    expect(bad("")).toMatch(/no rows/);
  });
  it("reads headers, quotes, semicolons, tabs and whitespace-separated files", () => {
    expect(readNumericCsv("--x", file("h.csv", "a,b\n1,2\n3,4\n"))).toEqual({
      header: ["a", "b"],
      rows: [
        [1, 2],
        [3, 4],
      ],
    });
    expect(readNumericCsv("--x", file("q.csv", '"1";"2"\r\n3;4\r\n')).rows).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(readNumericCsv("--x", file("s.txt", "1.5e-1  2\n 3 4\n")).rows).toEqual([
      [0.15, 2],
      [3, 4],
    ]);
    expect(readNumericCsv("--x", file("t.tsv", "1\t2\n3\t4\n")).rows).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
  it("the chance level sqrt(max(kx,ky)/(n−1)) bounds the similarity of independent data (Monte Carlo)", () => {
    // mean over 10 draws of independent Gaussian 200×20 pairs; numpy gave 0.83–0.87 of the bound
    const rng = new Stream(7);
    const gauss = (n: number, m: number) => Array.from({ length: n }, () => Array.from(rng.normals(m)));
    let s = 0;
    let bound = 0;
    for (let t = 0; t < 10; t++) {
      const r = svcca(gauss(200, 20), gauss(200, 20), { varianceKept: 0.99 });
      s += r.similarity / 10;
      bound = Math.sqrt(Math.max(r.kx, r.ky) / 199);
    }
    expect(s).toBeLessThan(bound);
    expect(s).toBeGreaterThan(0.7 * bound);
  });
});
