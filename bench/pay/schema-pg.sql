-- Plain tables for the CSV files of gen.py (the PostgreSQL side of the pay benchmark).
-- Money and quantities are numeric (exact), dates date; percentages ("5", "5%") and
-- splits stay text.  Empty CSV fields load as NULL.
CREATE TABLE units(id text, name text, parent_id text, kind text);
CREATE TABLE people(id text, name text, unit_id text, role text, manager_id text,
                    hire_date date, status text, base_salary numeric, allowance numeric);
CREATE TABLE customers(id text, name text, kind text, class text, tier text, owner_id text,
                       signed_date date);
CREATE TABLE contracts(contract_id text, signed_date date, customer_id text, person_id text,
                       product text, quantity numeric, unit_price numeric, base_price numeric,
                       retention_rate text, excess_rate text, concession int,
                       company_negotiated int, credit_approved int, acceptance_date date,
                       unit_cost numeric, split text);
CREATE TABLE payments(id text, contract_id text, date date, amount numeric, kind text);
CREATE TABLE returns(id text, contract_id text, date date, amount numeric);
CREATE TABLE ratings(subject_id text, period text, rater_id text, rater_role text, item text,
                     score numeric);
