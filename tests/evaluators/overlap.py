#!/usr/bin/env python3
"""Records when it started and ended (one line in argv[1]/ID), sleeping
argv[2] seconds in between, then answers."""
import json
import os
import sys
import time

req = json.load(sys.stdin)
t0 = time.time()
time.sleep(float(sys.argv[2]))
t1 = time.time()
with open(os.path.join(sys.argv[1], str(req["id"])), "w") as f:
    f.write("%.6f %.6f\n" % (t0, t1))
print(json.dumps({"capacity": req["id"], "voltage": 0.5}))
