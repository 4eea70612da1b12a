/**
 * jax-js for the simulation: initialisation lives in the device layer (src/engine/device.ts: the default
 * wasm path `initJax()`, and `initDevice("auto" | "wasm" | "webgpu")` for the CLI's --device); this module
 * re-exports it and reports the installed version.
 * No Node-only module is imported at top level, so this file also loads in a browser bundle.
 */
export { initJax, initDevice, type DeviceChoice, type DeviceRequest } from "../engine/device.js";

/** Installed @jax-js/jax version (for provenance in outputs), or "unknown". */
export async function jaxVersion(): Promise<string> {
  try {
    const { createRequire } = await import("node:module");
    const { readFileSync } = await import("node:fs");
    const path = await import("node:path");
    const main = createRequire(import.meta.url).resolve("@jax-js/jax");
    const pkg = path.join(path.dirname(main), "..", "package.json");
    return String(JSON.parse(readFileSync(pkg, "utf8")).version);
  } catch {
    return "unknown";
  }
}
