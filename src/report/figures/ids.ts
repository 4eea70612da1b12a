/**
 * The ids of the registered figures (report/figures/index.ts), in its order, without loading the figures
 * (they pull in the simulator, jax-js and vega): `sigprop` builds its help and checks `reproduce`'s
 * arguments from this list. test/report/cli.test.ts checks it equals `FIGURES.map((f) => f.id)`.
 */
export const FIGURE_IDS: readonly string[] = [
  "fig2",
  "fig3",
  "fig4",
  "fig5",
  "fig6",
  "nngp",
  "shaping",
  "hayou-rates",
  "draws",
  "after-init",
];
