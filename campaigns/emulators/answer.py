"""The one input/output loop the emulators share.

answer(model) reads standard input and writes standard output: one JSON
request {"id": N, "parameters": {...}} (invdes' command protocol) gets one
JSON object of target values; the JSON array `invdes ask --format json`
prints gets an array of those objects with their ids added, which
`invdes tell --from -` reads (a scripted station).
"""
import json
import sys


def answer(model):
    req = json.load(sys.stdin)
    if isinstance(req, list):
        out = [dict(model(r["parameters"]), id=r["id"]) for r in req]
    else:
        out = model(req["parameters"])
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
