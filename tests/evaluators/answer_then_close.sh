#!/bin/sh
# Answers, closes stdout early, then keeps working a little before exiting 0.
cat > /dev/null
echo '{"capacity": 5, "voltage": 6}'
exec >&-
sleep 0.3
