/**
 * Training checkpoints: the state of a run after an epoch (parameters, Adam's moments, step count,
 * history), so that a killed run resumes from its last finished epoch and ends bit-identical to an
 * uninterrupted one (training is deterministic in seed, epoch and step). The last epoch is saved too
 * (a *finished* checkpoint, `epoch = epochs`): it holds the run's final weights (what `sigprop
 * landscape` reads), and running the same configuration again with it trains nothing and reports the
 * finished run's result from its history (train.ts). A run that diverges saves nothing at the epoch it
 * diverged in (its state is not finite); its checkpoint, if any, stays at the last good epoch.
 *
 * Format 2 (little-endian), written atomically (io/atomic.ts):
 *
 *     8 bytes   magic "SPCKPT\r\n" (the CR/LF catches text-mode mangling)
 *     u32       format version (2)
 *     u32       H, the header length
 *     H bytes   header, UTF-8 JSON: { config, epoch, t, history, tensors: [[rows, cols], …] }
 *     body      every tensor as float32, in order: params (w, b per layer), then Adam's m and v
 *     32 bytes  SHA-256 of everything above
 *
 * Loading is strict. A missing file is a fresh start; anything else that is not a valid checkpoint of
 * this very configuration is a `CheckpointError` (an InputError: the CLI exits 2 and says why), never a
 * silent fresh start that would overwrite it: a cut or patched file fails the checksum, a file of format
 * 1 (sigprop ≤ 0.1, no checksum) or not a checkpoint at all is named as such, and a checkpoint of
 * another configuration lists the fields that differ. Starting afresh is explicit: `fresh: true`
 * (`--fresh`) ignores the old file, which the first save then replaces.
 */
import { numpy as np } from "@jax-js/jax";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Dataset } from "../data/dataset.js";
import { writeFileAtomic } from "../io/atomic.js";
import { InputError } from "../theory/errors.js";
import { layerSizes, type MlpSpec, type Params } from "./mlp.js";
import type { OptimizerName, OptState } from "./optim.js";
import type { EpochRecord, TrainConfig } from "./train.js";

export const CHECKPOINT_FORMAT = 2;
const MAGIC = Buffer.from("SPCKPT\r\n", "latin1");
const HASH_BYTES = 32;

/** Where and how often a run saves its state, and whether to ignore an existing checkpoint. */
export interface CheckpointOptions {
  file: string;
  /** save after every k-th epoch (default 1) */
  everyEpochs?: number;
  /** start afresh even if `file` holds a checkpoint (it is replaced at the first save) */
  fresh?: boolean;
  /** the flag the error messages name (default "--checkpoint") */
  flag?: string;
}

/** A checkpoint that cannot be used: corrupt, not a checkpoint, or of another configuration (exit 2). */
export class CheckpointError extends InputError {
  constructor(
    flag: string,
    readonly file: string,
    readonly reason: "unreadable" | "corrupt" | "format" | "mismatch",
    detail: string,
  ) {
    super(
      flag,
      file,
      "a checkpoint written by this run's configuration, or none; pass --fresh to start afresh (it is then replaced)",
      detail,
    );
    this.name = "CheckpointError";
  }
}

/** Identity of a run: everything that determines its numbers (plain JSON, compared field by field). */
export function checkpointConfig(ds: Dataset, cfg: TrainConfig): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify({
      ...cfg,
      activation: cfg.activation.spec,
      noise: cfg.noise.spec,
      sigmaW2: typeof cfg.sigmaW2 === "number" ? cfg.sigmaW2 : String(cfg.sigmaW2),
      data: [ds.name, ds.source, ds.train.n, ds.dim],
    }),
  ) as Record<string, unknown>;
}

/** The state saved after an epoch. */
export interface CheckpointState {
  epoch: number;
  /** optimiser steps done */
  t: number;
  history: EpochRecord[];
  params: Params;
  state: OptState;
}

interface Header {
  config: Record<string, unknown>;
  epoch: number;
  t: number;
  history: EpochRecord[];
  tensors: [number, number][];
}

/** Tensor shapes in file order for this network and optimiser. */
function shapesFor(spec: MlpSpec, optimizer: OptimizerName): [number, number][] {
  const sizes = layerSizes(spec);
  const one: [number, number][] = [];
  for (let l = 1; l < sizes.length; l++) one.push([sizes[l - 1], sizes[l]], [1, sizes[l]]);
  return optimizer === "adam" ? [...one, ...one, ...one] : one;
}

/** Serialise a checkpoint (format 2); `saveCheckpoint` writes it (tests use it to craft files). */
export function encodeCheckpoint(
  config: Record<string, unknown>,
  meta: { epoch: number; t: number; history: EpochRecord[] },
  tensors: { shape: [number, number]; data: Float32Array }[],
): Uint8Array {
  const header = Buffer.from(
    JSON.stringify({ config, ...meta, tensors: tensors.map((x) => x.shape) } satisfies Header),
    "utf8",
  );
  const bodyBytes = tensors.reduce((a, x) => a + x.data.byteLength, 0);
  const pre = MAGIC.length + 8 + header.length;
  const buf = Buffer.alloc(pre + bodyBytes + HASH_BYTES);
  MAGIC.copy(buf, 0);
  buf.writeUInt32LE(CHECKPOINT_FORMAT, MAGIC.length);
  buf.writeUInt32LE(header.length, MAGIC.length + 4);
  header.copy(buf, MAGIC.length + 8);
  let off = pre;
  for (const x of tensors) {
    buf.set(new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength), off);
    off += x.data.byteLength;
  }
  createHash("sha256").update(buf.subarray(0, off)).digest().copy(buf, off);
  return buf;
}

/** Save a checkpoint atomically (see the module comment for the format). */
export async function saveCheckpoint(
  file: string,
  config: Record<string, unknown>,
  s: CheckpointState,
): Promise<void> {
  const arrays = [...s.params, ...s.state.m, ...s.state.v].flatMap((l) => [l.w, l.b]);
  const tensors: { shape: [number, number]; data: Float32Array }[] = [];
  for (const a of arrays) {
    const shape = a.shape as [number, number];
    tensors.push({ shape: [shape[0], shape[1]], data: (await a.ref.data()) as Float32Array });
  }
  writeFileAtomic(file, encodeCheckpoint(config, { epoch: s.epoch, t: s.t, history: s.history }, tensors), {
    what: "the checkpoint",
  });
}

/** Field-by-field differences between two configurations, for the message. */
function configDiff(stored: Record<string, unknown>, now: Record<string, unknown>): string {
  const keys = [...new Set([...Object.keys(stored), ...Object.keys(now)])].sort();
  const diffs = keys
    .filter((k) => JSON.stringify(stored[k]) !== JSON.stringify(now[k]))
    .map(
      (k) => `${k} ${JSON.stringify(stored[k]) ?? "(none)"} there, ${JSON.stringify(now[k]) ?? "(none)"} now`,
    );
  return diffs.slice(0, 4).join("; ") + (diffs.length > 4 ? `; and ${diffs.length - 4} more` : "");
}

/** Decode and check a checkpoint file's bytes (`loadCheckpoint`, landscape.ts); throws CheckpointError. */
export function decodeCheckpoint(
  raw: Uint8Array,
  file: string,
  flag = "checkpoint",
): { header: Header; tensors: Float32Array[] } {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const bad = (reason: CheckpointError["reason"], detail: string) =>
    new CheckpointError(flag, file, reason, detail);
  if (buf.length < MAGIC.length || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    // format 1 (sigprop ≤ 0.1): u32 header length, then JSON with a "key"; no magic, no checksum
    let v1 = false;
    try {
      const h = buf.readUInt32LE(0);
      v1 =
        h > 0 &&
        4 + h <= buf.length &&
        buf
          .subarray(4, 4 + h)
          .toString("utf8")
          .startsWith('{"key":');
    } catch {
      v1 = false;
    }
    throw bad(
      "format",
      v1
        ? "written by an older sigprop (checkpoint format 1, no checksum), which cannot be checked"
        : `not a sigprop checkpoint (${buf.length} bytes, no 'SPCKPT' signature)`,
    );
  }
  const version = buf.length >= MAGIC.length + 4 ? buf.readUInt32LE(MAGIC.length) : -1;
  if (version !== CHECKPOINT_FORMAT)
    throw bad("format", `checkpoint format ${version}; this sigprop reads format ${CHECKPOINT_FORMAT}`);
  if (buf.length < MAGIC.length + 8 + HASH_BYTES)
    throw bad("corrupt", `corrupt: cut short (${buf.length} bytes)`);
  const end = buf.length - HASH_BYTES;
  const want = buf.subarray(end).toString("hex");
  const got = createHash("sha256").update(buf.subarray(0, end)).digest("hex");
  if (want !== got)
    throw bad(
      "corrupt",
      `corrupt: SHA-256 mismatch (stored ${want.slice(0, 12)}…, content ${got.slice(0, 12)}…): the file was cut or modified`,
    );
  const hlen = buf.readUInt32LE(MAGIC.length + 4);
  const hstart = MAGIC.length + 8;
  let header: Header;
  try {
    if (hstart + hlen > end) throw new Error("header longer than the file");
    header = JSON.parse(buf.subarray(hstart, hstart + hlen).toString("utf8")) as Header;
  } catch (e) {
    throw bad("corrupt", `corrupt header (${(e as Error).message})`);
  }
  const ok =
    header !== null &&
    typeof header === "object" &&
    header.config !== null &&
    typeof header.config === "object" &&
    Number.isInteger(header.epoch) &&
    Number.isInteger(header.t) &&
    Array.isArray(header.history) &&
    Array.isArray(header.tensors) &&
    header.tensors.every(
      (s) => Array.isArray(s) && s.length === 2 && s.every((n) => Number.isInteger(n) && n > 0),
    );
  if (!ok) throw bad("corrupt", "corrupt header (fields missing or of the wrong type)");
  const sizes = header.tensors.map(([r, c]) => r * c);
  const bodyBytes = sizes.reduce((a, n) => a + 4 * n, 0);
  if (hstart + hlen + bodyBytes !== end)
    throw bad("corrupt", `corrupt: ${end - hstart - hlen} bytes of tensors, the header lists ${bodyBytes}`);
  const body = buf.subarray(hstart + hlen, end);
  const all = new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  const tensors: Float32Array[] = [];
  let off = 0;
  for (const n of sizes) {
    tensors.push(all.subarray(off, off + n));
    off += n;
  }
  return { header, tensors };
}

/** A checkpoint loaded to resume from, with the wall and training seconds the interrupted run had spent. */
export type ResumedState = CheckpointState & { secondsBefore: number; trainSeconds: number };

/**
 * Load the checkpoint of this run: null when the file does not exist (or `fresh`), the state when it is
 * a valid checkpoint of `config` (finished when its epoch is the config's epochs) (with the wall and
 * training seconds the interrupted run had spent, from its last history entry), a CheckpointError
 * otherwise.
 */
export function loadCheckpoint(
  opts: CheckpointOptions,
  config: Record<string, unknown>,
  spec: MlpSpec,
  optimizer: OptimizerName,
): ResumedState | null {
  if (opts.fresh) return null;
  const flag = opts.flag ?? "checkpoint";
  let raw: Buffer;
  try {
    raw = readFileSync(opts.file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    throw new CheckpointError(flag, opts.file, "unreadable", `cannot read it (${code ?? String(e)})`);
  }
  const { header, tensors } = decodeCheckpoint(raw, opts.file, flag);
  if (JSON.stringify(header.config) !== JSON.stringify(config))
    throw new CheckpointError(
      flag,
      opts.file,
      "mismatch",
      `it belongs to another configuration (${configDiff(header.config, config)})`,
    );
  const shapes = shapesFor(spec, optimizer);
  if (
    header.tensors.length !== shapes.length ||
    header.tensors.some((s, i) => s[0] !== shapes[i][0] || s[1] !== shapes[i][1])
  )
    throw new CheckpointError(flag, opts.file, "mismatch", "its tensor shapes do not fit this network");
  const epochs = Number(config.epochs);
  // an epoch in 1..epochs (epochs: finished) with at least one step per epoch; a 0-epoch run's
  // finished checkpoint is epoch 0 with no step
  const epochOk =
    header.epoch === 0
      ? epochs === 0 && header.t === 0
      : header.epoch >= 1 && header.epoch <= epochs && header.t >= header.epoch;
  if (!epochOk || header.history.length !== header.epoch + 1)
    throw new CheckpointError(
      flag,
      opts.file,
      "corrupt",
      `corrupt: epoch ${header.epoch} of ${epochs} with ${header.history.length} history entries`,
    );
  for (const [i, x] of tensors.entries())
    if (!x.every(Number.isFinite))
      throw new CheckpointError(flag, opts.file, "corrupt", `corrupt: tensor ${i} holds NaN or ±Inf`);
  const arrays = tensors.map((x, i) => np.array(x.slice(), { shape: shapes[i] }));
  const per = shapes.length / (optimizer === "adam" ? 3 : 1);
  const group = (g: number): Params =>
    Array.from({ length: per / 2 }, (_, l) => ({
      w: arrays[g * per + 2 * l],
      b: arrays[g * per + 2 * l + 1],
    }));
  const last = header.history[header.history.length - 1];
  return {
    epoch: header.epoch,
    t: header.t,
    history: header.history,
    params: group(0),
    state: optimizer === "adam" ? { m: group(1), v: group(2) } : { m: [], v: [] },
    // wall time carries over from the interrupted run (a checkpoint of sigprop ≤ 0.2 has none)
    secondsBefore: Number.isFinite(last?.seconds) ? last.seconds : 0,
    trainSeconds: Number.isFinite(last?.trainSeconds) ? last.trainSeconds : 0,
  };
}

/** The checkpointing of one training run (train.ts `trainRun`): what it resumes from, and its saves. */
export interface RunCheckpoint {
  /** the state the run resumes from; null for a fresh start (no file, `fresh`, or no checkpointing) */
  readonly resumed: ResumedState | null;
  /**
   * Called after every epoch the run recorded without diverging (epoch 0 is the initial evaluation):
   * saves every `everyEpochs`-th epoch and always the last one — the finished run's final weights, which
   * for a 0-epoch run are its initial weights (epoch 0). Without checkpointing it does nothing.
   */
  afterEpoch(s: CheckpointState): Promise<void>;
}

/**
 * Open the checkpointing of a run of `cfg` on `ds` (network `spec`): loads the checkpoint to resume from
 * (`loadCheckpoint`, throws CheckpointError) and decides when to save. `opts` undefined: no
 * checkpointing.
 */
export function runCheckpoint(
  opts: CheckpointOptions | undefined,
  ds: Dataset,
  cfg: TrainConfig,
  spec: MlpSpec,
): RunCheckpoint {
  if (opts === undefined) return { resumed: null, afterEpoch: async () => {} };
  const config = checkpointConfig(ds, cfg);
  const every = opts.everyEpochs ?? 1;
  return {
    resumed: loadCheckpoint(opts, config, spec, cfg.optimizer),
    async afterEpoch(s) {
      if (s.epoch === cfg.epochs || (s.epoch > 0 && s.epoch % every === 0))
        await saveCheckpoint(opts.file, config, s);
    },
  };
}
