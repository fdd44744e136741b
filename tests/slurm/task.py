#!/usr/bin/env python3
"""A Slurm task for tests/slurm.sh: reads params.json, writes result.json.

Branin at (x1, x2). Logs each call ("ID") to $INVDES_TEST_LOG, sleeps
INVDES_TEST_SLEEP seconds ("1-3": 1 to 3 s, a fixed function of the
proposal id, so runs are reproducible), and misbehaves on request:
INVDES_TEST_FAIL_ID=N exits 1 for proposal N after a message on stderr;
INVDES_TEST_BAD_ID=N writes a result.json that is not JSON."""
import json
import math
import os
import sys
import time

with open("params.json") as f:
    req = json.load(f)
pid = req["id"]
x1, x2 = req["parameters"]["x1"], req["parameters"]["x2"]
log = os.environ.get("INVDES_TEST_LOG")
if log:
    with open(log, "a") as f:
        f.write("%d\n" % pid)
lo, _, hi = os.environ.get("INVDES_TEST_SLEEP", "0").partition("-")
lo = float(lo)
hi = float(hi) if hi else lo
time.sleep(lo + (hi - lo) * ((pid * 7919) % 101) / 100.0)
if str(pid) == os.environ.get("INVDES_TEST_FAIL_ID"):
    print("task.py: proposal %d: the solver diverged" % pid, file=sys.stderr)
    sys.exit(1)
if str(pid) == os.environ.get("INVDES_TEST_BAD_ID"):
    with open("result.json", "w") as f:
        f.write('{"y": 1.0')
    sys.exit(0)
b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
y = (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10
with open("result.json.tmp", "w") as f:
    json.dump({"y": y}, f)
os.rename("result.json.tmp", "result.json")
