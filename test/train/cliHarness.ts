/** Test harness: the train and sweep commands on a bare program (until the lead wires them into main.ts). */
import { Command } from "commander";
import { register as sweep } from "../../src/cli/commands/sweep.js";
import { register as train } from "../../src/cli/commands/train.js";

const program = new Command("sigprop").exitOverride();
train(program);
sweep(program);
await program.parseAsync(process.argv);
