"""sklearn_rf.py — scikit-learn's RandomForestRegressor on bench_rf's data.

Reads DIR/train.csv, DIR/test.csv and DIR/query.csv written by
`bench_rf --write DIR`, fits RandomForestRegressor(n_estimators=100,
n_jobs=2) with its regression defaults (max_features=1.0, min_samples_leaf=1,
bootstrap) REPS times, and prints one line in bench_rf's format:
  sklearn n=N fit_s=... predict_s=... predict_sd_s=... rmse=...
predict_s is the mean alone at 10,000 points; predict_sd_s adds the spread
across trees (what invdes' forest returns with its variance). A benchmark
peer only: it asserts nothing.
"""
import statistics
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestRegressor


def load(path):
    a = np.loadtxt(path, delimiter=",", skiprows=1)
    return a[:, :-1], a[:, -1]


def main():
    if len(sys.argv) < 2:
        print("usage: sklearn_rf.py DIR [REPS]", file=sys.stderr)
        return 2
    d = sys.argv[1]
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    X, y = load(d + "/train.csv")
    Xt, yt = load(d + "/test.csv")
    Xq, _ = load(d + "/query.csv")
    tf, tp, ts = [], [], []
    rmse = None
    for k in range(reps):
        m = RandomForestRegressor(n_estimators=100, n_jobs=2, random_state=k)
        t0 = time.perf_counter()
        m.fit(X, y)
        tf.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        m.predict(Xq)
        tp.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        per_tree = np.stack([e.predict(Xq) for e in m.estimators_])
        per_tree.mean(axis=0)
        per_tree.std(axis=0)
        ts.append(time.perf_counter() - t0)
        if rmse is None:
            rmse = float(np.sqrt(np.mean((m.predict(Xt) - yt) ** 2)))
    print("sklearn n=%d fit_s=%.4f predict_s=%.4f predict_sd_s=%.4f rmse=%.4f"
          % (len(y), statistics.median(tf), statistics.median(tp),
             statistics.median(ts), rmse))
    return 0


if __name__ == "__main__":
    sys.exit(main())
