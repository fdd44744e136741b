#!/bin/sh
# Prints something that is not JSON.
cat > /dev/null
echo 'capacity = 182.3 <not json>'
