#!/bin/sh
# install.sh — the library as a user gets it. `make install` into a staging
# folder (DESTDIR); the headers are under include/invdes/ and nowhere else;
# tests/install_client.c, which includes only <invdes/invdes.h>, compiles
# with the flags of `pkg-config --cflags --libs invdes` alone (pkg-config
# pointed into the staging folder; --static when this build has no shared
# library, as in the sanitizer build), with -std=c11 -Wall -Wextra -Werror so
# the public headers stand on their own, links against the staged library
# and runs a campaign to its budget. The build's own CFLAGS and LDFLAGS are
# added (the sanitizers need them at compile and link time). Needs
# $top_srcdir, $top_builddir and $INVDES (tests/lib.sh); uses $MAKE, $CC,
# $CFLAGS, $LDFLAGS and $PKG_CONFIG when set (make check sets them).
. "$(dirname "$0")/lib.sh"
: "${top_srcdir:?top_srcdir must name the source tree}"
: "${top_builddir:?top_builddir must name the build tree}"
MAKE=${MAKE:-make}
CC=${CC:-cc}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
stage=$tmp/stage
# Ends the script with the tally (when a later step cannot run).
stop() {
  finish install
  exit
}

# 1. Install. A clean sub-make: the jobserver and options of the make
# running the tests are not this one's.
if (cd "$top_builddir" && unset MAKEFLAGS MFLAGS && $MAKE install DESTDIR="$stage") \
    >"$tmp/install.log" 2>&1; then
  ok
else
  cat "$tmp/install.log"
  bad "make install DESTDIR=$stage failed"
  stop
fi

# 2. What was installed: one invdes.pc, the umbrella header, every header
# under include/invdes/.
pc=$(find "$stage" -name invdes.pc)
[ "$(echo "$pc" | grep -c .)" -eq 1 ] && ok || { bad "invdes.pc installed: '$pc'"; stop; }
umbrella=$(find "$stage" -path '*/include/invdes/invdes.h')
[ -n "$umbrella" ] && ok || bad "no include/invdes/invdes.h installed"
stray=$(find "$stage" -name '*.h' ! -path '*/include/invdes/*')
[ -z "$stray" ] && ok || bad "headers installed outside include/invdes/: $stray"

# 3. The flags, from invdes.pc alone (and what it Requires). The staged copy
# of invdes.pc gets its absolute folders moved into the staging folder, as
# if the library had been installed there; PKG_CONFIG_SYSROOT_DIR would also
# move the folders of the packages it names (GSL, the CBLAS in Libs) into the
# staging folder, where they do not exist, so a wrong one would go unnoticed.
shared=$("$top_builddir/libtool" --config 2>/dev/null | sed -n 's/^build_libtool_libs=//p')
static=
[ "$shared" = yes ] || static=--static
mkdir "$tmp/pc"
sed -e "s|^prefix=/|prefix=$stage/|" -e "s|^exec_prefix=/|exec_prefix=$stage/|" \
  -e "s|^libdir=/|libdir=$stage/|" -e "s|^includedir=/|includedir=$stage/|" \
  "$pc" >"$tmp/pc/invdes.pc"
PKG_CONFIG_PATH=$tmp/pc${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
export PKG_CONFIG_PATH
if flags=$($PKG_CONFIG $static --cflags --libs invdes 2>"$tmp/pc.err"); then
  ok
else
  bad "$PKG_CONFIG $static --cflags --libs invdes: $(cat "$tmp/pc.err")"
  stop
fi
echo "pkg-config $static --cflags --libs invdes: $flags"
case " $flags " in *" -I$stage"*/include" "*) ok ;;
  *) bad "the flags do not point at the staged include folder" ;; esac

# 4. Build and run the client.
# shellcheck disable=SC2086 # the flags are words
if $CC -std=c11 -Wall -Wextra -Werror ${CFLAGS:-} -o "$tmp/client" \
    "$top_srcdir/tests/install_client.c" $flags ${LDFLAGS:-} 2>"$tmp/cc.err"; then
  ok
else
  cat "$tmp/cc.err"
  bad "the client does not build with pkg-config's flags"
  stop
fi
libdir=
for w in $flags; do
  case "$w" in -L"$stage"/*) libdir=${w#-L}; break ;; esac
done
[ -n "$libdir" ] && ok || bad "no -L into the staging folder in the flags"
mkdir "$tmp/run"
if LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} "$tmp/client" "$tmp/run" \
    >"$tmp/out" 2>&1; then
  cat "$tmp/out"
  ok
else
  cat "$tmp/out"
  bad "the client failed"
fi
if [ "$shared" = yes ]; then
  used=$(LD_LIBRARY_PATH=$libdir ldd "$tmp/client" 2>/dev/null | sed -n 's/.*libinvdes[^ ]* => \([^ ]*\).*/\1/p')
  case "$used" in "$stage"/*) ok ;; *) bad "the client loads libinvdes from '$used', not the staged one" ;; esac
fi
finish install
