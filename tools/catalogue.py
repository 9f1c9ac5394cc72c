#!/usr/bin/env python3
"""The lists of strategies a reader meets, and the facts the docs repeat from the code.

Checks against `wcs list --json`: the README's strategy table and the catalogue of
docs/strategies.md (a row per registered strategy: its name, the link to its README,
its family) and the strategies of experiments/quick.yaml (every registered strategy;
one whose declared domain is narrower than reference's may be left out by a comment
line `# NAME ...` saying why, as dp is). Checks against python/wcs/compat.py: the
table of docs/python.md names the strategy the drop-in runs for each setting.

  tools/catalogue.py WCS [--write] [--test]

WCS: the wcs program of a build with every strategy. Without --write: one line per
difference on standard error, exit 1 if there is any. With --write: adds the rows
and lines that are missing (a new strategy's row takes its registry description),
corrects families, removes those of strategies that are gone, and says what it
did (docs/python.md it only checks). --test adds the line `wcs-test: P passed, F failed`
(one check per list) that the test command counts. Exit 2 on bad usage.
"""
import ast
import json
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
STRATEGIES_DOC = ROOT / "docs" / "strategies.md"
PYTHON_DOC = ROOT / "docs" / "python.md"
COMPAT = ROOT / "python" / "wcs" / "compat.py"
QUICK = ROOT / "experiments" / "quick.yaml"
ROW = re.compile(r"^\| \[`(?P<name>[^`]+)`\]\((?P<link>[^)]+)\) \| (?P<family>[a-z]+) \| (?P<idea>.*) \|$")
# docs/strategies.md: | [`name`](link) | seed idea | family | what it does |
DOC_ROW = re.compile(r"^\| \[`(?P<name>[^`]+)`\]\((?P<link>[^)]+)\) \| (?P<seed>[^|]*) \| (?P<family>[a-z]+) \| (?P<what>.*) \|$")
# docs/python.md's table of the drop-in: (compat.py's constant, the setting of the
# original's class that starts a row's first column, what that row's second column
# must say with the constant's value in it).
DROP_IN_FACTS = [
    ("EXHAUSTIVE", "`early_stopping=False`", "`{}`"),
    ("EARLY_STOP", "`early_stopping=True`", "`{}`"),
    ("SAMPLING", '`sampler="sampling"`', "`{}`"),
    ("SAMPLING_SEED", "`adaptive_sampling=True`", "seeded with {}"),
]
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


def check_strategies_doc(strategies, write):
    """docs/strategies.md's catalogue: a row per registered strategy, its family."""
    lines = STRATEGIES_DOC.read_text().split("\n")
    start = lines.index("## The catalogue")
    header = next(i for i in range(start, len(lines)) if lines[i].startswith("| name | seed idea | family |"))
    first = end = header + 2
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    where = "docs/strategies.md: the catalogue"
    problems, kept, seen = [], [], set()
    for line in lines[first:end]:
        m = DOC_ROW.match(line)
        if not m:
            problems.append(f"{where}: a row that is not '| [`name`](link) | seed idea | family | what it does |': {line}")
            kept.append(line)
            continue
        name = m["name"]
        seen.add(name)
        if name not in strategies:
            problems.append(f"{where}: '{name}' is not registered (wcs list)")
            continue
        family, link = strategies[name]["family"], f"../strategies/{name}/README.md"
        if m["family"] != family or m["link"] != link:
            problems.append(f"{where}: '{name}' has family '{m['family']}' and link {m['link']}; "
                            f"wcs list says family '{family}', and its README is {link}")
            line = f"| [`{name}`]({link}) | {m['seed']} | {family} | {m['what']} |"
        kept.append(line)
    for name, s in strategies.items():
        if name not in seen:
            problems.append(f"{where}: no row for '{name}' (family {s['family']})")
            kept.append(f"| [`{name}`](../strategies/{name}/README.md) | (say which) | {s['family']} | "
                        f"{s['description']} |")
    if write and problems:
        STRATEGIES_DOC.write_text("\n".join(lines[:first] + kept + lines[end:]))
    return problems


def compat_constants():
    """The constants of python/wcs/compat.py that DROP_IN_FACTS names, by name."""
    wanted = {constant for constant, _, _ in DROP_IN_FACTS}
    found = {}
    for node in ast.parse(COMPAT.read_text()).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id in wanted:
                    found[target.id] = node.value.value
    return found


def check_python_doc(strategies):
    """docs/python.md's table of the drop-in: each setting runs what compat.py runs."""
    lines = PYTHON_DOC.read_text().split("\n")
    values = compat_constants()
    problems = []
    for constant, setting, says in DROP_IN_FACTS:
        if constant not in values:
            problems.append(f"python/wcs/compat.py: no constant {constant} (docs/python.md's row of {setting})")
            continue
        value = values[constant]
        if isinstance(value, str) and value not in strategies:
            problems.append(f"python/wcs/compat.py: {constant} = '{value}' is not registered (wcs list)")
        rows = [line.split(" | ") for line in lines if line.startswith("| ") and setting in line.split(" | ")[0]]
        if len(rows) != 1:
            problems.append(f"docs/python.md: {len(rows)} rows of the drop-in's table start with {setting} (expected 1)")
        elif len(rows[0]) < 2 or says.format(value) not in rows[0][1]:
            problems.append(f"docs/python.md: the row of {setting} does not say {says.format(value)} "
                            f"(compat.py's {constant}): {' | '.join(rows[0][1:2])}")
    return problems


def main(argv):
    flags = {"--write", "--test"}
    args = [a for a in argv if a not in flags]
    if len(args) != 1 or args[0].startswith("-"):
        print("usage: tools/catalogue.py WCS [--write] [--test]", file=sys.stderr)
        return 2
    write = "--write" in argv
    strategies = registered(args[0])
    lists = [check_readme(strategies, write), check_strategies_doc(strategies, write), check_quick(strategies, write),
             check_python_doc(strategies)]
    problems = [p for found in lists for p in found]
    for p in problems:
        print(("fixed: " if write else "") + p, file=sys.stderr)
    if not problems:
        print(f"catalogue: README.md, docs/strategies.md and experiments/quick.yaml list the {len(strategies)} "
              "strategies of wcs list; docs/python.md names the strategies the drop-in runs")
    if "--test" in argv:  # the line tools/count_tests.py counts: one check per list
        bad = sum(1 for found in lists if found)
        print(f"wcs-test: {len(lists) - bad} passed, {bad} failed")
    return 0 if write or not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
