#!/usr/bin/env python3
"""Permutations of units drawn exactly as Compendium.Econometrics draws them (independent re-implementation).

Generator: SplitMix64 (Steele, Lea and Flood 2014; Vigna's reference C code splitmix64.c):
    state += 0x9E3779B97F4A7C15
    z = (state ^ (state >> 30)) * 0xBF58476D1CE4E5B9
    z = (z ^ (z >> 27)) * 0x94D049BB133111EB
    return z ^ (z >> 31)                       (all arithmetic modulo 2^64)
seeded with the seed itself (state = seed). Seed 1234567 gives 6457827717110365317,
3203168211198807973, 9817491932198370423, ... (the published test vector).

Integer in [0, n): Lemire (2019), "Fast random integer generation in an interval", ACM TOMACS 29(1):
multiply a 64-bit draw by n (128-bit product), keep the high 64 bits; reject while the low 64 bits
are below (2^64 - n) mod n. Unbiased.

Permutation of U units within strata (one per draw, each starting from the identity 0..U-1): the
units are numbered in order of first appearance in the data; the strata are taken in order of first
appearance too; for each stratum, the list of its units' positions (ascending) is shuffled by
Fisher-Yates (Durstenfeld): for i = m-1 down to 1, j = integer in [0, i+1), swap a[i] and a[j]; the
k-th unit of the stratum is then mapped to the k-th entry of the shuffled list. Unit u takes the
group labels (and moderator values) of unit perm[u]. Without strata, one stratum holds every unit.
Draws follow each other on one stream.

usage: python3 splitmix_permutations.py SEED DRAWS PANEL.csv UNIT STRATA OUT.csv
  (STRATA = - for no strata). Output: one line per draw, "draw,p0,p1,...,p{U-1}" (0-based).
"""
import csv
import sys

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        m = self.next() * n
        low = m & MASK
        if low < n:
            t = ((1 << 64) - n) % n
            while low < t:
                m = self.next() * n
                low = m & MASK
        return m >> 64


def permutations(seed, draws, strata):
    """strata: the stratum of each unit, units in order of first appearance."""
    rng = SplitMix64(seed)
    groups = {}
    for u, s in enumerate(strata):
        groups.setdefault(s, []).append(u)          # dicts keep insertion (first-appearance) order
    for _ in range(draws):
        perm = list(range(len(strata)))
        for members in groups.values():
            a = list(members)
            for i in range(len(a) - 1, 0, -1):
                j = rng.below(i + 1)
                a[i], a[j] = a[j], a[i]
            for k, u in enumerate(members):
                perm[u] = a[k]
        yield perm


def unit_strata(path, unit, strata):
    seen = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            s = "" if strata == "-" else row[strata]
            if seen.setdefault(row[unit], s) != s:
                sys.exit(f"{path}: {strata} varies within {unit} {row[unit]}")
    return list(seen.values())


if __name__ == "__main__":
    if len(sys.argv) != 7:
        sys.exit("usage: python3 splitmix_permutations.py SEED DRAWS PANEL.csv UNIT STRATA OUT.csv")
    seed, draws, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[6]
    check = SplitMix64(1234567)
    assert [check.next() for _ in range(3)] == [6457827717110365317, 3203168211198807973, 9817491932198370423]
    strata = unit_strata(sys.argv[3], sys.argv[4], sys.argv[5])
    with open(out, "w", newline="\n") as f:
        for b, p in enumerate(permutations(seed, draws, strata), start=1):
            f.write(str(b) + "," + ",".join(map(str, p)) + "\n")
