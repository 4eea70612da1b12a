#!/usr/bin/env python3
"""numpy/scipy baseline for bench/gp.ts: the SAME GP regression as `sigprop gp` (src/analysis/gpExperiment.ts)
on the same data (float64 matrices written by bench/gp.ts): the noisy ReLU NNGP kernel by the layer
recursion (noise on the diagonal only; arc-cosine kernel vectorised), then scipy.linalg.cho_factor /
cho_solve on centred one-hot targets and the argmax accuracy.

Usage: gp_scipy.py '{"dir": …, "n": …, "m": …, "d": …, "depth": …, "mu2": …, "sigma_w2": …, "sigma_b2": …,
                     "repeats": …}'
Prints one JSON object: median wall and CPU seconds of kernel, solve and total, the accuracy and the predictions'
checksum (sum of |f|) to compare with ours.
"""
import json
import sys
import time

import numpy as np
from scipy.linalg import cho_factor, cho_solve


def relu_layer(K, qa, qb, sw, sb):
    s = np.sqrt(np.outer(qa, qb))
    c = np.clip(K / s, -1.0, 1.0)
    g = (c * np.arcsin(c) + np.sqrt(1.0 - c * c)) / np.pi + c / 2.0
    return sw * s * g / 2.0 + sb


def kernels(X, T, cfg):
    d = X.shape[1]
    sw, sb, mu2 = cfg["sigma_w2"], cfg["sigma_b2"], cfg["mu2"]
    qx = sw * mu2 * np.einsum("ij,ij->i", X, X) / d + sb
    qt = sw * mu2 * np.einsum("ij,ij->i", T, T) / d + sb
    Kxx = sw * (X @ X.T) / d + sb
    Ktx = sw * (T @ X.T) / d + sb
    for _ in range(cfg["depth"]):
        Kxx = relu_layer(Kxx, qx, qx, sw, sb)
        Ktx = relu_layer(Ktx, qt, qx, sw, sb)
        qx = sw * mu2 * qx / 2.0 + sb
        qt = sw * mu2 * qt / 2.0 + sb
    np.fill_diagonal(Kxx, qx)
    return Kxx, Ktx


def main():
    cfg = json.loads(sys.argv[1])
    n, m, d = cfg["n"], cfg["m"], cfg["d"]
    X = np.fromfile(cfg["dir"] + "/x.f64", dtype="<f8").reshape(n, d)
    T = np.fromfile(cfg["dir"] + "/t.f64", dtype="<f8").reshape(m, d)
    Y = np.fromfile(cfg["dir"] + "/y.f64", dtype="<f8").reshape(n, -1)
    labels = np.fromfile(cfg["dir"] + "/labels.u8", dtype=np.uint8)
    tk, ts, tt, ck, cs = [], [], [], [], []
    for _ in range(cfg["repeats"] + 1):
        w0, c0 = time.perf_counter(), time.process_time()
        Kxx, Ktx = kernels(X, T, cfg)
        w1, c1 = time.perf_counter(), time.process_time()
        f = Ktx @ cho_solve(cho_factor(Kxx, lower=True), Y)
        w2, c2 = time.perf_counter(), time.process_time()
        tk.append(w1 - w0)
        ts.append(w2 - w1)
        tt.append(w2 - w0)
        ck.append(c1 - c0)
        cs.append(c2 - c1)
    med = lambda v: float(np.median(v[1:]))  # first run is warm-up
    print(json.dumps({
        "kernel_s": med(tk), "solve_s": med(ts), "total_s": med(tt),
        "kernel_cpu_s": med(ck), "solve_cpu_s": med(cs),
        "accuracy": float(np.mean(np.argmax(f, axis=1) == labels)),
        "abs_sum": float(np.abs(f).sum()),
        "numpy": np.__version__,
    }))


if __name__ == "__main__":
    main()
