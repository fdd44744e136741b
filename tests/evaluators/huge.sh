#!/bin/sh
# Floods stdout without end.
cat > /dev/null
exec yes '{"capacity": 1, "voltage": 2}'
