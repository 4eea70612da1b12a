/**
 * Output paths are checked before any work: a command that would train for an hour and then fail to
 * write its result (the path is a folder, its parent is a file, the location is read-only or a pseudo
 * file system like /proc) exits 2 at once, naming the flag and the path.
 *
 * The check creates (and removes) a probe file in the nearest existing folder on the path: permissions
 * alone do not tell (root passes `access(W_OK)` on /proc, where creating a file fails with ENOENT).
 * No folder is created by the check; the writer (io/atomic.ts) creates missing ones when it writes.
 */
import { closeSync, openSync, statSync, unlinkSync, type Stats } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../theory/errors.js";

function statOrNull(p: string): Stats | null {
  try {
    return statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    if (code === "ENOTDIR") return null; // a parent is a file: reported by the ancestor walk
    throw e;
  }
}

let probes = 0;

/**
 * Check that `path` can be written: `kind: "file"` for a file the command writes (it must not be a
 * folder or a device), `kind: "dir"` for a folder it writes into (it must not be a file). Throws an
 * InputError naming `flag` (exit 2). Returns the absolute path.
 */
export function checkWritableOutput(flag: string, path: string, kind: "file" | "dir"): string {
  if (path.trim() === "") throw new InputError(flag, path, kind === "file" ? "a file path" : "a folder path");
  const abs = resolve(path);
  const st = statOrNull(abs);
  if (kind === "file") {
    if (st?.isDirectory())
      throw new InputError(flag, path, "a file path", "it is a folder; name a file in it instead");
    if (st && !st.isFile())
      throw new InputError(flag, path, "a regular file path", "it exists and is not a regular file");
  } else if (st && !st.isDirectory()) {
    throw new InputError(flag, path, "a folder path", "it is a file, not a folder");
  }
  // The nearest existing ancestor (the path itself for an existing folder) must be a writable folder.
  let d = kind === "dir" ? abs : dirname(abs);
  let dst = statOrNull(d);
  while (!dst) {
    const up = dirname(d);
    if (up === d) break;
    d = up;
    dst = statOrNull(d);
  }
  if (dst && !dst.isDirectory())
    throw new InputError(flag, path, "a path whose folders can be created", `${d} is a file, not a folder`);
  const probe = join(d, `.sigprop-probe.${process.pid}.${probes++}.tmp`);
  try {
    closeSync(openSync(probe, "wx"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    throw new InputError(
      flag,
      path,
      "a location where files can be created",
      `cannot create files in ${d} (${code})`,
    );
  }
  try {
    unlinkSync(probe);
  } catch {
    // created but not removable: leave it, it is an empty dot-file with a temp name
  }
  return abs;
}
