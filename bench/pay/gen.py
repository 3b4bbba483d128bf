#!/usr/bin/env python3
"""Write a deterministic synthetic marketing center for the pay benchmark.

    gen.py N_PEOPLE N_LINES N_PAYMENTS OUT_DIR [--seed S]

OUT_DIR receives the import files of jixiao (interfaces.md, "Import files"):
units.csv, people.csv, customers.csv, contracts.csv, payments.csv,
returns.csv and ratings.csv.

- units: company CO; the marketing center MKT (the unit of
  plans/marketing-center.yaml) with divisions, departments and teams below
  it; after-sales ASC, HR department HRD and an agent-sales department AGT
  that are *not* under MKT (their people are not paid by the plan).
- people: exactly N_PEOPLE: an HR officer (the rater), a director, an
  engineer, one manager per team (about one team per 12 people) and reps;
  about 5% of the reps sit in AGT, 3% have left, 4% are on probation (hired
  June to August 2025).
- contracts: exactly N_LINES rows (contract lines), 1 to 3 lines per
  contract, signed 2025-01-01 .. 2025-08-31 (never before the seller's hire
  date); percentages written as "5", "5%" or left empty (plan default);
  excess rates within the plan's 10%..20%; about 5% concessions, 60% with an
  acceptance date (5 to 60 days after signing, so some fall after September),
  10% split between two people and 1% between three.  Quantities are whole
  or have one decimal; prices are whole fen.
- payments: exactly N_PAYMENTS rows dated from the signing date to
  2025-09-30: about 92% of the contracts get payments (full, partial, a few
  over-collected), some first payments are deposits (counted from the
  acceptance date), about 1.5% are refunds.
- returns: about 0.5% of the contracts have one return (some whole).
- ratings: item "composite", rater_role hr, for 2025-08 and 2025-09, for
  every rep, manager and the director, about 2% missing (plan default 10);
  scores 5.0 .. 12.0 with one decimal.

The same arguments always give the same bytes.  Money is integer fen
throughout; CSV rows are plain string joins (no field needs quoting).
"""
import argparse
import datetime
import math
import os
import random

PRODUCTS = ["节能控制柜", "变频器", "PLC控制器", "伺服电机", "传感器", "工业网关",
            "配电柜", "软启动器", "触摸屏", "安装调试", "维保服务", "培训"]
D0 = datetime.date(2010, 1, 1).toordinal()
DATES = [datetime.date.fromordinal(D0 + i).isoformat() for i in range(17 * 366)]
JAN1 = datetime.date(2025, 1, 1).toordinal()
AUG31 = datetime.date(2025, 8, 31).toordinal()
SEP30 = datetime.date(2025, 9, 30).toordinal()
CHUNK = 200000


def ds(ordinal):
    return DATES[ordinal - D0]


def yuan(fen):
    """fen as yuan text with two decimals, without floating point."""
    if fen < 0:
        return "-%d.%02d" % divmod(-fen, 100)
    return "%d.%02d" % divmod(fen, 100)


class Out:
    """A CSV file written in chunks of joined lines."""

    def __init__(self, path, header):
        self.f = open(path, "w", encoding="utf-8", newline="")
        self.rows = [header]

    def add(self, row):
        self.rows.append(row)
        if len(self.rows) >= CHUNK:
            self.flush()

    def flush(self):
        if self.rows:
            self.f.write("\n".join(self.rows))
            self.f.write("\n")
            self.rows = []

    def close(self):
        self.flush()
        self.f.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n_people", type=int)
    ap.add_argument("n_lines", type=int)
    ap.add_argument("n_payments", type=int)
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=20250930)
    a = ap.parse_args()
    if a.n_people < 20 or a.n_lines < 1 or a.n_payments < 0:
        ap.error("need N_PEOPLE >= 20, N_LINES >= 1, N_PAYMENTS >= 0")
    rnd = random.Random(a.seed)
    rand, randrange = rnd.random, rnd.randrange
    os.makedirs(a.out_dir, exist_ok=True)
    path = lambda name: os.path.join(a.out_dir, name)

    # ---- units ------------------------------------------------------------
    n_teams = max(1, a.n_people // 12)
    n_depts = max(1, n_teams // 8)
    n_divs = max(1, n_depts // 5)
    units = Out(path("units.csv"), "id,name,parent_id,kind")
    units.add("CO,示例集团,,company")
    units.add("MKT,营销中心,CO,center")
    units.add("ASC,售后中心,CO,center")
    units.add("HRD,行政部,CO,department")
    units.add("AGT,代理销售部,CO,department")
    for i in range(n_divs):
        units.add("MKT-D%02d,产品事业部%d,MKT,division" % (i + 1, i + 1))
    depts = []
    for i in range(n_depts):
        did = "MKT-P%03d" % (i + 1)
        depts.append(did)
        units.add("%s,销售%d部,MKT-D%02d,department" % (did, i + 1, i % n_divs + 1))
    teams = []
    for i in range(n_teams):
        tid = "MKT-T%04d" % (i + 1)
        teams.append(tid)
        units.add("%s,业务%d组,%s,team" % (tid, i + 1, depts[i % n_depts]))
    units.close()

    # ---- people -----------------------------------------------------------
    people = Out(path("people.csv"),
                 "id,name,unit_id,role,manager_id,hire_date,status,base_salary,allowance")
    people.add("H0001,周行政,HRD,hr,,2016-03-01,regular,9000.00,")
    people.add("E0001,王总监,MKT,director,,2014-05-06,regular,30000.00,5000.00")
    people.add("A0001,赵工程师,ASC,engineer,,2019-07-01,regular,8000.00,")
    rated = ["E0001"]
    sellers, hire = [], {}  # who can sign a contract, and their hire ordinal
    managers = []
    for i, t in enumerate(teams):
        pid = "M%04d" % (i + 1)
        h = datetime.date(2012, 1, 1).toordinal() + randrange(0, 4000)
        people.add("%s,经理%d,%s,manager,E0001,%s,regular,%s,%s" % (
            pid, i + 1, t, ds(h), yuan(randrange(800000, 1500000, 100)),
            yuan(randrange(100000, 300000, 10000))))
        managers.append(pid)
        hire[pid] = h
        rated.append(pid)
    n_reps = a.n_people - 3 - n_teams
    reps = []
    for i in range(n_reps):
        pid = "R%05d" % (i + 1)
        x = rand()
        if x < 0.04:
            status, h = "probation", datetime.date(2025, 6, 1).toordinal() + randrange(0, 92)
        else:
            status = "left" if x < 0.07 else "regular"
            h = datetime.date(2012, 1, 1).toordinal() + randrange(0, 4700)
        if rand() < 0.05:
            unit, mgr = "AGT", ""
        else:
            k = randrange(n_teams)
            unit, mgr = teams[k], managers[k]
        allowance = yuan(rnd.choice((30000, 50000))) if rand() < 0.3 else ""
        people.add("%s,销售%d,%s,rep,%s,%s,%s,%s,%s" % (
            pid, i + 1, unit, mgr, ds(h), status, yuan(randrange(400000, 900000, 100)),
            allowance))
        reps.append(pid)
        hire[pid] = h
        rated.append(pid)
    people.close()
    sellers = reps + managers
    n_reps_s = len(reps)

    def seller():
        # Mostly reps; managers sign about 5% of the contracts.
        if rand() < 0.05:
            return managers[randrange(len(managers))]
        return reps[randrange(n_reps_s)]

    # ---- customers --------------------------------------------------------
    n_cust = max(50, a.n_lines // 25)
    owner = []
    customers = Out(path("customers.csv"), "id,name,kind,class,tier,owner_id,signed_date")
    kinds = ("customer",) * 16 + ("agent",) * 2 + ("distributor",) * 2
    tiers = ("", "high_potential", "stable", "stable", "watching")
    for i in range(n_cust):
        o = seller()
        owner.append(o)
        kind = kinds[randrange(20)]
        signed = ds(datetime.date(2015, 1, 1).toordinal() + randrange(0, 3800)) \
            if kind != "customer" else ""
        customers.add("C%06d,客户%d有限公司,%s,%s,%s,%s,%s" % (
            i + 1, i + 1, kind, "AABBBCC"[randrange(7)], tiers[randrange(5)], o, signed))
    customers.close()

    # ---- contracts --------------------------------------------------------
    contracts = Out(path("contracts.csv"),
                    "contract_id,signed_date,customer_id,person_id,product,quantity,"
                    "unit_price,base_price,retention_rate,excess_rate,concession,"
                    "company_negotiated,credit_approved,acceptance_date,unit_cost,split")
    k_signed, k_accept, k_rev = [], [], []  # per contract
    retentions = ("", "5", "5%", "10", "3", "5")
    excesses = ("", "", "", "12", "15%", "18", "20")
    log_lo, log_hi = math.log(1000), math.log(5000000)
    left, k = a.n_lines, 0
    while left > 0:
        k += 1
        x = rand()
        nl = 1 if x < 0.5 else 2 if x < 0.85 else 3
        if nl > left:
            nl = left
        left -= nl
        cu = randrange(n_cust)
        person = owner[cu] if rand() < 0.85 else seller()
        signed = max(JAN1 + randrange(0, AUG31 - JAN1 + 1), hire[person])
        if signed > AUG31:
            signed = AUG31
        accepted = signed + randrange(5, 61) if rand() < 0.6 else 0
        split = ""
        x = rand()
        if x < 0.11:
            other = seller()
            if other != person:
                if x < 0.01:
                    third = seller()
                    if third not in (person, other):
                        split = "%s:50;%s:30;%s:20" % (person, other, third)
                else:
                    share = (50, 60, 70, 80)[randrange(4)]
                    split = "%s:%d;%s:%d" % (person, share, other, 100 - share)
        head = "HT%08d,%s,C%06d,%s," % (k, ds(signed), cu + 1, person)
        mid = ",%s,%s,%s,%s,%s,%s," % (
            retentions[randrange(6)], excesses[randrange(7)],
            "1" if rand() < 0.05 else "0", "1" if rand() < 0.03 else "0",
            "1" if rand() < 0.02 else "0", ds(accepted) if accepted else "")
        total10 = 0  # sum of quantity x 10 x unit price (fen)
        for _ in range(nl):
            bp = int(math.exp(log_lo + (log_hi - log_lo) * rand()))
            up = bp + randrange(-(bp // 10), bp // 2 + 1)
            if rand() < 0.9:
                q10 = 10 * randrange(1, 50)
                qty = str(q10 // 10)
            else:
                q10 = randrange(1, 200)
                qty = "%d.%d" % divmod(q10, 10)
            total10 += q10 * up
            cost = yuan(bp * randrange(50, 90) // 100) if rand() < 0.3 else ""
            contracts.add("%s%s,%s,%s,%s%s%s,%s" % (head, PRODUCTS[randrange(12)], qty, yuan(up),
                                                   yuan(bp), mid, cost, split))
        k_signed.append(signed)
        k_accept.append(accepted)
        k_rev.append((total10 + 5) // 10)  # jixiao: revenue rounded half-up to the fen
    contracts.close()
    nk = k

    # ---- payments ---------------------------------------------------------
    counts = bytearray(nk)
    eligible = [i for i in range(nk) if rand() < 0.92]
    budget = a.n_payments
    if budget >= len(eligible):
        for i in eligible:
            counts[i] = 1
        budget -= len(eligible)
    ne = len(eligible)
    while budget > 0 and ne:
        i = eligible[randrange(ne)]
        if counts[i] < 200:
            counts[i] += 1
            budget -= 1
    payments = Out(path("payments.csv"), "id,contract_id,date,amount,kind")
    pid = 0
    for i in range(nk):
        n = counts[i]
        if not n:
            continue
        rev = k_rev[i]
        x = rand()
        if x < 0.55:
            target = rev
        elif x < 0.85:
            target = rev * randrange(20, 96) // 100
        elif x < 0.90:
            target = rev * randrange(101, 111) // 100
        else:
            target = rev * randrange(1, 21) // 100
        if target < n:
            target = n
        # n amounts summing to target, each >= 1 fen
        cuts = sorted(randrange(1, target) for _ in range(n - 1)) if target > 1 else []
        prev, amounts = 0, []
        for c in cuts:
            amounts.append(c - prev)
            prev = c
        amounts.append(target - prev)
        s = k_signed[i]
        dates = sorted(s + randrange(0, SEP30 - s + 1) for _ in range(n))
        collected = 0
        deposit_first = rand() < 0.15
        for j in range(n):
            amt = amounts[j]
            kind = "payment"
            if j == 0 and deposit_first:
                kind = "deposit"
            elif j > 0 and collected > 100 and rand() < 0.015:
                kind = "refund"
                amt = max(1, collected * randrange(5, 60) // 100)
            if amt <= 0:
                amt = 1
            collected += -amt if kind == "refund" else amt
            pid += 1
            payments.add("R%08d,HT%08d,%s,%s,%s" % (pid, i + 1, ds(dates[j]), yuan(amt), kind))
    payments.close()

    # ---- returns ----------------------------------------------------------
    returns = Out(path("returns.csv"), "id,contract_id,date,amount")
    rid = 0
    for i in range(nk):
        if rand() < 0.005:
            rid += 1
            s = k_signed[i]
            amt = k_rev[i] if rand() < 0.2 else max(1, k_rev[i] * randrange(5, 100) // 100)
            returns.add("TH%07d,HT%08d,%s,%s" % (rid, i + 1, ds(s + randrange(1, SEP30 - s + 1)),
                                                 yuan(amt)))
    returns.close()

    # ---- ratings ----------------------------------------------------------
    ratings = Out(path("ratings.csv"), "subject_id,period,rater_id,rater_role,item,score")
    for period in ("2025-08", "2025-09"):
        for p in rated:
            if rand() < 0.02:
                continue
            ratings.add("%s,%s,H0001,hr,composite,%d.%d" % ((p, period) +
                                                             divmod(randrange(50, 121), 10)))
    ratings.close()


if __name__ == "__main__":
    main()
