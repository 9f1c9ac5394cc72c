#!/usr/bin/env bash
# A new strategy is one folder and one table entry: tools/new-strategy.sh run in a
# copy of the source tree changes nothing else, and the copy then builds the new
# module, `wcs list` lists it and its test (the conformance kit) passes.
#   tests/tools/test_new_strategy.sh SOURCE_DIR
# Builds the core of the copy (release, only reference and the new strategy), a few
# minutes on two cores; everything is in a fresh temporary directory, removed at
# the end.
set -euo pipefail

src="$(cd "${1:?usage: test_new_strategy.sh SOURCE_DIR}" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
passed=0
# Each check prints "ok: ..." or "FAIL: ..."; the last line counts them for tools/count_tests.py.
ok() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*" >&2; echo "wcs-test: $passed passed, 1 failed"; exit 1; }

# The tree as it is (uncommitted changes included), without builds, history or results.
mkdir "$tmp/before" "$tmp/tree"
tar -C "$src" --exclude=./.git --exclude='./build*' --exclude=./out --exclude=./results -cf - . | tar -C "$tmp/before" -xf -
cp -a "$tmp/before/." "$tmp/tree/"

name=scaffold-probe
"$tmp/tree/tools/new-strategy.sh" "$name" >"$tmp/new.log" 2>&1 || { cat "$tmp/new.log" >&2; fail "new-strategy.sh $name failed"; }
ok "new-strategy.sh $name"

# What changed: exactly the new folder and one added line in strategies/meson.build.
changes="$(diff -rq "$tmp/before" "$tmp/tree" | sed "s|$tmp/||g" | LC_ALL=C sort || true)"
expected="Files before/strategies/meson.build and tree/strategies/meson.build differ
Only in tree/strategies: $name"
[ "$changes" = "$expected" ] || fail "the scaffold changed more than one folder and one table file:
$changes"
added="$(diff "$tmp/before/strategies/meson.build" "$tmp/tree/strategies/meson.build" | grep -c '^>' || true)"
removed="$(diff "$tmp/before/strategies/meson.build" "$tmp/tree/strategies/meson.build" | grep -c '^<' || true)"
if [ "$added" != 1 ] || [ "$removed" != 0 ]; then
  fail "strategies/meson.build: $added lines added, $removed removed (expected 1 and 0)"
fi
grep -q "^  '$name' : " "$tmp/tree/strategies/meson.build" || fail "no table entry for '$name'"
ok "one folder (strategies/$name) and one table entry"

# The skeleton calls the library's scan instead of carrying a copy of it.
grep -q 'scan_lines_exact(' "$tmp/tree/strategies/$name/$name.cpp" || fail "the skeleton does not call scan_lines_exact"
if grep -Eq '(^|[^_[:alnum:]])line_value\(' "$tmp/tree/strategies/$name/$name.cpp"; then fail "the skeleton computes line values itself"; fi

# A second run with the same name refuses (exit 2) and changes nothing.
cp "$tmp/tree/strategies/meson.build" "$tmp/table.before"
status=0
"$tmp/tree/tools/new-strategy.sh" "$name" >/dev/null 2>"$tmp/again.err" || status=$?
[ "$status" = 2 ] || fail "a second new-strategy.sh $name exited $status (expected 2)"
grep -q "already exists" "$tmp/again.err" || fail "a second new-strategy.sh $name did not say why: $(cat "$tmp/again.err")"
cmp -s "$tmp/table.before" "$tmp/tree/strategies/meson.build" || fail "a refused run changed strategies/meson.build"
ok "a second run refuses with exit 2"

# It builds, is listed and passes its test (the conformance kit).
meson setup "$tmp/build" "$tmp/tree" --buildtype=release -Dwerror=true -Dpython=disabled \
  "-Donly_strategies=reference,$name" >"$tmp/setup.log" 2>&1 || { cat "$tmp/setup.log" >&2; fail "meson setup"; }
meson compile -C "$tmp/build" -j 2 wcs:executable "wcs-strategy-$name" wcs-strategy-reference "${name//-/_}_test" \
  >"$tmp/compile.log" 2>&1 || { tail -50 "$tmp/compile.log" >&2; fail "meson compile"; }
ok "builds"
"$tmp/build/wcs" list --json >"$tmp/list.json" || fail "wcs list --json"
python3 - "$tmp/list.json" "$name" <<'PY' || fail "wcs list --json does not list $name as an identical strategy"
import json, sys
entries = {e["name"]: e for e in json.load(open(sys.argv[1]))}
sys.exit(0 if entries.get(sys.argv[2], {}).get("family") == "identical" else 1)
PY
ok "wcs list lists $name"
meson test -C "$tmp/build" --no-rebuild --print-errorlogs "$name" >"$tmp/test.log" 2>&1 || { cat "$tmp/test.log" >&2; fail "meson test $name"; }
grep -q "Ok: *1" "$tmp/test.log" || { cat "$tmp/test.log" >&2; fail "meson test $name did not run one passing test"; }
ok "its test (the conformance kit) passes"
echo "wcs-test: $passed passed, 0 failed"
