/**
 * `sigprop dynamics`: mean-field q^l and c^l trajectories over depth; `--residual reduced|full` iterates
 * the residual network's recursions instead (theory/residual.ts).
 */
import type { Command } from "commander";
import { dynamics } from "../../theory/dynamics.js";
import { checkRange } from "../../theory/errors.js";
import { residualDynamics, residualLaw } from "../../theory/residual.js";
import { action, addModelOptions, emit, fmt, int, modelFrom, num } from "../common.js";
import { addResidualOptions, lawJson, lawText, residualFrom } from "../residualOptions.js";

export function register(program: Command) {
  addResidualOptions(
    addModelOptions(
      program
        .command("dynamics")
        .description("variance q^l and correlation c^l over depth (infinite-width theory)"),
    ),
  )
    .option("--depth <L>", "number of layers", "30")
    .option("--q0 <q>", "input variance q⁰", "1")
    .option("--c0 <c>", "input correlation c⁰", "0.5")
    .option("--json", "one JSON object on stdout")
    .action(
      action((opts) => {
        const m = modelFrom(opts);
        const res = residualFrom(opts);
        const depth = int("--depth", opts.depth, 1, 100000);
        const q0 = checkRange("--q0", num("--q0", opts.q0), 0, Number.MAX_VALUE, { loOpen: true });
        const c0 = checkRange("--c0", num("--c0", opts.c0), -1, 1);
        const t = res ? residualDynamics(m, { ...res, depth, q0, c0 }) : dynamics(m, { depth, q0, c0 });
        const law = res ? residualLaw(m, res) : null;
        const out = {
          activation: m.activation.spec,
          noise: { kind: m.noise.kind, mu2: m.noise.mu2, spec: m.noise.spec },
          sigma_w2: m.sigmaW2,
          sigma_b2: m.sigmaB2,
          ...(res
            ? {
                residual: res.variant,
                ...(res.variant === "full" ? { sigma_v2: res.sigmaV2, sigma_a2: res.sigmaA2 } : {}),
              }
            : {}),
          depth,
          q0,
          c0,
          layer: t.q.map((_, i) => i),
          q: t.q,
          c: t.c,
          ...("p" in t && t.p ? { p: t.p } : {}),
          ...(law ? { law: lawJson(law) } : {}),
        };
        emit(!!opts.json, out, () =>
          [
            ...(res ? [`residual network (${res.variant})`] : []),
            "layer  q^l                 c^l",
            ...t.q.map((q, l) => `${String(l).padEnd(7)}${fmt(q, 12).padEnd(20)}${fmt(t.c[l], 12)}`),
            ...(law ? lawText(law, (x) => fmt(x, 8)) : []),
          ].join("\n"),
        );
      }),
    );
}
