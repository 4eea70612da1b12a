/// <reference lib="webworker" />
/**
 * Theory worker. Per request: the main panels, then the Jacobian spectrum and the depth scales, then (when
 * activation or noise changed) the EOC curve and the phase grid row by row; "done" at the end. A newer
 * request abandons an older one between steps.
 */
import { computeMain, depthScales, eoc, phaseRow, PHASE_SB, spectrum, type State } from "./compute.js";

let current = 0;
let phaseDone = "";
const tick = () => new Promise((r) => setTimeout(r, 0));

self.onmessage = async (ev: MessageEvent<{ id: number; state: State }>) => {
  const { id, state } = ev.data;
  current = id;
  const stale = () => current !== id;
  try {
    self.postMessage({ id, kind: "main", main: computeMain(state) });
    await tick();
    if (stale()) return;
    self.postMessage({ id, kind: "spectrum", spectrum: spectrum(state) });
    await tick();
    if (stale()) return;
    self.postMessage({ id, kind: "scales", scales: depthScales(state) });
    const key = `${state.activation}|${state.noise}`;
    if (key !== phaseDone) {
      await tick();
      if (stale()) return;
      self.postMessage({ id, kind: "eoc", eoc: eoc(state) });
      for (let i = 0; i < PHASE_SB.length; i++) {
        await tick();
        if (stale()) return;
        self.postMessage({ id, kind: "row", i, row: phaseRow(state, i) });
      }
      phaseDone = key;
    }
    self.postMessage({ id, kind: "done" });
  } catch (e) {
    self.postMessage({ id, kind: "error", message: e instanceof Error ? e.message : String(e) });
  }
};
