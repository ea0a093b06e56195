#!/usr/bin/env python3
"""Times pabutools (the Python reference library) on one pabulib file, for the
speed comparison printed by pb_compare.sh. pabutools itself is not part of this
repository: point PABUTOOLS_DIR at a local copy (see bench/README section in
pb_compare.sh).

Usage: pb_pabutools.py FILE.pb [rule ...]; rules: mes_add1 (default), mes, phragmen,
greedy. Prints "pabutools RULE SECONDS N_SELECTED TOTAL_COST" per rule, then
"selected RULE ID,ID,..." (project ids sorted as text) to compare with a published
outcome, e.g. the results of a round exported from Communitise."""
import os
import sys
import time

sys.path.insert(0, os.environ.get("PABUTOOLS_DIR", "/work/ref/pabutools-1.2.3"))

from pabutools.election import Cost_Sat, parse_pabulib  # noqa: E402
from pabutools.rules import (  # noqa: E402
    greedy_utilitarian_welfare,
    method_of_equal_shares,
    sequential_phragmen,
)


def main():
    path = sys.argv[1]
    rules = sys.argv[2:] or ["mes_add1"]
    t0 = time.perf_counter()
    instance, profile = parse_pabulib(path)
    parse_s = time.perf_counter() - t0
    print(f"pabutools parse {parse_s:.3f}", flush=True)
    multi = profile.as_multiprofile()
    for rule in rules:
        t0 = time.perf_counter()
        if rule == "mes_add1":
            out = method_of_equal_shares(instance, multi, sat_class=Cost_Sat,
                                         voter_budget_increment=1)
        elif rule == "mes":
            out = method_of_equal_shares(instance, multi, sat_class=Cost_Sat)
        elif rule == "phragmen":
            out = sequential_phragmen(instance, multi)
        elif rule == "greedy":
            out = greedy_utilitarian_welfare(instance, multi, sat_class=Cost_Sat)
        else:
            raise SystemExit(f"unknown rule {rule}")
        seconds = time.perf_counter() - t0
        ids = sorted(p.name for p in out)
        cost = sum(p.cost for p in out)
        print(f"pabutools {rule} {seconds:.3f} {len(ids)} {cost}", flush=True)
        print(f"selected {rule} {','.join(ids)}", flush=True)


if __name__ == "__main__":
    main()
