/**
 * Output paths are checked before any work: a file where a folder is wanted (ENOTDIR), a folder where a
 * file is wanted, /proc (where even root cannot create files, and Node's recursive mkdir never returns)
 * are exit 2 with one line naming the flag — through the real CLI for train, reproduce and sweep.
 * "Before any work" is shown by giving train a data set that does not exist: the --out error comes first.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkWritableOutput } from "../../src/io/outputPath.js";
import { InputError } from "../../src/theory/errors.js";
import { oneLine, sigprop } from "./cli.js";

const tmp = mkdtempSync(join(tmpdir(), "sigprop-outpath-"));
const aFile = join(tmp, "a-file");
writeFileSync(aFile, "x");
const hasProc = existsSync("/proc/self");

describe("checkWritableOutput", () => {
  it("accepts new and existing paths, creates nothing, leaves no probe", () => {
    expect(checkWritableOutput("--out", join(tmp, "new", "deeper", "r.json"), "file")).toBe(
      join(tmp, "new", "deeper", "r.json"),
    );
    expect(checkWritableOutput("--out", aFile, "file")).toBe(aFile);
    expect(checkWritableOutput("--out", join(tmp, "d1", "d2"), "dir")).toBe(join(tmp, "d1", "d2"));
    expect(readdirSync(tmp)).toEqual(["a-file"]);
  });
  it("refuses a folder for a file, a file for a folder, a file on the way, a device", () => {
    expect(() => checkWritableOutput("--checkpoint", tmp, "file")).toThrow(/it is a folder/);
    expect(() => checkWritableOutput("--out", aFile, "dir")).toThrow(/it is a file, not a folder/);
    expect(() => checkWritableOutput("--out", join(aFile, "x", "y.json"), "file")).toThrow(
      /a-file is a file, not a folder/,
    );
    if (existsSync("/dev/null"))
      expect(() => checkWritableOutput("--out", "/dev/null", "file")).toThrow(/not a regular file/);
    expect(() => checkWritableOutput("--out", aFile, "dir")).toThrow(InputError);
  });
  it.runIf(hasProc)("refuses /proc at once", () => {
    expect(() => checkWritableOutput("--out", "/proc/sigprop_x", "dir")).toThrow(
      /cannot create files in \/proc/,
    );
    expect(() => checkWritableOutput("--out", "/proc/x.json", "file")).toThrow(InputError);
  });
});

describe("the CLI checks output paths first (exit 2, one line)", () => {
  const cases: [string, string[], RegExp][] = [
    ["reproduce --out <a file>", ["reproduce", "fig2", "--out", aFile], /--out .*it is a file, not a folder/],
    [
      "reproduce --out <under a file>",
      ["reproduce", "fig2", "--out", join(aFile, "sub")],
      /--out .*a-file is a file, not a folder/,
    ],
    [
      "train --checkpoint <a folder> (before loading data)",
      ["train", "--dataset", "idx:/nonexistent", "--checkpoint", tmp],
      /--checkpoint .*it is a folder/,
    ],
    [
      "train --out == --checkpoint",
      ["train", "--dataset", "idx:/nonexistent", "--out", join(tmp, "r"), "--checkpoint", join(tmp, "r")],
      /--checkpoint .*it is the --out file/,
    ],
    [
      "sweep run --out <a file>",
      ["sweep", "run", "--dataset", "idx:/nonexistent", "--out", aFile],
      /--out .*it is a file, not a folder/,
    ],
    [
      "sweep merge --out <a file>",
      ["sweep", "merge", tmp, "--out", aFile],
      /--out .*it is a file, not a folder/,
    ],
  ];
  if (hasProc) {
    cases.push(
      [
        "reproduce --out /proc/sigprop_x (hung in mkdir)",
        ["reproduce", "fig2", "--out", "/proc/sigprop_x"],
        /cannot create files in \/proc/,
      ],
      [
        "train --out /proc/x.json (before loading data)",
        ["train", "--dataset", "idx:/nonexistent", "--out", "/proc/x.json"],
        /--out '\/proc\/x\.json': cannot create files in \/proc/,
      ],
    );
  }
  for (const [label, args, msg] of cases) {
    it(label, async () => {
      const r = await sigprop(args, { timeout: 60_000 });
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(msg);
      expect(oneLine(r.err), r.err).toBe(true);
    });
  }
});
