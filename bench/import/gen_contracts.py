#!/usr/bin/env python3
"""Write a deterministic synthetic company for the import benchmark.

    gen_contracts.py N OUT_DIR [--seed S]

OUT_DIR receives units.csv, people.csv, customers.csv and contracts.csv
(the import formats of interfaces.md).  contracts.csv has exactly N data rows
(contract lines): 1 to 3 lines per contract, every contract-level field the
same on each of its lines, about one contract in ten split between two reps,
and a few product names that need CSV quoting.  The company grows with N
(about one rep per 500 lines and one customer per 25), so references stay
realistic.  The same N and seed always give the same bytes.

Money is generated as whole fen and written with integer arithmetic.
"""
import argparse
import csv
import datetime
import os
import random

PRODUCTS = ["服务器 S1", "服务器 S2", "存储阵列", "交换机", "防火墙", "工作站",
            "软件许可（年）", "安装调试", "维保服务", "培训", "Cable kit, 5m",
            'Rack "42U"', "UPS 10kVA", "传感器", "网关"]
LEVELS = [("center", 4), ("department", 4), ("team", 4)]  # children per parent


def yuan(fen):
    """fen as yuan text with two decimals, without floating point."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return "%s%d.%02d" % (sign, fen // 100, fen % 100)


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int, help="number of contract lines")
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=20250801)
    a = ap.parse_args()
    if a.n < 1:
        ap.error("N must be at least 1")
    rnd = random.Random(a.seed)
    os.makedirs(a.out_dir, exist_ok=True)

    # Units: one company, 4 centers, 16 departments, 64 teams.
    units = [("U0", "总公司", "", "company")]
    parents, teams, depts = ["U0"], [], []
    for kind, fan in LEVELS:
        children = []
        for p in parents:
            for i in range(fan):
                uid = "%s%d" % (p, i + 1)
                units.append((uid, "%s-%s%d" % (p, kind, i + 1), p, kind))
                children.append(uid)
        parents = children
        if kind == "department":
            depts = children
        if kind == "team":
            teams = children
    write(os.path.join(a.out_dir, "units.csv"), ["id", "name", "parent_id", "kind"], units)

    # People: a director, a manager per department, reps spread over teams.
    people = [("E0001", "总监", "U0", "director", "", "2015-01-05", "regular", "30000.00",
               "3000.00")]
    managers = {}
    for i, d in enumerate(depts):
        pid = "M%03d" % (i + 1)
        managers[d] = pid
        people.append((pid, "经理%d" % (i + 1), d, "manager", "E0001", "2018-03-01",
                       "regular", yuan(rnd.randrange(800000, 1500000, 100)), "800.00"))
    nreps = max(20, a.n // 500)
    reps = []
    base = datetime.date(2016, 1, 1).toordinal()
    for i in range(nreps):
        team = teams[i % len(teams)]
        pid = "R%05d" % (i + 1)
        reps.append(pid)
        hired = datetime.date.fromordinal(base + rnd.randrange(0, 3500)).isoformat()
        status = "probation" if hired >= "2025-06-01" else "regular"
        people.append((pid, "销售%d" % (i + 1), team, "rep", managers[team[:-1]], hired,
                       status, yuan(rnd.randrange(400000, 900000, 100)),
                       yuan(rnd.choice([0, 30000, 50000])) if rnd.random() < 0.3 else ""))
    write(os.path.join(a.out_dir, "people.csv"),
          ["id", "name", "unit_id", "role", "manager_id", "hire_date", "status",
           "base_salary", "allowance"], people)

    # Customers, each owned by a rep.
    ncust = max(50, a.n // 25)
    customers, owner = [], {}
    for i in range(ncust):
        cid = "C%06d" % (i + 1)
        kind = rnd.choices(["customer", "agent", "distributor"], [80, 12, 8])[0]
        owner[cid] = rnd.choice(reps)
        signed = datetime.date.fromordinal(base + rnd.randrange(0, 3500)).isoformat()
        customers.append((cid, "客户%d有限公司" % (i + 1), kind, rnd.choice("AABBBCC"),
                          rnd.choice(["", "high_potential", "stable", "watching"]),
                          owner[cid], signed if rnd.random() < 0.7 else ""))
    write(os.path.join(a.out_dir, "customers.csv"),
          ["id", "name", "kind", "class", "tier", "owner_id", "signed_date"], customers)

    # Contracts: exactly n lines.
    header = ["contract_id", "signed_date", "customer_id", "person_id", "product", "quantity",
              "unit_price", "base_price", "retention_rate", "excess_rate", "concession",
              "company_negotiated", "credit_approved", "acceptance_date", "unit_cost", "split"]
    year = datetime.date(2025, 1, 1).toordinal()
    with open(os.path.join(a.out_dir, "contracts.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        left, k = a.n, 0
        while left > 0:
            k += 1
            nlines = min(left, rnd.choices([1, 2, 3], [50, 35, 15])[0])
            left -= nlines
            cust = rnd.randrange(ncust)
            cid = "C%06d" % (cust + 1)
            person = owner[cid]
            signed_ord = year + rnd.randrange(0, 365)
            accepted = ""
            if rnd.random() < 0.6:
                accepted = datetime.date.fromordinal(
                    signed_ord + rnd.randrange(5, 60)).isoformat()
            split = ""
            if rnd.random() < 0.1:
                other = rnd.choice(reps)
                if other != person:
                    share = rnd.choice([50, 60, 70, 80])
                    split = "%s:%d;%s:%d" % (person, share, other, 100 - share)
            head = ["HT%08d" % k, datetime.date.fromordinal(signed_ord).isoformat(), cid,
                    person]
            tail = [rnd.choice(["5", "5%", "10", ""]),
                    rnd.choice(["", "", "", "20", "15%"]),
                    "1" if rnd.random() < 0.05 else "0",
                    "1" if rnd.random() < 0.03 else "0",
                    "1" if rnd.random() < 0.02 else "0",
                    accepted]
            for _ in range(nlines):
                base_fen = rnd.randrange(1000, 5000000)
                unit_fen = base_fen + rnd.randrange(-base_fen // 10, base_fen // 2)
                qty = str(rnd.randrange(1, 50)) if rnd.random() < 0.9 else \
                    "%d.%d" % (rnd.randrange(0, 20), rnd.randrange(1, 10))
                cost = yuan(base_fen * rnd.randrange(50, 90) // 100) \
                    if rnd.random() < 0.5 else ""
                w.writerow(head + [rnd.choice(PRODUCTS), qty, yuan(unit_fen), yuan(base_fen)]
                           + tail + [cost, split])


if __name__ == "__main__":
    main()
