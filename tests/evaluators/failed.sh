#!/bin/sh
# Reports a failed experiment in the protocol's way.
cat > /dev/null
echo '{"failed": "furnace offline"}'
