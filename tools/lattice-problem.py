#!/usr/bin/env python3
"""Prints a lattice problem of issue 23 as `wcs solve` arguments: N coefficients
uniform in +-[1, 99] with D decimals (each sign with probability 1/2), and a target
that is the sum of a random subset (a lattice point that some line reaches, where
lines tie by the billion at N = 60), or with --far a random lattice point in
+-[0, 500].

    tools/lattice-problem.py N DECIMALS SEED [--far]
    wcs solve --strategy mitm --max-iter=1 $(tools/lattice-problem.py 60 4 23)

The figures of strategies/mitm/README.md ("Where exactness costs") use seed 23.
"""
import random
import sys


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 3:
        sys.exit(__doc__)
    n, decimals, seed = int(args[0]), int(args[1]), int(args[2])
    far = "--far" in argv
    rng = random.Random(seed)
    scale = 10 ** decimals
    units = []
    for _ in range(n):
        u = rng.randint(scale, 99 * scale)
        units.append(-u if rng.random() < 0.5 else u)
    if far:
        target = rng.randint(-500 * scale, 500 * scale)
    else:
        target = sum(u for u in units if rng.random() < 0.5)

    def text(u):
        return f"{u / scale:.{decimals}f}" if decimals else str(u)

    print(f"--coef={','.join(text(u) for u in units)} --target={text(target)}")


if __name__ == "__main__":
    main(sys.argv[1:])
