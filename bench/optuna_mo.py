#!/usr/bin/python3
"""optuna_mo.py - Optuna's samplers on the two-objective problems of
bench/bench_mo.c, for `make bench` (bench/mo.sh): NSGA-II (population 20),
multi-objective TPE (10 start-up trials) and random search; the hypervolume
of every trial evaluated, both objectives minimized, to the problem's
reference point, median over seeds. The functions and the hypervolume are
written here from their definitions (not taken from invdes), so the two
sides check each other.

Output, one line per problem and sampler, as bench_mo prints:
  mo PROBLEM optuna-SAMPLER EVALS hv MEDIAN min MIN max MAX seconds S

usage: /usr/bin/python3 optuna_mo.py [--seeds K] [--evals N]
                                     [--samplers nsga2,tpe,random] [--only NAME]
Needs Debian's python3-optuna (3.1 here). Asserts nothing.
"""
import argparse
import math
import statistics
import time

import optuna


def branin_currin(x):
    u, v = 15.0 * x[0] - 5.0, 15.0 * x[1]
    t = v - 5.1 / (4 * math.pi ** 2) * u * u + 5 / math.pi * u - 6
    f1 = t * t + 10 * (1 - 1 / (8 * math.pi)) * math.cos(u) + 10
    fac = 1.0 if x[1] == 0 else 1 - math.exp(-1 / (2 * x[1]))
    num = 2300 * x[0] ** 3 + 1900 * x[0] ** 2 + 2092 * x[0] + 60
    den = 100 * x[0] ** 3 + 500 * x[0] ** 2 + 4 * x[0] + 20
    return f1, fac * num / den


def dtlz2(x):
    g = sum((xi - 0.5) ** 2 for xi in x[1:])
    return (1 + g) * math.cos(x[0] * math.pi / 2), (1 + g) * math.sin(x[0] * math.pi / 2)


def zdt1(x):
    g = 1 + 9 * sum(x[1:]) / (len(x) - 1)
    return x[0], g * (1 - math.sqrt(x[0] / g))


PROBLEMS = [("BraninCurrin", "branincurrin", branin_currin, 2, (18.0, 6.0)),
            ("DTLZ2", "dtlz2", dtlz2, 6, (1.1, 1.1)),
            ("ZDT1", "zdt1", zdt1, 6, (1.1, 1.1))]


def hypervolume(points, ref):
    """Exact 2-d hypervolume of the points (minimized) below ref."""
    pts = sorted(p for p in points if p[0] < ref[0] and p[1] < ref[1])
    hv, y_best = 0.0, ref[1]
    for f1, f2 in pts:
        if f2 < y_best:
            hv += (ref[0] - f1) * (y_best - f2)
            y_best = f2
    return hv


def sampler(kind, seed):
    if kind == "nsga2":
        return optuna.samplers.NSGAIISampler(population_size=20, seed=seed)
    if kind == "tpe":
        return optuna.samplers.TPESampler(n_startup_trials=10, seed=seed)
    return optuna.samplers.RandomSampler(seed=seed)


def run(fn, d, ref, kind, seed, evals):
    study = optuna.create_study(directions=["minimize", "minimize"],
                                sampler=sampler(kind, seed))
    points = []

    def objective(trial):
        x = [trial.suggest_float("x%d" % (j + 1), 0.0, 1.0) for j in range(d)]
        f = fn(x)
        points.append(f)
        return f

    t0 = time.perf_counter()
    study.optimize(objective, n_trials=evals)
    return hypervolume(points, ref), time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--evals", type=int, default=100)
    ap.add_argument("--samplers", default="nsga2,tpe,random")
    ap.add_argument("--only")
    a = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    for label, name, fn, d, ref in PROBLEMS:
        if a.only and a.only != name:
            continue
        for kind in a.samplers.split(","):
            hv, secs = zip(*(run(fn, d, ref, kind, s + 1, a.evals) for s in range(a.seeds)))
            print("mo %s optuna-%s %d hv %.4f min %.4f max %.4f seconds %.2f" %
                  (label, kind, a.evals, statistics.median(hv), min(hv), max(hv),
                   statistics.median(secs)), flush=True)


if __name__ == "__main__":
    main()
