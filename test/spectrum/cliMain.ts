/** Stand-alone entry for this commands until the lead wires them into src/cli/commands/index.ts. */
import { Command } from "commander";
import { register as spectrum } from "../../src/cli/commands/spectrum.js";
import { register as finiteWidth } from "../../src/cli/commands/finiteWidth.js";
import { register as svcca } from "../../src/cli/commands/svcca.js";

const program = new Command();
program.exitOverride();
spectrum(program);
finiteWidth(program);
svcca(program);
try {
  await program.parseAsync(process.argv);
} catch {
  process.exitCode = 2;
}
