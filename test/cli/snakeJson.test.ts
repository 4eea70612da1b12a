import { describe, expect, it } from "vitest";
import { snakeKey, snakeKeys } from "../../src/cli/snakeJson.js";

describe("snakeKeys: the library's camelCase result → the command's snake_case JSON", () => {
  it("converts the names the theory uses, written out by hand", () => {
    const pairs: [string, string][] = [
      ["sigmaW2", "sigma_w2"],
      ["sigmaB2", "sigma_b2"],
      ["qStar", "q_star"],
      ["chiGrad", "chi_grad"],
      ["chi1", "chi1"],
      ["xiC", "xi_c"],
      ["trainableDepth", "trainable_depth"],
      ["momentsPerNetwork", "moments_per_network"],
      ["layerQ", "layer_q"],
      ["mu2", "mu2"],
      ["already_snake", "already_snake"],
      ["N", "N"],
    ];
    for (const [camel, snake] of pairs) expect(snakeKey(camel)).toBe(snake);
  });

  it("recurses into objects and arrays, flattens typed arrays, drops undefined, keeps values", () => {
    const out = snakeKeys({
      qStar: 2,
      notes: ["aB stays"],
      nested: [{ sigmaW2: 1.5, missing: undefined }],
      eigenvalues: Float64Array.from([1, 2]),
      nothing: null,
    });
    expect(out).toEqual({
      q_star: 2,
      notes: ["aB stays"],
      nested: [{ sigma_w2: 1.5 }],
      eigenvalues: [1, 2],
      nothing: null,
    });
    // the same object JSON.stringify would print, so the command's output is stable
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });
});
