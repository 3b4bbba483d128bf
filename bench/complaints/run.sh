#!/bin/sh
# The complaints benchmark: N tickets (default 100000) in one quarter, every SLA field and
# the period's metrics computed by `jixiao complaints` (reported by --timing: the "sla"
# stage is the engine time with the data in memory).  A benchmark, not a test.
set -eu
cd "$(dirname "$0")/../.."
n=${1:-100000}
build=${BENCH_BUILD:-build-release}
out=${BENCH_OUT:-bench/out}/complaints-$n
[ -f "$build/build.ninja" ] || meson setup "$build" --buildtype=release >/dev/null
ninja -C "$build" jixiao >/dev/null
mkdir -p "$out"
python3 - "$n" "$out" <<'PY'
import random, sys, os
n, out = int(sys.argv[1]), sys.argv[2]
r = random.Random(11)
w = lambda name, text: open(os.path.join(out, name), "w").write(text)
w("units.csv", "id,name,parent_id,kind\nCO,公司,,company\nAS,售后,CO,center\n")
w("people.csv", "id,name,unit_id,role,manager_id,hire_date,status,base_salary,allowance\n"
  "D1,总监,AS,director,,2020-01-01,regular,9000.00,\n"
  + "".join(f"E{i:03d},工程师{i},AS,engineer,D1,2022-01-01,regular,6000.00,\n" for i in range(200)))
w("customers.csv", "id,name,kind,class,tier,owner_id,signed_date\n"
  + "".join(f"C{i:04d},客户{i},customer,B,stable,D1,\n" for i in range(2000)))
rows = ["id,customer_id,person_id,category,severity,opened_at,responded_at,resolved_at,followed_up_at,csat"]
for i in range(n):
    m, d, h = r.randint(10, 12), r.randint(1, 28), r.randint(8, 18)
    o = f"2025-{m:02d}-{d:02d} {h:02d}:{r.choice(['00','15','30','45'])}"
    dd = min(28, d + r.randint(0, 5))
    res = f"2025-{m:02d}-{dd:02d} {min(23, h + r.randint(0, 5)):02d}:50" if r.random() < .8 else ""
    rows.append(f"K{i:06d},C{r.randint(0,1999):04d},E{r.randint(0,199):03d},"
                f"{r.choice(['product','service','delivery','after_sales','other'])},"
                f"{r.choice(['severe','general','minor'])},{o},{o[:11]}{h:02d}:59,{res},,{r.choice(['','1','3','4','5'])}")
w("complaints.csv", "\n".join(rows) + "\n")
PY
db=$out/c.db
rm -f "$db" "$db-wal" "$db-shm"
jx=$build/jixiao
$jx init --db "$db" >/dev/null
for k in units people customers complaints; do $jx import --db "$db" $k "$out/$k.csv" >/dev/null 2>&1; done
for i in 1 2 3; do
    $jx complaints --db "$db" --period 2025-Q4 --now "2026-01-05 09:00" --format json --timing \
        2>&1 >/dev/null | tail -n 1
done
