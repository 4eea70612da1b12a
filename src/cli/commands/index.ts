/**
 * The command registry. Each command lives in its own module exporting `register(program)`;
 * add one import and one entry per command.
 */
import type { Command } from "commander";
import { register as analyze } from "./analyze.js";
import { register as critical } from "./critical.js";
import { register as dynamics } from "./dynamics.js";
import { register as eoc } from "./eoc.js";
import { register as phase } from "./phase.js";

export type Registrar = (program: Command) => void;

export const COMMANDS: Registrar[] = [analyze, critical, eoc, dynamics, phase];
