"""numpy baselines for bench/train.ts, in float32. Prints one JSON object.

mode "step" (default): the training step of bench/train.ts written by hand. Network: input d0 -> `depth`
hidden layers of `width` (ReLU or ELU) -> linear read-out (10 classes); inverted dropout (keep p, none at
p = 1) on the input of every layer; softmax cross-entropy; plain SGD. Forward, backward and update per step,
timed over `steps` steps after `warmup` steps, `repeats` times (medians reported; CPU time too, which is
less disturbed by other processes on a busy machine).

mode "matmul": an n x n float32 matrix product, `repeats` times; GFLOP/s from the median.

Threads: whatever OPENBLAS_NUM_THREADS / OMP_NUM_THREADS say (bench/train.ts runs this with 1 and with the
machine's default); the BLAS library and its thread count are reported.
"""
import json
import os
import sys
import time

import numpy as np


def blas_info():
    info = {"numpy": np.__version__}
    try:
        from threadpoolctl import threadpool_info  # optional

        pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        if pools:
            info["blas"] = pools[0].get("internal_api")
            info["blas_threads"] = pools[0].get("num_threads")
    except Exception:
        pass
    info["env_threads"] = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    return info


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else 0.5 * (xs[n // 2 - 1] + xs[n // 2])


def run_matmul(cfg):
    n = cfg["n"]
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    for _ in range(2):
        a @ b
    times = []
    for _ in range(cfg["repeats"]):
        t0 = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t0)
    med = median(times)
    return {"available": True, **blas_info(), "n": n, "median_s": med, "gflops": 2 * n**3 / med / 1e9}


def run_step(cfg):
    d0, width, depth, classes = cfg["input"], cfg["width"], cfg["depth"], cfg["classes"]
    batch, keep, lr, sw2 = cfg["batch"], cfg["keep"], cfg["lr"], cfg["sigma_w2"]
    elu = cfg.get("activation", "relu") == "elu"
    rng = np.random.default_rng(0)
    sizes = [d0] + [width] * depth + [classes]
    W = [(rng.standard_normal((sizes[i], sizes[i + 1])) * np.sqrt(sw2 / sizes[i])).astype(np.float32) for i in range(len(sizes) - 1)]
    b = [np.zeros((1, sizes[i + 1]), np.float32) for i in range(len(sizes) - 1)]
    x = rng.random((batch, d0), dtype=np.float32)
    y = np.zeros((batch, classes), np.float32)
    y[np.arange(batch), rng.integers(0, classes, batch)] = 1

    def act(h):
        """phi(h) and phi'(h)"""
        if elu:
            e = np.expm1(np.minimum(h, 0))
            return np.where(h > 0, h, e), np.where(h > 0, np.float32(1), e + 1)
        return np.maximum(h, 0), (h > 0).astype(np.float32)

    def step():
        inputs, derivs = [], []
        h = x
        for l in range(len(W)):
            if l == 0:
                a, d = h, None
            else:
                a, d = act(h)
            if keep < 1:
                m = (rng.random(a.shape, dtype=np.float32) < keep).astype(np.float32) * np.float32(1 / keep)
                a = a * m
                d = None if d is None else d * m
            inputs.append(a)
            derivs.append(d)
            h = a @ W[l] + b[l]
        z = h - h.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        loss = -np.mean(np.sum(y * (z - np.log(np.exp(z).sum(axis=1, keepdims=True))), axis=1))
        g = (p - y) / batch
        for l in range(len(W) - 1, -1, -1):
            gW = inputs[l].T @ g
            gb = g.sum(axis=0, keepdims=True)
            if l > 0:
                g = (g @ W[l].T) * derivs[l]
            W[l] -= lr * gW
            b[l] -= lr * gb
        return loss

    t0 = time.perf_counter()
    step()
    first = time.perf_counter() - t0
    for _ in range(cfg["warmup"]):
        step()
    times, cpu = [], []
    for _ in range(cfg["repeats"]):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(cfg["steps"]):
            step()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    med = median(times)
    return {
        "available": True,
        **blas_info(),
        "first_step_s": first,
        "median_s": med,
        "step_ms": 1000 * med / cfg["steps"],
        "cpu_step_ms": 1000 * median(cpu) / cfg["steps"],
        "samples_per_s": cfg["steps"] * batch / med,
        "times_s": times,
    }


def main():
    cfg = json.loads(sys.argv[1])
    out = run_matmul(cfg) if cfg.get("mode") == "matmul" else run_step(cfg)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
