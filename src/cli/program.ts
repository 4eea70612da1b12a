/**
 * The `sigprop` program object: every registered command (src/cli/commands/index.ts), each leaf with the
 * size-limit options of src/cli/limits.ts. main.ts parses argv with it; tests drive it in-process.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { COMMANDS } from "./commands/index.js";
import { reportError, specHelp } from "./common.js";
import { addLimitOptions } from "./limits.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

/** Every leaf command (subcommands of groups such as `sweep`), in registration order. */
export function leafCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => (c.commands.length ? leafCommands(c) : [c]));
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("sigprop")
    .description(
      "Signal propagation in deep (noisy) neural networks at initialisation: theory, simulation, reports",
    )
    .version(pkg.version)
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  for (const c of leafCommands(program)) {
    c.exitOverride();
    if (!c.options.some((o) => o.long === "--max-memory")) addLimitOptions(c);
    // required flags say so in the help (commander only says it when one is missing)
    for (const o of c.options)
      if (o.mandatory && !o.description.startsWith("(required)"))
        o.description = `(required) ${o.description}`;
    const spec = specHelp(c);
    if (spec) c.addHelpText("after", spec);
  }
  return program;
}

/** Whether `--json` appears among the arguments (before a `--` terminator). */
export function jsonRequested(args: string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).includes("--json");
}

/**
 * Run one command line (arguments after `sigprop`) and return its exit code: 0 success (help and
 * version included), 2 bad input (commander's own errors too), 1 internal failure. With --json every
 * failure is also one `{"error": {...}}` object on stdout. main.ts and the fuzz test both call this.
 */
export async function runCli(args: string[]): Promise<number> {
  const json = jsonRequested(args);
  process.exitCode = undefined;
  try {
    await buildProgram().parseAsync(args, { from: "user" });
    return Number(process.exitCode ?? 0);
  } catch (e) {
    if (!(e instanceof CommanderError)) return reportError(e, json);
    if (e.exitCode === 0) return 0;
    // commander has printed its message on stderr
    if (json) {
      const flag = /'(--?[A-Za-z0-9-]+)/.exec(e.message)?.[1];
      process.stdout.write(
        JSON.stringify({
          error: { kind: "bad_input", code: e.code, ...(flag ? { flag } : {}), message: e.message },
        }) + "\n",
      );
    }
    return 2;
  }
}
