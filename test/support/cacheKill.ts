/**
 * Helpers for the reproduce crash tests: every file below a folder, and a child process killed with
 * SIGKILL as soon as the reproduction cache holds `atLeast` finished job results (a kill mid-run).
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Every file below `dir`, as paths relative to it. */
export function listAll(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listAll(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/** The finished job results in `out`/.cache. */
export const cacheFiles = (out: string): string[] =>
  existsSync(join(out, ".cache")) ? listAll(join(out, ".cache")).filter((f) => f.endsWith(".json")) : [];

/** Kill `child` with SIGKILL once `out`/.cache has `atLeast` results (or let it exit); wait for the exit. */
export async function killAfterCached(child: ChildProcess, out: string, atLeast: number, pollMs = 20) {
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (cacheFiles(out).length >= atLeast) {
        clearInterval(timer);
        child.kill("SIGKILL");
        resolve();
      }
    }, pollMs);
    child.on("exit", () => {
      clearInterval(timer);
      resolve();
    });
    child.on("error", reject);
  });
  await new Promise((r) =>
    child.exitCode === null && child.signalCode === null ? child.on("exit", r) : r(null),
  );
}
