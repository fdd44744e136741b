#!/usr/bin/env python3
"""basins.py — which Hartmann6 basin each bo run ends in, and why.

Reads the per-evaluation lines of `bench_bo --only hartmann6 --verbose 2`
("eval SEED N VALUE X1 .. X6") on standard input and, for every seed, sends
the best point of the initial design (the first --initial evaluations) and
the best point of the whole run down the true function's gradient (projected
onto [0,1]^6) to the minimum whose basin holds it. Prints one line per seed
and, for comparison, the share of the box that drains into each minimum
(uniform points, same descent). Hartmann6's minima: -3.32237 (global) and
-3.20316 (the deepest local one); others show as "other".

Needs numpy (Debian's python3-numpy). Asserts nothing.

usage: bench_bo --only hartmann6 --seeds 10 --verbose 2 | basins.py [--initial 10]
"""
import argparse
import sys

import numpy as np

A = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
              [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]])
P = 1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886],
                     [2329, 4135, 8307, 3736, 1004, 9991],
                     [2348, 1451, 3522, 2883, 3047, 6650],
                     [4047, 8828, 8732, 5743, 1091, 381]])
ALPHA = np.array([1.0, 1.2, 3.0, 3.2])


def terms(X):
    return ALPHA * np.exp(-np.sum(A * (X[:, None, :] - P) ** 2, axis=2))


def value(X):
    return -np.sum(terms(X), axis=1)


def descend(X, steps=3000, rate=0.01):
    """Projected gradient descent of every row of X; returns the end points."""
    Z = np.array(X, dtype=float)
    for _ in range(steps):
        e = terms(Z)
        grad = np.sum(e[:, :, None] * 2 * A * (Z[:, None, :] - P), axis=1)
        Z = np.clip(Z - rate * grad, 0.0, 1.0)
    return Z


def label(v):
    if v < -3.32:
        return "global"
    if -3.21 < v < -3.19:
        return "local"
    return "other"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--initial", type=int, default=10)
    ap.add_argument("--box-points", type=int, default=20000)
    a = ap.parse_args()
    runs = {}
    for line in sys.stdin:
        f = line.split()
        if len(f) != 10 or f[0] != "eval":
            continue
        runs.setdefault(int(f[1]), []).append((float(f[3]), [float(v) for v in f[4:]]))
    if not runs:
        sys.exit("basins.py: no 'eval' lines on standard input (bench_bo --verbose 2)")
    starts, ends = {}, {}
    for seed, ev in sorted(runs.items()):
        init = min(ev[:a.initial], key=lambda r: r[0])
        best = min(ev, key=lambda r: r[0])
        b0, b1 = value(descend(np.array([init[1], best[1]])))
        starts[seed], ends[seed] = label(b0), label(b1)
        print(f"seed {seed}: best initial value {init[0]:.3f} drains to the {starts[seed]} "
              f"minimum; the run ends at {best[0]:.5f} ({ends[seed]} basin)")
    same = sum(starts[s] == ends[s] for s in runs)
    print(f"{same} of {len(runs)} runs end in the basin of their best initial point")
    X = np.random.default_rng(0).random((a.box_points, 6))
    labels = [label(v) for v in value(descend(X))]
    for name in ("global", "local", "other"):
        print(f"share of the box draining to the {name} minimum: "
              f"{labels.count(name) / len(labels):.3f}")


if __name__ == "__main__":
    main()
