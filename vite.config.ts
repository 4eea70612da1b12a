import { createLogger, defineConfig } from "vite";

/**
 * The worker's simulator shares src/sim/jax.ts and src/engine/device.ts with Node, where they load the
 * wasm backend and probe devices through node:fs/os/path/module/child_process behind runtime checks that
 * are never true in a browser. Vite externalises those imports (empty modules) and says so for each, on
 * every `npm install` (the prepare script builds the page). Those eight known lines are dropped here;
 * any other externalised module, and every other warning or error, is still printed.
 */
const KNOWN_NODE_ONLY =
  /has been externalized for browser compatibility, imported by ".*\/src\/(sim\/jax|engine\/device)\.ts"/;
const logger = createLogger();
const warn = logger.warn.bind(logger);
const warnOnce = logger.warnOnce.bind(logger);
logger.warn = (msg, options) => (KNOWN_NODE_ONLY.test(msg) ? undefined : warn(msg, options));
logger.warnOnce = (msg, options) => (KNOWN_NODE_ONLY.test(msg) ? undefined : warnOnce(msg, options));

export default defineConfig({
  root: "src/web",
  base: "./",
  customLogger: logger,
  // Vega and Vega-Lite make the page bundle ≈ 0.85 MB (≈ 0.25 MB gzipped)
  build: { outDir: "../../web-dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 1000 },
  worker: { format: "es" },
});
