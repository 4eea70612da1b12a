/**
 * The training architecture flags through the real CLI entry (`--init looks-linear`, `--batchnorm`,
 * `--residual`): a short run is recorded with its config fields (snake_case), and each bad combination is
 * exit 2 naming the flag and the reason.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sigprop, tinyIdx, tinyTrain } from "../io/cli.js";

describe("sigprop train: architecture flags", () => {
  const data = tinyIdx();
  it("--init looks-linear trains and is recorded; bad combinations are exit 2 with the reason", async () => {
    const r = await sigprop([...tinyTrain(data, 1), "--init", "looks-linear", "--weights", "orthogonal"]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.init).toBe("looks-linear");
    expect(j.sigma_b2).toBe(0);
    expect(j.status).toBe("ok");
    const bad: [string[], RegExp][] = [
      [["--activation", "tanh"], /--activation 'tanh'.*relu \| leaky_relu/],
      [["--width", "9"], /--width '9'.*even/],
      // tinyIdx images are 6 × 6: orthogonal blocks need N = width/2 ≤ 36
      [["--width", "80", "--weights", "orthogonal"], /--width '80'.*≤ 72/],
      [["--sigma-b2", "0.5"], /--sigma-b2 '0.5'/],
    ];
    for (const [flags, msg] of bad) {
      const e = await sigprop([...tinyTrain(data, 1), "--init", "looks-linear", ...flags]);
      expect(e.code, flags.join(" ")).toBe(2);
      expect(e.err).toMatch(msg);
    }
  }, 180_000);

  it("--batchnorm and --residual reduced|full train and are recorded (snake_case)", async () => {
    const runs: [string[], Record<string, unknown>][] = [
      [["--batchnorm"], { batchnorm: true, residual: "none" }],
      [["--residual", "reduced"], { batchnorm: false, residual: "reduced" }],
      [["--residual", "full", "--sigma-v2", "0.5"], { residual: "full", sigma_v2: 0.5, sigma_a2: 0 }],
    ];
    for (const [flags, want] of runs) {
      const r = await sigprop([...tinyTrain(data, 1), "--task", "classification", ...flags]);
      expect(r.code, `${flags.join(" ")}: ${r.err}`).toBe(0);
      const j = JSON.parse(r.out);
      expect(j).toMatchObject({ ...want, status: "ok" });
      // the per-epoch evaluations are finite numbers (batch norm: population statistics of the training part)
      for (const h of j.history)
        for (const k of ["train_loss", "val_loss", "test_loss"]) expect(Number.isFinite(h[k])).toBe(true);
    }
  }, 240_000);

  it("bad combinations are exit 2 naming the flag", async () => {
    const bad: [string[], RegExp][] = [
      [["--batchnorm", "--residual", "reduced"], /--batchnorm.*not with --residual/],
      [["--residual", "half"], /--residual 'half'.*reduced \| full/],
      [["--sigma-v2", "2"], /--sigma-v2 '2'.*only with --residual full/],
      [["--init", "looks-linear", "--residual", "full"], /--residual 'full'.*none with --init looks-linear/],
    ];
    for (const [flags, msg] of bad) {
      const e = await sigprop([...tinyTrain(data, 1), ...flags]);
      expect(e.code, `${flags.join(" ")}: ${e.err}`).toBe(2);
      expect(e.err).toMatch(msg);
    }
  }, 240_000);

  it("a checkpoint of the plain network is refused by another architecture, naming the field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sigprop-arch-ck-"));
    const file = join(dir, "run.ckpt");
    const args = [...tinyTrain(data, 2), "--checkpoint", file];
    const first = await sigprop(args);
    expect(first.code, first.err).toBe(0);
    const good = readFileSync(file);
    for (const [flags, field] of [
      [["--batchnorm"], /batchnorm \(none\) there, true now/],
      [["--residual", "reduced"], /residual \(none\) there, "reduced" now/],
      [["--init", "looks-linear"], /init \(none\) there, "looks-linear" now/],
    ] as [string[], RegExp][]) {
      const r = await sigprop([...args, ...flags]);
      expect(r.code, `${flags.join(" ")}: ${r.err}`).toBe(2);
      expect(r.err).toMatch(/another configuration/);
      expect(r.err).toMatch(field);
      expect(readFileSync(file).equals(good)).toBe(true);
    }
  }, 240_000);
});
