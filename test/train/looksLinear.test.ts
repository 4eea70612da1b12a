/**
 * `--init looks-linear` in training (Burkholz & Dubatovka 2019; engine/looksLinear.ts): the parameters a
 * training run starts from (mlp.ts `initParams`, as trainRun calls it) give a ReLU / leaky-ReLU network
 * whose input–output Jacobian, computed by jax-js forward-mode autodiff through the real nonlinear
 * network, (1) is the same at every input (the network is linear), (2) equals the float64 product of the
 * blocks W0 computed on the host, and (3) with orthogonal blocks has all non-zero singular values equal to
 * the scale the construction predicts (module doc of engine/looksLinear.ts): 1 when N_out ≤ N = width/2,
 * √(N_out/N) on a rank-N subspace otherwise.
 */
import { jacfwd, numpy as np } from "@jax-js/jax";
import { Matrix, SingularValueDecomposition } from "ml-matrix";
import { beforeAll, describe, expect, it } from "vitest";
import { looksLinearInit } from "../../src/engine/looksLinear.js";
import { Stream } from "../../src/engine/rng.js";
import { initJax } from "../../src/sim/jax.js";
import { parseActivation } from "../../src/theory/activations.js";
import { InputError } from "../../src/theory/errors.js";
import { parseNoise } from "../../src/theory/noise.js";
import { looksLinearProblem } from "../../src/train/arch.js";
import { resolveInit } from "../../src/train/initChoice.js";
import { forward, initParams, type MlpSpec, type Params } from "../../src/train/mlp.js";
import { disposeTree } from "../../src/train/train.js";

beforeAll(async () => {
  await initJax();
});

const spec = (act: string, inputDim: number, width: number, depth: number, outputDim: number): MlpSpec => ({
  inputDim,
  width,
  depth,
  outputDim,
  activation: parseActivation(act),
  noise: parseNoise("none"),
});

/** d_out × d_in Jacobian of the network at x (float32), by jax-js forward mode through the ReLU layers. */
async function jacobianAt(s: MlpSpec, params: Params, x: number[]): Promise<number[][]> {
  const f = (v: ReturnType<typeof np.array>) =>
    forward(
      s,
      params.map((l) => ({ w: l.w.ref, b: l.b.ref })),
      v.reshape([1, s.inputDim]),
    ).reshape([s.outputDim]);
  const jac = jacfwd(f)(np.array(x));
  // jax-js lays the forward-mode Jacobian out input-major (d_in × d_out); the transpose is asserted, not assumed
  expect(jac.shape).toEqual([s.inputDim, s.outputDim]);
  const J = (await jac.data()) as Float32Array;
  return Array.from({ length: s.outputDim }, (_, i) =>
    Array.from({ length: s.inputDim }, (_, j) => J[j * s.outputDim + i]),
  );
}

/** float64 product W0^{L+1} ⋯ W0^1 of the construction's blocks (the same seed and law as initParams). */
function blockProduct(s: MlpSpec, law: "gaussian" | "orthogonal", seed: number): number[][] {
  const net = looksLinearInit({
    inputDim: s.inputDim,
    width: s.width / 2,
    outputDim: s.outputDim,
    depth: s.depth + 1,
    weights: law,
    seed,
  });
  let P = new Matrix(net.blocks[0].rows, net.blocks[0].cols);
  for (let i = 0; i < P.rows; i++)
    for (let j = 0; j < P.columns; j++) P.set(i, j, net.blocks[0].w[i * P.columns + j]);
  for (const b of net.blocks.slice(1)) {
    const B = new Matrix(b.rows, b.cols);
    for (let i = 0; i < b.rows; i++) for (let j = 0; j < b.cols; j++) B.set(i, j, b.w[i * b.cols + j]);
    P = B.mmul(P);
  }
  return P.to2DArray();
}

const normals = (seed: number, n: number) => Array.from(new Stream(seed).normals(n));

describe("--init looks-linear: the initial network is a linear map with an isometric Jacobian", () => {
  it.each([
    // [activation, input dim, width, depth, output dim, expected non-zero singular value, its count]
    ["relu", 12, 8, 5, 3, 1, 3],
    ["leaky_relu:alpha=0.2", 12, 8, 5, 3, 1, 3],
    // N = 4 < N_out = 6: J Jᵀ = (6/4) P, P a rank-4 projection
    ["relu", 6, 8, 4, 6, Math.sqrt(6 / 4), 4],
  ] as const)("%s, %i → %i × %i → %i: singular values", async (act, d0, width, depth, dOut, scale, rank) => {
    const s = spec(act, d0, width, depth, dOut);
    const params = initParams(s, 1, 0, 7, { law: "orthogonal", looksLinear: true });
    const J1 = await jacobianAt(s, params, normals(1, d0));
    const J2 = await jacobianAt(s, params, normals(2, d0));
    const P = blockProduct(s, "orthogonal", 7);
    // float32 forward through depth + 1 ≤ 6 layers of O(1) entries and fan-in ≤ 12: each product entry
    // carries ≤ 12·2⁻²⁴ ≈ 7e-7 relative rounding per layer, ≲ 5e-6 after six; 2e-5 leaves a margin of 4
    J1.forEach((row, i) =>
      row.forEach((v, j) => {
        expect(Math.abs(v - P[i][j])).toBeLessThan(2e-5);
        expect(Math.abs(v - J2[i][j])).toBeLessThan(2e-5);
      }),
    );
    const sv = new SingularValueDecomposition(new Matrix(J1.map((r) => [...r])), {
      computeLeftSingularVectors: false,
      computeRightSingularVectors: false,
      autoTranspose: true,
    }).diagonal.sort((a, b) => b - a);
    // singular values are 1-Lipschitz in the entries: |Δs| ≤ ‖ΔJ‖₂ ≤ ‖ΔJ‖_F ≤ √(d_out·d0)·2e-5 ≲ 2e-4
    sv.slice(0, rank).forEach((v) => expect(Math.abs(v - scale)).toBeLessThan(2e-4));
    sv.slice(rank).forEach((v) => expect(v).toBeLessThan(2e-4));
    disposeTree(params);
  });

  it("the network function equals the linear map it looks like (a batch of inputs, gaussian blocks too)", async () => {
    for (const law of ["gaussian", "orthogonal"] as const) {
      const s = spec("leaky_relu:alpha=0.1", 10, 12, 6, 4);
      const params = initParams(s, 1, 0, 3, { law, looksLinear: true });
      const X = normals(5, 8 * 10);
      const out = (await forward(s, params, np.array(X, { shape: [8, 10] })).data()) as Float32Array;
      const P = blockProduct(s, law, 3);
      let scale = 0;
      for (let r = 0; r < 8; r++) {
        for (let i = 0; i < 4; i++) {
          let want = 0;
          for (let j = 0; j < 10; j++) want += P[i][j] * X[r * 10 + j];
          scale = Math.max(scale, Math.abs(want));
          // float32 through 7 layers of fan-in ≤ 12 (see above), relative to the O(1–3) outputs
          expect(Math.abs(out[r * 4 + i] - want)).toBeLessThan(5e-5);
        }
      }
      expect(scale).toBeGreaterThan(0.3); // not a trivially zero map
    }
  });

  it("refuses what the construction cannot do, naming the parameter", () => {
    const relu = parseActivation("relu");
    const none = parseNoise("none");
    expect(() => resolveInit("looks-linear", parseActivation("tanh"), none)).toThrow(/activation 'tanh'/);
    expect(() => resolveInit("looks-linear", relu, none, { sigmaB2: 0.1 })).toThrow(/invalid sigmaB2/);
    expect(() => resolveInit("looks-linear", relu, none, { sigmaW2: 2 })).toThrow(/invalid sigmaW2/);
    expect(resolveInit("looks-linear", relu, none).sigmaB2).toBe(0);
    expect(looksLinearProblem({ activation: relu, width: 7, inputDim: 10 })).toBeInstanceOf(InputError);
    expect(looksLinearProblem({ activation: relu, width: 22, inputDim: 10 }, "orthogonal")?.message).toMatch(
      /invalid width '22'.*≤ 20/,
    );
    expect(looksLinearProblem({ activation: relu, width: 22, inputDim: 10 }, "gaussian")).toBeNull();
    expect(
      looksLinearProblem({ activation: relu, width: 8, inputDim: 10, residual: "reduced" })?.message,
    ).toMatch(/invalid residual/);
    expect(() => initParams(spec("relu", 5, 9, 2, 3), 1, 0, 1, { looksLinear: true })).toThrow(
      /invalid width '9'/,
    );
  });
});
