/**
 * The fuzz table: bad inputs per flag kind, crossed with every option of every registered command
 * (src/cli/commands/index.ts), so that a command added to the registry is fuzzed too. A flag's kind
 * comes from its name, its default and its description; flags of unknown kind are listed as skipped.
 * Only commander and the registry are used here, so the same table runs against older code.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command, type Option } from "commander";

/** Placeholder for a port held by the runner (substituted when the case runs). */
export const BUSY_PORT = "BUSY_PORT";

export interface FuzzCase {
  id: number;
  /** e.g. "sweep run" */
  command: string;
  /** the flag the message must name */
  flag: string;
  kind: string;
  args: string[];
  /** whether the command has --json (then the case runs with it and stdout must be one error object) */
  json: boolean;
}

/** Every leaf command with its full name. */
export function leaves(cmd: Command, prefix: string[] = []): { name: string; cmd: Command }[] {
  return cmd.commands.flatMap((c) =>
    c.commands.length
      ? leaves(c, [...prefix, c.name()])
      : [{ name: [...prefix, c.name()].join(" "), cmd: c }],
  );
}

const NUM_BAD = ["abc", "0x10", "1e400", "-1e400", "NaN", "Infinity", "1_000", "", "2,5"];
const INT_BAD = ["2.5", "-1", "abc", "0x10", "1e400"];
const SIZE_BAD = ["1e9"];
const RANGE_BAD = ["0:1", "1:0:5", "0:1:0", "0:1:2.5", "0:1:1e9", "a:b:3", "0x1:2:3", "0:1e400:3", "0:1:-3"];
const LIST_BAD = ["2,,6", "2,x", "0x10", "2.5", "0:1e5:1e9"];
const SPEC_BAD: Record<string, string[]> = {
  "--activation": [
    "relu6",
    "leaky_relu:0.2",
    "leaky_relu:alpha=0x1",
    "leaky_relu:alpha=1e200",
    "leaky_relu:alpha=NaN",
    "tanh:alpha=1",
    "",
    ":",
  ],
  "--noise": [
    "dropout:0.9",
    "dropout:keep=1e-320",
    "dropout:keep=0x1",
    "dropout:keep=1.5",
    "dropout:rate=1",
    "gauss_mult:std=1e200",
    "gauss_add",
    "bogus",
    "dropout:keep=0.5,keep=0.6",
  ],
  "--noises": ["dropout:0.9;none", ";;", "dropout:keep=1e-320"],
};
/** Numbers without a numeric default (required or optional flags). */
const NUM_NAMES = new Set([
  "--diag-reg",
  "--sigma-w2",
  "--sigma-b2",
  "--q-star",
  "--lr",
  "--threshold",
  "--val-fraction",
  "--variance-kept",
  "--max-memory",
  "--max-minutes",
  "--q0",
  "--c0",
]);
/** Integers whose size drives memory or time: a huge value must be refused, not attempted. */
const SIZE_NAMES = new Set([
  "--width",
  "--depth",
  "--networks",
  "--samples",
  "--epochs",
  "--points",
  "--bins",
  "--seeds",
  "--pairs",
  "--batch",
  "--moments",
  "--manifold-dim",
  "--port",
]);
/** Integers without a numeric default. */
const INT_NAMES = new Set(["--limit", "--eval-limit", "--seed"]);
/** Flags owned elsewhere or not input values (output paths: harden-io's tests). */
const SKIP = new Set(["--out", "--checkpoint", "--json", "--help", "--version"]);

/** Fixture files for path cases (bad CSVs, IDX sets with 0 and 1 images, a folder without index.html). */
export function makeFixtures(dir: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const f = (name: string, text: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  // independent uniform noise (mulberry32): full rank, unlike smooth functions of i and j
  const rows = (n: number, m: number, seed: number) => {
    let a = seed >>> 0;
    const rand = () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
    };
    return (
      Array.from({ length: n }, () => Array.from({ length: m }, () => rand().toFixed(6)).join(",")).join(
        "\n",
      ) + "\n"
    );
  };
  const idx = (sub: string, nTrain: number) => {
    const d = join(dir, sub);
    mkdirSync(d, { recursive: true });
    for (const [prefix, n] of [
      ["train", nTrain],
      ["t10k", 2],
    ] as const) {
      const img = Buffer.alloc(16 + n * 784);
      img.writeUInt32BE(0x00000803, 0);
      img.writeUInt32BE(n, 4);
      img.writeUInt32BE(28, 8);
      img.writeUInt32BE(28, 12);
      const lbl = Buffer.alloc(8 + n);
      lbl.writeUInt32BE(0x00000801, 0);
      lbl.writeUInt32BE(n, 4);
      writeFileSync(join(d, `${prefix}-images-idx3-ubyte`), img);
      writeFileSync(join(d, `${prefix}-labels-idx1-ubyte`), lbl);
    }
    return d;
  };
  mkdirSync(join(dir, "emptydir"), { recursive: true });
  mkdirSync(join(dir, "site-without-index"), { recursive: true });
  mkdirSync(join(dir, "site"), { recursive: true });
  writeFileSync(join(dir, "site", "index.html"), "<!doctype html><title>fixture</title>\n");
  return {
    good: f("good.csv", rows(40, 3, 1)),
    missing: join(dir, "missing.csv"),
    dir: join(dir, "emptydir"),
    empty: f("empty.csv", ""),
    trailing: f("trailing.csv", "1,2,\n3,4,\n5,6,\n7,9,\n"),
    nanFirst: f("nanfirst.csv", "NaN,1,2\n3,4,5\n6,7,8\n1,0,1\n"),
    ragged: f("ragged.csv", "1,2,3\n4,5\n6,7,8\n"),
    hex: f("hex.csv", "1,2\n0x10,3\n4,5\n6,1\n"),
    wide: f("wide.csv", rows(20, 50, 2)),
    wide2: f("wide2.csv", rows(20, 50, 3)),
    idx0: idx("idx0", 0),
    idx1: idx("idx1", 1),
    noIndex: join(dir, "site-without-index"),
    site: join(dir, "site"),
  };
}

function kindOf(o: Option): string | null {
  const long = o.long ?? "";
  const def = o.defaultValue === undefined ? undefined : String(o.defaultValue);
  if (SKIP.has(long) || (!o.required && !o.optional)) return null;
  if (long in SPEC_BAD) return "spec";
  if (long === "--x" || long === "--y") return "csv";
  if (long === "--dir") return "dir";
  if (long === "--dataset") return "dataset";
  if (long === "--shard") return "shard";
  if (def !== undefined && /^[^:]*:[^:]*:[^:]*$/.test(def)) return "range";
  if (long.endsWith("-range")) return "range";
  if (def !== undefined && def.includes(",")) return "list";
  if (SIZE_NAMES.has(long)) return "size";
  if (INT_NAMES.has(long)) return "int";
  if (NUM_NAMES.has(long)) return "number";
  if (def !== undefined && /^\d+$/.test(def)) return "int";
  if (def !== undefined && /^[-+]?[\d.]+(e[-+]?\d+)?$/i.test(def)) return "number";
  if (def !== undefined && /^[a-z_]+$/i.test(def)) return "enum";
  if (/ \| /.test(o.description)) return "enum";
  return null;
}

/** Arguments a command needs before a bad flag can be reached (the fuzzed flag comes last and wins). */
function baseArgs(command: string, flag: string, fx: Record<string, string>): string[] {
  const needsSigmaW2 = ["analyze", "dynamics", "simulate"];
  if (needsSigmaW2.includes(command) && flag !== "--sigma-w2") return ["--sigma-w2", "2"];
  if (command === "sweep run") return ["--out", "sweep-out"];
  if (command === "reproduce") return ["fig2", "--out", "report-out"];
  if (command === "svcca" && flag === "--x") return ["--y", fx.good];
  if (command === "svcca" && flag === "--y") return ["--x", fx.good];
  if (command === "svcca" && flag === "--variance-kept") return ["--x", fx.good, "--y", fx.good];
  if (command === "spectrum" && ["--width", "--networks", "--bins", "--seed"].includes(flag))
    return ["--simulate"];
  if (command === "finite-width" && flag === "--samples") return ["--simulate"];
  // explore: a valid site for --port cases (so the port is what fails), none otherwise (a case that
  // slipped through would serve forever)
  if (command === "explore")
    return ["--no-open", ...(flag === "--dir" ? [] : ["--dir", flag === "--port" ? fx.site : fx.noIndex])];
  if (command === "spectrum" && flag === "--sigma-b2") return ["--sigma-w2", "2"];
  if (command === "sweep merge") return ["missing-dir", "--out", "merged"];
  // landscape: flags are checked before the (missing) checkpoint is read
  if (command === "landscape") return [fx.missing, "--out", "landscape-out"];
  // commands with required flags: valid values for every required flag but the one under test (small sizes, so
  // a case that slipped through would still end quickly)
  const required: Record<string, string[]> = {
    kernel: ["--x", fx.good, "--depth", "2", "--sigma-w2", "2"],
    gp: ["--sigma-w2", "2", "--train-size", "20", "--test-size", "20", "--depth", "1"],
    shape: [
      "--method",
      flag === "--tau" || flag === "--eta" ? "tat" : "dks",
      "--activation",
      flag === "--eta" ? "leaky_relu" : "tanh",
      "--depth",
      "10",
    ],
  };
  const base = required[command] ?? [];
  const out: string[] = [];
  for (let i = 0; i < base.length; i += 2) if (base[i] !== flag) out.push(base[i], base[i + 1]);
  return out;
}

function valuesFor(kind: string, long: string, fx: Record<string, string>): string[] {
  switch (kind) {
    case "spec":
      return SPEC_BAD[long];
    case "range":
      return RANGE_BAD;
    case "list":
      return LIST_BAD;
    case "size":
      return long === "--port" ? [...INT_BAD, "70000", BUSY_PORT] : [...INT_BAD, ...SIZE_BAD];
    case "int":
      return INT_BAD;
    case "number":
      return NUM_BAD;
    case "enum":
      return ["bogus"];
    case "csv":
      return [fx.missing, fx.dir, fx.empty, fx.trailing, fx.nanFirst, fx.ragged, fx.hex];
    case "dir":
      return [fx.missing, fx.good, fx.noIndex];
    case "dataset":
      return [
        "bogus",
        `idx:${fx.missing}`,
        `idx:${fx.dir}`,
        `idx:${fx.idx0}`,
        `idx:${fx.idx1}`,
        `cifar10:${fx.missing}`,
      ];
    case "shard":
      return ["3/2", "x", "1/0", "0x1/2"];
    default:
      return [];
  }
}

/** The cases for a program with the registry's commands; also lists the flags skipped (unknown kind). */
export function fuzzCases(
  program: Command,
  fx: Record<string, string>,
): { cases: FuzzCase[]; skipped: string[] } {
  const cases: FuzzCase[] = [];
  const skipped: string[] = [];
  const add = (c: Omit<FuzzCase, "id">) => cases.push({ id: cases.length, ...c });
  for (const { name, cmd } of leaves(program)) {
    const json = cmd.options.some((o) => o.long === "--json");
    const words = name.split(" ");
    const first = cmd.options.find((o) => o.required && !SKIP.has(o.long ?? ""));
    add({
      command: name,
      flag: "--no-such-flag",
      kind: "unknown",
      args: [...words, ...baseArgs(name, "", fx), "--no-such-flag", "1"],
      json,
    });
    if (first?.long)
      add({
        command: name,
        flag: first.long,
        kind: "missing-value",
        args: [...words, ...baseArgs(name, first.long, fx), first.long],
        json,
      });
    for (const o of cmd.options) {
      const long = o.long ?? "";
      const kind = kindOf(o);
      if (kind === null) {
        if (!SKIP.has(long) && (o.required || o.optional)) skipped.push(`${name} ${long}`);
        continue;
      }
      for (const v of valuesFor(kind, long, fx)) {
        add({
          command: name,
          flag: long,
          kind,
          args: [...words, ...baseArgs(name, long, fx), `${long}=${v}`],
          json,
        });
      }
    }
    if (name === "reproduce")
      add({
        command: name,
        flag: "figure",
        kind: "argument",
        args: [...words, "fig99", "--out", "report-out"],
        json,
      });
    if (name === "svcca") {
      // more columns than rows: independent noise must not get a similarity without a refusal
      add({
        command: name,
        flag: "--x",
        kind: "csv",
        args: [...words, "--x", fx.wide, "--y", fx.wide2],
        json,
      });
    }
  }
  return { cases, skipped };
}
