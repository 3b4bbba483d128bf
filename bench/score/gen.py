#!/usr/bin/env python3
"""Seeded data for the scorecard benchmark: N reps in one calibration group (unit MKT),
each with a contract or two in August 2025, payments, targets for the five KPI items of
plans/sales-scorecard.yaml and three qualitative ratings.

    python3 bench/score/gen.py N OUTDIR [--seed S]
"""
import os
import random
import sys


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    seed = 7
    if "--seed" in sys.argv:
        seed = int(sys.argv[sys.argv.index("--seed") + 1])
    if len(args) != 2:
        sys.exit(__doc__)
    n, out = int(args[0]), args[1]
    rnd = random.Random(seed)
    os.makedirs(out, exist_ok=True)

    def write(name, header, rows):
        with open(os.path.join(out, name + ".csv"), "w", encoding="utf-8") as f:
            f.write(header + "\n")
            f.write("\n".join(rows))
            f.write("\n")

    write("units", "id,name,parent_id,kind",
          ["CO,公司,,company", "MKT,营销中心,CO,center"] +
          [f"T{t:03d},业务{t}组,MKT,team" for t in range(n // 20 + 1)])
    people = ["H1,人事,CO,hr,,2020-01-01,regular,6000.00,"]
    people += [f"P{i:05d},员工{i},T{i // 20:03d},rep,,2023-01-01,regular,5000.00,"
               for i in range(n)]
    write("people", "id,name,unit_id,role,manager_id,hire_date,status,base_salary,allowance",
          people)
    write("customers", "id,name,kind,class,tier,owner_id,signed_date",
          [f"C{i:05d},客户{i},customer,B,stable,P{i:05d}," for i in range(n)])
    contracts, payments, targets, ratings = [], [], [], []
    for i in range(n):
        p = f"P{i:05d}"
        qty = rnd.randint(1, 12)
        contracts.append(f"K{i:05d},2025-08-{rnd.randint(1, 28):02d},C{i:05d},{p},设备,{qty},"
                         f"10000.00,9000.00")
        payments.append(f"R{i:05d},K{i:05d},2025-08-29,{qty * 10000 * rnd.randint(50, 100) // 100}.00,payment")
        targets += [f"{p},2025-08,sales,{rnd.choice([50000, 80000, 100000])}",
                    f"{p},2025-08,new_customers,1", f"{p},2025-08,complaint_rate,3",
                    f"{p},2025-08,collection_rate,90", f"{p},2025-08,violations,1"]
        for role, rater in (("customer", f"C{i:05d}"), ("peer", f"P{(i + 1) % n:05d}"),
                            ("superior", "H1")):
            ratings.append(f"{p},2025-08,{rater},{role},qualitative,{rnd.randint(55, 100)},")
    write("contracts", "contract_id,signed_date,customer_id,person_id,product,quantity,"
          "unit_price,base_price", contracts)
    write("payments", "id,contract_id,date,amount,kind", payments)
    write("targets", "subject_id,period,metric,value", targets)
    write("ratings", "subject_id,period,rater_id,rater_role,item,score,stage", ratings)


if __name__ == "__main__":
    main()
