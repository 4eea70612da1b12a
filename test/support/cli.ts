/**
 * Run a Node entry of this repository (the real `sigprop` entry, src/cli/main.ts, by default) as a child
 * process, asynchronously: a synchronous spawn blocks the test worker's event loop for the child's whole run,
 * and vitest's worker RPC times out after 60 s of that on a loaded machine ("Timeout calling onTaskUpdate"),
 * which fails the run although every test passed.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
// tsx by absolute URL, so that a child whose working folder is elsewhere still resolves it
const TSX = pathToFileURL(join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;

export interface CliResult {
  /** exit code (null when killed by a signal) */
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

export interface RunOptions {
  /** the entry to run under tsx, relative to the repository root (default: the real CLI) */
  entry?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** extra arguments for node itself, after tsx is loaded (e.g. `--import` of a TypeScript fault injector) */
  nodeArgs?: string[];
  /** kill the child after this many milliseconds (default: none) */
  timeoutMs?: number;
}

export function runCli(args: readonly string[], opts: RunOptions = {}): Promise<CliResult> {
  const entry = opts.entry ?? "src/cli/main.ts";
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ["--import", TSX, ...(opts.nodeArgs ?? []), join(ROOT, entry), ...args],
      { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env },
    );
    let out = "";
    let err = "";
    p.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    p.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    const timer = opts.timeoutMs ? setTimeout(() => p.kill("SIGKILL"), opts.timeoutMs) : undefined;
    p.on("error", reject);
    p.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, out, err });
    });
  });
}

/** The real CLI entry with these arguments. */
export const sigprop = (...args: string[]): Promise<CliResult> => runCli(args);
