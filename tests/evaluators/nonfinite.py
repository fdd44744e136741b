#!/usr/bin/env python3
"""Answers NaN (Python's json writes a bare NaN) and a string."""
import json
import sys

sys.stdin.read()
print(json.dumps({"capacity": float("nan"), "voltage": "abc"}))
