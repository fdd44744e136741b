#!/usr/bin/env python3
"""A well-behaved evaluator: reads the request, answers both targets, and
echoes the request under an extra key (which invdes must ignore)."""
import json
import sys

req = json.load(sys.stdin)
p = req["parameters"]
print("evaluating", req["id"], file=sys.stderr)
out = {
    "capacity": 100.0 * p["ni"] + p["sinter_T"] / 10.0,
    "voltage": 3.5 + (0.25 if p["dopant"] == "Al" else 0.0),
    "echo": req,
}
json.dump(out, sys.stdout)
