/**
 * Independent work items (one per network) on N worker threads (Node `worker_threads`), results in index
 * order, so that the combined numbers do not depend on the thread count.
 *
 * Why threads of whole networks rather than jax-js' own wasm worker pool (issue 10; bench/wasmPool.ts):
 * jax-js 0.1.25 does split each wasm kernel (a matmul by tile-aligned ranges of output rows, ≥ 512 output
 * elements per worker) over Web Workers that share one `WebAssembly.Memory` backed by a SharedArrayBuffer;
 * Node lacks only the global `Worker`, and an adapter over `worker_threads` makes the pool work. Measured
 * on this 2-vCPU host, shared with other jobs: a 1024² float32 matmul took 97–103 ms without the pool,
 * 115–118 ms with 1 worker (0.84×) and 70–71 ms with 2 (1.38×), same numbers (load average ≈ 1.5); the
 * depth-20 width-512 batch-128 training step showed no gain (325/130 samples/s without, 175/135 with 2
 * workers, load 8–11). Why the gain is small or absent: (1) every kernel is dispatched through one serial
 * queue as a postMessage round trip to each worker while the main thread waits, so the many small kernels
 * of a training step or of a simulation layer (B×N·N×N with B = 2–102 rows) pay more in messages than they
 * save, and 1 worker is always slower than none; (2) the pool is created when `@jax-js/jax` is imported
 * (`new WasmBackend()` at module load checks `typeof Worker`, and sizes the pool from
 * `navigator.hardwareConcurrency`, 4 if navigator is not yet defined): an adapter installed after the
 * import gives no pool, and kernels compiled afterwards then import a shared memory the backend did not
 * create (LinkError, observed); (3) a worker_threads worker that is unref'd lets Node exit mid-run,
 * one that is not keeps the CLI from exiting: the adapter must ref only while a message is in flight;
 * (4) two cores that other processes already use have nothing to give. Much of a simulation's cost is
 * JavaScript (the normals: N² per layer on the explicit route, B·N on the conditional one; input rows;
 * per-layer statistics), which jax-js' pool cannot split anyway; whole networks on separate threads
 * parallelise all of it, at the price of starting jax-js in every worker.
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
function defaultThreads(): number {
  return availableParallelism();
}

/** Messages between the pool and a worker. */
export type ToWorker = { type: "item"; index: number; module: string; exportName: string; payload: unknown };
export type FromWorker =
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
function startWorker(): Worker {
  const w = spawnWorker();
  // an idle worker that fails or exits leaves the pool (a running one is handled by its run)
  const drop = () => {
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
  };
  w.on("error", drop);
  w.on("exit", drop);
  return w;
}

function spawnWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return new Worker(new URL("./parallelWorker.js", here));
  // the ESM build of tsx's API (require.resolve finds its CommonJS twin beside it)
  const api = pathToFileURL(
    createRequire(here)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const entry = new URL("./parallelWorker.ts", here).href;
  const boot = `import(${JSON.stringify(api)}).then((api) => api.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}));`;
  return new Worker(boot, { eval: true });
}

/**
 * Workers are kept between runs (starting one, and jax-js in it, costs ~0.5–1 s, several seconds from
 * TypeScript source under load) and unref'd while idle, so that they never keep the process alive.
 * Runs are serialised: one run uses the pool at a time.
 */
const idle: Worker[] = [];
let queue: Promise<unknown> = Promise.resolve();

/** Terminate the idle workers (the next run starts fresh ones). */
export async function closePool(): Promise<void> {
  await queue.catch(() => {});
  await Promise.all(idle.splice(0).map((w) => w.terminate()));
}

/**
 * Run `fn(payload, i)` for i = 0..count−1 on worker threads; resolves to the results in index order.
 * The first failing item rejects the whole run (its error message and stack are kept).
 */
export function runPerIndex<P, R>(opts: ParallelOptions<P>): Promise<R[]> {
  const run = queue.then(() => runNow<P, R>(opts));
  queue = run.catch(() => {});
  return run;
}

async function runNow<P, R>(opts: ParallelOptions<P>): Promise<R[]> {
  const count = opts.count;
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`count must be a whole number ≥ 0, got ${count}`);
  const threads = Math.max(1, Math.min(opts.threads ?? defaultThreads(), count));
  const results = new Array<R>(count);
  if (count === 0) return results;
  const workers: Worker[] = [];
  while (workers.length < threads) workers.push(idle.pop() ?? startWorker());
  const broken = new Set<Worker>();
  const detach: (() => void)[] = [];
  let next = 0;
  let finished = 0;
  let units = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (e: Error) => {
        if (!failed) reject(e);
        failed = true;
      };
      const feed = (w: Worker) => {
        if (failed || next >= count) return;
        const msg: ToWorker = {
          type: "item",
          index: next++,
          module: opts.module,
          exportName: opts.exportName,
          payload: opts.payload,
        };
        w.postMessage(msg);
      };
      for (const w of workers) {
        const onMessage = (m: FromWorker) => {
          if (m.type === "progress") {
            units += m.units;
            opts.onProgress?.(units);
          } else if (m.type === "done") {
            results[m.index] = m.result as R;
            if (++finished === count) resolve();
            else feed(w);
          } else if (m.type === "error") {
            fail(new WorkerItemError(m.index, m.message, m.stack, m.name));
          }
        };
        const onError = (e: unknown) => {
          broken.add(w);
          fail(e instanceof Error ? e : new Error(String(e)));
        };
        const onExit = (code: number) => {
          broken.add(w);
          fail(new Error(`worker thread exited with code ${code}`));
        };
        w.on("message", onMessage);
        w.on("error", onError);
        w.on("exit", onExit);
        detach.push(() => {
          w.off("message", onMessage);
          w.off("error", onError);
          w.off("exit", onExit);
        });
        w.ref();
        feed(w);
      }
    });
  } finally {
    for (const d of detach) d();
    for (const w of workers) {
      if (broken.has(w)) {
        void w.terminate();
      } else {
        w.unref();
        idle.push(w);
      }
    }
  }
  return results;
}
