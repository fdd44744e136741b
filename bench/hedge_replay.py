#!/usr/bin/python3
"""hedge_replay.py — scikit-optimize's gp_minimize replayed by hand on
Hartmann6, seed by seed, to tell which basin a run ends in (issue 9).

Why. bo with a GP ends in Hartmann6's -3.20 basin (regret 0.119) on 7 of
10 seeds, while the peer figure (scikit-optimize 0.9, 3-5 seeds) is 4.9e-4
at 100 evaluations. scikit-optimize is not packaged by Debian, so this
script rebuilds its defaults from Debian's scikit-learn and SciPy:
ConstantKernel(1, (0.01, 1000)) * Matern(nu=2.5, ARD, bounds 0.01..100) +
WhiteKernel, normalize_y, 2 optimizer restarts, refitted every iteration;
gp_hedge over EI, PI (xi 0.01) and LCB (kappa 1.96), each maximized by
10,000 random points then L-BFGS from the best 5, chosen by a softmax on
the gains (eta 1), the gains lowered by the model's mean at each proposal.
The white noise is left out of the predictive sd, as skopt does.

It starts from the same 10 initial points as an invdes run when given
--design FILE (rows of 6 coordinates in [0,1], 10 per seed, seeds in
order), else from a scrambled Sobol design of SciPy per seed, and prints
per seed: the best initial value, the regret after 50 and 100 evaluations
and the basin the best point lies in (global, or the -3.20 one around
(0.40, 0.88, *, 0.57, *, 0.04)). About a minute per seed on one core;
not part of `make bench`. Asserts nothing.

usage: /usr/bin/python3 hedge_replay.py [--seeds K] [--design FILE]
       [--acq hedge|ei|pi|lcb]
"""
import sys
import warnings

import numpy as np
from scipy.optimize import fmin_l_bfgs_b
from scipy.stats import norm, qmc
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

sys.path.insert(0, __file__.rsplit("/", 1)[0] if "/" in __file__ else ".")
from optuna_search import hartmann6  # noqa: E402  (the checked definition)

H6_MIN = -3.32236801141551
LOCAL = np.array([0.4047, 0.8828, 0.5743, 0.0381])  # dims 1, 2, 4, 6 of the -3.20 basin
D = 6


def fit(X, y, rng):
    kernel = (ConstantKernel(1.0, (0.01, 1000.0)) *
              Matern(length_scale=np.ones(D), length_scale_bounds=[(0.01, 100)] * D, nu=2.5) +
              WhiteKernel(1e-5, (1e-10, 1e5)))
    gp = GaussianProcessRegressor(kernel=kernel, normalize_y=True, n_restarts_optimizer=2,
                                  random_state=rng).fit(X, y)
    # the same model without the white noise in its predictive sd
    return GaussianProcessRegressor(kernel=gp.kernel_.k1, normalize_y=True, optimizer=None,
                                    alpha=gp.kernel_.k2.noise_level + 1e-10).fit(X, y)


def acquisition(gp, kind, y_opt):
    def f(x):
        mu, sd = gp.predict(np.atleast_2d(x), return_std=True)
        sd = np.maximum(sd, 1e-12)
        if kind == 0:  # EI, negated
            imp = y_opt - 0.01 - mu
            return -(imp * norm.cdf(imp / sd) + sd * norm.pdf(imp / sd))
        if kind == 1:  # PI, negated
            return -norm.cdf((y_opt - 0.01 - mu) / sd)
        return mu - 1.96 * sd  # LCB
    return f


def propose(gp, kind, y_opt, rng):
    f = acquisition(gp, kind, y_opt)
    cand = rng.uniform(size=(10000, D))
    best = None
    for i in np.argsort(f(cand))[:5]:
        x, v, _ = fmin_l_bfgs_b(lambda z: f(z)[0], cand[i], bounds=[(0, 1)] * D,
                                approx_grad=True, maxiter=50)
        if best is None or v < best[1]:
            best = (x, v)
    return best[0]


def run(design, seed, acq):
    rng = np.random.RandomState(seed)
    X = [np.asarray(x, float) for x in design]
    y = [hartmann6(list(x)) for x in X]
    kinds = [0, 1, 2] if acq == "hedge" else [{"ei": 0, "pi": 1, "lcb": 2}[acq]]
    gains = np.zeros(len(kinds))
    r50 = None
    while len(y) < 100:
        gp = fit(np.array(X), np.array(y), rng)
        props = [propose(gp, k, min(y), rng) for k in kinds]
        p = np.exp(gains - gains.max())
        x = props[rng.choice(len(kinds), p=p / p.sum())]
        gains -= gp.predict(np.array(props))
        X.append(x)
        y.append(hartmann6(list(x)))
        if len(y) == 50:
            r50 = min(y) - H6_MIN
    xb = X[int(np.argmin(y))]
    basin = "global" if min(y) < -3.21 else \
        "-3.20" if np.linalg.norm(xb[[0, 1, 3, 5]] - LOCAL) < 0.2 else "other"
    return min(y[:10]), r50, min(y) - H6_MIN, basin


def main(argv):
    warnings.filterwarnings("ignore")
    seeds, design, acq = 10, None, "hedge"
    for i in range(1, len(argv) - 1, 2):
        if argv[i] == "--seeds":
            seeds = int(argv[i + 1])
        elif argv[i] == "--design":
            design = np.loadtxt(argv[i + 1]).reshape(-1, 10, D)
        elif argv[i] == "--acq":
            acq = argv[i + 1]
    if design is not None:
        seeds = min(seeds, len(design))
    for s in range(seeds):
        pts = design[s] if design is not None else \
            qmc.Sobol(D, scramble=True, seed=s + 1).random(10)
        y0, r50, r100, basin = run(pts, s + 1, acq)
        print(f"replay seed {s + 1} acq {acq} best-initial {y0:.3f} r50 {r50:.3g} "
              f"r100 {r100:.3g} basin {basin}", flush=True)


if __name__ == "__main__":
    main(sys.argv)
