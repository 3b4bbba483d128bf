#!/usr/bin/env python3
"""The API test matrix: every role (and anonymous) x every route x own, subtree and
foreign records, each cell's status asserted; then the lists' contents, the protections
(CSRF, methods, sizes, bad JSON, login throttling, logout, headers, cookie flags, CSV
escaping, the audit of denials) and the segregation of duties.

    python3 tests/http/api_matrix.py build/jixiao

A fresh demo company (jixiao demo --users, password jixiao-demo) is served on a free
loopback port.  One line per cell: "ok   ..." or "FAIL ...: expected X got Y"; then
"N passed, N failed"; exit 1 on any failure.  Standard library only.
"""
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

PASSWORD = "jixiao-demo"
PERIOD = "2025-08"
ROLES = ["admin", "hr", "finance", "director", "manager", "rep", "engineer"]
passed = failed = 0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One user's session: the cookie and the CSRF token of its login."""

    def __init__(self, port, user=None):
        self.port, self.user, self.cookie, self.csrf = port, user or "anonymous", None, None

    def request(self, method, path, body=None, csrf=True, raw=None, headers=None):
        con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = self.cookie
        if method != "GET" and csrf and self.csrf:
            h["X-CSRF-Token"] = self.csrf
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None and "Content-Type" not in h:
            h["Content-Type"] = "application/json"
        con.request(method, path, body=data, headers=h)
        r = con.getresponse()
        payload = r.read()
        con.close()
        try:
            doc = json.loads(payload) if payload else None
        except ValueError:
            doc = None
        return r.status, doc, r, payload

    def login(self, password=PASSWORD):
        status, doc, r, _ = self.request("POST", "/api/login",
                                         {"user": self.user, "password": password})
        if status == 200:
            self.cookie = r.getheader("Set-Cookie").split(";")[0]
            self.csrf = doc["csrf"]
        return status, r


def report(ok, text):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + text)
    else:
        failed += 1
        print("FAIL " + text)


def cell(client, method, path, want, body=None, **kw):
    status, doc, _, _ = client.request(method, path, body, **kw)
    wants = want if isinstance(want, tuple) else (want,)
    label = f"{client.user} {method} {path}"
    if status in wants:
        report(True, f"{label} -> {status}")
    else:
        report(False, f"{label}: expected {'/'.join(map(str, wants))} got {status} ({doc})")
    return status, doc


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/jixiao")
    tmp = tempfile.mkdtemp(prefix="jx-api-")
    db = os.path.join(tmp, "demo.db")
    subprocess.run([binary, "demo", "--db", db, "--users"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--db", db, "--listen", f"127.0.0.1:{port}",
                               "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                if Client(port).request("GET", "/api/me")[0] == 401:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        run_matrix(port)
    finally:
        server.terminate()
        server.wait(timeout=10)
        subprocess.run(["rm", "-rf", tmp])
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def visible_sets(admin):
    """Who each role may see, from the organisation (domain.md §1)."""
    people = admin.request("GET", "/api/people")[1]["people"]
    units = {u["id"]: u["parent_id"] for u in admin.request("GET", "/api/units")[1]["units"]}
    by_id = {p["id"]: p for p in people}

    def below_manager(top):
        out = set()
        for p in people:
            m, depth = p["manager_id"], 0
            while m and depth < 64:
                if m == top:
                    out.add(p["id"])
                    break
                m, depth = by_id[m]["manager_id"] if m in by_id else None, depth + 1
        return out

    def below_unit(top):
        out = set()
        for p in people:
            u = p["unit_id"]
            while u:
                if u == top:
                    out.add(p["id"])
                    break
                u = units.get(u)
        return out

    everyone = {p["id"] for p in people}
    me = {"rep": "P101", "engineer": "P201", "manager": "P100", "director": "P010"}
    return {
        "admin": everyone, "hr": everyone, "finance": everyone,
        "rep": {"P101"}, "engineer": {"P201"},
        "manager": {"P100"} | below_manager("P100"),
        "director": {"P010"} | below_manager("P010") | below_unit(by_id["P010"]["unit_id"]),
    }, me


def run_matrix(port):
    anon = Client(port)
    clients = {}
    for role in ROLES:
        c = Client(port, role)
        status, r = c.login()
        report(status == 200, f"{role} POST /api/login -> {status}")
        clients[role] = c
    admin = clients["admin"]
    sees, me = visible_sets(admin)

    # -- anonymous: every route needs a session -------------------------------------------
    for method, path in [("GET", "/api/me"), ("GET", "/api/periods"),
                         ("GET", f"/api/results?period={PERIOD}"), ("GET", "/api/people"),
                         ("GET", "/api/units"), ("GET", f"/api/people/P101/statement?period={PERIOD}"),
                         ("GET", "/api/audit"), ("GET", f"/api/appeals?period={PERIOD}"),
                         ("GET", "/api/complaints?period=2025-09"), ("GET", "/api/users"),
                         ("GET", f"/api/runs?period={PERIOD}"), ("GET", f"/api/dashboard?period={PERIOD}"),
                         ("GET", "/api/customers"), ("GET", "/api/export?kind=units"),
                         ("POST", "/api/logout"), ("POST", "/api/import?kind=units"),
                         ("POST", "/api/run"), ("POST", "/api/lock"), ("POST", "/api/publish"),
                         ("POST", "/api/appeals"), ("POST", "/api/appeals/1/decide"),
                         ("POST", "/api/users")]:
        cell(anon, method, path, 401, body={} if method == "POST" else None)
    cell(anon, "POST", "/api/login", 401, body={"user": "rep", "password": "nope"})

    # -- reading: every role x every route ------------------------------------------------
    all_results = {p["id"] for p in admin.request("GET", f"/api/results?period={PERIOD}")[1]["people"]}
    for role, c in clients.items():
        cell(c, "GET", "/api/me", 200)
        cell(c, "GET", "/api/periods", 200)
        cell(c, "GET", "/api/units", 200)
        status, doc = cell(c, "GET", f"/api/results?period={PERIOD}", 200)
        got = {p["id"] for p in doc["people"]} if status == 200 else set()
        want = all_results if role in ("admin", "hr", "finance") else all_results & sees[role]
        report(got == want, f"{role} results list holds exactly whom the role may see "
               f"({len(got)} of {len(all_results)})" + ("" if got == want else f": extra {sorted(got - want)} missing {sorted(want - got)}"))
        status, doc = cell(c, "GET", "/api/people", 200)
        got = {p["id"] for p in doc["people"]} if status == 200 else set()
        report(got == sees[role], f"{role} people list holds exactly whom the role may see ({len(got)})")
        status, doc = cell(c, "GET", f"/api/dashboard?period={PERIOD}", 200)
        got = {p["id"] for p in doc["people"]} if status == 200 else set()
        report(got == sees[role], f"{role} dashboard holds exactly whom the role may see ({len(got)})")
        cell(c, "GET", f"/api/appeals?period={PERIOD}", 200)
        status, doc = cell(c, "GET", "/api/complaints?period=2025-09", 200)
        owners = {t["person_id"] for t in doc["tickets"]} if status == 200 else set()
        report(owners <= sees[role], f"{role} complaints only of visible owners ({len(doc['tickets']) if doc else 0} tickets)")
        cell(c, "GET", f"/api/runs?period={PERIOD}", 403 if role in ("rep", "engineer") else 200)
        status, doc = cell(c, "GET", "/api/customers", 200)
        owners = {x["owner_id"] for x in doc["customers"]} if status == 200 else set()
        report(role in ("admin", "hr", "finance") or owners <= sees[role],
               f"{role} customers only of visible owners ({len(doc['customers']) if doc else 0})")
        for kind in ("contracts", "people"):
            writer = role in ("hr", "finance", "admin")
            cell(c, "GET", f"/api/export?kind={kind}&format=csv", 200 if writer else 403)
            cell(c, "GET", f"/api/export?kind={kind}&format=xlsx", 200 if writer else 403)
        cell(c, "GET", "/api/export?kind=nosuch", 400 if role in ("hr", "finance", "admin") else 403)
        cell(c, "GET", "/api/audit", 200 if role == "admin" else 403)
        cell(c, "GET", "/api/users", 200 if role == "admin" else 403)
        # statements: own, in the subtree, foreign, unknown
        own = me.get(role)
        if own:
            cell(c, "GET", f"/api/people/{own}/statement?period={PERIOD}",
                 200 if own in all_results else 404)
        for target in ["P101", "P102", "P201", "P100"]:
            ok = target in sees[role]
            want = (200 if target in all_results else 404) if ok else 403
            cell(c, "GET", f"/api/people/{target}/statement?period={PERIOD}", want)
            cell(c, "GET", f"/api/people/{target}/statement?period={PERIOD}&format=html", want)
        cell(c, "GET", f"/api/people/NOSUCH/statement?period={PERIOD}", 404)
        cell(c, "GET", f"/api/results?period={PERIOD}&format=csv", 200)
        cell(c, "GET", "/api/results?period=2031-01", 404)
        cell(c, "GET", "/api/results?period=banana", 400)

    # -- writing: roles (bodies that stop after the role check change nothing) -------------
    for role, c in clients.items():
        writer = role in ("hr", "finance", "admin")
        cell(c, "POST", "/api/import?kind=units", 422 if writer else 403,
             raw=b"id,name,parent_id,kind\nX1,,NOPE,team\n", headers={"Content-Type": "text/csv"})
        cell(c, "POST", "/api/run", 400 if writer else 403, body={"period": PERIOD})
        cell(c, "POST", "/api/lock", 400 if role == "finance" else 403, body={"period": "x"})
        cell(c, "POST", "/api/publish", 400 if role == "hr" else 403, body={})
        cell(c, "POST", "/api/appeals/999999/decide", 404 if role == "hr" else 403,
             body={"accept": False, "reason": "r"})
        cell(c, "POST", "/api/users", 400 if role == "admin" else 403, body={})
        foreign = "P102"
        cell(c, "POST", "/api/appeals", 409 if role == "hr" else 403,
             body={"period": PERIOD, "person": foreign, "reason": "r"})
        if me.get(role):
            cell(c, "POST", "/api/appeals", 409,  # own: allowed, but the period is not published
                 body={"period": PERIOD, "person": me[role], "reason": "r"})
        # the protections, for every role
        cell(c, "POST", "/api/run", 403, body={"period": PERIOD, "plans": ["marketing-center"]},
             csrf=False)
        cell(c, "DELETE", "/api/me", 405)
        cell(c, "PUT", "/api/results", 405)
        cell(c, "GET", "/api/nope", 404)

    hr = clients["hr"]
    cell(hr, "POST", "/api/run", 400, raw=b"{not json")
    cell(hr, "POST", "/api/run", 413, raw=b"{" + b" " * (2 << 20) + b"}")

    # -- headers and cookie -----------------------------------------------------------------
    _, _, r, _ = clients["rep"].request("GET", "/api/me")
    csp = r.getheader("Content-Security-Policy") or ""
    report("frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0],
           f"CSP without inline script, frame-ancestors 'none': {csp}")
    report(r.getheader("X-Content-Type-Options") == "nosniff", "X-Content-Type-Options: nosniff")
    report(bool(r.getheader("Referrer-Policy")), f"Referrer-Policy: {r.getheader('Referrer-Policy')}")
    c = Client(port, "rep")
    _, lr = c.login()
    cookie = lr.getheader("Set-Cookie")
    report("HttpOnly" in cookie and "SameSite=Strict" in cookie and len(c.cookie.split("=")[1]) >= 32,
           f"session cookie HttpOnly, SameSite=Strict, >= 128 bits: {cookie.split(';', 1)[1]}")

    # -- state changes, in an order that leaves the cells above untouched -------------------
    # CSV export escapes a cell that would be a formula
    cell(hr, "POST", "/api/import?kind=people", 200,
         raw="id,name,unit_id,role,manager_id,hire_date,status,base_salary,allowance\n"
             "P999,=SUM(A1:A9),MKT-P1,rep,P100,2024-01-01,regular,5000.00,0\n".encode(),
         headers={"Content-Type": "text/csv"})
    cell(hr, "POST", "/api/run", 200, body={"period": "2025-10", "plans": ["marketing-center"]})
    status, _, _, payload = hr.request("GET", "/api/results?period=2025-10&format=csv")
    line = [l for l in payload.decode().splitlines() if l.startswith("P999,")]
    report(status == 200 and line and line[0].startswith("P999,\"'=SUM(A1:A9)\""),
           f"CSV export escapes a cell starting with '=': {line[0] if line else payload[:80]}")
    # an .xlsx upload: the units exported as a workbook import back to the same rows
    status, _, _, book = hr.request("GET", "/api/export?kind=units&format=xlsx")
    n_units = len(admin.request("GET", "/api/units")[1]["units"])
    status, doc = cell(hr, "POST", "/api/import?kind=units", 200, raw=book,
                       headers={"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    report(status == 200 and doc["written"] == n_units, f"an exported workbook imports back ({doc})")
    cell(hr, "POST", "/api/import?kind=units&sheet=nope", 422, raw=book,
         headers={"Content-Type": "application/octet-stream"})
    # segregation of duties: finance runs a period, then may not lock it; another finance user may
    fin = clients["finance"]
    cell(fin, "POST", "/api/run", 200, body={"period": "2025-11", "plans": ["marketing-center"]})
    cell(fin, "POST", "/api/lock", 403, body={"period": "2025-11"})
    cell(admin, "POST", "/api/users", (200, 201),
         body={"name": "finance2", "role": "finance", "person_id": "P002", "password": "another-pass-1"})
    fin2 = Client(port, "finance2")
    fin2.login("another-pass-1")
    cell(fin2, "POST", "/api/lock", 200, body={"period": "2025-11"})
    cell(fin2, "POST", "/api/lock", 409, body={"period": "2025-11"})
    cell(hr, "POST", "/api/run", 409, body={"period": "2025-11", "plans": ["marketing-center"]})
    # publish, appeal (own only), decide (hr only)
    cell(hr, "POST", "/api/publish", 200, body={"period": PERIOD})
    rep = clients["rep"]
    status, doc = cell(rep, "POST", "/api/appeals", 201,
                       body={"period": PERIOD, "person": "P101", "reason": "my score is wrong"})
    appeal = doc["id"] if status == 201 else 0
    cell(rep, "POST", "/api/appeals", 403, body={"period": PERIOD, "person": "P102", "reason": "x"})
    cell(clients["manager"], "POST", f"/api/appeals/{appeal}/decide", 403,
         body={"accept": False, "reason": "no"})
    cell(hr, "POST", f"/api/appeals/{appeal}/decide", 200, body={"accept": False, "reason": "checked"})
    status, doc = cell(rep, "GET", f"/api/appeals?period={PERIOD}", 200)
    report(status == 200 and [a["id"] for a in doc["appeals"]] == [appeal],
           "the rep's appeals list holds only their own appeal")
    # denied requests are in the audit log
    status, doc = cell(admin, "GET", "/api/audit", 200)
    denied = [a for a in doc["audit"] if a["action"] == "denied"] if status == 200 else []
    report(any(a["who"] == "rep" and "P102" in (a["what"] or "") for a in denied),
           f"denied requests are audited ({len(denied)} denials, with the rep's)")
    # the 11th failed login in 15 minutes is refused, even with the right password
    cell(admin, "POST", "/api/users", (200, 201),
         body={"name": "victim", "role": "rep", "person_id": "P103", "password": "right-password-1"})
    v = Client(port, "victim")
    codes = [v.login("wrong")[0] for _ in range(10)]
    report(codes == [401] * 10, f"10 failed logins -> 401 each ({codes[-1]})")
    report(v.login("wrong")[0] == 429, "the 11th failed login -> 429")
    report(v.login("right-password-1")[0] == 429, "locked for 15 minutes even with the right password")
    # logout ends the session
    m = clients["manager"]
    cell(m, "POST", "/api/logout", 200)
    cell(m, "GET", "/api/me", 401)
    cell(m, "GET", f"/api/results?period={PERIOD}", 401)


if __name__ == "__main__":
    sys.exit(main())
