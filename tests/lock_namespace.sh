#!/bin/sh
# lock_namespace.sh — the run lock's tests (tests/test_store_open) again
# inside a PID namespace, as in a container: there the kernel's /proc/locks
# leaves out a lock whose taker died, and a run must still wait the orphaned
# copy out rather than refuse (the CI container showed this). Skipped (77)
# where unshare is missing or not permitted (an unprivileged user).
: "${top_builddir:?top_builddir must name the build tree}"
command -v unshare >/dev/null 2>&1 || { echo "SKIP: no unshare"; exit 77; }
unshare --pid --fork --mount-proc true 2>/dev/null ||
  { echo "SKIP: unshare --pid not permitted here"; exit 77; }
exec unshare --pid --fork --mount-proc "$top_builddir/tests/test_store_open"
