#!/usr/bin/env python3
"""Tests of src/wcs/identity.py, the build's hash of sources.

- Comments and the amount of white space do not change a hash; a change of code, of
  a string or character literal (// and /* inside one are not comments), of a raw
  string, of a number with digit separators, of a line break that ends a
  preprocessor line, of a file's name, of a define, or a new file does.
- `sources` writes the C++ file and a depfile naming every file and folder it read,
  leaves test files out, and does not rewrite an output whose text is the same.

Run by meson. Ends with "wcs-test: P passed, F failed".
"""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "src", "wcs", "identity.py")
sys.path.insert(0, os.path.dirname(SCRIPT))
import identity  # noqa: E402

passed = failed = 0


def check(condition, what):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print(f"FAILED: {what}")


BASE = '''// A file.
#include <cstdio>
#define TWICE(x) ((x) + (x))
const char* s = "a // b /* c */";
const char* r = R"x(raw " // )" text)x";
char q = '\\''; char slash = '/';
int big = 1'000'000;  // separators
int f(int a) {
  return TWICE(a) + big; /* block */
}
'''

SAME = [
    ("a comment edited", BASE.replace("// separators", "// digit separators, explained")),
    ("a block comment edited", BASE.replace("/* block */", "/* a longer\n   block comment */")),
    ("a comment added", "// New first line.\n" + BASE),
    ("re-indented", BASE.replace("  return", "      return")),
    ("spaces doubled", BASE.replace("int f(int a)", "int  f(int  a)")),
    ("blank lines added", BASE.replace("\nint f", "\n\n\nint f")),
]
DIFFERENT = [
    ("code", BASE.replace("+ big", "- big")),
    ("a string's comment-like text", BASE.replace('"a // b /* c */"', '"a // B /* c */"')),
    ("a raw string's comment-like text", BASE.replace(' // )" text', ' // )" TEXT')),
    ("a character literal", BASE.replace("slash = '/'", "slash = '*'")),
    ("a number with digit separators", BASE.replace("1'000'000", "1'000'001")),
    ("a space that makes a function-like macro object-like", BASE.replace("TWICE(x)", "TWICE (x)")),
    ("a preprocessor line joined to code", BASE.replace("(x) + (x))\nconst", "(x) + (x)) const")),
    ("tokens split", BASE.replace("int big", "in t big")),
]


def test_normalised():
    base = identity.normalised(BASE)
    for what, text in SAME:
        check(identity.normalised(text) == base, f"{what} changes the text hashed:\n{identity.normalised(text)!r}")
    for what, text in DIFFERENT:
        check(identity.normalised(text) != base, f"{what} does not change the text hashed")
    check('"a // b /* c */"' in base and "separators" not in base and "block" not in base,
          f"literals kept, comments gone: {base!r}")


def sources(folder, *paths, defines=()):
    out, dep = os.path.join(folder, "id.cpp"), os.path.join(folder, "id.d")
    args = [sys.executable, SCRIPT, "sources", out, dep, "wcs_module_identity"]
    for d in defines:
        args += ["--define", d]
    subprocess.run(args + list(paths), check=True)
    with open(out) as f:
        text = f.read()
    with open(dep) as f:
        return text, f.read(), os.stat(out).st_mtime_ns


def test_sources():
    with tempfile.TemporaryDirectory() as tmp:
        mod = os.path.join(tmp, "mod")
        os.mkdir(mod)
        for name, text in [("mod.cpp", BASE), ("mod_test.cpp", "int t;"), ("README.md", "text")]:
            with open(os.path.join(mod, name), "w") as f:
                f.write(text)
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        text, dep, mtime = sources(out, mod, defines=["WCS_STRATEGY_NAME=a"])
        check('extern "C" __attribute__((visibility("hidden"))) const char wcs_module_identity[] = "' in text,
              f"the generated file defines the symbol: {text}")
        check(os.path.join(mod, "mod.cpp") in dep and dep.rstrip().endswith(mod) and "mod_test.cpp" not in dep,
              f"the depfile names the source and the folder, not the test: {dep}")
        again = sources(out, mod, defines=["WCS_STRATEGY_NAME=a"])
        check(again[0] == text and again[2] == mtime, "a second run with the same sources rewrites the output")
        with open(os.path.join(mod, "mod_test.cpp"), "w") as f:
            f.write("int changed_test;")
        check(sources(out, mod, defines=["WCS_STRATEGY_NAME=a"])[0] == text, "a change to the test changes the hash")
        check(sources(out, mod, defines=["WCS_STRATEGY_NAME=b"])[0] != text, "another define keeps the hash")
        with open(os.path.join(mod, "extra.hpp"), "w") as f:
            f.write("// only a comment\n")
        check(sources(out, mod, defines=["WCS_STRATEGY_NAME=a"])[0] != text, "a new file keeps the hash")
        os.remove(os.path.join(mod, "extra.hpp"))
        os.rename(os.path.join(mod, "mod.cpp"), os.path.join(mod, "renamed.cpp"))
        check(sources(out, mod, defines=["WCS_STRATEGY_NAME=a"])[0] != text, "a renamed file keeps the hash")
        bad = subprocess.run([sys.executable, SCRIPT, "sources", os.path.join(out, "x.cpp"), os.path.join(out, "x.d"),
                              "wcs_module_identity", os.path.join(tmp, "missing")], capture_output=True, text=True)
        check(bad.returncode != 0 and "missing" in bad.stderr, f"a missing path is an error naming it: {bad.stderr}")


if __name__ == "__main__":
    test_normalised()
    test_sources()
    print(f"wcs-test: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
