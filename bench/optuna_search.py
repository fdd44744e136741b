#!/usr/bin/python3
"""optuna_search.py — the peers of bench/bench_search.c on the same problems.

Optuna's TPE (Debian's python3-optuna; 10 start-up trials, then TPE) and,
where scikit-optimize is installed, its gp_minimize and forest_minimize
(10 initial points), on the problems of bench/bench_funcs.c: Branin,
Hartmann6, Ackley-5D shifted to (1.3, -2.1, 0.7, 2.9, -1.6) on [-5, 5]^5,
Rosenbrock-4D on [-2.048, 2.048]^4 (100 evaluations) and Ackley-20D with the
5-D shift repeated four times on [-5, 5]^20 (200 evaluations); the same
definitions as objectives/builtin.c (checked with --check against values
bench_search prints). Seeds 1..K. Prints lines in bench_search's format:
  search KEY PEER EVALS SEEDS r_half_median r_all_median r_half_worst
         r_all_worst seconds_median
and "search KEY PEER refused REASON" when a peer is not installed.
Asserts nothing.

usage: /usr/bin/python3 optuna_search.py [--seeds K] [--only KEY,...]
"""
import math
import statistics
import sys
import time

SHIFT5 = [1.3, -2.1, 0.7, 2.9, -1.6]


def branin(x):
    b, c, r, s, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 6.0, 10.0, 1 / (8 * math.pi)
    q = x[1] - b * x[0] * x[0] + c * x[0] - r
    return q * q + s * (1 - t) * math.cos(x[0]) + s


HART_ALPHA = [1.0, 1.2, 3.0, 3.2]
HART_A = [[10.0, 3.0, 17.0, 3.5, 1.7, 8.0], [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
          [3.0, 3.5, 1.7, 10.0, 17.0, 8.0], [17.0, 8.0, 0.05, 10.0, 0.1, 14.0]]
HART_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
          [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
          [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
          [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def hartmann6(x):
    f = 0.0
    for i in range(4):
        e = sum(HART_A[i][j] * (x[j] - HART_P[i][j]) ** 2 for j in range(6))
        f -= HART_ALPHA[i] * math.exp(-e)
    return f


def ackley(x):
    d = len(x)
    s2 = sum(v * v for v in x)
    sc = sum(math.cos(2 * math.pi * v) for v in x)
    f = -20 * math.exp(-0.2 * math.sqrt(s2 / d)) - math.exp(sc / d) + 20 + math.e
    return max(f, 0.0)


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def shifted(f, shift):
    return lambda x: f([v - s for v, s in zip(x, shift)])


# key, function, box (lo, hi per dimension), known minimum, evaluations
PROBLEMS = [
    ("branin", branin, [(-5, 10), (0, 15)], 0.39788735772973816, 100),
    ("hartmann6", hartmann6, [(0, 1)] * 6, -3.32236801141551, 100),
    ("ackley", shifted(ackley, SHIFT5), [(-5, 5)] * 5, 0.0, 100),
    ("rosenbrock", rosenbrock, [(-2.048, 2.048)] * 4, 0.0, 100),
    ("ackley20", shifted(ackley, SHIFT5 * 4), [(-5, 5)] * 20, 0.0, 200),
]


def run_tpe(f, box, evals, seed):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = optuna.samplers.TPESampler(n_startup_trials=10, seed=seed)
    study = optuna.create_study(sampler=sampler, direction="minimize")
    best, trace = math.inf, []

    def objective(trial):
        nonlocal best
        x = [trial.suggest_float("x%d" % (j + 1), lo, hi) for j, (lo, hi) in enumerate(box)]
        y = f(x)
        best = min(best, y)
        trace.append(best)
        return y

    study.optimize(objective, n_trials=evals)
    return trace


def run_skopt(kind):
    def run(f, box, evals, seed):
        import skopt
        minimize = skopt.gp_minimize if kind == "gp" else skopt.forest_minimize
        res = minimize(f, box, n_calls=evals, n_initial_points=10, random_state=seed)
        trace, best = [], math.inf
        for y in res.func_vals:
            best = min(best, y)
            trace.append(best)
        return trace
    return run


def available(module):
    try:
        __import__(module)
        return True
    except ImportError:
        return False


PEERS = [("optuna-tpe", "optuna", run_tpe),
         ("skopt-gp", "skopt", run_skopt("gp")),
         ("skopt-forest", "skopt", run_skopt("forest"))]


def check(path):
    """Each line of path: KEY f(x) x_1 ... x_d as bench_search --values
    prints; exits 1 when a definition here disagrees."""
    funcs = {p[0]: p[1] for p in PROBLEMS}
    bad = 0
    with open(path) as fh:
        for line in fh:
            w = line.split()
            if len(w) < 3 or w[0] not in funcs:
                continue
            want, x = float(w[1]), [float(v) for v in w[2:]]
            got = funcs[w[0]](x)
            if abs(got - want) > 1e-9 * max(1.0, abs(want)):
                print("optuna_search: %s at %s: %r here, %r in invdes" % (w[0], w[2:], got, want),
                      file=sys.stderr)
                bad = 1
    return bad


def main(argv):
    seeds, only, check_path = 10, None, None
    for i in range(1, len(argv) - 1, 2):
        if argv[i] == "--seeds":
            seeds = int(argv[i + 1])
        elif argv[i] == "--only":
            only = argv[i + 1].split(",")
        elif argv[i] == "--check":
            check_path = argv[i + 1]
    if check_path and check(check_path):
        return 1
    for key, f, box, fmin, evals in PROBLEMS:
        if only and key not in only:
            continue
        for name, module, run in PEERS:
            if not available(module):
                print("search %s %s refused %s is not installed" % (key, name, module))
                continue
            half, full, secs = [], [], []
            for seed in range(1, seeds + 1):
                t0 = time.perf_counter()
                trace = run(f, box, evals, seed)
                secs.append(time.perf_counter() - t0)
                half.append(trace[evals // 2 - 1] - fmin)
                full.append(trace[evals - 1] - fmin)
            print("search %s %s %d %d %.3g %.3g %.3g %.3g %.3g" % (
                key, name, evals, seeds, statistics.median(half), statistics.median(full),
                max(half), max(full), statistics.median(secs)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
