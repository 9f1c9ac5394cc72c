#!/usr/bin/env python3
"""Instructions and data reads per line of the enumeration kernels, counted by callgrind.

    tools/kernels_counts.py [BUILD_DIR] [--n=N] [--out=results/kernels/counts.md]

Runs tests/kernels/kernels_counts (one kernel over the whole first cycle of a
wcs-bench problem) under valgrind --tool=callgrind --cache-sim=yes, counting only
the kernel call, for gray and every xsimd instance valgrind's CPU runs (valgrind 3.19
has no AVX-512, and Highway's library does not start under it here), and writes a
Markdown table: instructions, data reads and simulated L1 read misses per line, the
vector filter's instructions per line it scanned, the driver's per block, and gray's
instructions per line over the kernel's. Every number comes from the counts; the
machine does not matter (instruction counts do not depend on load or frequency).
Exit status 2 on bad usage or a missing tool.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

KERNELS = ["gray/scalar", "simd-xsimd/avx2", "simd-xsimd/sse2", "simd-xsimd-f64/avx2", "simd-xsimd-f64/sse2"]
PROBLEMS = ["decimal", "integer"]
EVENTS = ["Ir", "Dr", "Dw", "I1mr", "D1mr"]


def fail(message):
    print(f"kernels_counts: {message}", file=sys.stderr)
    sys.exit(2)


def count(exe, name, n):
    """(program output fields, totals by event, inclusive Ir of the filter and of the double pass)."""
    with tempfile.TemporaryDirectory() as tmp:
        out_file = os.path.join(tmp, "callgrind.out")
        run = subprocess.run(["valgrind", "--tool=callgrind", "--cache-sim=yes", "--toggle-collect=*run_once*",
                              f"--callgrind-out-file={out_file}", exe, name, f"--n={n}"],
                             capture_output=True, text=True)
        if run.returncode != 0:
            return None
        fields = dict(kv.split("=", 1) for kv in run.stdout.split() if "=" in kv)
        annotate = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--show-percs=no", out_file],
                                  capture_output=True, text=True, check=True).stdout
    totals, part = {}, {"filter": 0, "double": 0}
    head = None
    for line in annotate.splitlines():
        cells = line.split()
        if cells[:len(EVENTS)] == EVENTS:
            head = cells
        elif "PROGRAM TOTALS" in line and head:
            totals = {e: int(v.replace(",", "")) for e, v in zip(head, cells) if re.fullmatch(r"[\d,]+", v)}
        elif head and re.match(r"^\s*[\d,]+ ", line):
            ir = int(cells[0].replace(",", ""))
            if "BlockFilter::operator()" in line:
                part["filter"] = max(part["filter"], ir)
            elif "BlockMin::operator()" in line or "BlockFind::operator()" in line:
                part["double"] += ir
    return fields, totals, part


def main(argv):
    build, n, out = "build", 24, "results/kernels/counts.md"
    for arg in argv[1:]:
        if arg.startswith("--n="):
            if not arg[4:].isdigit() or not 12 <= int(arg[4:]) <= 30:
                fail(f"--n: '{arg[4:]}' is not an integer in 12..30")
            n = int(arg[4:])
        elif arg.startswith("--out="):
            out = arg[6:]
        elif arg.startswith("-"):
            fail(f"unknown option '{arg}' (usage: tools/kernels_counts.py [BUILD_DIR] [--n=N] [--out=FILE])")
        else:
            build = arg
    exe = os.path.join(build, "tests", "kernels", "kernels_counts")
    if not os.access(exe, os.X_OK):
        fail(f"BUILD_DIR: '{build}' has no tests/kernels/kernels_counts (meson compile -C {build} kernels_counts)")
    for tool in ("valgrind", "callgrind_annotate"):
        if not shutil.which(tool):
            fail(f"{tool} is not installed (apt-get install valgrind)")
    version = subprocess.run(["valgrind", "--version"], capture_output=True, text=True).stdout.strip()
    rows, gray = [], {}
    for problem in PROBLEMS:
        for kernel in KERNELS:
            got = count(exe, f"{kernel}/{problem}", n)
            if got is None:
                rows.append(f"| `{kernel.split('/')[0]}` | {kernel.split('/')[1]} | `{problem}` | "
                            "not runnable under valgrind here | | | | | | | |")
                continue
            fields, totals, part = got
            lines = int(fields["lines"])
            block = int(fields["block_lines"])
            filtered = int(fields["filtered_blocks"])
            blocks = (lines + 1) // block
            ir = totals["Ir"]
            if kernel.startswith("gray"):
                gray[problem] = ir / lines
            # A filter that never ran (every block ruled out before it) has no figure per line.
            ran = filtered and part["filter"]
            scanned = f"{part['filter'] / (filtered * block):.3g}" if ran else ""
            driver = (ir - part["filter"] - part["double"]) / blocks
            ratio = f"{gray[problem] / (ir / lines):.3g}x" if problem in gray else ""
            # The ceiling by instruction count of the enumeration proper: gray's instructions
            # per line over the vector filter's per line it scanned.
            ceiling = f"{gray[problem] / (part['filter'] / (filtered * block)):.3g}x" if ran and problem in gray else ""
            rows.append(f"| `{kernel.split('/')[0]}` | {kernel.split('/')[1]} | `{problem}` | {ir / lines:.3g} | "
                        f"{totals['Dr'] / lines:.3g} | {totals.get('D1mr', 0) / lines:.2g} | {scanned} | "
                        f"{'' if kernel.startswith('gray') else f'{driver:.3g}'} | "
                        f"{'' if kernel.startswith('gray') else fields['double_blocks']} | "
                        f"{ratio} | {ceiling} |")
    text = ["# Kernel instruction counts", "",
            f"Generated by `tools/kernels_counts.py` ({version}, callgrind with its cache simulation) from",
            f"`tests/kernels/kernels_counts`: one kernel over the whole first cycle at N = {n}, counted from",
            "the kernel call only. Per line = per line of the cycle. `filter / scanned line`: the vector",
            "filter's instructions over the lines it went through; `driver / block`: everything else",
            "(high sums, windows, the table's build) over the cycle's blocks of 2^11 lines; `double`:",
            "blocks scanned again in double. `-f64` is the double pass alone. `gray / kernel`: gray's",
            "instructions per line over the kernel's; `gray / filter`: over the filter's per scanned line",
            "(the enumeration proper, without the driver). AVX-512 and Highway's targets cannot be",
            "counted here (see the script's docstring); see docs/performance.md.", "",
            "| kernel | isa | problem | instructions / line | data reads / line | L1 read misses / line | "
            "filter / scanned line | driver / block | double | `gray` / kernel | `gray` / filter |",
            "|---|---|---|---|---|---|---|---|---|---|---|"] + rows + [""]
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out + ".partial", "w") as f:
        f.write("\n".join(text))
    os.replace(out + ".partial", out)
    print(f"kernels_counts: {out}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
