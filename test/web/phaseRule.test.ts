/**
 * The explorer's phase (src/web/compute.ts, what the worker sends the page) follows the library's one phase
 * rule (critical.ts `classifyPhase`), the rule `sigprop analyze` prints: for tanh with dropout keep 0.8 the
 * point on the EOC line is "edge_of_chaos" (it used to read "ordered, χ₁ 0.8" while sitting on the line
 * drawn at χ_grad = 1), every phase-diagram cell is coloured by χ_grad on the side of 1 that `analyze`
 * names, and cells without a positive q* are grey (null). The EOC curve is where χ_grad = 1 (checked
 * through analyze at each curve point, an independent q* solve).
 */
import { describe, expect, it } from "vitest";
import { analyze, parseActivation, parseNoise } from "../../src/theory/index.js";
import {
  computeMain,
  DEFAULT_STATE,
  eoc,
  PHASE_SB,
  PHASE_SW,
  phaseRow,
  type State,
} from "../../src/web/compute.js";

describe("explorer phase = analyze phase", () => {
  const base: State = { ...DEFAULT_STATE, activation: "tanh", noise: "dropout:keep=0.8", sigmaB2: 0.1 };
  const act = parseActivation("tanh");
  const noise = parseNoise("dropout:keep=0.8");

  it("tanh + dropout keep 0.8: on the EOC curve the panel says edge_of_chaos by χ_grad, as analyze does", () => {
    const curve = eoc(base).points;
    const pt = curve.find((p) => p.sigmaB2 === 0.1);
    if (!pt) throw new Error("no EOC point at σ_b² = 0.1");
    const s: State = { ...base, sigmaW2: pt.sigmaW2 };
    const m = computeMain(s);
    expect(m.slope).toBe("chi_grad");
    expect(m.analysis.phase).toBe("edge_of_chaos");
    expect(m.analysis.decidedBy).toBe("chi_grad");
    // analyze from the CLI's q⁰ = 1 lands on the same q* (the EOC fixed point is stable here)
    const a = analyze({ activation: act, noise, sigmaW2: pt.sigmaW2, sigmaB2: 0.1 });
    expect(a.phase).toBe(m.analysis.phase);
    expect(Math.abs((a.chiGrad as number) - 1)).toBeLessThan(1e-9);
    // every curve point has χ_grad = 1 at its own q* (the line is the χ_grad = 1 contour); at σ_b² = 0 the
    // point is the q* → 0 limit, where analyze's q⁰ must be > 0
    for (const p of curve.filter((p, i) => i % 6 === 1 && p.qStar > 0)) {
      const at = analyze({ activation: act, noise, sigmaW2: p.sigmaW2, sigmaB2: p.sigmaB2 }, { q0: p.qStar });
      expect(Math.abs((at.chiGrad as number) - 1), `σ_b² ${p.sigmaB2}`).toBeLessThan(1e-9);
    }
  });

  it("every phase-diagram cell of two rows is coloured on the side of 1 that analyze's phase names", () => {
    for (const i of [0, PHASE_SB.indexOf(0.1)]) {
      const row = phaseRow(base, i);
      PHASE_SW.forEach((w, j) => {
        const a = analyze(
          { activation: act, noise, sigmaW2: w, sigmaB2: PHASE_SB[i] },
          { correlation: false, q0: 1, c0: 0.5 },
        );
        const v = row[j];
        const where = `σ_w² ${w}, σ_b² ${PHASE_SB[i]}`;
        if (a.phase === "unbounded" || a.phase === "vanishing") expect(v, where).toBeNull();
        else {
          expect(v, where).toBe(a.chiGrad);
          expect(a.phase, where).toBe(
            Math.abs((v as number) - 1) <= 1e-9 ? "edge_of_chaos" : (v as number) < 1 ? "ordered" : "chaotic",
          );
        }
      });
    }
  });

  it("ReLU + dropout: cells are grey off σ_b² = 0 above χ_grad = 1 (q* explodes), the EOC is σ_w² = 2p", () => {
    const s: State = { ...base, activation: "relu", noise: "dropout:keep=0.8", sigmaW2: 1.6, sigmaB2: 0 };
    expect(computeMain(s).analysis.phase).toBe("edge_of_chaos");
    expect(eoc(s).points.map((p) => [p.sigmaW2, p.sigmaB2])).toEqual([[1.6, 0]]);
    const row = phaseRow(s, PHASE_SB.indexOf(0.1));
    PHASE_SW.forEach((w, j) => {
      // V(q) = σ_w² μ2 q/2 + 0.1 has a finite fixed point iff σ_w² μ2/2 < 1, i.e. σ_w² < 1.6
      if (w < 1.6) expect(row[j], `σ_w² ${w}`).toBeCloseTo(w / 1.6, 14);
      else expect(row[j], `σ_w² ${w}`).toBeNull();
    });
  });
});
