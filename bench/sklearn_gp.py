#!/usr/bin/env python3
"""sklearn_gp.py — the scikit-learn peer for bench/gp.sh.

Fits GaussianProcessRegressor (ConstantKernel * Matern(nu=2.5, ARD length
scales) + WhiteKernel, 3 starts, normalized y) on the first n rows of
DIR/train.csv for each n given, and prints, in the format of bench_gp,
"sk_fit n=N seconds S rmse R" with the RMSE on DIR/test.csv, plus the time
of mean+sd at 10,000 test-like points for the largest n. Usage:
sklearn_gp.py DIR N [N ...]"""
import sys
import time

import numpy as np
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    d = sys.argv[1]
    train = np.loadtxt(d + "/train.csv", delimiter=",", skiprows=1)
    test = np.loadtxt(d + "/test.csv", delimiter=",", skiprows=1)
    X, y = train[:, :6], train[:, 6]
    Xt, yt = test[:, :6], test[:, 6]
    gp = None
    for n in (int(a) for a in sys.argv[2:]):
        kernel = ConstantKernel() * Matern(length_scale=[1.0] * 6, nu=2.5) + WhiteKernel()
        gp = GaussianProcessRegressor(kernel=kernel, n_restarts_optimizer=2,
                                      normalize_y=True, random_state=0)
        t0 = time.perf_counter()
        gp.fit(X[:n], y[:n])
        t = time.perf_counter() - t0
        rmse = float(np.sqrt(np.mean((gp.predict(Xt) - yt) ** 2)))
        print(f"sk_fit n={n} seconds {t:.4f} rmse {rmse:.4f}", flush=True)
    Xp = np.random.default_rng(0).uniform(size=(10000, 6))
    t0 = time.perf_counter()
    gp.predict(Xp, return_std=True)
    print(f"sk_predict n={sys.argv[-1]} m=10000 seconds {time.perf_counter() - t0:.4f}")


if __name__ == "__main__":
    main()
