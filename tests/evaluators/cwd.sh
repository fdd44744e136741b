#!/bin/sh
# Answers and reports its working directory under an extra key.
cat > /dev/null
printf '{"capacity": 1, "voltage": 2, "cwd": "%s"}\n' "$(pwd)"
