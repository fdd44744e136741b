#!/usr/bin/env python3
"""Writes train.csv beside this script: 300 NCM recipes and what the
emulator campaigns/emulators/ncm.py answers for them, the training table of
campaigns/ncm-model.yaml (a model fitted to it plays the laboratory, as in
the review's study a model fitted to cathode data did).

Recipe (Python's random.Random, seed 2018): Ni/Mn/Co uniform on the simplex
by sorted uniforms, kept when ni in [0.33, 0.95], mn and co at most 0.40 and
mn + co >= 0.05 (the campaign's space); sinter_T uniform 700-950 degC,
cutoff_V uniform 4.1-4.5 V, c_rate one of 0.1, 0.2, 0.5, 1, 2 C; fractions
and temperatures rounded to 4 and 1 decimals. The same file every time.
Usage: make_train.py [OUT.csv] [N] (defaults: train.csv here, 300).
"""
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "emulators"))
from ncm import ncm  # noqa: E402


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "train.csv")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    rng = random.Random(2018)
    rows = 0
    with open(out, "w", newline="\n") as f:
        f.write("ni,mn,co,sinter_T,cutoff_V,c_rate,capacity,retention\n")
        while rows < n:
            a, b = sorted((rng.random(), rng.random()))
            ni, mn = round(a, 4), round(b - a, 4)
            co = round(1.0 - ni - mn, 4)
            if not (0.33 <= ni <= 0.95 and mn <= 0.4 and co <= 0.4 and mn + co >= 0.05):
                continue
            p = {"ni": ni, "mn": mn, "co": co,
                 "sinter_T": round(rng.uniform(700, 950), 1),
                 "cutoff_V": round(rng.uniform(4.1, 4.5), 3),
                 "c_rate": rng.choice([0.1, 0.2, 0.5, 1, 2])}
            r = ncm(p)
            f.write("%s,%s,%s,%s,%s,%s,%s,%s\n" % (ni, mn, co, p["sinter_T"], p["cutoff_V"],
                                                   p["c_rate"], r["capacity"], r["retention"]))
            rows += 1


if __name__ == "__main__":
    main()
