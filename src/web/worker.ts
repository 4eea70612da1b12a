/// <reference lib="webworker" />
/**
 * Theory worker. The page runs several of these, one per lane (main.ts), so that a slow part never holds
 * up a fast one; a lane whose worker is still busy with an outdated request is terminated and restarted
 * by the page, so no computation has to finish before the next change shows.
 *
 * - `state`: the q*-only numbers and the variance map (`quickMain`), then the main panels (`computeMain`), then the
 *   Jacobian spectrum; "done" at the end.
 * - `scales`: depth scales at the σ_w² values given, one value at a time (the page orders them coarse to
 *   fine, so the curve's shape shows early); a later `scales` request with the same key is done first.
 * - `phase`: the phase-diagram rows given (coarse to fine), with the EOC curve after the first `eocAfter`
 *   rows when asked.
 */
import {
  computeMain,
  depthScalesAt,
  eoc,
  phaseRow,
  quickMain,
  spectrum,
  type DepthScales,
  type Main,
  type Spectrum,
  type State,
} from "./compute.js";

export type Request =
  | { job: "state"; id: number; state: State }
  | { job: "scales"; id: number; key: string; state: State; ws: number[] }
  | { job: "phase"; id: number; key: string; state: State; rows: number[]; eocAfter: number | null };

/** What a worker posts back (the page's lanes switch on `job` and `kind`). */
export type Response =
  | ({ job: "state"; id: number } & (
      | { kind: "quick"; quick: ReturnType<typeof quickMain> }
      | { kind: "main"; main: Main }
      | { kind: "spectrum"; spectrum: Spectrum }
      | { kind: "done" }
      | { kind: "error"; message: string }
    ))
  | ({ job: "scales"; id: number; key: string } & (
      { kind: "part"; part: DepthScales } | { kind: "done" } | { kind: "error"; message: string }
    ))
  | ({ job: "phase"; id: number; key: string } & (
      | { kind: "eoc"; eoc: ReturnType<typeof eoc> }
      | { kind: "row"; i: number; row: (number | null)[] }
      | { kind: "done" }
      | { kind: "error"; message: string }
    ));

/** Yield to the event loop (a MessageChannel round trip: setTimeout chains are clamped to 4 ms). */
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const tick = () =>
  new Promise<void>((r) => {
    waiting.push(r);
    channel.port2.postMessage(0);
  });

const post = (m: Response) => self.postMessage(m);
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

let latestState = 0;
async function runState(r: Extract<Request, { job: "state" }>) {
  const { id, state } = r;
  latestState = id;
  const stale = () => latestState !== id;
  try {
    post({ job: "state", id, kind: "quick", quick: quickMain(state) });
    await tick();
    if (stale()) return;
    post({ job: "state", id, kind: "main", main: computeMain(state) });
    await tick();
    if (stale()) return;
    post({ job: "state", id, kind: "spectrum", spectrum: spectrum(state) });
    post({ job: "state", id, kind: "done" });
  } catch (e) {
    post({ job: "state", id, kind: "error", message: message(e) });
  }
}

/** The scales queue: σ_w² values still to compute for `scalesKey`. */
let scalesKey = "";
let scalesQueue: { id: number; state: State; w: number }[] = [];
let scalesRunning = false;
async function runScales(r: Extract<Request, { job: "scales" }>) {
  const items = r.ws.map((w) => ({ id: r.id, state: r.state, w }));
  if (r.key !== scalesKey) {
    scalesKey = r.key;
    scalesQueue = items;
  } else scalesQueue = [...items, ...scalesQueue];
  if (scalesRunning) return;
  scalesRunning = true;
  try {
    while (scalesQueue.length) {
      const { id, state, w } = scalesQueue.shift()!;
      const part = depthScalesAt(state, [w]);
      post({ job: "scales", id, key: scalesKey, kind: "part", part });
      await tick();
    }
    post({ job: "scales", id: r.id, key: scalesKey, kind: "done" });
  } catch (e) {
    post({ job: "scales", id: r.id, key: scalesKey, kind: "error", message: message(e) });
  } finally {
    scalesRunning = false;
  }
}

async function runPhase(r: Extract<Request, { job: "phase" }>) {
  const { id, key, state } = r;
  try {
    for (let k = 0; k < r.rows.length; k++) {
      if (k === r.eocAfter) post({ job: "phase", id, key, kind: "eoc", eoc: eoc(state) });
      const i = r.rows[k];
      post({ job: "phase", id, key, kind: "row", i, row: phaseRow(state, i) });
      await tick();
    }
    if (r.eocAfter !== null && r.eocAfter >= r.rows.length)
      post({ job: "phase", id, key, kind: "eoc", eoc: eoc(state) });
    post({ job: "phase", id, key, kind: "done" });
  } catch (e) {
    post({ job: "phase", id, key, kind: "error", message: message(e) });
  }
}

self.onmessage = (ev: MessageEvent<Request>) => {
  const r = ev.data;
  if (r.job === "state") void runState(r);
  else if (r.job === "scales") void runScales(r);
  else void runPhase(r);
};
