#!/bin/sh
# Prints valid JSON that is not an object.
cat > /dev/null
echo '[182.3, 3.7]'
