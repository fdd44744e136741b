#!/usr/bin/env python3
"""A large but acceptable answer: the targets plus argv[1] bytes of padding."""
import json
import sys

sys.stdin.read()
json.dump({"capacity": 3.25, "voltage": 4.5, "pad": "y" * int(sys.argv[1])}, sys.stdout)
