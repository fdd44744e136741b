#!/usr/bin/env python3
"""A measured target beside computed ones (tests/test_combined.c,
tests/capacity.sh): capacity retention from the nickel share, failing above
ni = 0.88 as a cracked cathode would. Appends each request's id to the file
named by RETENTION_LOG when set."""
import json
import os
import sys

req = json.load(sys.stdin)
log = os.environ.get("RETENTION_LOG")
if log:
    with open(log, "a") as f:
        f.write("%d\n" % req["id"])
ni = req["parameters"]["ni"]
if ni > 0.88:
    json.dump({"failed": "cracked"}, sys.stdout)
else:
    json.dump({"retention": 100.0 - 20.0 * ni}, sys.stdout)
