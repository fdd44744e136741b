#!/usr/bin/env python3
"""NCM cathode emulator: a qualitative stand-in for a synthesis robot and a
cell tester, for campaigns/ncm-pso.yaml (objective kind: command) and for a
scripted station answering campaigns/ncm-cathode.yaml.

It is NOT a model fitted to measurements: no licensed NCM data set was at
hand. Each term reproduces a published trend at roughly its published size,
so that a search meets the same kind of landscape as in the laboratory:

- Discharge capacity at 0.1C, 3.0-4.3 V rises about linearly with the Ni
  fraction: ~163 mAh/g for NCM111 to ~203 for NCM811 and ~206 for
  NCM85 (Noh et al., J. Power Sources 233 (2013) 121).  Here 126 + 96*ni.
- A higher charge cut-off voltage extracts more lithium: +70 mAh/g per volt
  above 4.3 V (same source, 4.3 vs 4.5 V; Jung et al., J. Electrochem. Soc.
  164 (2017) A1361), never more than 92 % of the theoretical ~277 mAh/g.
- Capacity falls with the logarithm of the C-rate (about 10 % from 0.1C to
  1C for NCM622-811, Noh et al.), more so for Ni-rich material.
- Each composition has a sintering-temperature optimum that drops as Ni
  rises (~950 degC for NCM111, ~750 degC for NCM811: Noh et al.; Kim et al.,
  Adv. Energy Mater. 8 (2018) 1702028); the loss grows with the square of
  the distance from it.
- Li/Ni cation mixing grows with Ni content and temperature (Ni2+ on Li
  sites; Zheng et al., Nano Energy 49 (2018) 538) and costs capacity and
  cycle life; lithium excess compensates Li loss on firing, too much of it
  leaves residual lithium.
- Retention after 100 cycles falls with Ni content and with the cut-off
  voltage (H2-H3 transition, Jung et al.), and rises with Al/Mg/Ti/Zr doping
  (Kim et al.), which also costs a little capacity.
The values are deterministic: the same recipe gives the same numbers.

Input and output as answer.py says (a command request, or the array of a
station's ask).
Parameters: ni, mn, co (fractions, summing to 1), sinter_T (degC); optional
cutoff_V (V, default 4.3), c_rate (C, default 0.1), sinter_hours (h, default
12), li_excess (mol fraction, default 0.05), dopant (default none).
Output: capacity (mAh/g), retention (fraction after 100 cycles).
"""
import math

from answer import answer

DOPANT = {"none": (0.0, 0.0), "Al": (-3.0, 0.03), "Mg": (-2.0, 0.02),
          "Ti": (-2.5, 0.02), "Zr": (-1.5, 0.025)}


def ncm(p):
    ni, mn, co = float(p["ni"]), float(p["mn"]), float(p["co"])
    total = ni + mn + co
    ni, mn, co = ni / total, mn / total, co / total
    t = float(p["sinter_T"])
    v = float(p.get("cutoff_V", 4.3))
    c = float(p.get("c_rate", 0.1))
    hours = float(p.get("sinter_hours", 12.0))
    li_x = float(p.get("li_excess", 0.05))
    dq, dr = DOPANT[str(p.get("dopant", "none"))]
    q = 126.0 + 96.0 * ni
    q += 70.0 * (v - 4.3) * (1.0 - 0.3 * ni)
    t_opt = 1030.0 - 350.0 * ni
    q -= 25.0 * ((t - t_opt) / 100.0) ** 2
    mixing = 0.01 + 0.06 * ni ** 3 * math.exp((t - t_opt) / 60.0)
    mixing += 0.02 * max(0.0, 0.04 - li_x) / 0.04
    q -= 150.0 * max(0.0, mixing - 0.02)
    q -= 8.0 * math.exp(-hours / 4.0)          # incomplete reaction
    q -= 60.0 * max(0.0, li_x - 0.05)          # residual lithium
    q += dq
    q = min(q, 0.92 * 277.0)
    q *= 1.0 - (0.08 + 0.06 * ni) * math.log10(max(c, 0.01) / 0.1)
    r = 0.97 - 0.15 * (ni - 0.33) - 0.25 * max(0.0, v - 4.3)
    r -= 1.5 * max(0.0, mixing - 0.02) - dr + 0.02 * co
    return {"capacity": round(q, 4), "retention": round(min(r, 0.995), 5)}


if __name__ == "__main__":
    answer(ncm)
