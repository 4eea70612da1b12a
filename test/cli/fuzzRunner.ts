/**
 * Child process of the fuzz test: runs fuzz cases in-process through the same entry function as
 * src/cli/main.ts (runCli), each in a fresh empty working folder, and prints one line per case:
 * `START <id>` before it and `RESULT <json>` after it (exit code, stdout, stderr, files left behind).
 * `--list` prints the cases and the skipped flags instead. Case ids to run come on stdin (JSON array).
 * Against code older than runCli (for the before/after counts) it falls back to the old main.ts logic.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { COMMANDS } from "../../src/cli/commands/index.js";
import { BUSY_PORT, fuzzCases, makeFixtures } from "./fuzzCases.js";

const fixtureDir = process.env.FUZZ_FIXTURES ?? mkdtempSync(join(tmpdir(), "sigprop-fuzz-fx-"));
const fx = makeFixtures(fixtureDir);
const busyPort = Number(process.env.FUZZ_BUSY_PORT ?? 0);

function registryProgram(): Command {
  const p = new Command().name("sigprop").exitOverride();
  for (const r of COMMANDS) r(p);
  return p;
}

type Runner = (args: string[]) => Promise<number>;
async function entry(): Promise<Runner> {
  try {
    const m = (await import("../../src/cli/program.js")) as { runCli: Runner };
    return m.runCli;
  } catch {
    // code before runCli: old main.ts
    return async (args) => {
      process.exitCode = undefined;
      const p = registryProgram().showHelpAfterError();
      const leavesOf = (c: Command): Command[] =>
        c.commands.flatMap((x) => (x.commands.length ? leavesOf(x) : [x]));
      for (const c of leavesOf(p)) c.exitOverride();
      try {
        await p.parseAsync(args, { from: "user" });
        return Number(process.exitCode ?? 0);
      } catch (e) {
        if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
        process.stderr.write(`sigprop: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
        return 1;
      }
    };
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => !d.isDirectory())
    .map((d) => join(d.parentPath ?? (d as unknown as { path: string }).path, d.name).slice(dir.length + 1));
}

const { cases, skipped } = fuzzCases(registryProgram(), fx);
if (process.argv.includes("--list")) {
  process.stdout.write(JSON.stringify({ cases, skipped }) + "\n");
  process.exit(0);
}

// hold the "busy" port for the --port case
if (busyPort)
  await new Promise<void>((res) => {
    const s = createServer();
    s.on("error", () => res()); // another runner holds it: busy either way
    s.listen(busyPort, "127.0.0.1", () => res()).unref();
  });

const ids = JSON.parse(
  await new Promise<string>((res) => {
    let s = "";
    process.stdin.on("data", (d) => (s += d));
    process.stdin.on("end", () => res(s));
  }),
) as number[];
const run = await entry();
const realOut = process.stdout.write.bind(process.stdout);
const realErr = process.stderr.write.bind(process.stderr);
const home = process.cwd();
for (const id of ids) {
  const c = cases[id];
  realOut(`START ${id}\n`);
  const cwd = mkdtempSync(join(tmpdir(), "sigprop-fuzz-case-"));
  process.chdir(cwd);
  let out = "";
  let err = "";
  process.stdout.write = ((s: string | Uint8Array) => (
    (out += String(s)),
    true
  )) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => (
    (err += String(s)),
    true
  )) as typeof process.stderr.write;
  let code: number;
  try {
    // --json right after the command words, so that a flag left without its value stays so
    const words = c.command.split(" ").length;
    const args = c.args.map((a) => a.replace(BUSY_PORT, String(busyPort)));
    code = await run(c.json ? [...args.slice(0, words), "--json", ...args.slice(words)] : args);
  } catch (e) {
    code = -1;
    err += `uncaught: ${e instanceof Error ? e.stack : String(e)}`;
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
    process.exitCode = undefined;
  }
  process.chdir(home);
  const left = filesUnder(cwd);
  rmSync(cwd, { recursive: true, force: true });
  realOut(`RESULT ${JSON.stringify({ id, code, out, err, files: left })}\n`);
}
if (!process.env.FUZZ_FIXTURES) rmSync(fixtureDir, { recursive: true, force: true });
process.exit(0);
