#!/usr/bin/env python3
"""Porous-electrode processing emulator: a documented stand-in for coating,
calendering and rate-testing an NMC electrode, to answer the station
campaign campaigns/porous-electrode.yaml from a script (tests/campaigns.sh).

A simple physical model, not a cell simulation:
- Dry film: the wet gap (um) times the slurry's solids mass fraction times
  0.45 (slurry-to-dry volume shrink) gives the uncalendered thickness, at
  porosity 0.50. Calendering at pressure P (MPa) closes pores toward 0.20:
  eps = 0.20 + 0.30 exp(-P / 10 MPa) (the exponential densification law
  reported for NMC electrodes, e.g. Meyer et al., J. Mater. Process. Technol.
  249 (2017) 172); the thickness shrinks with the solid volume conserved.
- Areal capacity (mAh/cm2) = thickness x (1 - eps) x solid density (mass
  fractions over NMC 4.7, carbon 1.9, PVDF 1.78 g/cm3) x active fraction x
  175 mAh/g. Calendering does not change it (mass per area is conserved).
- Rate retention at 2C: the ohmic drop dV = i R at i = 2C x areal capacity,
  R = L / (3 kappa eps^1.5) + L / (3 sigma_eff) + R_contact: Bruggeman's
  effective ionic conductivity of the electrolyte (kappa = 10 mS/cm, exponent
  1.5) and of the carbon network (10 S/cm over its volume fraction above a
  0.5 % percolation threshold), the factor 3 of a uniform reaction (Newman
  and Tobias, J. Electrochem. Soc. 109 (1962) 1183), and a particle contact
  resistance growing with the binder share and falling as calendering
  presses particles together (8 ohm cm2 x binder/0.04 x exp(-P / 5 MPa)).
  retention = exp(-dV / 0.05 V).
- Drying: a thick wet film dried hot cracks. Above a drying load of
  coat_gap x (dry_T/100)^2 = 300 the retention drops by 30 % per 100.
Deterministic: the same recipe gives the same numbers.

Input and output as answer.py says (a command request, or the array of a
station's ask).
Parameters: coat_gap (um), calender_pressure (MPa), dry_T (degC), solids
(mass fraction), active, carbon, binder (mass fractions of the dry film).
Output: areal_capacity (mAh/cm2), rate_retention (2C / 0.1C).
"""
import math

from answer import answer


def electrode(p):
    gap, press = float(p["coat_gap"]), float(p["calender_pressure"])
    dry_t, solids = float(p["dry_T"]), float(p["solids"])
    act, carb, bind = float(p["active"]), float(p["carbon"]), float(p["binder"])
    l0 = gap * solids * 0.45                       # um, porosity 0.50
    eps = 0.20 + 0.30 * math.exp(-press / 10.0)
    thick = l0 * 0.50 / (1.0 - eps)                # um
    rho = 1.0 / (act / 4.7 + carb / 1.9 + bind / 1.78)
    cap = thick * 1e-4 * (1.0 - eps) * rho * act * 175.0
    carb_vol = (1.0 - eps) * (carb / 1.9) * rho
    sigma = 10.0 * max(carb_vol - 0.005, 1e-4) ** 1.5
    kappa = 0.010 * eps ** 1.5
    length = thick * 1e-4                          # cm
    r = length / (3 * kappa) + length / (3 * sigma)
    r += 8.0 * (bind / 0.04) * math.exp(-press / 5.0)
    dv = 2.0 * cap * 1e-3 * r
    ret = math.exp(-dv / 0.05)
    load = gap * (dry_t / 100.0) ** 2
    ret *= max(0.0, 1.0 - 0.3 * max(0.0, load - 300.0) / 100.0)
    return {"areal_capacity": round(cap, 5), "rate_retention": round(ret, 5)}


if __name__ == "__main__":
    answer(electrode)
