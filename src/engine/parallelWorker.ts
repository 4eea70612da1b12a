/**
 * Worker-thread entry of the pool in parallel.ts: imports the module named in `workerData` once, then
 * runs its exported function for every index the pool sends, posting progress and the result back.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { FromWorker, IndexFn, ToWorker } from "./parallel.js";

const { module, exportName, payload } = workerData as {
  module: string;
  exportName: string;
  payload: unknown;
};
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);

const mod = (await import(module)) as Record<string, unknown>;
const fn = mod[exportName];
if (typeof fn !== "function") throw new Error(`${module} does not export a function ${exportName}`);

port.on("message", async (m: ToWorker) => {
  if (m.type !== "item") return;
  try {
    const result = await (fn as IndexFn<unknown, unknown>)(payload, m.index, (units) =>
      post({ type: "progress", units }),
    );
    post({ type: "done", index: m.index, result });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ type: "error", index: m.index, message: err.message, stack: err.stack, name: err.name });
  }
});
post({ type: "ready" });
