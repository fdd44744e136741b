#!/usr/bin/env python3
"""A porous-electrode model as a Slurm task: the DFT stand-in of docs/slurm.md.

Reads params.json ({"id": N, "parameters": {...}}) in the current folder and
writes result.json ({"areal_capacity": ..., "energy_efficiency": ...}).

Model (a cathode discharged at a C-rate; standard library only): the
electrolyte reaches the electrode's depth L through pores of porosity eps,
with the Bruggeman effective diffusivity D*eps^1.5 and conductivity
kappa*eps^1.5. Salt depletion limits the depth that discharges (Gallagher
et al., J. Electrochem. Soc. 163 (2016) A138): a front that advances as the
salt in the pores is used up gives the utilized depth; the areal capacity is the capacity of that depth. The
energy efficiency is the voltage kept against the ohmic drop across the
electrolyte-filled depth at the discharge current. A real campaign would put
a DFT or continuum code in place of this file; the protocol is the same."""
import json
import math
import os
import sys

F = 96485.0          # C/mol
D = 3.0e-10          # m2/s, salt diffusivity
KAPPA = 1.0          # S/m, electrolyte conductivity
C0 = 1000.0          # mol/m3, salt concentration
RHO_Q = 2.4e9        # C/m3 of solid: 160 mAh/g at 4.7 g/cm3, 90 % active
V_OCV = 3.7          # V

with open("params.json") as f:
    p = json.load(f)["parameters"]
L = p["thickness"] * 1e-6            # m
eps = p["porosity"]
rate = p.get("c_rate", 2.0)          # 1/h (2C unless the campaign varies it)
if not (0 < eps < 1 and L > 0 and rate > 0):
    json.dump({"failed": "parameters out of range"}, open("result.json", "w"))
    sys.exit(0)

q_vol = (1 - eps) * RHO_Q            # C/m3 of electrode
q_full = q_vol * L                   # C/m2
current = q_full * rate / 3600.0     # A/m2
d_eff = D * eps ** 1.5
# the discharged front x(t): salt flux through the discharged depth feeds
# the reaction at the front, dx/dt = k / x with k = d_eff eps C0 F / q_vol,
# so x = sqrt(2 k t) at the end of the nominal discharge time 3600 / rate
k = d_eff * eps * C0 * F / q_vol
x = math.sqrt(2.0 * k * 3600.0 / rate)
# what the current can draw is bounded by the front, and by time
used = min(x / L, 1.0)
capacity = used * q_full / 36000.0  # C/m2 -> mAh/cm2
drop = current * used * L / (KAPPA * eps ** 1.5) / 2.0
efficiency = max(0.0, 1.0 - drop / V_OCV)
with open("result.json.tmp", "w") as f:
    json.dump({"areal_capacity": capacity, "energy_efficiency": efficiency}, f)

os.rename("result.json.tmp", "result.json")
