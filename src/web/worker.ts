/// <reference lib="webworker" />
/** Theory worker: main panels first, then the phase grid row by row (progressive); a newer request cancels. */
import { computeMain, eoc, phaseRow, PHASE_SB, type State } from "./compute.js";

let current = 0;
let phaseDone = "";

self.onmessage = async (ev: MessageEvent<{ id: number; state: State }>) => {
  const { id, state } = ev.data;
  current = id;
  try {
    self.postMessage({ id, kind: "main", main: computeMain(state) });
    await new Promise((r) => setTimeout(r, 0));
    const key = `${state.activation}|${state.noise}`;
    if (current !== id || key === phaseDone) return;
    self.postMessage({ id, kind: "eoc", eoc: eoc(state) });
    for (let i = 0; i < PHASE_SB.length; i++) {
      await new Promise((r) => setTimeout(r, 0));
      if (current !== id) return;
      self.postMessage({ id, kind: "row", i, row: phaseRow(state, i) });
    }
    phaseDone = key;
  } catch (e) {
    self.postMessage({ id, kind: "error", message: e instanceof Error ? e.message : String(e) });
  }
};
