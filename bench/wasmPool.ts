/**
 * Probe of jax-js' own wasm worker pool in Node (issue 10), run as a child process per thread count by
 * bench/threads.ts: `node --import tsx bench/wasmPool.ts <workers>` prints one JSON line.
 *
 * jax-js 0.1.25 (dist/backend-*.js, region src/backend/wasm/parallel.ts) splits every wasm kernel into
 * chunks of its output range (≥ 512 elements per worker, aligned to the matmul tile) over Web Workers that
 * share one `WebAssembly.Memory` (a SharedArrayBuffer); one postMessage round trip per kernel and worker,
 * dispatches serialised in one queue; CPU "routines" (sort, cholesky, …) go to worker 0 only. It creates
 * the pool in `new WasmBackend()`, which runs when `@jax-js/jax` is *imported*, and only when
 * `typeof Worker !== "undefined"`; the worker count is `navigator.hardwareConcurrency` (4 when navigator is
 * undefined at import time). Node has no global `Worker`; the adapter below supplies one over
 * `worker_threads` (the pool's script is a Blob URL, read back with `resolveObjectURL`; `self.onmessage`
 * and `postMessage` are shimmed; a worker holds the event loop only while a message is in flight).
 *
 * Without a pool, jax-js' wasm backend creates a new `WebAssembly.Instance` of the kernel's module on every
 * dispatch (`WasmBackend.dispatch`, sync path); the pool's workers cache instances (LRU of 256), which may
 * be why small matmuls (34×500·500×500) measured faster even with one worker: a hypothesis, measured only
 * under heavy load here.
 * With `<workers>` = 0 no adapter is installed (the single-threaded default). Also checks that the
 * simulation still runs with the pool (orthogonal weights read a Haar block with `dataSync()`, which jax-js
 * refuses while inputs are pending in the pool).
 */
import { resolveObjectURL } from "node:buffer";
import { Worker as NodeWorker } from "node:worker_threads";

const BOOT = `
const { parentPort, workerData } = require("node:worker_threads");
globalThis.self = globalThis;
globalThis.postMessage = (m) => parentPort.postMessage(m);
workerData.blob.text().then((src) => {
  (0, eval)(src);
  parentPort.on("message", (data) => { if (typeof self.onmessage === "function") self.onmessage({ data }); });
});
`;

/** A Web `Worker` over `worker_threads`, enough for jax-js' pool (Blob-URL scripts only). */
export class WebWorkerAdapter {
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: ((e: { message: string }) => void) | null = null;
  #w: NodeWorker;
  #pending = 0;
  constructor(url: string | URL) {
    const blob = resolveObjectURL(String(url));
    if (!blob) throw new Error(`WebWorkerAdapter: only blob: URLs are supported, got ${String(url)}`);
    this.#w = new NodeWorker(BOOT, { eval: true, workerData: { blob } });
    this.#w.on("message", (data) => {
      if (--this.#pending <= 0) {
        this.#pending = 0;
        this.#w.unref();
      }
      this.onmessage?.({ data });
    });
    this.#w.on("error", (e) => this.onerror?.({ message: e.message }));
    this.#w.unref();
  }
  postMessage(m: unknown) {
    if (this.#pending++ === 0) this.#w.ref();
    this.#w.postMessage(m);
  }
  terminate() {
    return this.#w.terminate();
  }
}

/** Median GFLOP/s of an m×k·k×n float32 matmul (data read back each time). */
async function matmulGflops(np: typeof import("@jax-js/jax").numpy, m: number, k: number, n: number) {
  const A = np.array(
    new Float32Array(m * k).map((_, i) => Math.sin(i)),
    { shape: [m, k] },
  );
  const B = np.array(
    new Float32Array(k * n).map((_, i) => Math.cos(i)),
    { shape: [k, n] },
  );
  const reps = Math.max(3, Math.min(100, Math.round(1e9 / (2 * m * k * n))));
  const ts: number[] = [];
  let check = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) check = ((await np.matmul(A.ref, B.ref).data()) as Float32Array)[7];
    ts.push((performance.now() - t0) / reps);
  }
  A.dispose();
  B.dispose();
  ts.sort((a, b) => a - b);
  return { gflops: (2 * m * k * n) / ts[2] / 1e6, median_ms: ts[2], check };
}

async function main() {
  const workers = Number(process.argv[2] ?? 0);
  Object.defineProperty(globalThis, "navigator", {
    value: { hardwareConcurrency: Math.max(1, workers) },
    configurable: true,
    writable: true,
  });
  let started = 0;
  if (workers > 0) {
    (globalThis as { Worker?: unknown }).Worker = class extends WebWorkerAdapter {
      constructor(url: string | URL) {
        super(url);
        started++;
      }
    };
  }
  // Only now may jax-js be imported: its wasm backend decides about the pool at module load.
  const jax = await import("@jax-js/jax");
  await jax.init();
  const out: Record<string, unknown> = { workers };
  for (const [m, k, n] of [
    [1024, 1024, 1024],
    [512, 512, 512],
    [128, 512, 512], // one layer of the depth-20 training step
    [34, 500, 500], // one layer of a quick Fig 4b network (2 × 17 rows)
  ]) {
    out[`matmul_${m}x${k}x${n}`] = await matmulGflops(jax.numpy, m, k, n);
  }
  out.workers_started = started;
  try {
    const { simulateDynamics } = await import("../src/sim/index.js");
    const { parseActivation } = await import("../src/theory/activations.js");
    const { parseNoise } = await import("../src/theory/noise.js");
    await simulateDynamics(
      {
        model: { activation: parseActivation("tanh"), noise: parseNoise("none"), sigmaW2: 1, sigmaB2: 0 },
        width: 64,
        depth: 2,
        networks: 1,
        seed: 0,
        weights: "orthogonal",
      },
      1,
      [0.5],
    );
    out.orthogonal_simulation = "ok";
  } catch (e) {
    out.orthogonal_simulation = `fails: ${e instanceof Error ? e.message : String(e)}`;
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
