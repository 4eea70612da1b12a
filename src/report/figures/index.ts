/**
 * The figure registry of `sigprop reproduce`: adding a figure is one import and one entry here
 * (its id becomes a valid figure name on the command line, and it joins `all` and the HTML report).
 */
import type { Figure } from "../figure.js";
import { fig2 } from "./fig2.js";
import { fig3 } from "./fig3.js";
import { fig4 } from "./fig4.js";
import { fig5 } from "./fig5.js";
import { fig6 } from "./fig6/figure.js";
import { drawsFigure } from "./draws.js";
import { hayouRates } from "./hayouRates.js";
import { nngp } from "./nngp.js";
import { shaping } from "./shaping.js";
import { afterInit } from "./afterInit.js";

export const FIGURES: readonly Figure[] = [
  fig2,
  fig3,
  fig4,
  fig5,
  fig6,
  nngp,
  shaping,
  hayouRates,
  drawsFigure,
  afterInit,
];

/** Look a figure up by id (undefined when not registered). */
export function figureById(id: string): Figure | undefined {
  return FIGURES.find((f) => f.id === id);
}
