#!/usr/bin/python3
"""ackley20_peers.py -- the peers of bench_bo's 20-D case (issue 9): random
search and Optuna's TPE (Debian's python3-optuna) on the shifted Ackley
function over [-5, 5]^20, the same shift as bench_bo.c's SHIFT20 (drawn with
random.Random(20).uniform(-3, 3), rounded to 4 decimals). Prints the median
regret after 100 and N evaluations over the seeds (TPE with 10 start-up
trials, as bench_bo's 10 initial points), and seconds per run.

usage: /usr/bin/python3 bench/ackley20_peers.py [--seeds 10] [--evals 200]
"""
import argparse
import math
import random
import statistics
import time

R = random.Random(20)
SHIFT = [round(R.uniform(-3, 3), 4) for _ in range(20)]


def ackley(x):
    d = len(x)
    u = [a - s for a, s in zip(x, SHIFT)]
    s2 = sum(v * v for v in u)
    sc = sum(math.cos(2 * math.pi * v) for v in u)
    return max(0.0, -20 * math.exp(-0.2 * math.sqrt(s2 / d)) - math.exp(sc / d) + 20 + math.e)


def run_random(seed, evals):
    r = random.Random(seed)
    ys = [ackley([r.uniform(-5, 5) for _ in range(20)]) for _ in range(evals)]
    return ys


def run_tpe(seed, evals):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    ys = []

    def obj(trial):
        y = ackley([trial.suggest_float("x%d" % i, -5, 5) for i in range(20)])
        ys.append(y)
        return y

    sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=10)
    optuna.create_study(sampler=sampler).optimize(obj, n_trials=evals)
    return ys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--evals", type=int, default=200)
    a = ap.parse_args()
    print("%-22s %12s %12s %10s" % ("Ackley-20D shifted", "regret@100", "regret@%d" % a.evals, "seconds"))
    for name, fn in (("random", run_random), ("optuna tpe", run_tpe)):
        r100, rN, secs = [], [], []
        for seed in range(1, a.seeds + 1):
            t0 = time.time()
            ys = fn(seed, a.evals)
            secs.append(time.time() - t0)
            r100.append(min(ys[:100]))
            rN.append(min(ys))
        print("%-22s %12.3g %12.3g %10.2f" % (name, statistics.median(r100), statistics.median(rN),
                                             statistics.median(secs)))


if __name__ == "__main__":
    main()
