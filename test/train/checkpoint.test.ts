/**
 * Checkpoints are checked, not trusted: a patched, cut or garbage file, a file of the old format and a
 * checkpoint of another configuration each exit 2 with a message saying which (through the real CLI);
 * `--fresh` starts afresh explicitly and replaces the file. The format round-trips exactly. The last
 * epoch is saved too: rerunning a finished run reports its result without training.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/theory/errors.js";
import { CheckpointError, decodeCheckpoint, encodeCheckpoint } from "../../src/train/checkpoint.js";
import { oneLine, sigprop, tinyIdx, tinyTrain } from "../io/cli.js";

const cfg = { width: 8, lr: 0.001 };
const tensors = [
  { shape: [2, 3] as [number, number], data: Float32Array.from([1, -2, 3.5, 0, 1e-7, 6]) },
  { shape: [1, 3] as [number, number], data: Float32Array.from([0.25, 0.5, -0.75]) },
];
const meta = { epoch: 1, t: 7, history: [] };

describe("checkpoint format", () => {
  it("round-trips header and tensors exactly", () => {
    const { header, tensors: back } = decodeCheckpoint(encodeCheckpoint(cfg, meta, tensors), "x");
    expect(header.config).toEqual(cfg);
    expect(header.tensors).toEqual([
      [2, 3],
      [1, 3],
    ]);
    expect(back.map((t) => [...t])).toEqual(tensors.map((t) => [...t.data]));
  });
  it("every single flipped byte and every cut is detected (corrupt or format, never accepted)", () => {
    const good = encodeCheckpoint(cfg, meta, tensors);
    for (let i = 0; i < good.length; i++) {
      const bad = good.slice();
      bad[i] ^= 0x40;
      expect(() => decodeCheckpoint(bad, "x"), `byte ${i}`).toThrow(CheckpointError);
    }
    for (let n = 0; n < good.length; n++)
      expect(() => decodeCheckpoint(good.subarray(0, n), "x"), `cut at ${n}`).toThrow(CheckpointError);
  });
});

describe("checkpoint format 1 (sigprop ≤ 0.1, no checksum)", () => {
  it("is recognised and refused as old, not loaded", () => {
    const h = Buffer.from(JSON.stringify({ key: "{}", epoch: 1, t: 6, history: [], sizes: [] }));
    const v1 = Buffer.alloc(4 + h.length);
    v1.writeUInt32LE(h.length, 0);
    h.copy(v1, 4);
    expect(() => decodeCheckpoint(v1, "x")).toThrow(/older sigprop \(checkpoint format 1/);
  });
});

describe("sigprop train --checkpoint (real CLI, tiny IDX data)", () => {
  const data = tinyIdx();
  const dir = mkdtempSync(join(tmpdir(), "sigprop-ckcli-"));
  const file = join(dir, "run.ckpt");
  // 2 epochs: the finished run's checkpoint (epoch 2) stays on disk
  const args = [...tinyTrain(data, 2), "--checkpoint", file];

  it("makes a checkpoint; patched, garbage and other-config files are exit 2; --fresh replaces", async () => {
    const first = await sigprop(args);
    expect(first.code, first.err).toBe(0);
    const good = readFileSync(file);
    expect(good.subarray(0, 6).toString()).toBe("SPCKPT");
    const cases: [string, Buffer, RegExp][] = [];
    // patch the first weight of the last tensor (Adam's v) to 1e30, as the tester did
    const patched = Buffer.from(good);
    patched.writeFloatLE(1e30, good.length - 32 - 4 * 36);
    cases.push(["weights patched to 1e30", patched, /corrupt: SHA-256 mismatch/]);
    cases.push(["garbage", Buffer.from("garbage, not a checkpoint\n"), /not a sigprop checkpoint/]);
    for (const [label, bytes, msg] of cases) {
      writeFileSync(file, bytes);
      const r = await sigprop(args);
      expect(r.code, `${label}: ${r.err}`).toBe(2);
      expect(r.err, label).toMatch(msg);
      expect(r.err, label).toMatch(/--checkpoint/);
      expect(oneLine(r.err), label).toBe(true);
      // the file is left as it was for inspection
      expect(readFileSync(file).equals(bytes), label).toBe(true);
    }
    // another configuration: exit 2 naming the field, file untouched
    writeFileSync(file, good);
    const other = await sigprop([...args, "--lr", "0.002"]);
    expect(other.code, other.err).toBe(2);
    expect(other.err).toMatch(/another configuration \(lr 0\.001 there, 0\.002 now\)/);
    expect(readFileSync(file).equals(good)).toBe(true);
    // --fresh starts afresh and replaces it with a checkpoint of the new configuration
    const fresh = await sigprop([...args, "--lr", "0.002", "--fresh"]);
    expect(fresh.code, fresh.err).toBe(0);
    expect(() => decodeCheckpoint(readFileSync(file), file)).not.toThrow();
    expect(JSON.parse(fresh.out).status).toBe("ok");
    expect(existsSync(file)).toBe(true);
    expect(new CheckpointError("--checkpoint", file, "corrupt", "x")).toBeInstanceOf(InputError);
  }, 300_000);
});

describe("a finished run's checkpoint (real CLI, tiny IDX data)", () => {
  const data = tinyIdx();
  const dir = mkdtempSync(join(tmpdir(), "sigprop-ckfin-"));
  const file = join(dir, "run.ckpt");
  const args = [...tinyTrain(data, 1), "--task", "classification", "--checkpoint", file];

  it("a 1-epoch run leaves one with its final weights; rerunning reports the result without training", async () => {
    const first = await sigprop(args);
    expect(first.code, first.err).toBe(0);
    const a = JSON.parse(first.out);
    expect(a.from_checkpoint).toBeUndefined();
    const { header } = decodeCheckpoint(readFileSync(file), file);
    expect(header.epoch).toBe(1);
    expect(header.t).toBe(a.steps);
    // the stored history is the run's, to the last bit (JSON round-trips doubles exactly)
    expect(header.history.map((h) => h.trainLoss)).toEqual(
      a.history.map((h: { train_loss: number }) => h.train_loss),
    );
    const bytes = readFileSync(file);
    const again = await sigprop(args);
    expect(again.code, again.err).toBe(0);
    const b = JSON.parse(again.out);
    expect(b.from_checkpoint).toEqual({ epoch: 1, finished: true });
    for (const k of [
      "train_loss",
      "val_loss",
      "val_acc",
      "test_loss",
      "test_acc",
      "loss_ratio",
      "steps",
      "history",
    ])
      expect(b[k], k).toEqual(a[k]);
    // nothing was trained or rewritten
    expect(readFileSync(file).equals(bytes)).toBe(true);
    // the readable output says so
    const text = await sigprop(args.filter((x) => x !== "--json"));
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(
      /already finished: the result of the finished run in .*run\.ckpt \(nothing trained now; --fresh retrains\)/,
    );
    // more epochs is another configuration: exit 2 naming the field (the finished file is kept)
    const more = await sigprop([...tinyTrain(data, 2), "--task", "classification", "--checkpoint", file]);
    expect(more.code, more.err).toBe(2);
    expect(more.err).toMatch(/epochs 1 there, 2 now/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  }, 300_000);
});
