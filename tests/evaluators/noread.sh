#!/bin/sh
# Answers without reading its input and exits at once.
echo '{"capacity": 7, "voltage": 8}'
