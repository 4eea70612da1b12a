/**
 * Hayou et al. (2019) — the correlation converges only polynomially on the edge of chaos. (a) the exact
 * mean-field iteration 1 − c^l at the EOC point (dots) against the asymptotes of theory/rates.ts (lines):
 * 9π²/(2l²) for ReLU, β_q/l for smooth φ (erf, tanh, ELU α = 1, shifted softplus — whose EOC fixed point
 * is unstable). (b) Hayou's Prop. 1, both sides: ReLU on the EOC (σ_w² = 2) against residual ReLU networks
 * y + Wφ(y) (theory/residual.ts), whose 1 − c^l ~ (9π²/2)((1+β)/β)²/l², β = σ_w²/2. Theory only: the
 * Monte Carlo checks of these recursions are in test/theory/residual.test.ts.
 */
import { parseActivation } from "../../theory/activations.js";
import { dynamics } from "../../theory/dynamics.js";
import { parseNoise } from "../../theory/noise.js";
import { eocCorrelationDecay } from "../../theory/rates.js";
import { residualDynamics, residualLaw } from "../../theory/residual.js";
import type { Figure, Job, Json, Scale } from "../figure.js";
import { resultOf } from "../jobs.js";
import { figureSpec, lineDotBandPanel, type SimPoints, type TheoryCurve } from "../plot.js";
import { rows, short, slug } from "./common.js";

/** The EOC points of panel (a): activation spec and σ_b². */
export const HAYOU_ACTIVATIONS: [string, number][] = [
  ["relu", 0],
  ["erf", 0.1],
  ["tanh", 0.05],
  ["elu:alpha=1", 0.1],
  ["s_softplus", 0.1],
];
/** Residual ReLU networks of panel (b) by σ_w² (reduced variant, σ_b² = 0). */
export const HAYOU_RESIDUAL_SW2 = [2, 0.5];
const RESIDUAL_DEPTH = 500; // (1+β)^l stays below the closed form's √(q·q) overflow (β ≤ 1)

function depthOf(scale: Scale): number {
  return scale.name === "paper" ? 10000 : 1000;
}

/** One trajectory of 1 − c^l with its predicted asymptote (a job result holds a list of them). */
type Series = {
  label: string;
  l: number[];
  one_minus_c: number[];
  predicted: (number | null)[];
  constant: number | null;
  kind: string;
  stable: boolean | null;
};

/** Keep ~60 log-spaced layers of a trajectory 1..depth. */
function logSample(depth: number): Set<number> {
  const keep = new Set<number>();
  for (let i = 0; i <= 60; i++) keep.add(Math.max(1, Math.round(Math.pow(depth, i / 60))));
  return keep;
}

/** Panel (a)'s job: the exact iteration at each EOC point of HAYOU_ACTIVATIONS, with its asymptote. */
function eocJob(
  depth: number,
): Job<{ kind: "eoc_rates"; activations: [string, number][]; depth: number }, Series[]> {
  return {
    id: "a/eoc",
    config: { kind: "eoc_rates", activations: HAYOU_ACTIVATIONS, depth },
    cost: depth * HAYOU_ACTIVATIONS.length * 1e3,
    async run(ctx) {
      const out: Series[] = [];
      for (const [i, [spec, sb2]] of HAYOU_ACTIVATIONS.entries()) {
        const r = eocCorrelationDecay(parseActivation(spec), sb2, { depth });
        out.push({
          label: `${spec} (σ_b² = ${sb2})`,
          l: r.l,
          one_minus_c: r.oneMinusC,
          predicted: r.predicted,
          constant: r.rate.constant,
          kind: r.rate.kind,
          stable: r.eocStable,
        });
        ctx.onProgress(i + 1, HAYOU_ACTIVATIONS.length);
      }
      return out;
    },
  };
}

/** Panel (b)'s job: plain ReLU on the EOC against residual ReLU networks (Prop. 1). */
function residualJob(): Job<{ kind: "hayou_prop1"; sigma_w2: number[]; depth: number }, Series[]> {
  return {
    id: "b/residual",
    config: { kind: "hayou_prop1", sigma_w2: HAYOU_RESIDUAL_SW2, depth: RESIDUAL_DEPTH },
    cost: RESIDUAL_DEPTH * 10,
    async run() {
      const none = parseNoise("none");
      const relu = parseActivation("relu");
      const keep = logSample(RESIDUAL_DEPTH);
      const pick = (c: (number | null)[]) => {
        const l: number[] = [];
        const v: number[] = [];
        c.forEach((x, i) => {
          if (i > 0 && keep.has(i) && x !== null) {
            l.push(i);
            v.push(1 - x);
          }
        });
        return { l, v };
      };
      const plain = pick(
        dynamics({ activation: relu, noise: none, sigmaW2: 2, sigmaB2: 0 }, { depth: RESIDUAL_DEPTH }).c,
      );
      const k0 = (9 * Math.PI * Math.PI) / 2;
      const out: Series[] = [
        {
          label: "ReLU on the EOC (σ_w² = 2)",
          l: plain.l,
          one_minus_c: plain.v,
          predicted: plain.l.map((l) => k0 / (l * l)),
          constant: k0,
          kind: "inverse_square",
          stable: null,
        },
      ];
      for (const sw2 of HAYOU_RESIDUAL_SW2) {
        const m = { activation: relu, noise: none, sigmaW2: sw2, sigmaB2: 0 };
        const law = residualLaw(m, { variant: "reduced" });
        const k = law.kind === "relu_inverse_square" ? law.constant : NaN;
        const t = pick(residualDynamics(m, { variant: "reduced", depth: RESIDUAL_DEPTH }).c);
        out.push({
          label: `residual ReLU y + Wφ(y) (σ_w² = ${sw2})`,
          l: t.l,
          one_minus_c: t.v,
          predicted: t.l.map((l) => k / (l * l)),
          constant: k,
          kind: "inverse_square",
          stable: null,
        });
      }
      return out;
    },
  };
}

export const hayouRates: Figure = {
  id: "hayou-rates",
  title: "Hayou et al. — correlation convergence on the edge of chaos",
  jobs(scale: Scale): Job[] {
    return [eocJob(depthOf(scale)), residualJob()];
  },
  build(scale: Scale, results: Map<string, Json>) {
    const a = resultOf(eocJob(depthOf(scale)), results);
    const b = resultOf(residualJob(), results);
    if (!a || !b) throw new Error("missing hayou-rates result");
    const panel = (title: string, ss: Series[]) => {
      const theory: TheoryCurve[] = [];
      const sim: SimPoints[] = [];
      for (const s of ss) {
        const idx = s.predicted.map((p, i) => (p === null ? -1 : i)).filter((i) => i >= 0);
        theory.push({
          series: s.label,
          x: idx.map((i) => s.l[i]),
          y: idx.map((i) => s.predicted[i] as number),
        });
        sim.push({ series: s.label, x: s.l, mean: s.one_minus_c, std: s.l.map(() => 0) });
      }
      return lineDotBandPanel({
        title,
        xLabel: "layer l",
        yLabel: "1 − c^l",
        xScale: "log",
        yScale: "log",
        theory,
        sim,
        seriesOrder: ss.map((s) => s.label),
        width: 340,
      });
    };
    const last = (s: Series) => s.l.length - 1;
    const scaledLast = (s: Series) => {
      const i = last(s);
      const p = s.kind === "inverse_square" ? 2 : 1;
      return s.one_minus_c[i] * Math.pow(s.l[i], p);
    };
    const describe = (s: Series) =>
      s.constant === null
        ? `${s.label}: no rate`
        : `${s.label}: ${s.kind === "inverse_square" ? "l²" : "l"}(1 − c^l) = ${short(scaledLast(s), 5)} at l = ${s.l[last(s)]} vs ${short(s.constant, 5)}${s.stable === false ? " (unstable EOC fixed point, variance held at q*)" : ""}`;
    const plain = b[0];
    const res = b[1];
    const gamma = (res.constant as number) > 0 ? (plain.constant as number) / (res.constant as number) : NaN;
    const i = Math.min(last(plain), last(res));
    const ratioAt = plain.one_minus_c[i] / res.one_minus_c[i];
    const caption =
      "(a) On the edge of chaos the correlation of two inputs approaches 1 only polynomially (Hayou et al. 2019): " +
      "dots are the exact mean-field iteration c^{l+1} = C(c^l) at the EOC point from c⁰ = 0.5, lines the predicted asymptotes " +
      "9π²/(2l²) (ReLU) and β_q/l (smooth φ). " +
      a.map(describe).join("; ") +
      ". The gaps are the O(ln l / l) corrections of the asymptotic forms. " +
      `(b) Prop. 1 on both sides: ReLU on the EOC against residual ReLU networks; predicted 1 − c^l_plain ~ γ(1 − c^l_res) with γ = (β/(1+β))² = ${short(gamma, 5)} for σ_w² = ${HAYOU_RESIDUAL_SW2[0]}; ` +
      `the iterations give ${short(ratioAt, 5)} at l = ${plain.l[i]}. ` +
      b.map(describe).join("; ") +
      ". Theory only; the recursions are checked against Monte Carlo of finite networks in the test suite.";
    const tables = [...a, ...b].map((s, k) => ({
      name: `${k < a.length ? "a" : "b"}_${slug(s.label)}`,
      rows: rows({ layer: s.l, one_minus_c: s.one_minus_c, asymptote: s.predicted }),
    }));
    return {
      spec: figureSpec(
        hayouRates.title,
        [
          panel("(a) EOC: exact iteration vs asymptote", a),
          panel("(b) Prop. 1: plain EOC vs residual ReLU", b),
        ],
        `depth ${depthOf(scale)} (a), ${RESIDUAL_DEPTH} (b)`,
      ),
      caption,
      tables,
      agreement: [],
      data: {
        eoc: a.map((s) => ({
          label: s.label,
          kind: s.kind,
          constant: s.constant,
          scaled_last: scaledLast(s),
          stable: s.stable,
        })),
        prop1: { gamma, ratio_at_last: ratioAt, layer: plain.l[i] },
      },
    };
  },
};
