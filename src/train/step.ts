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
 * Math (docs/THEORY.md §1, rows are examples): a¹ = ε¹ ⊙ x, hˡ = aˡ Wˡ + bˡ, aˡ⁺¹ = ε ⊙ φ(hˡ) (or φ(hˡ) + ε),
 * output h^{L+1}. With g = ∂loss/∂h^{l}: ∂Wˡ = aˡᵀ g, ∂bˡ = Σ_rows g, ∂h^{l−1} = (g Wˡᵀ) ⊙ dˡ.
 *
 * Other architectures (mlp.ts `layerRoles`) are the same blocks with a switch each, one jitted function
 * per switch combination (a handful per network, still independent of depth):
 * - batch normalisation (mlp.ts `batchStandardize`): hˡ = ẑ + bˡ with ẑ = (z − μ) s, z = aˡ Wˡ; the
 *   forward block keeps ẑ and s, the backward block starts with ∂bˡ = Σ_rows g and
 *   ∂z = s ⊙ (g − mean_rows g − ẑ ⊙ mean_rows(g ⊙ ẑ)) (Ioffe & Szegedy 2015, Alg. 1's backward with
 *   γ = 1), then ∂Wˡ = aˡᵀ ∂z and ∂h^{l−1} = (∂z Wˡᵀ) ⊙ dˡ;
 * - a residual skip from the previous layer (reduced: yˡ = y^{l−1} + …): ∂y^{l−1} gains + g;
 * - a skip from two layers back (full: xˡ = x^{l−1} + φ(hˡ) Vˡ + aˡ after hˡ = x^{l−1} Wˡ + bˡ): the
 *   forward block takes x^{l−1} as an argument, and the inner layer's backward block adds the outer
 *   layer's g to its ∂x^{l−1} = g_h Wˡᵀ (its input is the stream itself: no φ′, no noise).
 */
import { jit, jvp, numpy as np, valueAndGrad, type Array, type JsTree } from "@jax-js/jax";
import { fillNoise, isActive } from "../engine/noise.js";
import { Stream } from "../engine/rng.js";
import { tensorActivation } from "../engine/tensor.js";
import {
  BN_EPS,
  batchStandardize,
  layerRoles,
  layerSizes,
  taskLoss,
  type LayerRole,
  type MlpSpec,
  type Params,
  type Task,
} from "./mlp.js";
import { update, type OptimizerName, type OptState } from "./optim.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...a: any[]) => JsTree<Array>;
type Jitted = AnyFn & { dispose(): void };

/** Stream ids of the training noise: (seed, NOISE_STREAM, step, layer). */
const NOISE_STREAM = 0x6e6f;

/** Which draw of the training noise: the run's seed, the optimiser step (1-based) and the batch size. */
export interface StepNoiseOptions {
  seed: number;
  step: number;
  /** rows of each ε (the mini-batch size) */
  batch: number;
}

/**
 * The noise ε of layer `layer` (1-based: layer 1 acts on the data) at training step `step`, as a
 * row-major batch × `cols` Float32Array, or null when the noise is the identity. Reproducible per
 * (seed, step, layer), independent of everything else.
 */
export function sampleStepNoise(
  spec: MlpSpec,
  { seed, step, batch, layer, cols }: StepNoiseOptions & { layer: number; cols: number },
): Float32Array | null {
  return fillNoise(new Float32Array(batch * cols), spec.noise, new Stream(seed, NOISE_STREAM, step, layer));
}

/**
 * The noise of every layer at one training step, as `FastStep.step` takes it: ε of layer l + 1 (batch ×
 * its fan-in, `sampleStepNoise`) at index l, null where the layer's role takes no noise (mlp.ts
 * `layerRoles`) or the noise is the identity.
 */
export function stepNoise(spec: MlpSpec, opts: StepNoiseOptions): (Float32Array | null)[] {
  const roles = layerRoles(spec);
  return layerSizes(spec)
    .slice(0, -1)
    .map((cols, l) => (roles[l].noisy ? sampleStepNoise(spec, { ...opts, layer: l + 1, cols }) : null));
}

/** Per-layer batch-norm statistics for evaluation (`bnStatistics`); null for a layer without BN. */
export type BnStats = ({ mean: Array; invStd: Array } | null)[];

/** Dispose the arrays of a BnStats. */
export function disposeBnStats(stats: BnStats): void {
  for (const s of stats) {
    s?.mean.dispose();
    s?.invStd.dispose();
  }
}

/** A compiled training step for one network spec, task and optimiser (see the module doc). */
export interface FastStep {
  /**
   * One step on the row batch x (B × d₀) with targets y; `noise[l]` is ε of layer l + 1 (B × fan_in, from
   * `sampleStepNoise`) or null (always ignored for a layer whose role is not `noisy`). Consumes params,
   * state, x and y; returns the loss (a jax-js scalar, not yet read) and the updated params and state.
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
   * params, consumes x. Returns the network output (B × d_out). Batch normalisation uses `stats` when
   * given (not consumed), else the statistics of x itself (as in training).
   */
  evaluate(params: Params, x: Array, stats?: BnStats): Promise<Array>;
  /**
   * Population statistics of every batch-normalised layer over the row batches `xs` together (consumed),
   * computed layer by layer with the clean network (each layer normalised by the statistics found for it,
   * "precise BN"); all null without batch normalisation. Plain networks only (BN with a residual
   * connection is refused by train/arch.ts).
   */
  bnStatistics(params: Params, xs: Array[]): Promise<BnStats>;
  dispose(): void;
}

type SkipMode = "none" | "prev" | "arg";

/** Build the per-layer blocks for a network; nothing is compiled until the first step. */
export function makeFastStep(spec: MlpSpec, task: Task, optimizer: OptimizerName): FastStep {
  // a custom φ without a tensor view cannot be differentiated: InputError naming --activation
  const phi = tensorActivation(spec.activation, { differentiable: true });
  const noisyNet = isActive(spec.noise);
  const additive = spec.noise.type === "additive";
  const roles = layerRoles(spec);
  const skipMode = (l: number): SkipMode =>
    roles[l].skip < 0 ? "none" : roles[l].skip === l - 1 ? "prev" : "arg";
  /** layer l's backward block receives the g of a later layer whose skip reads out_{l−1} (full residual) */
  const takesExtra = (l: number): boolean => roles.some((r, j) => skipMode(j) === "arg" && r.skip + 1 === l);
  const layerNoisy = (r: LayerRole) => noisyNet && r.noisy;

  /** Input of a layer from the previous pre-activation h: a = φ(h) ⊙ ε (or + ε), d = ∂a/∂h. */
  const act = (h: Array, e: Array | null): [Array, Array] => {
    const [y, dy] = jvp(phi, [h.ref], [np.onesLike(h)]) as unknown as [Array, Array];
    if (e === null) return [y, dy];
    if (additive) return [np.add(y, e), dy];
    return [np.multiply(y, e.ref), np.multiply(dy, e)];
  };
  const noisyInput = (x: Array, e: Array | null): Array =>
    e === null ? x : additive ? np.add(x, e) : np.multiply(x, e);

  const blocks = new Map<string, Jitted>();
  const memo = (key: string, make: () => AnyFn): Jitted => {
    let f = blocks.get(key);
    if (!f) {
      f = jit(make()) as Jitted;
      blocks.set(key, f);
    }
    return f;
  };

  /**
   * Forward block of a role: (input, [ε,] W, b, [skip]) → [aᵀ, [d,] [ẑ, s,] h]. The layer input a is kept
   * transposed (fan_in × B, materialised): ∂W = aᵀ g is then a product of two operands that are contiguous
   * along the contracted batch axis, jax-js' faster matmul form. With the noise off, ε is not an argument
   * (jit arguments are arrays).
   */
  const fwdBlock = (r: LayerRole, skip: SkipMode): Jitted => {
    const noisy = layerNoisy(r);
    return memo(`fwd:${r.input}:${noisy}:${r.bn}:${skip}`, () => (...args: Array[]) => {
      let i = 0;
      const inp = args[i++];
      const e = noisy ? args[i++] : null;
      const w = args[i++];
      const b = args[i++];
      const sk = skip === "arg" ? args[i++] : null;
      const raw = skip === "prev" ? inp.ref : null;
      const out: Array[] = [];
      let a: Array;
      if (r.input === "phi") {
        const [ai, d] = act(inp, e);
        a = ai;
        out.push(a.ref.transpose(), d);
      } else {
        a = r.input === "data" ? noisyInput(inp, e) : inp;
        out.push(a.ref.transpose());
      }
      let z = np.matmul(a, w);
      if (r.bn) {
        const [zHat, sInv] = batchStandardize(z);
        out.push(zHat.ref, sInv);
        z = zHat;
      }
      let h = np.add(z, b);
      if (raw) h = np.add(h, raw);
      if (sk) h = np.add(h, sk);
      out.push(h);
      return out;
    });
  };

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

  /**
   * Backward block of a role: (g, gᵀ, aᵀ, [d,] [ẑ, s,] W, b, state, lr, [extra]) → [[∂in, ∂inᵀ,] W′, b′,
   * state′] (no ∂in for the first layer). ∂W = aᵀ g from aᵀ (fan_in × B) and gᵀ (fan_out × B).
   */
  const bwdBlock = (r: LayerRole, addOwn: boolean, extra: boolean): Jitted =>
    memo(`bwd:${r.input}:${r.bn}:${addOwn}:${extra}`, () => (...args: Array[]) => {
      let i = 0;
      const g = args[i++];
      const gT = args[i++];
      const aT = args[i++];
      const d = r.input === "phi" ? args[i++] : null;
      const zHat = r.bn ? args[i++] : null;
      const sInv = r.bn ? args[i++] : null;
      const w = args[i++];
      const b = args[i++];
      const st = args[i++] as unknown as OptState;
      const lrT = args[i++];
      const gx = extra ? args[i++] : null;
      const first = r.input === "data";
      // ∂ of this layer's output, which a skip from the previous layer passes straight to its input
      const own = addOwn ? g.ref : null;
      let gz: Array | null;
      let gw: Array;
      let gb: Array;
      if (zHat && sInv) {
        gT.dispose();
        gb = np.sum(g.ref, 0, { keepdims: true });
        const gMean = np.mean(g.ref, 0, { keepdims: true });
        const gzMean = np.mean(np.multiply(g.ref, zHat.ref), 0, { keepdims: true });
        const centred = np.subtract(np.subtract(g, gMean), np.multiply(zHat, gzMean));
        const gzFull = np.multiply(centred, sInv);
        gw = np.matmul(aT, gzFull.ref);
        gz = first ? (gzFull.dispose(), null) : gzFull;
      } else {
        gw = np.matmul(aT, gT.transpose());
        gb = np.sum(first ? g : g.ref, 0, { keepdims: true });
        gz = first ? null : g;
      }
      const out: Array[] = [];
      if (gz) {
        let gPrev = np.matmul(gz, w.ref.transpose());
        if (d) gPrev = np.multiply(gPrev, d);
        if (own) gPrev = np.add(gPrev, own);
        if (gx) gPrev = np.add(gPrev, gx);
        out.push(gPrev.ref, gPrev.transpose());
      }
      const [w1, b1, s1] = updateLayer(w, b, gw, gb, st, lrT);
      return [...out, w1, b1, s1] as unknown as JsTree<Array>;
    });

  /** Clean forward block: (input, W, b, [μ, s,] [skip]) → h; BN by the batch's statistics or by given ones. */
  const evalBlock = (r: LayerRole, skip: SkipMode, bn: "none" | "batch" | "stats"): Jitted =>
    memo(`eval:${r.input}:${bn}:${skip}`, () => (...args: Array[]) => {
      let i = 0;
      const inp = args[i++];
      const w = args[i++];
      const b = args[i++];
      const mu = bn === "stats" ? args[i++] : null;
      const sInv = bn === "stats" ? args[i++] : null;
      const sk = skip === "arg" ? args[i++] : null;
      const raw = skip === "prev" ? inp.ref : null;
      const a = r.input === "phi" ? phi(inp) : inp;
      let z = np.matmul(a, w);
      if (bn === "batch") {
        const [zHat, s1] = batchStandardize(z);
        s1.dispose();
        z = zHat;
      } else if (mu && sInv) z = np.multiply(np.subtract(z, mu), sInv);
      let h = np.add(z, b);
      if (raw) h = np.add(h, raw);
      if (sk) h = np.add(h, sk);
      return h;
    });
  /** the product z = a W of a layer (for the BN statistics) */
  const preBlock = (r: LayerRole): Jitted =>
    memo(`pre:${r.input}`, () => (inp: Array, w: Array) => np.matmul(r.input === "phi" ? phi(inp) : inp, w));

  /** outputs read by a later layer's skip as an argument (full residual): kept until then */
  const savedFor = new Set(roles.flatMap((r, l) => (skipMode(l) === "arg" ? [r.skip] : [])));
  /** The input of layer l (the stream `cur`), kept in `saved` too when a later layer's skip reads it. */
  const layerInput = (saved: Map<number, Array>, l: number, cur: Array): Array => {
    if (!(l > 0 && savedFor.has(l - 1))) return cur;
    saved.set(l - 1, cur);
    return cur.ref;
  };
  /** The kept output of layer `skip`, handed over (and forgotten) for a full-residual skip argument. */
  const takeSaved = (saved: Map<number, Array>, skip: number): Array => {
    const x = saved.get(skip) as Array;
    saved.delete(skip);
    return x;
  };

  const layerState = (state: OptState, l: number): OptState =>
    optimizer === "sgd" ? { m: [], v: [] } : { m: [state.m[l]], v: [state.v[l]] };

  return {
    async step(params, state, x, y, noise, lrT) {
      const L = params.length;
      const batch = x.shape[0];
      const kept: { aT: Array; d: Array | null; zHat: Array | null; sInv: Array | null }[] = [];
      const saved = new Map<number, Array>();
      let cur = x;
      for (let l = 0; l < L; l++) {
        const r = roles[l];
        const mode = skipMode(l);
        const inp = layerInput(saved, l, cur);
        const args: Array[] = [inp];
        if (layerNoisy(r)) {
          const e = noise[l];
          if (!e) throw new RangeError(`noise sample for layer ${l + 1} missing`);
          args.push(np.array(e, { shape: [batch, inp.shape[1]] }));
        }
        args.push(params[l].w.ref, params[l].b.ref);
        if (mode === "arg") args.push(takeSaved(saved, r.skip));
        const outs = fwdBlock(r, mode)(...args) as Array[];
        let k = 0;
        const aT = outs[k++];
        const d = r.input === "phi" ? outs[k++] : null;
        const zHat = r.bn ? outs[k++] : null;
        const sInv = r.bn ? outs[k++] : null;
        kept.push({ aT, d, zHat, sInv });
        cur = await outs[k].blockUntilReady();
      }
      const [loss, g0, gT0] = lossGrad(cur, y) as Array[];
      let g = g0;
      let gT = gT0;
      const lr = np.array(lrT);
      const newParams: Params = new globalThis.Array(L);
      const newM: Params = [];
      const newV: Params = [];
      const extras = new Map<number, Array>();
      for (let l = L - 1; l >= 0; l--) {
        const r = roles[l];
        const mode = skipMode(l);
        if (mode === "arg") extras.set(r.skip + 1, g.ref);
        const { aT, d, zHat, sInv } = kept[l];
        const args: unknown[] = [g, gT, aT];
        if (d) args.push(d);
        if (zHat && sInv) args.push(zHat, sInv);
        args.push(params[l].w, params[l].b, layerState(state, l), l === 0 ? lr : lr.ref);
        if (takesExtra(l)) {
          args.push(extras.get(l) as Array);
          extras.delete(l);
        }
        const outs = bwdBlock(r, mode === "prev", takesExtra(l))(...args) as unknown as unknown[];
        const [w1, b1, s1] = outs.slice(-3) as [Array, Array, OptState];
        newParams[l] = { w: w1, b: b1 };
        if (optimizer !== "sgd") {
          newM[l] = s1.m[0];
          newV[l] = s1.v[0];
        }
        if (l > 0) {
          g = outs[0] as Array;
          gT = await (outs[1] as Array).blockUntilReady();
        }
      }
      return { loss, params: newParams, state: optimizer === "sgd" ? state : { m: newM, v: newV } };
    },
    async evaluate(params, x, stats) {
      const saved = new Map<number, Array>();
      let cur = x;
      for (let l = 0; l < params.length; l++) {
        const r = roles[l];
        const mode = skipMode(l);
        const inp = layerInput(saved, l, cur);
        const st = stats?.[l] ?? null;
        const args: Array[] = [inp, params[l].w.ref, params[l].b.ref];
        if (r.bn && st) args.push(st.mean.ref, st.invStd.ref);
        if (mode === "arg") args.push(takeSaved(saved, r.skip));
        const bn = !r.bn ? "none" : st ? "stats" : "batch";
        cur = await (evalBlock(r, mode, bn)(...args) as unknown as Array).blockUntilReady();
      }
      return cur;
    },
    async bnStatistics(params, xs) {
      const stats: BnStats = roles.map(() => null);
      if (!roles.some((r) => r.bn)) {
        for (const x of xs) x.dispose();
        return stats;
      }
      if (roles.some((r) => r.skip >= 0)) throw new RangeError("bnStatistics: plain networks only");
      const n = xs.reduce((a, x) => a + x.shape[0], 0);
      let cur = xs;
      for (let l = 0; l < params.length; l++) {
        const r = roles[l];
        if (!r.bn) {
          const next: Array[] = [];
          for (const c of cur)
            next.push(
              await (
                evalBlock(r, "none", "none")(c, params[l].w.ref, params[l].b.ref) as unknown as Array
              ).blockUntilReady(),
            );
          cur = next;
          continue;
        }
        const zs: Array[] = [];
        for (const c of cur)
          zs.push(await (preBlock(r)(c, params[l].w.ref) as unknown as Array).blockUntilReady());
        // two passes (mean, then the centred second moment) over the chunks: no E[z²] − μ² cancellation
        let sum = np.sum(zs[0].ref, 0, { keepdims: true });
        for (const z of zs.slice(1)) sum = np.add(sum, np.sum(z.ref, 0, { keepdims: true }));
        const mean = np.divide(sum, n);
        let sq = np.sum(np.square(np.subtract(zs[0].ref, mean.ref)), 0, { keepdims: true });
        for (const z of zs.slice(1))
          sq = np.add(sq, np.sum(np.square(np.subtract(z.ref, mean.ref)), 0, { keepdims: true }));
        const invStd = np.reciprocal(np.sqrt(np.add(np.divide(sq, n), BN_EPS)));
        stats[l] = { mean, invStd };
        cur = [];
        for (const z of zs)
          cur.push(
            await np
              .add(np.multiply(np.subtract(z, mean.ref), invStd.ref), params[l].b.ref)
              .blockUntilReady(),
          );
      }
      for (const c of cur) c.dispose();
      return stats;
    },
    dispose() {
      lossGrad.dispose();
      for (const f of blocks.values()) f.dispose();
      blocks.clear();
    },
  };
}
