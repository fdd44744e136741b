#!/usr/bin/env python3
"""Writes argv[1] bytes to stderr, starting with HEAD-MARK and ending with
TAIL-MARK, then a valid answer."""
import sys

n = int(sys.argv[1])
sys.stdin.read()
body = "HEAD-MARK\n" + "x" * max(0, n - 21) + "\nTAIL-MARK\n"
sys.stderr.write(body)
sys.stderr.flush()
print('{"capacity": 1, "voltage": 2}')
