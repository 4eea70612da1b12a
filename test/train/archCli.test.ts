/**
 * The training architecture flags through the real CLI entry (`--init looks-linear`, `--batchnorm`,
 * `--residual`): a short run is recorded with its config fields (snake_case), and each bad combination is
 * exit 2 naming the flag and the reason.
 */
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
});
