#!/bin/sh
# Leaves a background sleep (pid written to $1) and then hangs: a time-out
# must kill both.
sleep 31 &
echo $! > "$1"
sleep 30
