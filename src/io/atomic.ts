/**
 * The one atomic file writer of sigprop: every file the package writes (reports' PNG/SVG/JSON/CSV/HTML,
 * train results, checkpoints, sweep records, merged sweeps, the reproduce cache) goes through
 * `writeFileAtomic`, so a run that is killed, or that fills the disk, never leaves a partial file under
 * the final name.
 *
 * Steps: create the missing folders one by one; open a new temporary file beside the target
 * (`.<name>.<pid>.<n>.tmp`, exclusive create); write **every** byte (looping over short writes); fsync;
 * close; rename over the target; fsync the folder. On any failure the temporary file is removed and the
 * target is untouched (a previous version of it stays as it was); disk-full and I/O errors become a
 * `FileWriteError` whose one-line message says what, where and how much.
 *
 * Why not the `write-file-atomic` package (npm's own; installed, v6.0.0): measured on a 64 KiB tmpfs
 * with 4 KiB free, both its `sync` and its promise API return success and leave a 4096-byte file under
 * the final name for a 6 000- or 200 000-byte payload, because each issues one `write` and ignores the
 * byte count it returns (write(2) returns a short count, not ENOSPC, when the disk fills mid-write). The
 * same unchecked write is reported upstream as still present in v8 (coder/xum PR 4282, which replaced it
 * for that reason); `atomically` has the same bug (fabiospampinato/atomically PR 18, open). It also does
 * not fsync the folder. The loop below is the fix those reports describe. Node's own recursive `mkdir`
 * is not used either: `mkdirSync('/proc/x', { recursive: true })` never returns on Linux (Node 20.20),
 * which made `reproduce --out /proc/x` hang.
 *
 * The temporary names keep the `.<name>.<pid>.<digits>.tmp` shape that report/cache.ts and train/sweep.ts
 * recognise when they clean up after a `kill -9`.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  statfsSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { FileWriteError } from "./errors.js";

export interface WriteFileOptions {
  /** what the file is, for the error message (e.g. "checkpoint", "sweep record"); default "file" */
  what?: string;
}

let sequence = 0;

/** A fresh temporary name beside `path` (same folder, so the rename stays on one file system). */
function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}${sequence++}.tmp`);
}

/** `12 B`, `4.0 KiB`, `1.50 MiB`. */
function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(2)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** errno codes that mean "the disk cannot take it" or "the device failed", not a programming error */
const WRITE_FAILURES = new Set([
  "ENOSPC",
  "EDQUOT",
  "EFBIG",
  "EIO",
  "EROFS",
  "EACCES",
  "EPERM",
  "ENOTDIR",
  "EISDIR",
  "ENOENT",
  "EEXIST",
  "ENAMETOOLONG",
  "EMFILE",
  "ENFILE",
]);

function freeBytes(dir: string): number | null {
  try {
    const s = statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

/**
 * Create `dir` and its missing parents, one `mkdir` at a time from the nearest existing ancestor
 * (Node's `recursive: true` loops forever under /proc). Throws the first `mkdir` error.
 */
function ensureDir(dir: string): void {
  const missing: string[] = [];
  let d = resolve(dir);
  for (;;) {
    try {
      if (statSync(d).isDirectory()) break;
      const e = new Error(`ENOTDIR: not a directory, mkdir '${d}'`) as NodeJS.ErrnoException;
      e.code = "ENOTDIR";
      e.path = d;
      throw e;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    missing.push(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || !statSync(m).isDirectory()) throw e;
    }
  }
}

/** Write `data` to `path` atomically (see the module comment). */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: WriteFileOptions = {}): void {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const what = opts.what ?? "file";
  const dir = dirname(path);
  let tmp: string | null = null;
  let fd: number | null = null;
  let written = 0;
  try {
    ensureDir(dir);
    tmp = tempName(path);
    fd = openSync(tmp, "wx", 0o666);
    while (written < bytes.length) {
      const n = writeSync(fd, bytes, written, bytes.length - written);
      if (!(n > 0)) {
        // A regular file never takes 0 bytes without an error; do not spin.
        const e = new Error("write returned 0 bytes") as NodeJS.ErrnoException;
        e.code = "EIO";
        throw e;
      }
      written += n;
    }
    fsyncSync(fd);
    const f = fd;
    fd = null;
    closeSync(f);
    renameSync(tmp, path);
    tmp = null;
  } catch (e) {
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        // the close error is not the one to report
      }
    }
    if (tmp !== null) {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone, or the folder vanished: nothing left to clean
      }
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code && WRITE_FAILURES.has(code)) throw writeError(path, what, code, bytes.length, written, e);
    throw e;
  }
  // Make the rename itself durable. A failure here cannot undo the (complete) file, so it is ignored.
  try {
    const d = openSync(dir, "r");
    try {
      fsyncSync(d);
    } finally {
      closeSync(d);
    }
  } catch {
    // some file systems refuse fsync on a folder
  }
}

function writeError(
  path: string,
  what: string,
  code: string,
  size: number,
  written: number,
  cause: unknown,
): FileWriteError {
  const free = freeBytes(dirname(path));
  const amount = `${formatBytes(size)}${written > 0 ? `, ${formatBytes(written)} written before it failed` : ""}${free !== null ? `, ${formatBytes(free)} free` : ""}`;
  const reason =
    code === "ENOSPC"
      ? "no space left on device"
      : code === "EDQUOT"
        ? "disk quota exceeded"
        : code === "EFBIG"
          ? "file too large"
          : `${code}${cause instanceof Error ? ` (${cause.message.replace(/^[A-Z]+: /, "")})` : ""}`;
  const err = new FileWriteError(
    path,
    code,
    `${reason}: could not write ${what} ${path} (${amount}); the target was left untouched`,
  );
  (err as { cause?: unknown }).cause = cause;
  return err;
}
