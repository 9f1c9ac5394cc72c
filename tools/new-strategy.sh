#!/usr/bin/env bash
# Writes a new strategy folder strategies/NAME/ from tools/strategy-template/: a
# working CycleSearch skeleton (identical family, passes the conformance kit as
# generated), its README.md and Catch2 test; and adds NAME's entry to the table in
# strategies/meson.build when it is not there yet. A new strategy is that folder
# and that entry (tests/tools/test_new_strategy.sh proves it).
#   tools/new-strategy.sh NAME
# NAME: lower-case letters, digits and '-', starting with a letter (e.g. my-idea).
set -euo pipefail

usage() { echo "usage: $(basename "$0") NAME   (NAME like 'my-idea': [a-z][a-z0-9-]*)" >&2; exit 2; }

[ $# -eq 1 ] || usage
case "$1" in -h|--help) usage ;; esac
name="$1"
if ! [[ "$name" =~ ^[a-z][a-z0-9-]*$ ]] || [[ "$name" == *- ]] || [[ "$name" == *--* ]]; then
  echo "new-strategy: NAME: '$name' is not a valid name ([a-z][a-z0-9-]*, no trailing or double '-')" >&2
  exit 2
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
template="$root/tools/strategy-template"
list="$root/strategies/meson.build"
dest="$root/strategies/$name"

[ -d "$template" ] || { echo "new-strategy: template folder $template is missing" >&2; exit 1; }
[ -f "$list" ] || { echo "new-strategy: $list is missing" >&2; exit 1; }
if [ -e "$dest" ]; then
  echo "new-strategy: NAME: strategies/$name already exists; choose another name or remove it" >&2
  exit 2
fi

ident="${name//-/_}"                                   # my-idea -> my_idea (a C identifier)
class="$(echo "$name" | sed -E 's/(^|-)([a-z0-9])/\U\2/g')"  # my-idea -> MyIdea

mkdir -p "$dest"
fill() { sed -e "s/@NAME@/$name/g" -e "s/@IDENT@/$ident/g" -e "s/@CLASS@/$class/g" "$template/$1" > "$dest/$2"; }
fill strategy.cpp.in "$name.cpp"
fill strategy_test.cpp.in "${name}_test.cpp"
fill README.md.in README.md
echo "new-strategy: wrote strategies/$name/ ($name.cpp, ${name}_test.cpp, README.md)"

# The one entry in strategies/meson.build: added to the strategies table if absent.
# The skeleton calls scan_lines_exact of the search library, hence its dependency.
entry="  '$name' : {},"
in_table() {
  awk -v q="'$name'" '
    /^strategies = \{/ { inside = 1; next }
    inside && /^\}/ { inside = 0 }
    inside && $1 == q { found = 1 }
    END { exit found ? 0 : 1 }' "$list"
}
if in_table; then
  echo "new-strategy: '$name' already has an entry in strategies/meson.build"
else
  tmp="$(mktemp "$list.XXXXXX")"
  if ! awk -v line="$entry" '
    /^strategies = \{/ { inside = 1 }
    inside && /^\}/ { print line; inside = 0; added = 1 }
    { print }
    END { if (!added) exit 1 }' "$list" > "$tmp"; then
    rm -f "$tmp"
    echo "new-strategy: no strategies table found in $list; add this entry to it by hand: $entry" >&2
    exit 1
  fi
  cat "$tmp" > "$list"  # keeps the file's mode and owner
  rm -f "$tmp"
  echo "new-strategy: added the entry of '$name' to the strategies table in strategies/meson.build"
fi

cat <<MSG
Next:
  meson compile -C BUILD && meson test -C BUILD $name --print-errorlogs
  BUILD/wcs list                      # lists $name
Then replace the skeleton's search, its option and the README's placeholders.
MSG
