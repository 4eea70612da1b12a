#!/usr/bin/env node
/** The `sigprop` command line. Exit codes: 0 success, 2 bad input, 1 internal failure. */
import { runCli } from "./program.js";

// a closed pipe (`sigprop … | head`) ends the output quietly, not with a stack trace
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await runCli(process.argv.slice(2));
