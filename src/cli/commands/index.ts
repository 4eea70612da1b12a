/**
 * The command registry. Each command lives in its own module exporting `register(program)`;
 * add one import and one entry per command.
 */
import type { Command } from "commander";
import { register as afterInit } from "./afterInit.js";
import { register as analyze } from "./analyze.js";
import { register as critical } from "./critical.js";
import { register as draws } from "./draws.js";
import { register as dynamics } from "./dynamics.js";
import { register as eoc } from "./eoc.js";
import { register as explore } from "./explore.js";
import { register as finiteWidth } from "./finiteWidth.js";
import { register as gp } from "./gp.js";
import { register as kernel } from "./kernel.js";
import { register as landscape } from "./landscape.js";
import { register as phase } from "./phase.js";
import { register as rates } from "./rates.js";
import { register as reproduce } from "./reproduce.js";
import { register as shape } from "./shape.js";
import { register as simulate } from "./simulate.js";
import { register as spectrum } from "./spectrum.js";
import { register as svcca } from "./svcca.js";
import { register as sweep } from "./sweep.js";
import { register as train } from "./train.js";

export type Registrar = (program: Command) => void;

export const COMMANDS: Registrar[] = [
  analyze,
  critical,
  eoc,
  dynamics,
  phase,
  shape,
  rates,
  simulate,
  reproduce,
  train,
  sweep,
  spectrum,
  finiteWidth,
  svcca,
  draws,
  kernel,
  gp,
  explore,
  landscape,
  afterInit,
];
