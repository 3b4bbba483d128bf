-- Commission payable per person for 2025-09 under plans/marketing-center.yaml,
-- as one SQLite query over the plain tables of schema-sqlite.sql (domain.md §5.1):
--
--   pre(l)      = share x (qty x base_price x (1 - retention) x base_rate
--                          + qty x (unit_price - base_price) x (1 - retention) x excess_rate)
--                 (concession: the whole line at the base rate; unit_price < base_price: 0)
--   todate(l,P) = pre(l) x max(0, min(revenue - returns_P, collected_P)) / revenue
--                 (= pre x (1 - returns/revenue) x min(1, collected/(revenue - returns)))
--   payable(l)  = round_half_up_fen((todate(l, Sep) - todate(l, Aug)) x composite / 10)
--   commission  = sum of payable(l) over the person's credited lines
--
-- collected_P: payments and deposits to the end of P, refunds negative; a deposit counts
-- from the contract's acceptance date (never without one).  revenue = sum over the lines of
-- qty x unit_price, rounded half-up to the fen.  Who is paid: roles rep and manager in MKT
-- and below, not left, hired by 2025-09-30.  composite: the 2025-09 rating of item
-- "composite", 10 when missing.  Plan numbers: base rate 3%, default excess rate 15%.
--
-- Exact integer arithmetic (SQLite has no decimal type; integer overflow would silently
-- turn into floating point, so every product below is bounded for the generator's data):
--   q = qty x 100, up/bp = prices in fen, rp/ep = percentages, sp = share percent,
--   c10 = composite x 10.  pre in fen = sp*q*(100-rp)*K / 10^8 with
--   K = 3*bp + ep*(up-bp) (concession: 3*up), so payable in fen is
--   round(X * d / (10^10 * rev)) with X = sp*q*(100-rp)*K*c10 and d = me - ms, |d| <= rev.
--   X*d does not fit in 64 bits: X*d/rev = qx*d + (rx*d)/rev with qx, rx = X div/mod rev,
--   then A = floor(X*|d|/rev), f = (rx*|d|) mod rev, and half-up rounding of A/10^10 with
--   the fraction f/rev decides: up when 2*(A mod 10^10) + (2f >= rev) >= 10^10.
--   Bounds: X <= 100*4900*100*6.5e7*130 < 4.2e17, rx*|d| < rev^2 < 1.3e18.
WITH RECURSIVE
mkt(id) AS (
    SELECT 'MKT'
    UNION
    SELECT u.id FROM units u JOIN mkt ON u.parent_id = mkt.id),
payee(person, c10) AS (
    SELECT p.id,
           coalesce((SELECT CAST(round(avg(r.score) * 10) AS INTEGER) FROM ratings r
                     WHERE r.subject_id = p.id AND r.period = '2025-09'
                       AND r.item = 'composite'), 100)
    FROM people p
    WHERE p.role IN ('rep', 'manager') AND p.status <> 'left' AND p.hire_date <= '2025-09-30'
      AND p.unit_id IN (SELECT id FROM mkt)),
kc(k, rev, acc) AS (
    SELECT contract_id,
           (sum(CAST(round(quantity * 100) AS INTEGER) * CAST(round(unit_price * 100) AS INTEGER))
            + 50) / 100,
           max(acceptance_date)
    FROM contracts GROUP BY contract_id),
pm(k, pe, de, ps, ds) AS (
    SELECT contract_id,
           sum(CASE WHEN date > '2025-09-30' THEN 0
                    WHEN kind = 'payment' THEN CAST(round(amount * 100) AS INTEGER)
                    WHEN kind = 'refund' THEN -CAST(round(amount * 100) AS INTEGER)
                    ELSE 0 END),
           sum(CASE WHEN kind = 'deposit' AND date <= '2025-09-30'
                    THEN CAST(round(amount * 100) AS INTEGER) ELSE 0 END),
           sum(CASE WHEN date > '2025-08-31' THEN 0
                    WHEN kind = 'payment' THEN CAST(round(amount * 100) AS INTEGER)
                    WHEN kind = 'refund' THEN -CAST(round(amount * 100) AS INTEGER)
                    ELSE 0 END),
           sum(CASE WHEN kind = 'deposit' AND date <= '2025-08-31'
                    THEN CAST(round(amount * 100) AS INTEGER) ELSE 0 END)
    FROM payments GROUP BY contract_id),
rt(k, re, rs) AS (
    SELECT contract_id,
           sum(CASE WHEN date <= '2025-09-30' THEN CAST(round(amount * 100) AS INTEGER) ELSE 0 END),
           sum(CASE WHEN date <= '2025-08-31' THEN CAST(round(amount * 100) AS INTEGER) ELSE 0 END)
    FROM returns GROUP BY contract_id),
ct(k, rev, me, ms) AS (
    SELECT kc.k, kc.rev,
           max(0, min(kc.rev - coalesce(rt.re, 0),
                      coalesce(pm.pe, 0) + CASE WHEN kc.acc <> '' AND kc.acc <= '2025-09-30'
                                                THEN coalesce(pm.de, 0) ELSE 0 END)),
           max(0, min(kc.rev - coalesce(rt.rs, 0),
                      coalesce(pm.ps, 0) + CASE WHEN kc.acc <> '' AND kc.acc <= '2025-08-31'
                                                THEN coalesce(pm.ds, 0) ELSE 0 END))
    FROM kc LEFT JOIN pm ON pm.k = kc.k LEFT JOIN rt ON rt.k = kc.k
    WHERE kc.rev > 0),
cr(k, person, sp, q, up, bp, rp, ep, concession) AS (
    SELECT contract_id, person_id, 100, quantity, unit_price, base_price, retention_rate,
           excess_rate, concession
    FROM contracts WHERE split = ''
    UNION ALL
    SELECT contract_id, substr(j.value, 1, instr(j.value, ':') - 1),
           CAST(substr(j.value, instr(j.value, ':') + 1) AS INTEGER),
           quantity, unit_price, base_price, retention_rate, excess_rate, concession
    FROM contracts, json_each('["' || replace(split, ';', '","') || '"]') j
    WHERE split <> ''),
x(person, rev, d, xv) AS (
    SELECT cr.person, ct.rev, ct.me - ct.ms,
           cr.sp * CAST(round(cr.q * 100) AS INTEGER)
           * (100 - CAST(rtrim(cr.rp, '%') AS INTEGER))
           * (CASE WHEN cr.up < cr.bp THEN 0
                   WHEN cr.concession = 1 THEN 3 * CAST(round(cr.up * 100) AS INTEGER)
                   ELSE 3 * CAST(round(cr.bp * 100) AS INTEGER)
                        + (CASE WHEN cr.ep = '' THEN 15
                                ELSE CAST(rtrim(cr.ep, '%') AS INTEGER) END)
                          * (CAST(round(cr.up * 100) AS INTEGER)
                             - CAST(round(cr.bp * 100) AS INTEGER)) END)
           * payee.c10
    FROM cr JOIN ct ON ct.k = cr.k JOIN payee ON payee.person = cr.person
    WHERE ct.me <> ct.ms),
y(person, rev, sg, a, f) AS (
    SELECT person, rev, CASE WHEN d < 0 THEN -1 ELSE 1 END,
           (xv / rev) * abs(d) + ((xv % rev) * abs(d)) / rev,
           ((xv % rev) * abs(d)) % rev
    FROM x),
z(person, fen) AS (
    SELECT person,
           sum(sg * (a / 10000000000
                     + (2 * (a % 10000000000) + (2 * f >= rev) >= 10000000000)))
    FROM y GROUP BY person)
SELECT person, CASE WHEN fen < 0 THEN '-' ELSE '' END
               || (abs(fen) / 100) || '.' || printf('%02d', abs(fen) % 100)
FROM z ORDER BY person;
