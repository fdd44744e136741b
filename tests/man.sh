#!/bin/sh
# man.sh — the manual pages, man/invdes.1 and man/invdes-campaign.5.
#
# 1. groff -ww -z -man prints no warning on either page (devices ps, utf8
#    and ascii), and `man -l` renders each (exit 0, nothing on stderr, its
#    NAME section there; man-db does not pass groff's warnings on, hence
#    groff's own check).
# 2. invdes.1 keeps up with the tool: every verb of `invdes --help` (the
#    command table, src/cli/invdes.c) has a section ".SS invdes VERB"; every
#    option its `invdes VERB --help` prints is a tag of that section, written
#    as the help writes it ("-d, --db" or "--force"); no tag of the section
#    names an option the verb's help lacks; --help, --version and the whole
#    short-option map are in the common section; every exit status of
#    src/cli/commands.h is a tag of EXIT STATUS.
# 3. invdes-campaign.5 keeps up with the loader: every top-level key
#    (src/campaign/campaign.c, top_keys) is a tag of TOP-LEVEL KEYS; every
#    key the loader's other key lists know (src/campaign/*.c) and every key of
#    the strategy kinds appears in the page; every goal (target.c) is a tag
#    "goal: NAME"; every objective kind (objectives/objective.c) has a section
#    "kind: NAME" whose tags hold each of that kind's fields; every strategy
#    kind and surrogate appears in STRATEGY.
# 4. `make install-man DESTDIR=...` installs both pages under man1 and man5
#    (the full `make install DESTDIR` is tests/install.sh's; distcheck runs
#    both).
# Needs $top_srcdir, $top_builddir and $INVDES (tests/lib.sh), groff and man.
. "$(dirname "$0")/lib.sh"
: "${top_srcdir:?top_srcdir must name the source tree}"
: "${top_builddir:?top_builddir must name the build tree}"
need man.sh groff man
MAKE=${MAKE:-make}
page1=$top_srcdir/man/invdes.1
page5=$top_srcdir/man/invdes-campaign.5

# ---- 1. no warnings --------------------------------------------------------
for page in "$page1" "$page5"; do
  for dev in ps utf8 ascii; do
    groff -ww -z -man -T$dev "$page" >"$tmp/gw" 2>&1
    [ -s "$tmp/gw" ] && bad "groff -ww -z -man -T$dev $page: $(head -c 400 "$tmp/gw")" || ok
  done
  LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=all -l "$page" >"$tmp/mo" 2>"$tmp/me"
  rc=$?
  [ "$rc" -eq 0 ] && [ ! -s "$tmp/me" ] && grep -q '^NAME' "$tmp/mo" && ok ||
    bad "man -l $page: exit $rc, $(head -c 400 "$tmp/me")"
done

# The pages as plain text: long lines, no hyphenation, no overstriking, so
# that a tag is one line and a word is never split.
render() { groff -man -Tascii -P-c -P-b -P-o -P-u -rLL=400n -rHY=0 "$1" 2>/dev/null; }
render "$page1" >"$tmp/p1"
render "$page5" >"$tmp/p5"
# section FILE TITLE: the lines of the section (.SH at column 0, .SS at 3)
# headed TITLE, up to the next heading of the same or a higher level.
section() {
  awk -v t="$2" '
    f && (/^[^ ]/ || (lvl == 3 && /^   [^ ]/)) { exit }
    f { print }
    $0 == t { f = 1; lvl = 0 } $0 == "   " t { f = 1; lvl = 3 }' "$1"
}
# has_tag TAG: stdin holds a line that is TAG, or TAG then a blank, : or ,.
has_tag() {
  sed 's/^ *//' | awk -v t="$1" '$0 == t || index($0, t " ") == 1 || index($0, t ":") == 1 || index($0, t ",") == 1 { f = 1 }
    END { exit !f }'
}
# has_word WORD: stdin holds WORD between non-identifier characters.
has_word() { grep -q "\(^\|[^A-Za-z0-9_]\)$1\([^A-Za-z0-9_]\|$\)"; }

# ---- 2. invdes.1 against the tool ------------------------------------------
"$INVDES" --help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }' >"$tmp/verbs"
[ "$(wc -l <"$tmp/verbs")" -ge 15 ] && ok || bad "invdes --help lists $(wc -l <"$tmp/verbs") verbs"
# The option tags of each verb's section in the page source: the line after
# .TP when it starts with an option, reduced to its long names.
awk '/^\.SS invdes / { v = $3 } /^\.S[HS]/ && !/^\.SS invdes / { v = "" }
  tp && v != "" && /^\\fB\\-/ { line = $0; gsub(/\\-/, "-", line)
    while (match(line, /--[a-z][a-z-]*/)) { print v, substr(line, RSTART, RLENGTH)
      line = substr(line, RSTART + RLENGTH) } }
  { tp = /^\.TP/ }' "$page1" >"$tmp/page_opts"
while read -r verb; do
  section "$tmp/p1" "invdes $verb" >"$tmp/sec"
  if [ ! -s "$tmp/sec" ]; then
    bad "invdes.1 has no section 'invdes $verb'"
    continue
  fi
  ok
  "$INVDES" "$verb" --help >"$tmp/help" 2>&1 || bad "invdes $verb --help failed"
  # The option lines: up to the exit-status paragraph, a line whose first
  # word is -X, or --long; the tag is "-X, --long" or "--long".
  sed '/^Exit status:/,$d' "$tmp/help" |
    sed -n 's/^ \{1,8\}\(-[A-Za-z], --[a-z][a-z-]*\).*/\1/p; s/^ \{1,8\}\(--[a-z][a-z-]*\).*/\1/p' \
      >"$tmp/tags"
  [ -s "$tmp/tags" ] && ok || bad "invdes $verb --help: no option lines found"
  while read -r tag; do
    case "$tag" in *--help | *--version) continue ;; esac
    has_tag "$tag" <"$tmp/sec" && ok || bad "invdes.1, section '$verb': no option tag '$tag'"
  done <"$tmp/tags"
  # No tag for an option the verb does not have.
  awk -v v="$verb" '$1 == v { print $2 }' "$tmp/page_opts" | while read -r opt; do
    grep -q -- "$opt\$" "$tmp/tags" && echo ok || echo "bad $opt"
  done >"$tmp/rev"
  while read -r r o; do
    [ "$r" = ok ] && ok || bad "invdes.1, section '$verb' documents $o, which invdes $verb lacks"
  done <"$tmp/rev"
done <"$tmp/verbs"
# Sections of verbs this build does not have (added on other branches).
sed -n 's/^\.SS invdes //p' "$page1" | while read -r v; do
  grep -qx "$v" "$tmp/verbs" || echo "note: invdes.1 documents '$v', not in this build"
done
section "$tmp/p1" "OPTIONS COMMON TO EVERY COMMAND" >"$tmp/sec"
for tag in "-h, --help" "-V, --version"; do
  has_tag "$tag" <"$tmp/sec" && ok || bad "invdes.1: no common option '$tag'"
done
tr -s ' \n' '  ' <"$tmp/sec" >"$tmp/flat"
"$INVDES" validate --help | sed -n '/^Short options/,$p' | grep -o -- '-[A-Za-z] --[a-z-]*' |
  while read -r pair; do
    grep -qF -e "$pair," -e "$pair." "$tmp/flat" && echo ok || echo "bad $pair"
  done >"$tmp/rev"
[ -s "$tmp/rev" ] && ok || bad "no short-option map in invdes validate --help"
while read -r r p; do
  [ "$r" = ok ] && ok || bad "invdes.1: the short-option map lacks '$p'"
done <"$tmp/rev"
section "$tmp/p1" "EXIT STATUS" >"$tmp/sec"
sed -n 's/.*INVDES_EXIT_[A-Z_]* *= *\([0-9][0-9]*\).*/\1/p' "$top_srcdir/src/cli/commands.h" >"$tmp/codes"
[ "$(wc -l <"$tmp/codes")" -ge 5 ] && ok || bad "commands.h: $(wc -l <"$tmp/codes") exit codes found"
while read -r code; do
  has_tag "$code" <"$tmp/sec" && ok || bad "invdes.1: exit status $code not in EXIT STATUS"
done <"$tmp/codes"
for title in NAME SYNOPSIS DESCRIPTION ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
  grep -qx "$title" "$tmp/p1" && ok || bad "invdes.1 has no section $title"
done

# ---- 3. invdes-campaign.5 against the loader -------------------------------
# strings LIST-NAME FILE...: the strings of a C array whose name matches.
strings_of() {
  pat=$1; shift
  awk -v p="$pat" '$0 ~ p "\\[\\] *= *\\{" { f = 1 } f { print } f && /};/ { f = 0 }' "$@" |
    grep -o '"[a-z_][a-z0-9_]*"' | tr -d '"' | sort -u
}
strings_of 'top_keys' "$top_srcdir/src/campaign/campaign.c" >"$tmp/top"
[ "$(wc -l <"$tmp/top")" -ge 10 ] && ok || bad "campaign.c: $(wc -l <"$tmp/top") top-level keys found"
section "$tmp/p5" "TOP-LEVEL KEYS" >"$tmp/sec"
while read -r key; do
  has_tag "$key" <"$tmp/sec" && ok || bad "invdes-campaign.5: top-level key '$key' not in TOP-LEVEL KEYS"
done <"$tmp/top"
strings_of '[a-z_]*keys' "$top_srcdir"/src/campaign/*.c "$top_srcdir"/src/strategy/*.c \
  "$top_srcdir"/surrogates/*.c >"$tmp/keys"
[ "$(wc -l <"$tmp/keys")" -ge 30 ] && ok || bad "only $(wc -l <"$tmp/keys") campaign keys found"
while read -r key; do
  has_word "$key" <"$tmp/p5" && ok || bad "invdes-campaign.5: key '$key' not documented"
done <"$tmp/keys"
strings_of 'goal_names' "$top_srcdir/src/campaign/target.c" >"$tmp/goals"
section "$tmp/p5" "TARGETS" >"$tmp/sec"
while read -r goal; do
  has_tag "goal: $goal" <"$tmp/sec" && ok || bad "invdes-campaign.5: no tag 'goal: $goal'"
done <"$tmp/goals"
# Objective kinds: the registry's X(NAME) lines; each kind's file names it
# (.name = "NAME") and lists its fields: {"FIELD", INVDES_FIELD_...}, or
# M(FIELD) through a macro `#define M(f) {#f, INVDES_FIELD_...}`.
fields_of() {
  grep -o '{"[a-z_][a-z0-9_]*", *INVDES_FIELD_' "$1" | sed 's/{"\([^"]*\)".*/\1/'
  sed -n 's/^#define \([A-Z_]*\)(\([a-z]*\)) *{#\2, *INVDES_FIELD_.*/\1/p' "$1" | while read -r m; do
    grep -v '^#define' "$1" | grep -o "\b$m([a-z_][a-z0-9_]*)" | sed "s/$m(\(.*\))/\1/"
  done
}
sed -n 's/^ *X(\([a-z_]*\)).*/\1/p' "$top_srcdir/objectives/objective.c" >"$tmp/kinds"
[ "$(wc -l <"$tmp/kinds")" -ge 4 ] && ok || bad "objective.c: $(wc -l <"$tmp/kinds") kinds found"
while read -r kind; do
  section "$tmp/p5" "kind: $kind" >"$tmp/sec"
  [ -s "$tmp/sec" ] && ok || { bad "invdes-campaign.5: no section 'kind: $kind'"; continue; }
  file=$(grep -l "\.name = \"$kind\"" "$top_srcdir"/objectives/*.c | head -n 1)
  [ -n "$file" ] && ok || { bad "no objectives/*.c names the kind '$kind'"; continue; }
  fields_of "$file" | while read -r field; do
      has_tag "$field" <"$tmp/sec" && echo ok || echo "bad $field"
    done >"$tmp/rev"
  while read -r r f; do
    [ "$r" = ok ] && ok || bad "invdes-campaign.5, 'kind: $kind': no tag for its key '$f'"
  done <"$tmp/rev"
done <"$tmp/kinds"
section "$tmp/p5" "STRATEGY" >"$tmp/sec"
{ sed -n 's/.*INVDES_STRATEGY_REGISTRY(X) *//p' "$top_srcdir/src/strategy/strategy.c"
  sed -n 's/.*INVDES_SURROGATE_REGISTRY(X) *//p' "$top_srcdir/surrogates/surrogate.c"; } |
  grep -o 'X([a-z_]*)' | sed 's/X(\(.*\))/\1/' >"$tmp/names"
[ "$(wc -l <"$tmp/names")" -ge 10 ] && ok || bad "$(wc -l <"$tmp/names") strategies and surrogates found"
while read -r name; do
  has_word "$name" <"$tmp/sec" && ok || bad "invdes-campaign.5: '$name' not in STRATEGY"
done <"$tmp/names"

# ---- 4. installed by make install -------------------------------------------
stage=$tmp/stage
if (cd "$top_builddir" && unset MAKEFLAGS MFLAGS && $MAKE install-man DESTDIR="$stage") \
    >"$tmp/install.log" 2>&1; then
  ok
else
  cat "$tmp/install.log"
  bad "make install-man DESTDIR=$stage failed"
fi
for want in man1/invdes.1 man5/invdes-campaign.5; do
  got=$(find "$stage" -path "*/man/$want" -type f)
  [ -n "$got" ] && cmp -s "$got" "$top_srcdir/man/$(basename "$want")" && ok ||
    bad "make install-man: no $want installed"
done
finish man
