#!/usr/bin/env python3
"""The lists of strategies a reader meets, against `wcs list --json`.

Checks the README's strategy table (a row per registered strategy: its name, the
link to its README, its family) and the strategies of experiments/quick.yaml (every
registered strategy; one whose declared domain is narrower than reference's may be
left out by a comment line `# NAME ...` saying why, as dp is).

  tools/catalogue.py WCS [--write] [--test]

WCS: the wcs program of a build with every strategy. Without --write: one line per
difference on standard error, exit 1 if there is any. With --write: adds the rows
and lines that are missing (a new strategy's row takes its registry description),
corrects families, removes those of strategies that are gone, and says what it did.
--test adds the line `wcs-test: P passed, F failed` (one check per list) that
the test command counts. Exit 2 on bad usage.
"""
import json
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
QUICK = ROOT / "experiments" / "quick.yaml"
ROW = re.compile(r"^\| \[`(?P<name>[^`]+)`\]\((?P<link>[^)]+)\) \| (?P<family>[a-z]+) \| (?P<idea>.*) \|$")
ENTRY = re.compile(r"^  - name: (?P<name>\S+)\s*$")
LEFT_OUT = re.compile(r"^  # (?P<name>[a-z][a-z0-9-]*) ")


def registered(wcs):
    out = subprocess.run([wcs, "list", "--json"], check=True, capture_output=True, text=True).stdout
    return {s["name"]: s for s in json.loads(out)}


def table_rows(lines):
    """Index range [first, end) of the strategy table's rows in the README."""
    start = lines.index("## Strategies")
    header = next(i for i in range(start, len(lines)) if lines[i].startswith("| name | family |"))
    first = header + 2
    end = first
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return first, end


def readme_row(s):
    return f"| [`{s['name']}`](strategies/{s['name']}/README.md) | {s['family']} | {s['description']} |"


def check_readme(strategies, write):
    lines = README.read_text().split("\n")
    first, end = table_rows(lines)
    problems, kept, seen = [], [], set()
    for line in lines[first:end]:
        m = ROW.match(line)
        if not m:
            problems.append(f"README.md: strategy table: a row that is not '| [`name`](link) | family | idea |': {line}")
            kept.append(line)
            continue
        name = m["name"]
        seen.add(name)
        if name not in strategies:
            problems.append(f"README.md: strategy table: '{name}' is not registered (wcs list)")
            continue
        family = strategies[name]["family"]
        link = f"strategies/{name}/README.md"
        if m["family"] != family or m["link"] != link:
            problems.append(f"README.md: strategy table: '{name}' has family '{m['family']}' and link {m['link']}; "
                            f"wcs list says family '{family}', and its README is {link}")
            line = f"| [`{name}`]({link}) | {family} | {m['idea']} |"
        kept.append(line)
    for name, s in strategies.items():
        if name not in seen:
            problems.append(f"README.md: strategy table: no row for '{name}' (family {s['family']})")
            kept.append(readme_row(s))
    if write and problems:
        README.write_text("\n".join(lines[:first] + kept + lines[end:]))
    return problems


def check_quick(strategies, write):
    lines = QUICK.read_text().split("\n")
    start = lines.index("strategies:")
    end = start + 1
    while end < len(lines) and (lines[end].startswith(" ") or not lines[end]):
        end += 1
    problems, kept, named, left_out = [], [], set(), set()
    for line in lines[start + 1:end]:
        m = ENTRY.match(line)
        if m and m["name"] not in strategies:
            problems.append(f"experiments/quick.yaml: strategies: '{m['name']}' is not registered (wcs list)")
            continue
        if m:
            named.add(m["name"])
        c = LEFT_OUT.match(line)
        if c and c["name"] in strategies:
            left_out.add(c["name"])
        kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    for name in left_out - named:
        if not strategies[name]["domain"]:
            problems.append(f"experiments/quick.yaml: strategies: '{name}' is left out, but its domain is "
                            "reference's: it takes every problem, so it belongs in the list")
            kept.append(f"  - name: {name}")
    for name in strategies:
        if name not in named and name not in left_out:
            problems.append(f"experiments/quick.yaml: strategies: '{name}' is missing "
                            f"(a line '  - name: {name}', or a comment '  # {name} ...' if its domain excludes a problem)")
            kept.append(f"  - name: {name}")
    if write and problems:
        QUICK.write_text("\n".join(lines[:start + 1] + kept + [""] + lines[end:]).rstrip("\n") + "\n")
    return problems


def main(argv):
    flags = {"--write", "--test"}
    args = [a for a in argv if a not in flags]
    if len(args) != 1 or args[0].startswith("-"):
        print("usage: tools/catalogue.py WCS [--write] [--test]", file=sys.stderr)
        return 2
    write = "--write" in argv
    strategies = registered(args[0])
    lists = [check_readme(strategies, write), check_quick(strategies, write)]
    problems = [p for found in lists for p in found]
    for p in problems:
        print(("fixed: " if write else "") + p, file=sys.stderr)
    if not problems:
        print(f"catalogue: README.md and experiments/quick.yaml list the {len(strategies)} strategies of wcs list")
    if "--test" in argv:  # the line tools/count_tests.py counts: one check per list
        bad = sum(1 for found in lists if found)
        print(f"wcs-test: {len(lists) - bad} passed, {bad} failed")
    return 0 if write or not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
