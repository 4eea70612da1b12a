/**
 * Module-loader hooks that record every resolved module URL, one per line, in the file named by
 * `initialize`'s data (test/cli/startup.test.ts; registered by register.mjs). Hooks run on their own
 * thread, so a file is the simplest channel back to the test.
 */
import { appendFileSync } from "node:fs";

let file = "";

export function initialize(data) {
  file = data.file;
}

export async function resolve(specifier, context, nextResolve) {
  const r = await nextResolve(specifier, context);
  appendFileSync(file, r.url + "\n");
  return r;
}
