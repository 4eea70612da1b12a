/**
 * Runs the fuzz cases (fuzzCases.ts) in a few child processes (fuzzRunner.ts), each running its share
 * in-process; a case that hangs past the per-case timeout or kills its child (V8 heap abort) is recorded
 * as such and the child is restarted on the remaining cases. `held(case, result)` is the contract:
 * exit 2, the message names the flag, no stack trace, nothing left in the working folder, and with
 * --json exactly one `{"error": {...}}` object on stdout.
 *
 * As a script (`node --import tsx test/cli/fuzzHarness.ts [parallel] [timeoutS]`) it prints the counts
 * per command and the failures, for the before/after numbers in the notes.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { FuzzCase } from "./fuzzCases.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface FuzzResult {
  id: number;
  code: number | "timeout" | "crash";
  out: string;
  err: string;
  files: string[];
}

function runner(args: string[], env: Record<string, string>) {
  return spawn(process.execPath, ["--import", "tsx", "test/cli/fuzzRunner.ts", ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
}

export async function listCases(): Promise<{ cases: FuzzCase[]; skipped: string[] }> {
  const child = runner(["--list"], {});
  child.stdin.end();
  let s = "";
  child.stdout.on("data", (d) => (s += d));
  await new Promise((res) => child.on("close", res));
  return JSON.parse(s);
}

/** Run ids in one child; restart after a hang or a crash. */
async function runShare(ids: number[], timeoutS: number, env: Record<string, string>): Promise<FuzzResult[]> {
  const results: FuzzResult[] = [];
  let todo = [...ids];
  while (todo.length) {
    const child = runner([], env);
    child.stdin.end(JSON.stringify(todo));
    let current: number | null = null;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    let errTail = "";
    child.stderr.on("data", (d) => (errTail = (errTail + d).slice(-2000)));
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
      }, timeoutS * 1000);
    };
    arm(); // startup counts against the first case
    const rl = createInterface({ input: child.stdout });
    rl.on("line", (line) => {
      if (line.startsWith("START ")) {
        current = Number(line.slice(6));
        arm();
      } else if (line.startsWith("RESULT ")) {
        const r = JSON.parse(line.slice(7)) as FuzzResult;
        results.push(r);
        todo = todo.filter((i) => i !== r.id);
        current = null;
      }
    });
    await new Promise((res) => child.on("close", res));
    clearTimeout(timer);
    if (current !== null) {
      results.push({ id: current, code: timedOut ? "timeout" : "crash", out: "", err: errTail, files: [] });
      const done = current;
      todo = todo.filter((i) => i !== done);
    } else if (todo.length) {
      // died before starting a case: give up on the rest rather than loop
      for (const id of todo)
        results.push({ id, code: timedOut ? "timeout" : "crash", out: "", err: errTail, files: [] });
      todo = [];
    }
  }
  return results;
}

export async function runCases(
  ids: number[],
  { parallel = 2, timeoutS = 60, busyPort = 0 } = {},
): Promise<FuzzResult[]> {
  const fixtures = mkdtempSync(join(tmpdir(), "sigprop-fuzz-fx-"));
  const env = { FUZZ_FIXTURES: fixtures, FUZZ_BUSY_PORT: String(busyPort) };
  try {
    const shares = Array.from({ length: parallel }, (_, k) => ids.filter((_, i) => i % parallel === k));
    const all = await Promise.all(shares.map((s) => runShare(s, timeoutS, env)));
    return all.flat().sort((a, b) => a.id - b.id);
  } finally {
    rmSync(fixtures, { recursive: true, force: true });
  }
}

const STACK = /\n\s+at .+:\d+:\d+\)?/;

/** Why a case did not hold (empty: it held). */
export function problems(c: FuzzCase, r: FuzzResult): string[] {
  const p: string[] = [];
  if (r.code !== 2) p.push(`exit ${r.code}`);
  if (!r.err.includes(c.flag)) p.push(`message does not name ${c.flag}`);
  if (STACK.test(r.err) || STACK.test(r.out)) p.push("stack trace");
  if (r.files.length) p.push(`left ${r.files.join(", ")}`);
  if (c.json && r.code !== "timeout" && r.code !== "crash") {
    const lines = r.out.trim().split("\n").filter(Boolean);
    let ok = false;
    try {
      const j = JSON.parse(lines[0] ?? "");
      ok =
        lines.length === 1 &&
        j.error?.kind === "bad_input" &&
        (j.error.flag === c.flag || String(j.error.message).includes(c.flag));
    } catch {
      ok = false;
    }
    if (!ok) p.push("stdout is not one JSON error object naming the flag");
  }
  return p;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const parallel = Number(process.argv[2] ?? 2);
  const timeoutS = Number(process.argv[3] ?? 60);
  const { cases, skipped } = await listCases();
  const { createServer } = await import("node:net");
  const srv = createServer();
  await new Promise<void>((res) => srv.listen(0, "127.0.0.1", res));
  const busyPort = (srv.address() as { port: number }).port;
  srv.close();
  const t0 = Date.now();
  const results = await runCases(
    cases.map((c) => c.id),
    { parallel, timeoutS, busyPort },
  );
  const byCmd: Record<string, { tried: number; held: number }> = {};
  const failures: string[] = [];
  for (const r of results) {
    const c = cases[r.id];
    const p = problems(c, r);
    const e = (byCmd[c.command] ??= { tried: 0, held: 0 });
    e.tried++;
    if (!p.length) e.held++;
    else
      failures.push(`${c.command} ${c.args.slice(c.command.split(" ").length).join(" ")}: ${p.join("; ")}`);
  }
  const held = results.filter((r) => !problems(cases[r.id], r).length).length;
  process.stdout.write(
    JSON.stringify(
      { tried: results.length, held, seconds: (Date.now() - t0) / 1000, by_command: byCmd, skipped },
      null,
      1,
    ) +
      "\n" +
      failures.join("\n") +
      "\n",
  );
}
