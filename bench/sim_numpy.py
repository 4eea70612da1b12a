#!/usr/bin/env python3
"""numpy baseline for bench/sim.ts: the SAME Monte Carlo computation as src/sim (docs/THEORY.md §1, §4).

For each of `networks` networks and each of `depth` layers: sample W (N×N, N(0, σ_w²/N), float32), apply
ReLU and inverted dropout (keep p, fresh per unit/input/pass) to the B×N batch of inputs (rows), multiply,
and reduce every layer to the per-row variance (1/N)Σh² and the raw correlation of each input pair.
Inputs: pairs with exact variance q0 and exact correlation c0 (Gram–Schmidt), as in src/sim/inputs.ts.

Two random-number back ends are timed:
  generator  numpy.random.default_rng (PCG64 + ziggurat), float32 — a well-written numpy pipeline;
  legacy     numpy.random.randn (Mersenne Twister + polar Box–Muller), float64 — what 2018 code used.

Usage: sim_numpy.py '{"width":…, "depth":…, "networks":…, "pairs":…, "c0s":[…], "q0":…, "keep":…,
                      "repeats":…, "modes":["generator","legacy"]}'
Prints one JSON object with median wall times and CPU times (process_time: all threads of this process).
"""
import json
import resource
import sys
import time

import numpy as np


def inputs(rng, n, q0, c0s, pairs):
    rows = []
    for c in c0s:
        for _ in range(pairs):
            za = rng.standard_normal(n)
            zb = rng.standard_normal(n)
            ea = za / np.linalg.norm(za)
            zb = zb - (ea @ zb) * ea
            eb = zb / np.linalg.norm(zb)
            r = np.sqrt(n * q0)
            rows.append(r * ea)
            rows.append(r * (c * ea + np.sqrt(max(0.0, 1 - c * c)) * eb))
    return np.asarray(rows)


def run_once(cfg, mode, seed):
    n, depth, nets, pairs, c0s = cfg["width"], cfg["depth"], cfg["networks"], cfg["pairs"], cfg["c0s"]
    q0, keep, sw2 = cfg["q0"], cfg["keep"], cfg["sigma_w2"]
    dtype = np.float32 if mode == "generator" else np.float64
    if mode == "generator":
        rng = np.random.default_rng(seed)
        normal = lambda shape: rng.standard_normal(shape, dtype=np.float32)
        uniform = lambda shape: rng.random(shape, dtype=np.float32)
    else:
        np.random.seed(seed)
        rng = np.random
        normal = lambda shape: np.random.randn(*shape)
        uniform = lambda shape: np.random.rand(*shape)
    scale = dtype(np.sqrt(sw2 / n))
    var = np.zeros((nets, depth + 1))
    corr = np.zeros((nets, depth + 1, len(c0s)))
    for k in range(nets):
        h = inputs(rng, n, q0, c0s, pairs).astype(dtype)
        for l in range(depth + 1):
            if l > 0:
                w = normal((n, n)) * scale
                x = np.maximum(h, 0) * ((uniform(h.shape) < keep) / dtype(keep))
                h = x @ w
            hd = h.astype(np.float64)
            sq = np.einsum("ij,ij->i", hd, hd)
            var[k, l] = sq.mean() / n
            dots = np.einsum("ij,ij->i", hd[0::2], hd[1::2])
            cc = dots / np.sqrt(sq[0::2] * sq[1::2])
            corr[k, l] = cc.reshape(len(c0s), pairs).mean(axis=1)
    return var, corr


def main():
    cfg = json.loads(sys.argv[1])
    out = {"numpy": np.__version__, "python": sys.version.split()[0]}
    try:
        cfgs = np.show_config(mode="dicts")
        out["blas"] = cfgs["Build Dependencies"]["blas"]["name"]
    except Exception:  # noqa: BLE001 - informational only
        pass
    for mode in cfg.get("modes", ["generator", "legacy"]):
        times = []
        cpu = []
        var = None
        for r in range(cfg.get("repeats", 3)):
            t0 = time.perf_counter()
            c0 = time.process_time()
            var, corr = run_once(cfg, mode, 1000 + r)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        times.sort()
        cpu.sort()
        out[mode] = {
            "median_s": times[len(times) // 2],
            "min_s": times[0],
            "cpu_median_s": cpu[len(cpu) // 2],
            "repeats": len(times),
            "variance_mean_last": float(var[:, -1].mean()),
            "correlation_mean_last": [float(v) for v in corr[:, -1].mean(axis=0)],
        }
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


if __name__ == "__main__":
    main()
