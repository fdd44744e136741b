#!/bin/sh
# Reports a failure in the protocol's way and exits non-zero as well.
cat > /dev/null
echo '{"failed": "solver diverged"}'
exit 2
