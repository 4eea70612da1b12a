/// <reference lib="webworker" />
/**
 * Monte Carlo worker: jax-js on WebGPU when the browser has it, else wasm. Posts the device, progress,
 * then mean ± std over networks per layer. Cancel = the page terminates the worker.
 */
import { defaultDevice } from "@jax-js/jax";
import { initJax, simulateDynamics } from "../sim/index.js";
import { C0, Q0, simConfigOf, type State } from "./compute.js";

self.onmessage = async (
  ev: MessageEvent<{ state: State; networks: number; seed: number; device?: string }>,
) => {
  const { state, networks, seed } = ev.data;
  try {
    const devices = await initJax();
    const device = ev.data.device ?? (devices.includes("webgpu") ? "webgpu" : "wasm");
    if (!devices.includes(device as (typeof devices)[number]))
      throw new Error(`device ${device} is not available here (available: ${devices.join(", ")})`);
    defaultDevice(device as (typeof devices)[number]);
    self.postMessage({ kind: "device", device, devices });
    const res = await simulateDynamics(simConfigOf(state, networks, seed), Q0, [C0], (done, total) =>
      self.postMessage({ kind: "progress", done, total }),
    );
    self.postMessage({
      kind: "done",
      variance: { mean: res.variance.mean, std: res.variance.std },
      correlation: { mean: res.correlation[0].mean, std: res.correlation[0].std },
      device,
    });
  } catch (e) {
    self.postMessage({ kind: "error", message: e instanceof Error ? e.message : String(e) });
  }
};
