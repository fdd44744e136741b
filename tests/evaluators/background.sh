#!/bin/sh
# Answers at once but leaves a background sleep (pid written to $1) that
# still holds stdout open; invdes must not wait for it.
cat > /dev/null
sleep 30 &
echo $! > "$1"
echo '{"capacity": 1.0, "voltage": 2.0}'
