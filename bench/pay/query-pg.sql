-- Commission payable per person for 2025-09 under plans/marketing-center.yaml,
-- as one PostgreSQL query over the plain tables of schema-pg.sql (domain.md §5.1).
-- The same calculation as query-sqlite.sql (see there for the formula), written with
-- numeric, which is exact for + - x; the one division is done at 30 decimals (the
-- exact numerator has at most 10), so round(..., 2) -- half away from zero, as
-- jixiao's half-up -- decides ties and near-ties exactly.
WITH RECURSIVE
mkt(id) AS (
    SELECT 'MKT'::text
    UNION
    SELECT u.id FROM units u JOIN mkt ON u.parent_id = mkt.id),
payee(person, composite) AS (
    SELECT p.id,
           coalesce((SELECT avg(r.score) FROM ratings r
                     WHERE r.subject_id = p.id AND r.period = '2025-09'
                       AND r.item = 'composite'), 10)
    FROM people p
    WHERE p.role IN ('rep', 'manager') AND p.status <> 'left' AND p.hire_date <= '2025-09-30'
      AND p.unit_id IN (SELECT id FROM mkt)),
kc(k, rev, acc) AS (
    SELECT contract_id, round(sum(quantity * unit_price), 2), max(acceptance_date)
    FROM contracts GROUP BY contract_id),
pm(k, pe, de, ps, ds) AS (
    SELECT contract_id,
           sum(CASE WHEN date > '2025-09-30' THEN 0 WHEN kind = 'payment' THEN amount
                    WHEN kind = 'refund' THEN -amount ELSE 0 END),
           sum(CASE WHEN kind = 'deposit' AND date <= '2025-09-30' THEN amount ELSE 0 END),
           sum(CASE WHEN date > '2025-08-31' THEN 0 WHEN kind = 'payment' THEN amount
                    WHEN kind = 'refund' THEN -amount ELSE 0 END),
           sum(CASE WHEN kind = 'deposit' AND date <= '2025-08-31' THEN amount ELSE 0 END)
    FROM payments GROUP BY contract_id),
rt(k, re, rs) AS (
    SELECT contract_id,
           sum(CASE WHEN date <= '2025-09-30' THEN amount ELSE 0 END),
           sum(CASE WHEN date <= '2025-08-31' THEN amount ELSE 0 END)
    FROM returns GROUP BY contract_id),
ct(k, rev, me, ms) AS (
    SELECT kc.k, kc.rev,
           greatest(0, least(kc.rev - coalesce(rt.re, 0),
                             coalesce(pm.pe, 0) + CASE WHEN kc.acc <= '2025-09-30'
                                                       THEN coalesce(pm.de, 0) ELSE 0 END)),
           greatest(0, least(kc.rev - coalesce(rt.rs, 0),
                             coalesce(pm.ps, 0) + CASE WHEN kc.acc <= '2025-08-31'
                                                       THEN coalesce(pm.ds, 0) ELSE 0 END))
    FROM kc LEFT JOIN pm ON pm.k = kc.k LEFT JOIN rt ON rt.k = kc.k
    WHERE kc.rev > 0),
cr(k, person, share, q, up, bp, net, ep, concession) AS (
    SELECT c.contract_id, coalesce(split_part(s.part, ':', 1), c.person_id),
           coalesce(split_part(s.part, ':', 2)::numeric / 100, 1),
           c.quantity, c.unit_price, c.base_price,
           1 - coalesce(rtrim(c.retention_rate, '%')::numeric, 0) / 100,
           coalesce(rtrim(c.excess_rate, '%')::numeric, 15) / 100, c.concession
    FROM contracts c
    LEFT JOIN LATERAL unnest(string_to_array(c.split, ';')) AS s(part) ON true),
x(person, rev, d, pre, composite) AS (
    SELECT cr.person, ct.rev, ct.me - ct.ms,
           cr.share * cr.q * cr.net
           * CASE WHEN cr.up < cr.bp THEN 0
                  WHEN cr.concession = 1 THEN cr.up * 0.03
                  ELSE cr.bp * 0.03 + (cr.up - cr.bp) * cr.ep END,
           payee.composite
    FROM cr JOIN ct ON ct.k = cr.k JOIN payee ON payee.person = cr.person
    WHERE ct.me <> ct.ms)
SELECT person, sum(round((pre * d * composite)::numeric(1000, 30) / (10 * rev), 2))
FROM x GROUP BY person ORDER BY person;
