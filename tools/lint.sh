#!/usr/bin/env bash
# The habits of the house, checked: clang-tidy-14 with the checks of .clang-tidy over
# the C++ files of the tree that a build compiles (its compile_commands.json), and
# the shellcheck tool over the shell scripts of tools/ and tests/. With --format, also lists
# the C++ files whose formatting differs from .clang-format (it changes nothing:
# format the files you touch with clang-format-14 -i).
#   tools/lint.sh [--format] [BUILD_DIR]      BUILD_DIR: a configured build (default: build)
#   tools/lint.sh FILE...                     clang-tidy on these C++ files only
# Exit status: 0 clean, 1 findings, 2 bad usage or missing tool (tools/setup.sh installs them).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

usage() { echo "usage: tools/lint.sh [--format] [BUILD_DIR] | tools/lint.sh FILE.cpp..." >&2; exit 2; }
format=0
build=build
files=()
for arg in "$@"; do
  case "$arg" in
    --format) format=1 ;;
    -h|--help) usage ;;
    -*) echo "lint: unknown option '$arg'" >&2; usage ;;
    *.cpp|*.hpp) files+=("$arg") ;;
    *) build="$arg" ;;
  esac
done
for tool in clang-tidy-14 shellcheck; do
  command -v "$tool" >/dev/null 2>&1 || { echo "lint: $tool is not installed (tools/setup.sh installs it)" >&2; exit 2; }
done
if [ ! -f "$build/compile_commands.json" ]; then
  echo "lint: BUILD_DIR: '$build' has no compile_commands.json (configure it: tools/setup.sh $build)" >&2
  exit 2
fi

status=0
# The C++ files the build compiles, in the source tree (not generated ones).
if [ ${#files[@]} -eq 0 ]; then
  mapfile -t files < <(python3 - "$build/compile_commands.json" <<'PY'
import json, os, sys
root = os.path.realpath(".")
seen = set()
for e in json.load(open(sys.argv[1])):
    f = os.path.realpath(os.path.join(e["directory"], e["file"]))
    rel = os.path.relpath(f, root)
    if not rel.startswith(("..", "build")) and rel not in seen:
        seen.add(rel)
        print(rel)
PY
)
fi
echo "lint: clang-tidy-14 on ${#files[@]} files (two at a time)" >&2
tidy_out=$(mktemp)
trap 'rm -f "$tidy_out"' EXIT
printf '%s\n' "${files[@]}" | xargs -P 2 -n 4 clang-tidy-14 -p "$build" --quiet --warnings-as-errors='*' --extra-arg=-Wno-unknown-warning-option >"$tidy_out" 2>/dev/null || status=1
findings=$(grep -c ': \(warning\|error\): ' "$tidy_out" || true)
cat "$tidy_out"
echo "lint: clang-tidy: $findings findings" >&2

# Every shell script of tools/ and tests/.
mapfile -t scripts < <(git ls-files 'tools/*.sh' 'tests/*.sh')
if shellcheck "${scripts[@]}"; then
  echo "lint: shellcheck: ${#scripts[@]} scripts, no findings" >&2
else
  status=1
fi

if [ "$format" = 1 ]; then
  command -v clang-format-14 >/dev/null 2>&1 || { echo "lint: clang-format-14 is not installed (tools/setup.sh installs it)" >&2; exit 2; }
  mapfile -t sources < <(git ls-files '*.cpp' '*.hpp')
  differ=0
  for f in "${sources[@]}"; do
    if ! clang-format-14 --dry-run -Werror "$f" >/dev/null 2>&1; then
      echo "format: $f"
      differ=$((differ + 1))
    fi
  done
  echo "lint: clang-format: $differ of ${#sources[@]} files differ from .clang-format (not an error: format what you touch)" >&2
fi
exit $status
