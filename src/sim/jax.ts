/**
 * Idempotent initialisation of @jax-js/jax for Node and browsers.
 *
 * Node 20 lacks `globalThis.navigator`, which jax-js' `init()` reads (STACK.md): define a minimal one
 * first. Later calls return the same promise. The wasm backend is the default device in Node.
 * No Node-only module is imported at top level, so this file also loads in a browser bundle.
 */
import * as jax from "@jax-js/jax";

let ready: Promise<jax.Device[]> | null = null;

async function ensureNavigator(): Promise<void> {
  const g = globalThis as { navigator?: unknown; process?: { versions?: { node?: string } } };
  if (g.navigator !== undefined) return;
  let cores = 1;
  try {
    const os = await import("node:os");
    cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  } catch {
    // not Node: leave 1
  }
  Object.defineProperty(globalThis, "navigator", {
    value: { hardwareConcurrency: cores, userAgent: `Node.js/${g.process?.versions?.node ?? "?"}` },
    configurable: true,
    writable: true,
  });
}

/** Initialise jax-js once (safe to call from many modules); resolves to the available devices. */
export function initJax(): Promise<jax.Device[]> {
  if (!ready) ready = ensureNavigator().then(() => jax.init());
  return ready;
}

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
