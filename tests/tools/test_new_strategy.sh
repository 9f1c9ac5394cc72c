#!/usr/bin/env bash
# A new strategy is one folder and one table entry: tools/new-strategy.sh run in a
# copy of the source tree changes nothing else, and the copy then builds the new
# module, `wcs list` lists it and its test (the conformance kit) passes. Then, in the
# same copy, a strategy's identity is derived from its sources by the build: after a
# change to the new strategy's code and to reference's comments, a rebuild changes
# the new strategy's identity alone, and `wcs run --resume` of an experiment of both
# runs the new strategy's runs again and keeps reference's.
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

# Identities: one per strategy in `wcs list --json`, "MODULE-CORE".
identities() {  # identities FILE: "name identity" lines of `wcs list --json`
  "$tmp/build/wcs" list --json >"$1.json" || fail "wcs list --json"
  python3 -c 'import json, sys
for s in json.load(open(sys.argv[1])): print(s["name"], s["identity"])' "$1.json" | sort >"$1"
}
identities "$tmp/ids.before"
grep -Eq "^$name [0-9a-f]{16}-[0-9a-f]{16}\$" "$tmp/ids.before" || fail "no identity of $name: $(cat "$tmp/ids.before")"
cat >"$tmp/identity.yaml" <<YAML
name: identity
defaults:
  repetitions: 1
  min_time: 0.001
  seeds: [1, 2]
problems:
  - name: small
    generator: uniform_int
    low: 1
    high: 20
    n: [4]
    target: {rule: subset_sum}
    tolerance: 0.5
    max_iter: 5
strategies:
  - name: reference
  - name: $name
YAML
run_ids() {  # run_ids FILE: "key id" lines of the experiment's plan
  "$tmp/build/wcs" run "$tmp/identity.yaml" --out "$tmp/results" --dry-run | awk 'NF >= 3 && $1 ~ /^[0-9]+$/ { print $3, $2 }' | sort >"$1"
  [ -s "$1" ] || fail "wcs run --dry-run printed no runs"
}
run_ids "$tmp/runs.before"
"$tmp/build/wcs" run "$tmp/identity.yaml" --out "$tmp/results" --quiet >"$tmp/run1.log" 2>&1 || { cat "$tmp/run1.log" >&2; fail "wcs run"; }
grep -q " 4 ran, " "$tmp/run1.log" || fail "the first run did not run 4 runs: $(cat "$tmp/run1.log")"

# The new strategy's code changes (a declaration); reference's only in comments and
# white space; the core not at all.
printf '\nnamespace {\n[[maybe_unused]] constexpr int kEdited = 1;\n}  // namespace\n' >>"$tmp/tree/strategies/$name/$name.cpp"
sed -i -e '1i // A comment added to reference: not a change of its code.' -e 's/^  /    /' "$tmp/tree/strategies/reference/reference.cpp"
meson compile -C "$tmp/build" -j 2 wcs:executable "wcs-strategy-$name" wcs-strategy-reference \
  >"$tmp/compile2.log" 2>&1 || { tail -50 "$tmp/compile2.log" >&2; fail "meson compile after the edits"; }
identities "$tmp/ids.after"
changed="$({ diff "$tmp/ids.before" "$tmp/ids.after" || true; } | sed -n 's/^> \([^ ]*\) .*/\1/p' | tr '\n' ' ')"
[ "$changed" = "$name " ] || fail "identities that changed: '$changed' (expected '$name' alone):
$(diff "$tmp/ids.before" "$tmp/ids.after")"
core_half() { awk '{ sub(/.*-/, "", $2); print $2 }' "$1" | sort -u; }
[ "$(core_half "$tmp/ids.before")" = "$(core_half "$tmp/ids.after")" ] || fail "the core's half changed"
ok "a rebuild changes the identity of the strategy whose code changed, not of one whose comments changed"

run_ids "$tmp/runs.after"
moved="$({ diff "$tmp/runs.before" "$tmp/runs.after" || true; } | sed -n 's|^> [^ ]*/\([^/ ]*\) .*|\1|p' | sort -u | tr '\n' ' ')"
[ "$moved" = "$name " ] || fail "runs whose id changed belong to '$moved' (expected '$name' alone):
$(diff "$tmp/runs.before" "$tmp/runs.after")"
"$tmp/build/wcs" run "$tmp/identity.yaml" --out "$tmp/results" --resume --quiet >"$tmp/run2.log" 2>&1 ||
  { cat "$tmp/run2.log" >&2; fail "wcs run --resume"; }
grep -q " 2 ran, .* 2 already recorded" "$tmp/run2.log" ||
  fail "wcs run --resume did not run the 2 runs of $name again and keep reference's 2: $(cat "$tmp/run2.log")"
ok "wcs run --resume runs the changed strategy's runs again, and only those"
echo "wcs-test: $passed passed, 0 failed"
