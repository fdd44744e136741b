#!/usr/bin/env python3
"""MXene emulator: a documented stand-in for DFT calculations of M(n+1)X(n)T2
MXenes as lithium-ion anode hosts, for campaigns/mxene-emulated.yaml
(objective kind: command) and for a scripted station answering
campaigns/mxene-rf.yaml.

It is a simple physical model, not DFT; its trends follow the literature:

- Capacity (mAh/g) is the theoretical gravimetric capacity of the formula
  unit M(n+1)X(n)T2 holding z lithium per formula unit: z*F / (3.6*M), with
  F = 96485.33 C/mol and M the formula mass from IUPAC 2021 standard atomic
  weights (abridged). z depends on the surface: O-terminated surfaces bind
  two Li layers (z = 2; Xie et al., J. Am. Chem. Soc. 136 (2014) 6385), bare
  surfaces z = 1.5, while OH, F and Cl terminations block sites and lower
  the uptake (z = 0.8, 0.6, 0.5; Tang et al., J. Am. Chem. Soc. 134 (2012)
  16909: F/OH lower the capacity of Ti3C2). Nitrides hold 10 % more
  (Urbankowski et al., Nanoscale 8 (2016) 11385). So lighter metals, thin
  (n = 1) sheets and O termination give the highest capacities: Sc2CO2 and
  Ti2CO2 lead, as in DFT screens.
- Work function (eV): set by the termination's surface dipole (Khazaei et
  al., Phys. Rev. B 92 (2015) 075411: OH-terminated MXenes have ultralow work
  functions of 1.6-2.8 eV, O-terminated ones 5-6.5 eV, F ~ 4.5-5, bare
  3.5-4.5), shifted by the metal's own work function (CRC handbook values)
  and slightly by X and by thickness.
The values are deterministic; the campaign's window on the work function
keeps the electrode's electronic levels away from electrolyte reduction.

Input and output as answer.py says (a command request, or the array of a
station's ask).
Parameters: metal (Sc Ti V Cr Zr Nb Mo Hf Ta), x_element (C N), termination
(bare O OH F Cl), n_layers (1-3). Output: capacity, work_function.
"""

from answer import answer

MASS = {"Sc": 44.955907, "Ti": 47.867, "V": 50.9415, "Cr": 51.9961,
        "Zr": 91.224, "Nb": 92.90637, "Mo": 95.95, "Hf": 178.486,
        "Ta": 180.94788, "C": 12.011, "N": 14.007, "O": 15.999,
        "H": 1.008, "F": 18.998403, "Cl": 35.45}
PHI_METAL = {"Sc": 3.5, "Ti": 4.33, "V": 4.3, "Cr": 4.5, "Zr": 4.05,
             "Nb": 4.3, "Mo": 4.6, "Hf": 3.9, "Ta": 4.25}
TERM = {  # formula mass of T2, Li per formula unit, work function base (eV)
    "bare": (0.0, 1.5, 4.0),
    "O": (2 * MASS["O"], 2.0, 5.6),
    "OH": (2 * (MASS["O"] + MASS["H"]), 0.8, 2.2),
    "F": (2 * MASS["F"], 0.6, 4.7),
    "Cl": (2 * MASS["Cl"], 0.5, 4.9),
}
FARADAY = 96485.33212


def mxene(p):
    m, x, term = str(p["metal"]), str(p["x_element"]), str(p["termination"])
    n = int(round(float(p["n_layers"])))
    t_mass, z, phi0 = TERM[term]
    mass = (n + 1) * MASS[m] + n * MASS[x] + t_mass
    if x == "N":
        z *= 1.1
    capacity = z * FARADAY / (3.6 * mass)
    wf = phi0 + 0.6 * (PHI_METAL[m] - 4.3) + (0.15 if x == "N" else 0.0)
    wf -= 0.05 * (n - 1)
    return {"capacity": round(capacity, 4), "work_function": round(wf, 4)}


if __name__ == "__main__":
    answer(mxene)
