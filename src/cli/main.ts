#!/usr/bin/env node
/** The `sigprop` command line. Exit codes: 0 success, 2 bad input, 1 internal failure. */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { COMMANDS } from "./commands/index.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

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

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // help and version exit 0; unknown options/commands and missing arguments are bad input
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`sigprop: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
