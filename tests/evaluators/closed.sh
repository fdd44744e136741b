#!/bin/sh
# Closes stdout without writing anything, then lingers a moment.
cat > /dev/null
exec >&-
sleep 0.2
