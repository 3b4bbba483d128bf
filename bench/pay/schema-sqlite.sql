-- Plain tables for the CSV files of gen.py (the SQLite side of the pay benchmark).
-- Column types only give SQLite's affinities: money and quantities load as numbers,
-- percentages ("5", "5%", "") and dates stay text.  Empty CSV fields load as ''.
CREATE TABLE units(id TEXT, name TEXT, parent_id TEXT, kind TEXT);
CREATE TABLE people(id TEXT, name TEXT, unit_id TEXT, role TEXT, manager_id TEXT,
                    hire_date TEXT, status TEXT, base_salary NUMERIC, allowance NUMERIC);
CREATE TABLE customers(id TEXT, name TEXT, kind TEXT, class TEXT, tier TEXT, owner_id TEXT,
                       signed_date TEXT);
CREATE TABLE contracts(contract_id TEXT, signed_date TEXT, customer_id TEXT, person_id TEXT,
                       product TEXT, quantity NUMERIC, unit_price NUMERIC, base_price NUMERIC,
                       retention_rate TEXT, excess_rate TEXT, concession INTEGER,
                       company_negotiated INTEGER, credit_approved INTEGER,
                       acceptance_date TEXT, unit_cost NUMERIC, split TEXT);
CREATE TABLE payments(id TEXT, contract_id TEXT, date TEXT, amount NUMERIC, kind TEXT);
CREATE TABLE returns(id TEXT, contract_id TEXT, date TEXT, amount NUMERIC);
CREATE TABLE ratings(subject_id TEXT, period TEXT, rater_id TEXT, rater_role TEXT, item TEXT,
                     score NUMERIC);
