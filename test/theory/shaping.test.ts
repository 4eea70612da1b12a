/**
 * DKS / TAT shaping (src/theory/shaping.ts), checked against values computed other ways:
 * - mpmath at 25 digits (test/reference/shaping.py → shaping.json): its own findroot solve of the same
 *   conditions with 1-D Gaussian `quad`s, independent of sigprop's quadrature, Hermite series and Newton;
 * - deepmind/dks (commit 021816e, `_get_activations_params` with a chain's subnet_max_func, run here);
 * - closed forms: ReLU's C′(1) = Φ(t)/Var(relu(z+t)) and its limit π/(π−1); the leaky ReLU chain;
 * - iterating the local C map L times (the network map) and differencing it at c = 1.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { makeActivation, parseActivation } from "../../src/theory/activations.js";
import { InputError } from "../../src/theory/errors.js";
import { erfc } from "../../src/numerics/special.js";
import { kernelQuadrature, kernel, ePhi2, eDphi2, dPhi2dq } from "../../src/theory/expectations.js";
import {
  localMaps,
  networkCMap,
  RELU_MAX_SLOPE_POSITIVE_SHIFT,
  shapeActivation,
  solveDks,
  solveTat,
  type ShapeResult,
} from "../../src/theory/shaping.js";

interface RefCase {
  method: "dks" | "tat";
  base: string;
  depth: number;
  targets: { zeta?: number; tau?: number; eta?: number };
  in_scale: number;
  in_shift: number;
  out_scale: number;
  out_shift: number;
  negative_slope?: number;
  local?: Record<string, number>;
}
const ref = JSON.parse(readFileSync(new URL("../reference/shaping.json", import.meta.url), "utf8")) as {
  relu_max_slope_positive_shift: number;
  cases: RefCase[];
};

function solve(c: RefCase): ShapeResult {
  const base = makeActivation(c.base);
  if (c.method === "dks") return solveDks({ base, depth: c.depth, zeta: c.targets.zeta });
  return solveTat({ base, depth: c.depth, tau: c.targets.tau, eta: c.targets.eta, make: makeActivation });
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe("DKS / TAT solves against mpmath (25 digits)", () => {
  for (const c of ref.cases) {
    const label = `${c.method} ${c.base} L=${c.depth} ${JSON.stringify(c.targets)}`;
    it(label, () => {
      const r = solve(c);
      // The conditions are met to ≤ 1e-12 with expectations accurate to ~1e-14; the Jacobian of the
      // conditions w.r.t. (α, β, δ) is well conditioned at these solutions (observed parameter errors
      // ~1e-13), so 1e-9 leaves a 1e4 margin while catching any wrong condition or branch.
      expect(rel(r.transform.inScale, c.in_scale)).toBeLessThan(1e-9);
      expect(rel(r.transform.inShift, c.in_shift)).toBeLessThan(1e-9);
      expect(rel(r.transform.outScale, c.out_scale)).toBeLessThan(1e-9);
      expect(rel(r.transform.outShift, c.out_shift)).toBeLessThan(1e-9);
      if (c.negative_slope !== undefined)
        expect(rel(r.base.params.alpha, c.negative_slope)).toBeLessThan(1e-9);
      expect(r.residual).toBeLessThan(1e-11);
      // and sigprop's local maps at mpmath's parameters agree with mpmath's to 1e-10
      if (c.local) {
        const act = shapeActivation(makeActivation(c.base), {
          inScale: c.in_scale,
          inShift: c.in_shift,
          outScale: c.out_scale,
          outShift: c.out_shift,
        });
        const l = localMaps(act);
        expect(Math.abs(l.q1 - c.local.q1)).toBeLessThan(1e-10);
        expect(Math.abs(l.qSlope1 - c.local.q_slope1)).toBeLessThan(1e-10);
        expect(Math.abs(l.c0 - c.local.c0)).toBeLessThan(1e-10);
        expect(Math.abs(l.cSlope1 - c.local.c_slope1)).toBeLessThan(1e-10);
        if (c.local.c_curv1 !== undefined)
          expect(Math.abs((l.cCurv1 ?? NaN) - c.local.c_curv1)).toBeLessThan(1e-10);
      }
    });
  }
});

describe("against deepmind/dks", () => {
  // deepmind/dks 021816e, _get_activations_params(..., subnet_max_func = L-fold composition), run here
  // with its quadrature order lowered to 6000 Gauss–Legendre nodes on [−10, 10] (exact to rounding for
  // these smooth integrands). Its solvers stop at ~1e-8 (scipy hybr xtol 1.5e-8; the leaky ReLU bisection
  // at |C(0) − η| < 1e-8), so agreement is expected to ~1e-7, not better. For odd φ it may return the
  // mirror solution (−β, −δ); sigprop returns β ≥ 0. (Its ReLU values are not compared: its fixed-node
  // rule integrates the jump of relu′² to O(1/n) only; the closed form is used below instead.)
  const cases: [
    string,
    "dks" | "tat",
    number,
    number,
    [number, number, number, number] | [number, number],
  ][] = [
    [
      "tanh",
      "dks",
      50,
      1.5,
      [0.1284404787173187, 0.5707795475963953, 10.60444762729304, -0.5098072418000036],
    ],
    [
      "tanh",
      "dks",
      10,
      3.0,
      [0.5206211379484061, -0.8190869522178413, 3.2645515195904817, 0.591385295128909],
    ],
    [
      "softplus",
      "dks",
      20,
      1.5,
      [0.536737069714115, 0.4140100018115525, 3.0949791849772446, -0.9549253691007898],
    ],
    [
      "tanh",
      "tat",
      50,
      0.3,
      [0.08165523494766196, 0.5258489445895308, 15.941633681266266, -0.4831889548469038],
    ],
    [
      "softplus",
      "tat",
      20,
      0.3,
      [0.3411273321909065, 0.5476787532014166, 4.617027770461121, -0.9986475297305321],
    ],
    ["leaky_relu", "tat", 50, 0.9, [0.43052294850349426, 1.2989477863184222]],
    ["leaky_relu", "tat", 10, 0.5, [0.4500500559806824, 1.2896276020582813]],
  ];
  for (const [name, method, L, target, want] of cases) {
    it(`${method} ${name} L=${L} target ${target}`, () => {
      const base = makeActivation(name);
      const r =
        method === "dks"
          ? solveDks({ base, depth: L, zeta: target })
          : name === "leaky_relu"
            ? solveTat({ base, depth: L, eta: target, make: makeActivation })
            : solveTat({ base, depth: L, tau: target });
      if (want.length === 2) {
        expect(rel(r.base.params.alpha, want[0])).toBeLessThan(1e-7);
        expect(rel(r.transform.outScale, want[1])).toBeLessThan(1e-7);
        return;
      }
      const mirror = Math.sign(want[1]) !== Math.sign(r.transform.inShift) ? -1 : 1;
      expect(mirror === 1 || base.odd).toBe(true);
      expect(rel(r.transform.inScale, want[0])).toBeLessThan(1e-7);
      expect(rel(r.transform.inShift, mirror * want[1])).toBeLessThan(1e-7);
      expect(rel(r.transform.outScale, want[2])).toBeLessThan(1e-7);
      expect(rel(r.transform.outShift, mirror * want[3])).toBeLessThan(1e-7);
    });
  }
});

describe("DKS with leaky ReLU (slope solved, β = 0)", () => {
  /** closed form: C′(1) = ((1+a²)/2)/((1+a²)/2 − (1−a)²/(2π)); bisection for the slope. */
  const slope = (a: number) => (1 + a * a) / 2 / ((1 + a * a) / 2 - (1 - a) ** 2 / (2 * Math.PI));
  const solveClosed = (target: number) => {
    let lo = 0;
    let hi = 1;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (slope(mid) > target) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };
  // deepmind/dks 021816e, method "DKS" with leaky_relu on a chain (run here, 20000-node rule; its
  // hybr solve stops at ~1e-8; its input_shift came out at ~1e-12, i.e. 0)
  const cases: [number, number, number, number, number][] = [
    [10, 1.5, 0.5898067145542476, -0.16364346152257928, 1.2430690150973724],
    [5, 3.0, 0.1975693759430931, -0.3201235359349562, 1.5485039414729118],
  ];
  for (const [L, zeta, a, delta, gamma] of cases) {
    it(`L=${L}, ζ=${zeta}: closed form to 1e-10, deepmind/dks to 1e-7, Q′(1) = 1 without imposing it`, () => {
      const r = solveDks({ base: makeActivation("leaky_relu"), depth: L, zeta, make: makeActivation });
      expect(Math.abs(r.base.params.alpha - solveClosed(Math.pow(zeta, 1 / L)))).toBeLessThan(1e-10);
      expect(rel(r.base.params.alpha, a)).toBeLessThan(1e-7);
      expect(rel(r.transform.outShift, delta)).toBeLessThan(1e-7);
      expect(rel(r.transform.outScale, gamma)).toBeLessThan(1e-7);
      expect(r.transform.inShift).toBe(0);
      expect(Math.abs(r.local.qSlope1 - 1)).toBeLessThan(1e-12);
      expect(Math.abs(r.network.cSlope1 - zeta)).toBeLessThan(1e-10 * zeta);
    });
  }
  it("refuses targets above (π/(π−1))^L", () => {
    expect(() =>
      solveDks({ base: makeActivation("leaky_relu"), depth: 1, zeta: 1.5, make: makeActivation }),
    ).toThrow(InputError);
  });
});

describe("closed forms", () => {
  const relu = makeActivation("relu");
  /** C′(1) of centred, normalised relu(x + t): Φ(t)/Var(relu(z+t)) with truncated-normal moments. */
  function reluSlope(t: number): number {
    const pdf = Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
    const P = 0.5 * erfc(-t / Math.SQRT2); // erfc is checked against mpmath in test/numerics
    const m = pdf + t * P;
    const m2 = (1 + t * t) * P + t * pdf;
    return P / (m2 - m * m);
  }
  it("ReLU: local C′(1) of the shaped ReLU equals Φ(t)/Var(relu(z+t)), t = β/α", () => {
    for (const [a, b] of [
      [0.5, 1],
      [2, 1],
      [1, -0.5],
      [16, -1],
    ]) {
      const raw = shapeActivation(relu, { inScale: a, inShift: b, outScale: 1, outShift: 0 });
      const l = localMaps(raw);
      // C′(1) with C(0) = 0: E[φ̂′²]/Var = α²Φ(t)/(α² Var(relu(z+t))); localMaps divides by E[φ̂²], so
      // recentre: Var = Q(1) − E[φ̂]² (both from 1e-14 quadrature split at the mapped kink)
      const varr = l.q1 * (1 - l.c0);
      expect(rel((l.cSlope1 * l.q1) / varr, reluSlope(b / a))).toBeLessThan(1e-9);
    }
  });

  it("ReLU: the largest C′(1) with a positive shift is π/(π−1), approached as β/α → 0⁺", () => {
    expect(rel(RELU_MAX_SLOPE_POSITIVE_SHIFT, ref.relu_max_slope_positive_shift)).toBeLessThan(1e-15);
    const slope = (t: number) => {
      const r = solveDksLike(relu, 1 / t);
      return r;
    };
    // C′(1)(t) = π/(π−1) − O(t): at t = 1e-6 within 1e-5, and monotone decreasing in t
    expect(Math.abs(slope(1e-6) - Math.PI / (Math.PI - 1))).toBeLessThan(1e-5);
    expect(slope(0.1)).toBeLessThan(slope(0.01));
    expect(slope(1)).toBeLessThan(slope(0.1));
    expect(slope(-0.01)).toBeGreaterThan(Math.PI / (Math.PI - 1));
    // the solve switches the sign of the shift at π/(π−1)
    expect(solveDks({ base: relu, depth: 1, zeta: 1.46 }).transform.inShift).toBe(1);
    expect(solveDks({ base: relu, depth: 1, zeta: 1.47 }).transform.inShift).toBe(-1);
  });

  it("leaky ReLU with β = δ = 0 keeps its closed forms, equal to quadrature", () => {
    const lr = makeActivation("leaky_relu", { alpha: 0.3 });
    const act = shapeActivation(lr, { inScale: 0.7, inShift: 0, outScale: 1.3, outShift: 0 });
    expect(act.closed.kernel).toBeDefined();
    expect(act.homogeneous).toBe(true);
    for (const c of [-0.5, 0, 0.4, 0.9]) {
      expect(rel(kernel(act, 1.2, 0.8, c), kernelQuadrature(act, 1.2, 0.8, c))).toBeLessThan(1e-10);
    }
    const plain = { ...act, closed: {} };
    expect(rel(ePhi2(act, 2), ePhi2(plain, 2))).toBeLessThan(1e-12);
    expect(rel(eDphi2(act, 2), eDphi2(plain, 2))).toBeLessThan(1e-12);
    expect(rel(dPhi2dq(act, 2), dPhi2dq(plain, 2))).toBeLessThan(1e-12);
  });
});

/** C′(1) of the centred, normalised relu(α x + 1) (β = 1, t = 1/α). */
function solveDksLike(relu: ReturnType<typeof makeActivation>, a: number): number {
  const raw = shapeActivation(relu, {
    inScale: Math.abs(a),
    inShift: Math.sign(a),
    outScale: 1,
    outShift: 0,
  });
  const l = localMaps(raw);
  return (l.cSlope1 * l.q1) / (l.q1 * (1 - l.c0));
}

describe("network maps by iterating the local C map", () => {
  it("DKS tanh, L = 10, ζ = 3: C^{∘L}(0) = 0 and the composed map's slope at 1 is ζ", () => {
    const r = solveDks({ base: makeActivation("tanh"), depth: 10, zeta: 3 });
    expect(Math.abs(networkCMap(r.activation, 10, 0))).toBeLessThan(1e-12);
    // D(h) = (1 − f(1−h))/h = f′(1) − f″(1)h/2 + O(h²); Richardson 2D(h) − D(2h) = f′(1) + O(h²).
    // h = 1e-4: rounding ~1e-14/h = 1e-10, truncation ~|f‴|h² ≲ 1e-6 (f‴ ~ 10² here).
    const f = (c: number) => networkCMap(r.activation, 10, c);
    const D = (h: number) => (1 - f(1 - h)) / h;
    const h = 1e-4;
    expect(Math.abs(2 * D(h) - D(2 * h) - 3)).toBeLessThan(1e-5);
    // and f″(1) from the chain rule against the difference quotient: 2(D(h) − D(2h))/h → f″(1) + O(h)
    expect(rel((2 * (D(h) - D(2 * h))) / h, r.network.cCurv1 as number)).toBeLessThan(1e-3);
  });

  it("TAT tanh, L = 50, τ = 0.3: the composed map has C′(1) = 1 and C″(1) = τ", () => {
    const r = solveTat({ base: makeActivation("tanh"), depth: 50, tau: 0.3 });
    const f = (c: number) => networkCMap(r.activation, 50, c);
    // S(h) = 2(f(1−h) − 1 + h)/h² = f″(1) − f‴(1)h/3 + O(h²) when f′(1) = 1; Richardson on h, 2h.
    // h = 1e-3: rounding ~1e-14/h² = 1e-8; truncation O(h²) ≲ 1e-5.
    const S = (h: number) => (2 * (f(1 - h) - 1 + h)) / (h * h);
    const h = 1e-3;
    expect(Math.abs(2 * S(h) - S(2 * h) - 0.3)).toBeLessThan(1e-4);
    const D = (1 - f(1 - 1e-5)) / 1e-5; // = 1 − τ·h/2 + …
    expect(Math.abs(D - (1 - 0.3 * 0.5e-5))).toBeLessThan(1e-7);
  });

  it("TAT leaky ReLU: C^{∘L}(0) = η, against mpmath's arc-cosine chain", () => {
    const c = ref.cases.find((x) => x.base === "leaky_relu" && x.depth === 50)!;
    const act = shapeActivation(makeActivation("leaky_relu", { alpha: c.negative_slope! }), {
      inScale: 1,
      inShift: 0,
      outScale: c.out_scale,
      outShift: 0,
    });
    expect(Math.abs(networkCMap(act, 50, 0) - 0.9)).toBeLessThan(1e-12);
    expect(Math.abs(ePhi2(act, 1) - 1)).toBeLessThan(1e-14);
  });
});

describe("the shaped activation as an --activation spec", () => {
  it("shaped: builds γ(φ(αx+β)+δ) with chain-rule derivatives and mapped kinks", () => {
    const act = parseActivation("shaped:tanh:in_scale=0.5,in_shift=0.1,out_scale=2,out_shift=-0.1");
    for (const x of [-3, -0.2, 0, 1.7]) {
      expect(act.phi(x)).toBeCloseTo(2 * (Math.tanh(0.5 * x + 0.1) - 0.1), 14);
      const h = 1e-5;
      expect(act.dphi(x)).toBeCloseTo((act.phi(x + h) - act.phi(x - h)) / (2 * h), 9);
      expect(act.d2phi(x)).toBeCloseTo((act.dphi(x + h) - act.dphi(x - h)) / (2 * h), 8);
    }
    const r = parseActivation("shaped:relu:in_scale=2,in_shift=1");
    expect(r.kinks).toEqual([-0.5]);
    expect(r.spec).toBe("shaped:relu:in_scale=2,in_shift=1,out_scale=1,out_shift=0");
    expect(parseActivation(r.spec).phi(0.3)).toBe(r.phi(0.3));
    const e = parseActivation("shaped:elu:alpha=0.5,in_scale=1.5");
    expect(e.phi(-1)).toBeCloseTo(0.5 * Math.expm1(-1.5), 14);
  });

  it("dks:/tat: are solved at parse time and equal the solver's activation", () => {
    const a = parseActivation("dks:tanh:depth=10,zeta=3");
    const r = solveDks({ base: makeActivation("tanh"), depth: 10, zeta: 3 });
    expect(a.spec).toBe("dks:tanh:depth=10,zeta=3");
    expect(a.params.in_scale).toBe(r.transform.inScale);
    const t = parseActivation("tat:leaky_relu:depth=10,eta=0.5");
    expect(t.params.alpha).toBeCloseTo(0.45005005915579993, 12);
  });

  it("bad specs are InputErrors naming --activation and the key", () => {
    const bad = [
      ["shaped:tanh:in_scale=0", /in_scale must be > 0/],
      ["shaped:tanh:in_scale=1,foo=2", /'tanh' takes no parameters/],
      ["dks:tanh", /depth=L/],
      ["dks:tanh:depth=10,zeta=0.9", /zeta=0.9 must be a number > 1/],
      ["dks:tanh:depth=0", /depth=0 must be/],
      ["tat:relu:depth=10", /leaky_relu/],
      ["tat:leaky_relu:depth=10,alpha=0.2", /solves the leaky ReLU slope/],
      ["tat:leaky_relu:depth=10,eta=0.99", /eta=0.99/],
      ["tat:tanh:depth=10,eta=0.5", /eta is for leaky_relu/],
      ["tat:hard_tanh:depth=10", /continuous φ′/],
      ["dks:shaped:tanh", /catalogue activation/],
      ["shaped:nope", /unknown activation 'nope'/],
    ] as const;
    for (const [text, re] of bad) {
      let err: unknown;
      try {
        parseActivation(text);
      } catch (e) {
        err = e;
      }
      expect(err, text).toBeInstanceOf(InputError);
      expect((err as InputError).parameter).toBe("activation");
      expect((err as InputError).message, text).toMatch(re);
    }
  });
});
