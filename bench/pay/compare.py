#!/usr/bin/env python3
"""Compare per-person commission totals: jixiao's csv output against an SQL result.

    compare.py JIXIAO_CSV SQL_CSV LABEL

JIXIAO_CSV is the output of `jixiao run --format csv` (columns id, ..., commission,
..., flags); SQL_CSV has rows "person,commission" without a header.  Every person on
either side is compared (missing = 0.00).  A person whose SQL total is negative and
whose jixiao commission is higher, with the flag clawback_carried, is a clawback that
jixiao capped at 20% of the month's pay (domain.md §5.1): counted apart, not a
difference.  Prints one summary line; exit status 1 when there are differences.
"""
import csv
import sys


def fen(text):
    text = text.strip()
    neg = text.startswith("-")
    whole, _, frac = text.lstrip("-").partition(".")
    v = int(whole or "0") * 100 + int((frac + "00")[:2])
    return -v if neg else v


def main():
    jx_path, sql_path, label = sys.argv[1:4]
    jx, flags = {}, {}
    with open(jx_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            jx[row["id"]] = fen(row["commission"])
            flags[row["id"]] = row.get("flags", "")
    sq = {}
    with open(sql_path, newline="", encoding="utf-8") as f:
        for row in csv.reader(f):
            if row:
                sq[row[0].strip()] = fen(row[1])
    diff, capped, only_sql, worst = [], 0, 0, 0
    for p in sorted(set(jx) | set(sq)):
        a, b = jx.get(p, 0), sq.get(p, 0)
        if p not in jx and b != 0:
            only_sql += 1
        if a == b:
            continue
        if b < 0 and a > b and "clawback_carried" in flags.get(p, ""):
            capped += 1
            continue
        diff.append((p, a, b))
        worst = max(worst, abs(a - b))
    total_j, total_s = sum(jx.values()), sum(sq.values())
    print("%s: %d people compared, %d differ (largest %.2f), %d clawbacks capped by jixiao, "
          "%d paid only by SQL; totals jixiao %.2f, %s %.2f"
          % (label, len(set(jx) | set(sq)), len(diff), worst / 100, capped, only_sql,
             total_j / 100, label, total_s / 100))
    for p, a, b in diff[:10]:
        print("  %s: jixiao %.2f, %s %.2f" % (p, a / 100, label, b / 100))
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
