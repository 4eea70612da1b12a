/**
 * Independent work items (one per network) on N worker threads (Node `worker_threads`), results in index
 * order, so that the combined numbers do not depend on the thread count.
 *
 * Why threads of whole networks, not jax-js' own wasm worker pool: jax-js splits each wasm kernel over
 * Web Workers sharing one `WebAssembly.Memory` (a SharedArrayBuffer), and Node has no global `Worker`.
 * An adapter over `worker_threads` (bench/threads.ts) makes the pool start and a 1024² float32 matmul
 * faster with 2 workers, but (measured on 2 shared cores, under load, see bench/threads.ts and the
 * issue-10 report): (1) the pool is created when `@jax-js/jax` is *imported*
 * (`new WasmBackend()` at module load checks `typeof Worker`), so the adapter must be installed before any
 * import of jax-js; installing it later makes kernels import a shared memory the backend did not create
 * (LinkError); (2) every kernel is a postMessage round trip, so the many small kernels of a training step
 * or of a simulation layer (B×N·N×N with B = 2–20 rows) gain nothing or lose, and 1 worker is slower than
 * none; (3) `dataSync()` on an array whose inputs are pending in the pool throws ("cannot read
 * synchronously from a slot with async work"), and the simulation's host activation fallback and Haar
 * sampler use `dataSync()`. A simulation's cost is mostly JavaScript (weight sampling: N² normals per
 * layer) that jax-js' pool cannot split anyway. Whole networks in separate threads parallelise all of it.
 *
 * The interface is deliberately narrow: a module URL and the name of its exported function
 * `fn(payload, index, progress)`, called once per index 0..count−1 in some worker. Each worker imports the
 * module once (and so initialises jax-js once). Items are handed out one at a time to idle workers.
 * Node only (dynamic `node:worker_threads`); callers import this module only when threads > 1.
 */
import { availableParallelism } from "node:os";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/** The per-item function a worker module exports. `progress(units)` reports finished units of work. */
export type IndexFn<P, R> = (payload: P, index: number, progress: (units: number) => void) => Promise<R> | R;

export interface ParallelOptions<P> {
  /** URL (href) of the module exporting the per-item function */
  module: string;
  /** name of the exported function */
  exportName: string;
  /** argument passed to every call (structured-clonable: no functions, no class instances) */
  payload: P;
  /** number of items: indices 0..count−1 */
  count: number;
  /** worker threads (≥ 1; capped at count); default os.availableParallelism() */
  threads?: number;
  /** called with the running total of progress units reported by all items */
  onProgress?: (units: number) => void;
}

/** Default thread count: the cores Node may use. */
export function defaultThreads(): number {
  return availableParallelism();
}

/** Messages between the pool and a worker. */
export type ToWorker = { type: "item"; index: number } | { type: "stop" };
export type FromWorker =
  | { type: "ready" }
  | { type: "progress"; units: number }
  | { type: "done"; index: number; result: unknown }
  | { type: "error"; index: number; message: string; stack?: string; name?: string };

/** An error thrown by an item in a worker, with the worker's message and stack. */
export class WorkerItemError extends Error {
  constructor(
    readonly index: number,
    message: string,
    readonly workerStack?: string,
    readonly originalName?: string,
  ) {
    super(message);
    this.name = "WorkerItemError";
  }
}

/**
 * The worker to start: parallelWorker.js beside this file when built; when running from TypeScript source
 * (tsx), a small bootstrap that loads parallelWorker.ts through tsx's `tsImport` (Node 20 workers do not
 * inherit the `--import tsx` hooks of the parent).
 */
function workerEntry(): { entry: URL | string; eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return { entry: new URL("./parallelWorker.js", here), eval: false };
  // the ESM build of tsx's API (require.resolve finds its CommonJS twin beside it)
  const api = pathToFileURL(
    createRequire(here)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const entry = new URL("./parallelWorker.ts", here).href;
  const boot = `import(${JSON.stringify(api)}).then((api) => api.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}));`;
  return { entry: boot, eval: true };
}

/**
 * Run `fn(payload, i)` for i = 0..count−1 on worker threads; resolves to the results in index order.
 * The first failing item rejects the whole run (its error message and stack are kept) and stops the pool.
 */
export async function runPerIndex<P, R>(opts: ParallelOptions<P>): Promise<R[]> {
  const count = opts.count;
  const threads = Math.max(1, Math.min(opts.threads ?? defaultThreads(), count));
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`count must be a whole number ≥ 0, got ${count}`);
  const results = new Array<R>(count);
  if (count === 0) return results;
  const { entry, eval: isEval } = workerEntry();
  let next = 0;
  let finished = 0;
  let units = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (e: Error) => {
        if (failed) return;
        failed = true;
        reject(e);
      };
      const feed = (w: Worker) => {
        if (failed) return;
        if (next < count) w.postMessage({ type: "item", index: next++ } satisfies ToWorker);
      };
      for (let t = 0; t < threads; t++) {
        const w = new Worker(entry, {
          eval: isEval,
          workerData: { module: opts.module, exportName: opts.exportName, payload: opts.payload },
        });
        workers.push(w);
        w.on("message", (m: FromWorker) => {
          if (m.type === "ready") feed(w);
          else if (m.type === "progress") {
            units += m.units;
            opts.onProgress?.(units);
          } else if (m.type === "done") {
            results[m.index] = m.result as R;
            finished++;
            if (finished === count) resolve();
            else feed(w);
          } else if (m.type === "error") {
            fail(new WorkerItemError(m.index, m.message, m.stack, m.name));
          }
        });
        w.on("error", (e) => fail(e instanceof Error ? e : new Error(String(e))));
        w.on("exit", (code) => {
          if (finished < count && code !== 0) fail(new Error(`worker thread exited with code ${code}`));
        });
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
