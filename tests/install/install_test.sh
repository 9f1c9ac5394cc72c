#!/usr/bin/env bash
# Installs the build into a fresh staging folder (meson install --destdir) and uses
# it as a user would: the headers, wcs.pc, the versioned libwcs, the plugins and
# share/wcs/ are there; the installed wcs finds its plugins, prints --version and
# writes records that name the commit it was built from (not the commit of the
# experiment file's folder); the out-of-tree example (examples/out-of-tree-plugin)
# builds against it with dependency('wcs') and the installed identity script, and
# runs through the installed `wcs --plugin-dir`; the installed Python module
# imports and solves. Ends with "wcs-test: P passed, F failed"
# (tools/count_tests.py counts it).
#   install_test.sh BUILD SOURCE PREFIX LIBDIR BINDIR INCLUDEDIR DATADIR [PYTHON PYTHON_DIR]
# The checks below are functions called by name through check (SC2317 cannot see it).
# shellcheck disable=SC2317
set -uo pipefail
build=$1 source=$2 prefix=$3 libdir=$4 bindir=$5 includedir=$6 datadir=$7 python=${8:-} pydir=${9:-}
py=${python:-python3}
# What a user of the installed tree has: not meson test's LD_LIBRARY_PATH to the build tree.
unset LD_LIBRARY_PATH
abs() { case "$1" in /*) echo "$1" ;; *) echo "$prefix/$1" ;; esac; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stage="$tmp/stage"
lib="$stage$(abs "$libdir")" bin="$stage$(abs "$bindir")" inc="$stage$(abs "$includedir")"
share="$stage$(abs "$datadir")/wcs"
passed=0 failed=0
check() {  # check NAME COMMAND...: one test case, its output shown when it fails
  local name=$1; shift
  if "$@" >"$tmp/out" 2>&1; then passed=$((passed + 1)); echo "ok - $name"
  else failed=$((failed + 1)); echo "not ok - $name"; tail -20 "$tmp/out" | sed 's/^/    /'; fi
}
finish() { echo "wcs-test: $passed passed, $failed failed"; [ "$failed" = 0 ]; exit $?; }

if ! meson install -C "$build" --destdir "$stage" --no-rebuild --quiet >"$tmp/install.log" 2>&1; then
  echo "meson install failed:"; cat "$tmp/install.log"; failed=1; finish
fi
version=$(meson introspect "$build" --projectinfo | "$py" -c 'import json, sys; print(json.load(sys.stdin)["version"])')

headers() { test -f "$inc/wcs/plugin.hpp" && test -f "$inc/wcs/abi_fingerprint.hpp" && test -f "$inc/wcs/strategy.hpp"; }
# shellcheck disable=SC2016  # ${libdir} is the text of wcs.pc, not a shell variable
pc_file() {
  grep -qxF "Version: $version" "$lib/pkgconfig/wcs.pc" && grep -qxF 'plugindir=${libdir}/wcs/strategies' "$lib/pkgconfig/wcs.pc" &&
    grep -qx 'identity_script=${prefix}/.*/wcs/tools/identity.py' "$lib/pkgconfig/wcs.pc"
}
soname() {
  test -f "$lib/libwcs.so.$version" && test -L "$lib/libwcs.so" &&
    readelf -d "$lib/libwcs.so.$version" | grep -q 'Library soname: \[libwcs\.so\.[0-9][0-9.]*\]'
}
plugins() { test -f "$lib/wcs/strategies/wcs-strategy-reference.so"; }
share_files() { test -f "$share/experiments/quick.yaml" && test -x "$share/tools/plot.py" && test -x "$share/tools/identity.py"; }
check "headers under include/wcs/" headers
check "wcs.pc with the version, the plugin folder and the identity script" pc_file
check "libwcs.so.$version with a versioned SONAME" soname
check "plugins in LIBDIR/wcs/strategies" plugins
check "experiments, the plot tool and the identity script under share/wcs/" share_files

# The installed programs, run where they were staged ($ORIGIN run paths).
version_text() {
  "$bin/wcs" --version >"$tmp/version" || return 1
  cat "$tmp/version"
  grep -qx "wcs $version" "$tmp/version" && grep -q '^commit  *[0-9a-f]\{7,\}' "$tmp/version" &&
    grep -q '^compiler  *[a-z]' "$tmp/version" && grep -q '^build type ' "$tmp/version" &&
    grep -q '^simd built .*Highway targets: [A-Z]' "$tmp/version" && grep -q '^simd chosen .*fastest kernel' "$tmp/version" &&
    grep -q '^plugin ABI  *version [0-9]*, fingerprint headers=' "$tmp/version" &&
    grep -qxF "plugins       $lib/wcs/strategies" "$tmp/version"
}
installed_plugins() {
  "$bin/wcs" list --json >"$tmp/list.json" 2>"$tmp/list.err" && cat "$tmp/list.err" &&
    grep -qF "\"module\": \"$lib/wcs/strategies/wcs-strategy-reference.so\"" "$tmp/list.json" && ! test -s "$tmp/list.err"
}
installed_solve() {
  "$bin/wcs" solve --strategy reference --coef=15,47,-12 --target=28 --tol=2 --max-iter=50 --json |
    tee /dev/stderr | grep -qF '"weights":[0.5,0.5,0.125],"result":29.5'
}
bench_help() {
  "$bin/wcs-bench" --help >"$tmp/bench-help" && grep -q -- '--strategies' "$tmp/bench-help" &&
    grep -q -- '--cycles' "$tmp/bench-help" && grep -q -- '--benchmark_filter' "$tmp/bench-help"
}
# The commit in a record is the program's, fixed when it was built: an experiment file
# outside any checkout (here, the temporary folder) changes nothing.
recorded_commit() {
  commit=$("$bin/wcs" --version | sed -n 's/^commit  *\([0-9a-f]\{7,\}\).*/\1/p')
  test -n "$commit" || return 1
  cat >"$tmp/commit.yaml" <<'YAML'
name: commit
defaults:
  repetitions: 1
  min_time: 0.001
problems:
  - name: worked-1
    coefficients: [15, 47, -12]
    target: 28
    tolerance: 2
    max_iter: 50
strategies:
  - name: reference
YAML
  (cd "$tmp" && "$bin/wcs" run commit.yaml --out "$tmp/commit-results" --quiet) &&
    echo "the build's commit: $commit" && grep -rlF "$commit" "$tmp/commit-results"
}
check "wcs --version names the version, commit, compiler, build, SIMD targets and plugins" version_text
check "the installed wcs records the commit it was built from, not the experiment folder's" recorded_commit
check "the installed wcs loads its installed plugins" installed_plugins
check "the installed wcs solves the first worked example" installed_solve
check "the installed wcs-bench --help documents its flags and Google Benchmark's" bench_help

# The out-of-tree example against the staged install: pkg-config finds wcs.pc and
# PKG_CONFIG_SYSROOT_DIR puts the staging folder before the paths it gives.
export PKG_CONFIG_PATH="$lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$stage"
unset PKG_CONFIG_LIBDIR
example_build() {
  test "$(pkg-config --modversion wcs)" = "$version" &&
    meson setup "$tmp/example" "$source/examples/out-of-tree-plugin" && meson compile -C "$tmp/example"
}
example_listed() {
  "$bin/wcs" --plugin-dir "$tmp/example" list | tee /dev/stderr | grep -q '^singles  *converging' &&
    "$bin/wcs" --plugin-dir "$tmp/example" list --json >"$tmp/example.json" && "$py" - "$tmp/example.json" <<'PY'
import json, re, sys
strategies = {s["name"]: s for s in json.load(open(sys.argv[1]))}
identity = strategies["singles"]["identity"]
assert re.fullmatch(r"[0-9a-f]{16}-[0-9a-f]{16}", identity), identity
assert identity.split("-")[1] == strategies["reference"]["identity"].split("-")[1], identity  # the same core
PY
}
# singles on 15,47,-12 -> 28: 3 lines a cycle; the weights give the result exactly.
example_solve() {
  "$bin/wcs" --plugin-dir "$tmp/example" solve --strategy singles --coef=15,47,-12 --target=28 --tol=2 \
    --max-iter=50 --json >"$tmp/singles.json" && cat "$tmp/singles.json" && "$py" - "$tmp/singles.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
a = [15, 47, -12]
assert r["strategy"] == "singles", r
assert r["converged"] and r["error"] <= 2, r
assert sum(x * w for x, w in zip(a, r["weights"])) == r["result"], r
assert r["evaluations"] == 3 * r["cycles"], r
PY
}
refused() {
  mkdir -p "$tmp/broken" && cp "$build/tests/broken/wrong-fingerprint.so" "$tmp/broken/" &&
    "$bin/wcs" --plugin-dir "$tmp/broken" list 2>&1 >/dev/null | tee /dev/stderr |
    grep -q "wrong-fingerprint.so: plugin 'wrong-fingerprint' was built against wcs ABI fingerprint 'headers=0"
}
check "the out-of-tree example builds with dependency('wcs') from the installed wcs.pc" example_build
check "the installed wcs --plugin-dir lists the example, with its identity" example_listed
check "the installed wcs solves with the example" example_solve
# wcs-bench searches the plugin folders wcs does: WCS_PLUGIN_PATH too.
bench_plugin_path() {
  WCS_PLUGIN_PATH="$tmp/example" "$bin/wcs-bench" --strategies=singles,reference --n=3 --benchmark_list_tests |
    tee /dev/stderr | grep -q '^singles/N=3/cycles=1/problem=default'
}
check "the installed wcs-bench loads the example from WCS_PLUGIN_PATH" bench_plugin_path
check "the installed wcs refuses a module built against other headers" refused

if [ -n "$python" ] && [ -n "$pydir" ]; then
  python_installed() {
    PYTHONPATH="$stage$pydir" LD_PRELOAD="${WCS_TEST_PY_PRELOAD:-}" ASAN_OPTIONS=detect_leaks=0 \
      STAGE="$stage" LIB="$lib" EXAMPLE="$tmp/example" "$python" - <<'PY'
import os
import wcs
assert wcs.__file__.startswith(os.environ["STAGE"]), wcs.__file__
assert wcs.plugin_dirs() == [os.environ["LIB"] + "/wcs/strategies"], wcs.plugin_dirs()
assert wcs.solve([15, 47, -12], 28, "reference", 2, 50).weights.tolist() == [0.5, 0.5, 0.125]
assert wcs.load_plugin_dir(os.environ["EXAMPLE"]) == []
r = wcs.solve([15, 47, -12], 28, "singles", 2, 50)
assert r.strategy == "singles" and r.converged, r
PY
  }
  check "the installed Python module imports, finds the installed plugins and loads the example" python_installed
fi
finish
