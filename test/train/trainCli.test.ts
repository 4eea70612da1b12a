/**
 * `sigprop train` through the real CLI entry: the result JSON is snake_case throughout (the history
 * included) and carries the per-epoch test-split loss/accuracy and wall seconds.
 */
import { describe, expect, it } from "vitest";
import { sigprop, tinyIdx, tinyTrain } from "../io/cli.js";

describe("sigprop train --json: per-epoch history", () => {
  const data = tinyIdx();
  it("has train/val/test loss and accuracy and seconds per epoch, snake_case keys, the test split's size", async () => {
    const r = await sigprop([...tinyTrain(data, 2), "--task", "classification", "--json"]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    const keys = (v: unknown): string[] =>
      Array.isArray(v)
        ? v.flatMap(keys)
        : v && typeof v === "object"
          ? Object.entries(v).flatMap(([k, x]) => [k, ...keys(x)])
          : [];
    expect(keys(j).filter((k) => /[A-Z]/.test(k))).toEqual([]);
    expect(j.n_test).toBe(10); // tinyIdx: 10 t10k images
    expect(j.history).toHaveLength(3); // epoch 0 and two epochs
    for (const h of j.history) {
      for (const k of [
        "train_loss",
        "val_loss",
        "val_acc",
        "test_loss",
        "test_acc",
        "seconds",
        "train_seconds",
      ])
        expect(typeof h[k], k).toBe("number");
      // 10 test images: the accuracy is a multiple of 1/10
      expect(Math.abs(h.test_acc * 10 - Math.round(h.test_acc * 10))).toBeLessThan(1e-9);
    }
    expect(j.test_loss).toBe(j.history[2].test_loss);
    expect(j.test_acc).toBe(j.history[2].test_acc);
  }, 120_000);

  it("--init ordered off the ordered phase, and --init eoc where no EOC exists, are exit 2 with the reason", async () => {
    const o = await sigprop([
      ...tinyTrain(data, 1),
      "--activation",
      "tanh",
      "--init",
      "ordered",
      "--sigma-b2",
      "0",
    ]);
    expect(o.code, o.err).toBe(2);
    expect(o.err).toMatch(/--init 'ordered'.*not in the ordered phase for tanh.*q\* vanishes/);
    const e = await sigprop([...tinyTrain(data, 1), "--init", "eoc", "--sigma-b2", "1"]);
    expect(e.code, e.err).toBe(2);
    expect(e.err).toMatch(/no edge-of-chaos point for relu/);
  }, 120_000);

  it("--weights orthogonal trains and is recorded; an unknown law is exit 2", async () => {
    const r = await sigprop([...tinyTrain(data, 1), "--weights", "orthogonal", "--json"]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.weights).toBe("orthogonal");
    expect(j.status).toBe("ok");
    const bad = await sigprop([...tinyTrain(data, 1), "--weights", "uniform"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--weights 'uniform'.*gaussian \| orthogonal/);
  }, 120_000);
});
