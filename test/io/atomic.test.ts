/**
 * The atomic writer on a full disk (a 64 KiB tmpfs with 4 KiB free, or the injected equivalent where
 * mounting is not allowed; test/io/diskFull.ts): the write fails with a one-line FileWriteError naming
 * the path and the sizes, nothing is left under the final name, no temporary file is left, and an
 * earlier version of the file is untouched. Short writes without an error are completed, not truncated.
 */
import fs, { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/io/atomic.js";
import { FileWriteError } from "../../src/io/errors.js";
import { FREE_BYTES, fullDisk, injectedDisk, listFiles, type FullDisk } from "./diskFull.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const disks: FullDisk[] = [];
afterAll(() => disks.forEach((d) => d.cleanup()));

const payloads: [string, string | Uint8Array][] = [
  // larger than the free space, not a multiple of the page size
  ["a JSON string", JSON.stringify({ x: Array.from({ length: 1500 }, (_, i) => i * 1.5) })],
  ["binary (a PNG-sized buffer)", Uint8Array.from({ length: 3 * FREE_BYTES + 123 }, (_, i) => i % 251)],
];

for (const [label, make] of [
  ["tmpfs (or injected where mount is refused)", fullDisk],
  ["injected short write + ENOSPC", injectedDisk],
] as const) {
  describe(`full disk: ${label}`, () => {
    for (const [kind, data] of payloads) {
      it(`${kind}: FileWriteError, nothing under the final name, no temp file, earlier version kept`, () => {
        const disk = make();
        disks.push(disk);
        const undo = disk.inject();
        try {
          // 1. a new name: the write is cut at 4 KiB (short write), then ENOSPC; nothing is left
          const target = join(disk.dir, "out", "res.json");
          let err: FileWriteError | undefined;
          try {
            writeFileAtomic(target, data, { what: "result" });
          } catch (e) {
            err = e as FileWriteError;
          }
          expect(err).toBeInstanceOf(FileWriteError);
          expect(err?.code).toBe("ENOSPC");
          // one line: what, where, how much
          expect(err?.message).not.toContain("\n");
          expect(err?.message).toMatch(/^no space left on device: could not write result .*res\.json \(/);
          const size = typeof data === "string" ? Buffer.byteLength(data) : data.length;
          expect(err?.message).toContain(`${(size / 1024).toFixed(1)} KiB, 4.0 KiB written before it failed`);
          expect(listFiles(disk.dir)).toEqual([]);
          // 2. an earlier version of the file survives a failed overwrite untouched
          writeFileAtomic(target, "old version\n");
          expect(() => writeFileAtomic(target, data, { what: "result" })).toThrow(FileWriteError);
          expect(readFileSync(target, "utf8")).toBe("old version\n");
          expect(listFiles(disk.dir)).toEqual(["out/res.json"]);
        } finally {
          undo();
        }
      });
    }
  });
}

describe("short writes without an error", () => {
  it("are continued until every byte is written (1000 bytes per write(2))", () => {
    const dir = mkdtempSync(join(tmpdir(), "sigprop-short-"));
    const orig = fs.writeSync;
    let calls = 0;
    (fs as unknown as Record<string, unknown>).writeSync = (
      fd: number,
      buf: Uint8Array,
      off = 0,
      len = buf.length - off,
    ) => {
      calls++;
      return orig(fd, buf, off, Math.min(len, 1000));
    };
    syncBuiltinESMExports();
    try {
      const data = Uint8Array.from({ length: 10_500 }, (_, i) => (i * 7) % 256);
      writeFileAtomic(join(dir, "x.bin"), data);
      expect(calls).toBe(11);
      expect(new Uint8Array(readFileSync(join(dir, "x.bin")))).toEqual(data);
    } finally {
      (fs as unknown as Record<string, unknown>).writeSync = orig;
      syncBuiltinESMExports();
    }
  });
});

describe("folders", () => {
  it("creates missing folders; a file in the way is a FileWriteError, not a hang or a stack", () => {
    const dir = mkdtempSync(join(tmpdir(), "sigprop-dirs-"));
    writeFileAtomic(join(dir, "a", "b", "c.txt"), "x");
    expect(readFileSync(join(dir, "a", "b", "c.txt"), "utf8")).toBe("x");
    writeFileSync(join(dir, "f"), "");
    expect(() => writeFileAtomic(join(dir, "f", "g", "h.txt"), "x")).toThrow(/ENOTDIR/);
    expect(readdirSync(dir).sort()).toEqual(["a", "f"]);
  });
  it.runIf(existsSync("/proc/self"))(
    "under /proc it fails at once (Node's recursive mkdir loops)",
    async () => {
      // in a child with a time limit: the old writer never returned, which no in-process timeout can stop
      const code = `import { writeFileAtomic } from "./src/io/atomic.ts";
      try { writeFileAtomic("/proc/sigprop_x/y/z.json", "{}"); console.log("wrote"); }
      catch (e) { console.log(e.name, e.code); }`;
      // asynchronous, so the test worker is not blocked while the child runs
      const r = await new Promise<{ signal: NodeJS.Signals | null; stdout: string }>((done) => {
        const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
          cwd: root,
          timeout: 20_000,
        });
        let stdout = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
        child.on("close", (_c, signal) => done({ signal, stdout }));
      });
      expect(r.signal).toBeNull();
      expect(r.stdout.trim()).toMatch(/^FileWriteError E[A-Z]+$/);
    },
  );
});
