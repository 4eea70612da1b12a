/**
 * Phase grids: each point equals `analyze`; a grid of only χ1 (or q*, phase), which skips the c* solve,
 * equals the full grid's fields exactly; the chaotic c* bracket (coarse probes below 1 − 1e-3) finds the
 * same root as Brent on the fine bracket [c⁰, 1 − 1e-3].
 */
import { describe, expect, it } from "vitest";
import { brent } from "../../src/numerics/roots.js";
import { makeActivation, parseActivation } from "../../src/theory/activations.js";
import { analyze } from "../../src/theory/analyze.js";
import { findCStar, findQStar } from "../../src/theory/fixedPoints.js";
import { correlationMap } from "../../src/theory/maps.js";
import { parseNoise } from "../../src/theory/noise.js";
import { phaseGrid } from "../../src/theory/phase.js";

const SW = [0.6, 1.1, 1.7, 2.6, 3.5];
const SB = [0, 0.12, 0.35];
const CASES: [string, string][] = [
  ["tanh", "none"],
  ["tanh", "gauss_add:std=1"],
  ["tanh", "dropout:keep=0.8"],
  ["relu", "dropout:keep=0.8"],
  ["erf", "none"],
];

describe("phaseGrid", () => {
  for (const [act, noise] of CASES) {
    it(`${act}, ${noise}: every point is analyze's, and a χ1-only grid equals the full grid's χ1`, () => {
      const a = parseActivation(act);
      const n = parseNoise(noise);
      const full = phaseGrid(a, n, { sigmaW2s: SW, sigmaB2s: SB });
      SB.forEach((sb, i) =>
        SW.forEach((sw, j) => {
          // a fresh activation: the Hermite cache extends a series on demand, so a later call at the same
          // q may sum more terms (rounding-level differences); the grid's points never share a q*
          const r = analyze({ activation: parseActivation(act), noise: n, sigmaW2: sw, sigmaB2: sb });
          expect([full.chi1[i][j], full.xiC[i][j], full.chiC[i][j]]).toEqual([r.chi1, r.xiC, r.chiC]);
          expect([full.qStar[i][j], full.cStar[i][j], full.phase[i][j]]).toEqual([r.qStar, r.cStar, r.phase]);
        }),
      );
      // a fresh activation object: nothing cached from the full grid
      const only = phaseGrid(parseActivation(act), n, {
        sigmaW2s: SW,
        sigmaB2s: SB,
        q0: 1,
        c0: 0.5,
        fields: ["chi1", "qStar", "phase"],
      });
      expect(Object.keys(only).sort()).toEqual(["chi1", "phase", "qStar", "sigmaB2", "sigmaW2"]);
      expect(only.chi1).toEqual(full.chi1);
      expect(only.qStar).toEqual(full.qStar);
      expect(only.phase).toEqual(full.phase);
    });
  }

  it("analyze with correlation: false leaves c* undefined and everything else unchanged", () => {
    const m = { activation: makeActivation("tanh"), noise: parseNoise("none"), sigmaW2: 2.5, sigmaB2: 0.1 };
    const full = analyze(m);
    const part = analyze(
      { ...m, activation: makeActivation("tanh") },
      { correlation: false, q0: 1, c0: 0.5 },
    );
    expect(part.cStar).toBeNull();
    expect(part.xiC).toBeNull();
    expect(part.cStatus).toBe("undefined");
    expect([part.qStar, part.chi1, part.chiGrad, part.chiQ, part.xiQ, part.phase]).toEqual([
      full.qStar,
      full.chi1,
      full.chiGrad,
      full.chiQ,
      full.xiQ,
      full.phase,
    ]);
  });
});

describe("chaotic c*: coarse probes bracket the same root", () => {
  const pts: [string, string, number, number][] = [
    ["tanh", "none", 2.5, 0.1],
    ["tanh", "none", 3, 0.3],
    ["tanh", "none", 3, 0.5],
    ["tanh", "none", 2, 0.1],
    ["erf", "none", 2, 0.1],
    ["erf", "none", 2.5, 0.3],
    ["erf", "none", 3, 0.5],
  ];
  for (const [act, noise, sw, sb] of pts) {
    it(`${act} σ_w²=${sw} σ_b²=${sb}`, () => {
      const m = { activation: parseActivation(act), noise: parseNoise(noise), sigmaW2: sw, sigmaB2: sb };
      const q = findQStar(m).qForCorrelation as number;
      const r = findCStar(m, q, { c0: 0.5, chi1AtQ: analyze(m).chi1 as number });
      expect(r.status).toBe("converged");
      expect(r.cStar).toBeGreaterThan(0.5);
      const D = (c: number) => correlationMap(m, q, c) - c;
      const ref = brent(D, 0.5, 1 - 1e-3, { xtol: 1e-16 });
      expect(Math.abs((r.cStar as number) - ref)).toBeLessThan(1e-14);
      expect(Math.abs(D(r.cStar as number))).toBeLessThan(1e-15);
    });
  }
});
