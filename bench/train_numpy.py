"""numpy baseline for bench/train.ts: the same training step, written by hand in float32.

Network: input d0 -> `depth` hidden ReLU layers of `width` -> linear read-out (10 classes); inverted dropout
(keep p) on the input of every layer; softmax cross-entropy; plain SGD. Forward, backward and update per
step, timed over `steps` steps after `warmup` steps, `repeats` times. Prints one JSON object.
"""
import json
import sys
import time

import numpy as np


def main():
    cfg = json.loads(sys.argv[1])
    d0, width, depth, classes = cfg["input"], cfg["width"], cfg["depth"], cfg["classes"]
    batch, keep, lr, sw2 = cfg["batch"], cfg["keep"], cfg["lr"], cfg["sigma_w2"]
    rng = np.random.default_rng(0)
    sizes = [d0] + [width] * depth + [classes]
    W = [(rng.standard_normal((sizes[i], sizes[i + 1])) * np.sqrt(sw2 / sizes[i])).astype(np.float32) for i in range(len(sizes) - 1)]
    b = [np.zeros((1, sizes[i + 1]), np.float32) for i in range(len(sizes) - 1)]
    x = rng.random((batch, d0), dtype=np.float32)
    y = np.zeros((batch, classes), np.float32)
    y[np.arange(batch), rng.integers(0, classes, batch)] = 1

    def step():
        inputs, masks, pre = [], [], []
        h = x
        for l in range(len(W)):
            a = h if l == 0 else np.maximum(h, 0)
            m = (rng.random(a.shape, dtype=np.float32) < keep).astype(np.float32) * np.float32(1 / keep)
            a = a * m
            inputs.append(a)
            masks.append(m)
            h = a @ W[l] + b[l]
            pre.append(h)
        z = h - h.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        loss = -np.mean(np.sum(y * (z - np.log(np.exp(z).sum(axis=1, keepdims=True))), axis=1))
        g = (p - y) / batch
        for l in range(len(W) - 1, -1, -1):
            gW = inputs[l].T @ g
            gb = g.sum(axis=0, keepdims=True)
            if l > 0:
                g = (g @ W[l].T) * masks[l] * (pre[l - 1] > 0)
            W[l] -= lr * gW
            b[l] -= lr * gb
        return loss

    for _ in range(cfg["warmup"]):
        step()
    times = []
    for _ in range(cfg["repeats"]):
        t0 = time.perf_counter()
        for _ in range(cfg["steps"]):
            step()
        times.append(time.perf_counter() - t0)
    times.sort()
    med = times[len(times) // 2] if len(times) % 2 else 0.5 * (times[len(times) // 2 - 1] + times[len(times) // 2])
    print(json.dumps({"available": True, "numpy": np.__version__, "median_s": med, "samples_per_s": cfg["steps"] * batch / med, "times_s": times}))


if __name__ == "__main__":
    main()
