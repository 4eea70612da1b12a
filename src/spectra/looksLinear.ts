/**
 * The looks-linear construction now lives with the other random-network initialisers in
 * src/engine/looksLinear.ts (training uses it too: `--init looks-linear`); the spectra keep this name.
 */
export * from "../engine/looksLinear.js";
