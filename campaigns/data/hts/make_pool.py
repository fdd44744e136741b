#!/usr/bin/env python3
"""Writes pool.csv beside this script: 100,000 hypothetical lithium-ion
solid-electrolyte candidates for campaigns/hts-screen.yaml. The pool is
generated, not measured, because no licensed data set of that size is at
hand; the recipe below is the whole definition, and the same seed always
gives the same file (byte for byte, any platform with IEEE doubles).

Recipe (seed 449, Python's random.Random, Mersenne Twister):
- Five structural descriptors per candidate, after the superionic classifier
  of Sendek et al., Energy Environ. Sci. 10 (2017) 306, which the review
  (Ng, Sun, Seh, Energy Adv. 2023, 2, 449) cites for high-throughput
  screening of solid electrolytes:
    llb   Li-Li bonds per Li           uniform 0 .. 6
    sbi   sublattice bond ionicity     uniform 0 .. 1
    afc   anion framework coordination uniform 2 .. 8
    lasd  Li-anion separation (A)      uniform 1.8 .. 2.6
    lld   Li-Li distance (A)           uniform 2.2 .. 4.0
  each rounded to 4 decimals.
- p_superionic, the classifier's probability: the logistic function of
  z = 1.1*llb - 6*sbi - 0.9*afc + 3*(2.2 - lasd) - 1.5*(lld - 3) - 0.5
  (the signs of Sendek et al.'s model: more Li-Li bonds, a less ionic
  sublattice, fewer anion neighbours, shorter Li-anion and Li-Li
  distances favour fast conduction), rounded to 5 decimals.
- log_sigma, log10 of the room-temperature conductivity (S/cm), the value
  the refinement maximizes: -7 + 3.2*p_superionic + 0.35*llb
  - 2*(lasd - 2.05)^2 - 0.6*|afc - 4| + a Gaussian term of sd 0.35 (the
  spread the classifier does not explain), rounded to 4 decimals.
- id: "C" followed by the row number (C000001 ... C100000).
Usage: make_pool.py [OUT.csv] [N] (defaults: pool.csv beside the script,
100000). About 1.2 s and 6 MB.
"""
import math
import os
import random
import sys


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "pool.csv")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    rng = random.Random(449)
    tmp = out + ".tmp"
    with open(tmp, "w", newline="\n") as f:
        f.write("id,llb,sbi,afc,lasd,lld,p_superionic,log_sigma\n")
        for i in range(1, n + 1):
            llb = round(rng.uniform(0.0, 6.0), 4)
            sbi = round(rng.uniform(0.0, 1.0), 4)
            afc = round(rng.uniform(2.0, 8.0), 4)
            lasd = round(rng.uniform(1.8, 2.6), 4)
            lld = round(rng.uniform(2.2, 4.0), 4)
            z = (1.1 * llb - 6.0 * sbi - 0.9 * afc + 3.0 * (2.2 - lasd)
                 - 1.5 * (lld - 3.0) - 0.5)
            p = 1.0 / (1.0 + math.exp(-z))
            s = (-7.0 + 3.2 * p + 0.35 * llb - 2.0 * (lasd - 2.05) ** 2
                 - 0.6 * abs(afc - 4.0) + rng.gauss(0.0, 0.35))
            f.write("C%06d,%.4f,%.4f,%.4f,%.4f,%.4f,%.5f,%.4f\n"
                    % (i, llb, sbi, afc, lasd, lld, p, s))
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
