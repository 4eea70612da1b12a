/// <reference lib="webworker" />
/** Monte Carlo worker: jax-js on WebGPU when the browser has it, else wasm. Cancel = terminate the worker. */
import { defaultDevice } from "@jax-js/jax";
import { initJax, simulateDynamics } from "../sim/index.js";
import { modelOf, type State } from "./compute.js";

self.onmessage = async (ev: MessageEvent<{ state: State; networks: number; seed: number }>) => {
  const { state, networks, seed } = ev.data;
  try {
    const devices = await initJax();
    const device = devices.includes("webgpu") ? "webgpu" : "wasm";
    defaultDevice(device);
    self.postMessage({ kind: "device", device });
    const res = await simulateDynamics(
      { model: modelOf(state), width: state.width, depth: state.depth, networks, seed, weights: "gaussian" },
      1,
      [0.5],
      (done, total) => self.postMessage({ kind: "progress", done, total }),
    );
    self.postMessage({
      kind: "done",
      variance: res.variance.mean,
      correlation: res.correlation[0].mean,
      device,
    });
  } catch (e) {
    self.postMessage({ kind: "error", message: e instanceof Error ? e.message : String(e) });
  }
};
