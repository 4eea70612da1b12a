/**
 * The sweep grid carries the architecture options (so paper-scale reproductions can be sharded): the
 * plan's base records --batchnorm / --residual / --init looks-linear (absent at the defaults, so plans and
 * run hashes made before them are unchanged), run hashes differ between architectures, and sweep.json
 * validation knows the new fields.
 */
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { planFrom } from "../../src/cli/commands/sweep.js";
import { addTrainOptions } from "../../src/cli/commands/train.js";
import { planProblem, planRuns } from "../../src/train/sweep.js";

function planOf(args: string[]) {
  const cmd = addTrainOptions(new Command("run"), { grid: true })
    .option("--keep <range>", "", "0.5")
    .option("--noises <specs>")
    .option("--depths <list>", "", "2,4")
    .option("--seeds <n>", "", "1")
    .exitOverride();
  cmd.parse(args, { from: "user" });
  return planFrom(cmd.opts());
}

describe("sweep plans with architecture options", () => {
  it("records the options in the base, changes the run hashes, and validates", () => {
    const plain = planOf([]);
    expect(plain.base).not.toHaveProperty("batchnorm");
    expect(plain.base).not.toHaveProperty("residual");
    const bn = planOf(["--batchnorm"]);
    expect(bn.base.batchnorm).toBe(true);
    const full = planOf(["--residual", "full", "--sigma-v2", "0.5"]);
    expect(full.base).toMatchObject({ residual: "full", sigma_v2: 0.5, sigma_a2: 0 });
    const ll = planOf(["--init", "looks-linear"]);
    expect(ll.base.init).toBe("looks-linear");
    const hashes = [plain, bn, full, ll].map((p) => planRuns(p)[0].hash);
    expect(new Set(hashes).size).toBe(4);
    for (const p of [plain, bn, full, ll]) expect(planProblem(JSON.parse(JSON.stringify(p)))).toBeNull();
    expect(planProblem({ ...full, base: { ...full.base, residual: "half" } })).toMatch(/base\.residual/);
    expect(planProblem({ ...bn, base: { ...bn.base, batchnorm: "yes" } })).toMatch(/base\.batchnorm/);
  });
});
