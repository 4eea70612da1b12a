/**
 * The command registry. Each command lives in its own module exporting `register(program)`;
 * add one import and one entry per command.
 */
import type { Command } from "commander";

export type Registrar = (program: Command) => void;

export const COMMANDS: Registrar[] = [];
