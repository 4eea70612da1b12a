/**
 * The report reads back each figure's data.json; a cut or edited one is an InputError naming the file
 * (exit 2), not a stack trace, and rebuilding that figure repairs it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reproduce } from "../../src/report/reproduce.js";
import { InputError } from "../../src/theory/errors.js";
import { fakeSimulator } from "../report/fakeSim.js";

const scale = { name: "tiny", width: 8, networks: 2, weights: "gaussian" as const, pairs: 1 };
const run = (out: string, figures: string[]) =>
  reproduce({ out, figures, scale, seed: 1, simulator: async () => fakeSimulator() });

describe("reproduce reads its own files back with checks", () => {
  it("a cut data.json of another figure is exit 2 naming it; rebuilding that figure repairs it", async () => {
    const out = mkdtempSync(join(tmpdir(), "sigprop-reportfiles-"));
    await run(out, ["fig2"]);
    const p = join(out, "fig2", "data.json");
    const good = readFileSync(p, "utf8");
    for (const bad of [good.slice(0, good.length >> 1), "null", JSON.stringify({ figure: "fig2" })]) {
      writeFileSync(p, bad);
      const e = await run(out, ["fig4"]).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InputError);
      expect((e as Error).message).toContain(p);
    }
    await run(out, ["fig2"]);
    expect(JSON.parse(readFileSync(p, "utf8")).figure).toBe("fig2");
  }, 300_000);
});
