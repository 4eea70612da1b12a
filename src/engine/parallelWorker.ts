/**
 * Worker-thread entry of the pool in parallel.ts: for every item the pool sends, import the named module
 * (once per module) and run its exported function, posting progress and the result back.
 */
import { parentPort } from "node:worker_threads";
import type { FromWorker, IndexFn, ToWorker } from "./parallel.js";

const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
const modules = new Map<string, Promise<Record<string, unknown>>>();

port.on("message", async (m: ToWorker) => {
  if (m.type !== "item") return;
  try {
    let mod = modules.get(m.module);
    if (!mod) {
      mod = import(m.module) as Promise<Record<string, unknown>>;
      modules.set(m.module, mod);
    }
    const fn = (await mod)[m.exportName];
    if (typeof fn !== "function") throw new Error(`${m.module} does not export a function ${m.exportName}`);
    const result = await (fn as IndexFn<unknown, unknown>)(m.payload, m.index, (units) =>
      post({ type: "progress", units }),
    );
    post({ type: "done", index: m.index, result });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ type: "error", index: m.index, message: err.message, stack: err.stack, name: err.name });
  }
});
