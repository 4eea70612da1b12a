/**
 * The fast training step: forward, hand-written backward and optimiser update of the noisy MLP (mlp.ts),
 * as a short chain of small jitted blocks that are reused for every layer of equal shape.
 *
 * Where the time went (kernel trace of the earlier whole-network `jit` + `grad` step, depth 20, width 512,
 * batch 128, dropout; per step ≈ 220 ms of kernels on a loaded 2-core VM): the three matmul kinds 170 ms
 * (77 %), threefry bits + compare for the dropout masks 16 ms, the SGD update reading a transposed ∂W
 * plus a transposed copy of ∂W 18 ms, elementwise ReLU/mask work ≈ 5 ms; JS dispatch was small (wall ≈
 * kernel sum). The matmuls ran at 20–25 GFLOP/s; jax-js' fastest form (both operands contiguous along the
 * contracted axis) reaches ≈ 33. Hence this form (each point measured in scratch profiles of the same step):
 * - **Compile cost independent of depth.** jax-js caches a jitted function per argument shape, so one
 *   hidden-layer block serves all equal-width layers: a depth-200 network compiles the same handful of
 *   blocks as a depth-2 one. A whole-step `jit` traces, differentiates and schedules a graph with O(depth)
 *   equations (jax-js flattens nested jits, and its scheduler has O(steps²) passes): ≈ 17 s for depth 200.
 * - **Hand-written backward pass** (as the numpy baseline), not `grad` of the whole network: per hidden layer
 *   the three products h = a W + b, ∂W = aᵀ g and ∂a = g Wᵀ, one reduction for ∂b, and one fused
 *   elementwise pass. φ′ is not hand-coded: the forward block takes it from jax-js' `jvp` of the
 *   activation's tensor view (src/engine/tensor.ts), fused with φ, and stores d = ε ⊙ φ′(h) (multiplicative
 *   noise) or φ′(h) (additive), so the backward needs one multiply: ∂h = (g Wᵀ) ⊙ d.
 * - **∂W from materialised transposes** aᵀ (kept by the forward block) and gᵀ (written next to g): the
 *   product then has both operands contiguous along the batch axis, ≈ 2.5 instead of ≈ 3.1 ms per
 *   512 × 512 layer, for two 65 K-element copies of ≈ 0.1 ms.
 * - **Noise sampled on the host** with the engine's seeded stream and laws (src/engine/noise.ts; dropout
 *   by the inlined `Stream.fillBernoulli`): faster than jax-js' threefry `random` (bench/train.ts
 *   `components.rng_million_per_s`), the same laws as the simulation, and every (seed, step, layer) owns
 *   an independent reproducible stream.
 * - **The optimiser update is fused into the backward block** of each layer (for SGD the update
 *   W − η aᵀg becomes the epilogue of the ∂W product: ∂W is never materialised).
 * - **Pending work is flushed per layer** (`blockUntilReady`, no data copied): jax-js chains the pending
 *   kernels of a jit's inputs onto its outputs, so without it the bookkeeping grows with depth².
 * - No host read inside a step: the loss stays a jax-js scalar until the caller reads it.
 * What remains is mostly the matmuls (≈ 85 % of the kernel time), then per-layer overhead (at width 16,
 * where the products are negligible, ≈ 20 ms CPU per 21-layer step: jit dispatch, a WebAssembly instance
 * per kernel call inside jax-js, uploads, GC) and the host noise.
 *
 * Math (THEORY.md §1, rows are examples): a¹ = ε¹ ⊙ x, hˡ = aˡ Wˡ + bˡ, aˡ⁺¹ = ε ⊙ φ(hˡ) (or φ(hˡ) + ε),
 * output h^{L+1}. With g = ∂loss/∂h^{l}: ∂Wˡ = aˡᵀ g, ∂bˡ = Σ_rows g, ∂h^{l−1} = (g Wˡᵀ) ⊙ dˡ.
 */
import { jit, jvp, numpy as np, valueAndGrad, type Array, type JsTree } from "@jax-js/jax";
import { fillNoise, isActive } from "../engine/noise.js";
import { Stream } from "../engine/rng.js";
import { tensorActivation } from "../engine/tensor.js";
import { taskLoss, type MlpSpec, type Params, type Task } from "./mlp.js";
import { update, type OptimizerName, type OptState } from "./optim.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...a: any[]) => JsTree<Array>;
type Jitted = AnyFn & { dispose(): void };

/** Stream ids of the training noise: (seed, NOISE_STREAM, step, layer). */
const NOISE_STREAM = 0x6e6f;

/**
 * The noise ε of layer `layer` (1-based: layer 1 acts on the data) at training step `step`, as a
 * row-major B × fanIn Float32Array, or null when the noise is the identity. Reproducible per
 * (seed, step, layer), independent of everything else.
 */
export function sampleStepNoise(
  spec: MlpSpec,
  seed: number,
  step: number,
  layer: number,
  rows: number,
  cols: number,
): Float32Array | null {
  return fillNoise(new Float32Array(rows * cols), spec.noise, new Stream(seed, NOISE_STREAM, step, layer));
}

/** A compiled training step for one network spec, task and optimiser (see the module doc). */
export interface FastStep {
  /**
   * One step on the row batch x (B × d₀) with targets y; `noise[l]` is ε of layer l + 1 (B × fan_in, from
   * `sampleStepNoise`) or null. Consumes params, state, x and y; returns the loss (a jax-js scalar,
   * not yet read) and the updated params and state.
   */
  step(
    params: Params,
    state: OptState,
    x: Array,
    y: Array,
    noise: (Float32Array | null)[],
    lrT: number,
  ): Promise<{ loss: Array; params: Params; state: OptState }>;
  /**
   * Clean forward pass (noise off) of a row batch with the same per-layer blocks; does not consume the
   * params, consumes x. Returns the network output (B × d_out).
   */
  evaluate(params: Params, x: Array): Promise<Array>;
  dispose(): void;
}

/** Build the per-layer blocks for a network; nothing is compiled until the first step. */
export function makeFastStep(spec: MlpSpec, task: Task, optimizer: OptimizerName): FastStep {
  // a custom φ without a tensor view cannot be differentiated: InputError naming --activation
  const phi = tensorActivation(spec.activation, { differentiable: true });
  const noisy = isActive(spec.noise);
  const additive = spec.noise.type === "additive";

  /** Input of a layer from the previous pre-activation h: a = φ(h) ⊙ ε (or + ε), d = ∂a/∂h. */
  const act = (h: Array, e: Array | null): [Array, Array] => {
    const [y, dy] = jvp(phi, [h.ref], [np.onesLike(h)]) as unknown as [Array, Array];
    if (e === null) return [y, dy];
    if (additive) return [np.add(y, e), dy];
    return [np.multiply(y, e.ref), np.multiply(dy, e)];
  };
  const noisyInput = (x: Array, e: Array | null): Array =>
    e === null ? x : additive ? np.add(x, e) : np.multiply(x, e);

  // Forward blocks. Outputs are the kept activations and the next pre-activation.
  // With the noise off, ε is not an argument (jit arguments are arrays).
  const withNoise = (f: (e: Array | null, ...r: Array[]) => Array[]): Jitted =>
    (noisy
      ? jit(((x: Array, e: Array, w: Array, b: Array) => f(e, x, w, b)) as AnyFn)
      : jit(((x: Array, w: Array, b: Array) => f(null, x, w, b)) as AnyFn)) as Jitted;
  // The layer input a is kept transposed (fan_in × B, materialised): ∂W = aᵀ g is then a product of two
  // operands that are contiguous along the contracted batch axis, jax-js' faster matmul form.
  const fwdFirst = withNoise((e, x, w, b) => {
    const a = noisyInput(x, e);
    return [a.ref.transpose(), np.add(np.matmul(a, w), b)];
  });
  const fwdHidden = withNoise((e, h, w, b) => {
    const [a, d] = act(h, e);
    return [a.ref.transpose(), d, np.add(np.matmul(a, w), b)];
  });
  /** loss, g = ∂loss/∂out and gᵀ (materialised) */
  const lossGrad = jit(((out: Array, y: Array) => {
    const [loss, g] = valueAndGrad((o: Array) => taskLoss(task, o, y))(out);
    return [loss, g.ref, g.transpose()];
  }) as AnyFn) as Jitted;

  // Backward blocks with the fused optimiser update.
  const updateLayer = (
    w: Array,
    b: Array,
    gw: Array,
    gb: Array,
    st: OptState,
    lrT: Array,
  ): [Array, Array, OptState] => {
    const [p1, s1] = update(optimizer, [{ w, b }], st, [{ w: gw, b: gb }], lrT);
    return [p1[0].w, p1[0].b, s1];
  };
  /** ∂W = aᵀ g from aT (fan_in × B) and gT (fan_out × B), ∂b = Σ_rows g */
  const weightGrads = (aT: Array, gT: Array, g: Array): [Array, Array] => [
    np.matmul(aT, gT.transpose()),
    np.sum(g, 0, { keepdims: true }),
  ];
  const bwdHidden = jit(((
    g: Array,
    gT: Array,
    aT: Array,
    d: Array,
    w: Array,
    b: Array,
    st: OptState,
    lrT: Array,
  ) => {
    const gPrev = np.multiply(np.matmul(g.ref, w.ref.transpose()), d);
    const [gw, gb] = weightGrads(aT, gT, g);
    const [w1, b1, s1] = updateLayer(w, b, gw, gb, st, lrT);
    return [gPrev.ref, gPrev.transpose(), w1, b1, s1];
  }) as AnyFn) as Jitted;
  const bwdFirst = jit(((g: Array, gT: Array, aT: Array, w: Array, b: Array, st: OptState, lrT: Array) => {
    const [gw, gb] = weightGrads(aT, gT, g);
    const [w1, b1, s1] = updateLayer(w, b, gw, gb, st, lrT);
    return [w1, b1, s1];
  }) as AnyFn) as Jitted;

  // Clean forward blocks (evaluation).
  const evalFirst = jit(((x: Array, w: Array, b: Array) => np.add(np.matmul(x, w), b)) as AnyFn) as Jitted;
  const evalHidden = jit(((h: Array, w: Array, b: Array) =>
    np.add(np.matmul(phi(h), w), b)) as AnyFn) as Jitted;

  const layerState = (state: OptState, l: number): OptState =>
    optimizer === "sgd" ? { m: [], v: [] } : { m: [state.m[l]], v: [state.v[l]] };

  return {
    async step(params, state, x, y, noise, lrT) {
      const L = params.length;
      const batch = x.shape[0];
      /** arguments of a forward block: input, [ε,] W, b */
      const args = (l: number, inp: Array): Array[] => {
        const w = params[l].w.ref;
        const b = params[l].b.ref;
        if (!noisy) return [inp, w, b];
        const e = noise[l];
        if (!e) throw new RangeError(`noise sample for layer ${l + 1} missing`);
        return [inp, np.array(e, { shape: [batch, inp.shape[1]] }), w, b];
      };
      const kept: { a: Array; d: Array | null }[] = [];
      const [a0, h0] = fwdFirst(...args(0, x)) as Array[];
      kept.push({ a: a0, d: null });
      let h = h0;
      for (let l = 1; l < L; l++) {
        const [al, dl, hl] = fwdHidden(...args(l, h)) as Array[];
        kept.push({ a: al, d: dl });
        h = await hl.blockUntilReady();
      }
      const [loss, g0, gT0] = lossGrad(h, y) as Array[];
      let g = g0;
      let gT = gT0;
      const lr = np.array(lrT);
      const newParams: Params = new globalThis.Array(L);
      const newM: Params = [];
      const newV: Params = [];
      for (let l = L - 1; l >= 1; l--) {
        const { a: al, d } = kept[l];
        const [gPrev, gPrevT, w1, b1, s1] = bwdHidden(
          g,
          gT,
          al,
          d,
          params[l].w,
          params[l].b,
          layerState(state, l),
          lr.ref,
        ) as unknown as [Array, Array, Array, Array, OptState];
        newParams[l] = { w: w1, b: b1 };
        if (optimizer !== "sgd") {
          newM[l] = s1.m[0];
          newV[l] = s1.v[0];
        }
        g = gPrev;
        gT = await gPrevT.blockUntilReady();
      }
      const [w1, b1, s1] = bwdFirst(
        g,
        gT,
        kept[0].a,
        params[0].w,
        params[0].b,
        layerState(state, 0),
        lr,
      ) as unknown as [Array, Array, OptState];
      newParams[0] = { w: w1, b: b1 };
      if (optimizer !== "sgd") {
        newM[0] = s1.m[0];
        newV[0] = s1.v[0];
      }
      return { loss, params: newParams, state: optimizer === "sgd" ? state : { m: newM, v: newV } };
    },
    async evaluate(params, x) {
      let h = evalFirst(x, params[0].w.ref, params[0].b.ref) as unknown as Array;
      for (let l = 1; l < params.length; l++) {
        h = await (evalHidden(h, params[l].w.ref, params[l].b.ref) as unknown as Array).blockUntilReady();
      }
      return h;
    },
    dispose() {
      for (const f of [fwdFirst, fwdHidden, lossGrad, bwdHidden, bwdFirst, evalFirst, evalHidden])
        f.dispose();
    },
  };
}
