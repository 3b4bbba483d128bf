-- 001: the data model of domain.md §2-4 (one table per import kind).
-- Money is INTEGER fen; rates, shares, quantities and scores are INTEGER
-- fixed point with 9 fraction digits (value * 10^9); dates are TEXT
-- 'YYYY-MM-DD' and times TEXT 'YYYY-MM-DD HH:MM' (Asia/Shanghai).
-- Foreign keys are deferred so that a file may refer to rows it adds later.

CREATE TABLE units (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    parent_id   TEXT REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    kind        TEXT NOT NULL CHECK (kind IN ('company','center','division','department','team'))
) STRICT;

CREATE TABLE people (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    unit_id     TEXT NOT NULL REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    role        TEXT NOT NULL,
    manager_id  TEXT REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
    hire_date   TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('probation','regular','left')),
    base_salary INTEGER NOT NULL,
    allowance   INTEGER
) STRICT;
CREATE INDEX people_unit ON people(unit_id);
CREATE INDEX people_manager ON people(manager_id);

CREATE TABLE customers (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('customer','agent','distributor')),
    class       TEXT NOT NULL CHECK (class IN ('A','B','C')),
    tier        TEXT,
    owner_id    TEXT NOT NULL REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
    signed_date TEXT
) STRICT;

CREATE TABLE contracts (
    contract_id        TEXT PRIMARY KEY,
    signed_date        TEXT NOT NULL,
    customer_id        TEXT NOT NULL REFERENCES customers(id) DEFERRABLE INITIALLY DEFERRED,
    person_id          TEXT NOT NULL REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
    retention_rate     INTEGER,
    excess_rate        INTEGER,
    concession         INTEGER,
    company_negotiated INTEGER,
    credit_approved    INTEGER,
    acceptance_date    TEXT,
    split              TEXT
) STRICT;
CREATE INDEX contracts_person ON contracts(person_id);

CREATE TABLE contract_lines (
    contract_id TEXT NOT NULL REFERENCES contracts(contract_id) DEFERRABLE INITIALLY DEFERRED,
    line_no     INTEGER NOT NULL,
    product     TEXT NOT NULL,
    quantity    INTEGER NOT NULL,
    unit_price  INTEGER NOT NULL,
    base_price  INTEGER NOT NULL,
    unit_cost   INTEGER,
    PRIMARY KEY (contract_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE contract_splits (
    contract_id TEXT NOT NULL REFERENCES contracts(contract_id) DEFERRABLE INITIALLY DEFERRED,
    person_id   TEXT NOT NULL REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
    share       INTEGER NOT NULL,
    PRIMARY KEY (contract_id, person_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE payments (
    id          TEXT PRIMARY KEY,
    contract_id TEXT NOT NULL REFERENCES contracts(contract_id) DEFERRABLE INITIALLY DEFERRED,
    date        TEXT NOT NULL,
    amount      INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('payment','deposit','refund'))
) STRICT;
CREATE INDEX payments_contract ON payments(contract_id);

CREATE TABLE returns (
    id          TEXT PRIMARY KEY,
    contract_id TEXT NOT NULL REFERENCES contracts(contract_id) DEFERRABLE INITIALLY DEFERRED,
    date        TEXT NOT NULL,
    amount      INTEGER NOT NULL
) STRICT;
CREATE INDEX returns_contract ON returns(contract_id);

CREATE TABLE targets (
    subject_id TEXT NOT NULL,
    period     TEXT NOT NULL,
    metric     TEXT NOT NULL,
    value      INTEGER NOT NULL,
    PRIMARY KEY (subject_id, period, metric)
) STRICT;

CREATE TABLE attendance (
    person_id TEXT NOT NULL REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
    date      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    minutes   INTEGER,
    PRIMARY KEY (person_id, date, kind)
) STRICT;

-- stage '' means the initial stage (no stage column in the file).
CREATE TABLE ratings (
    subject_id TEXT NOT NULL,
    period     TEXT NOT NULL,
    rater_id   TEXT NOT NULL,
    rater_role TEXT NOT NULL,
    item       TEXT NOT NULL,
    score      INTEGER NOT NULL,
    stage      TEXT NOT NULL,
    PRIMARY KEY (subject_id, period, rater_id, rater_role, item, stage)
) STRICT;

CREATE TABLE violations (
    person_id   TEXT NOT NULL REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
    date        TEXT NOT NULL,
    level       TEXT NOT NULL,
    points      INTEGER,
    description TEXT NOT NULL,
    PRIMARY KEY (person_id, date, level, description)
) STRICT;

CREATE TABLE complaints (
    id             TEXT PRIMARY KEY,
    customer_id    TEXT NOT NULL REFERENCES customers(id) DEFERRABLE INITIALLY DEFERRED,
    person_id      TEXT NOT NULL REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
    category       TEXT NOT NULL,
    severity       TEXT NOT NULL,
    opened_at      TEXT NOT NULL,
    responded_at   TEXT,
    resolved_at    TEXT,
    followed_up_at TEXT,
    csat           INTEGER
) STRICT;

CREATE TABLE events (
    person_id TEXT NOT NULL REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
    date      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    note      TEXT,
    PRIMARY KEY (person_id, date, kind)
) STRICT;

CREATE TABLE costs (
    id          TEXT PRIMARY KEY,
    date        TEXT NOT NULL,
    amount      INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    person_id   TEXT REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
    customer_id TEXT REFERENCES customers(id) DEFERRABLE INITIALLY DEFERRED,
    contract_id TEXT REFERENCES contracts(contract_id) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE TABLE reports (
    person_id    TEXT NOT NULL REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
    kind         TEXT NOT NULL,
    period       TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    PRIMARY KEY (person_id, kind, period)
) STRICT;

-- Pay periods closed by finance: a locked period never changes.
CREATE TABLE periods (
    period    TEXT PRIMARY KEY,
    locked_at TEXT NOT NULL,
    locked_by TEXT NOT NULL
) STRICT;

-- Append-only audit log of every change (domain.md §8).
CREATE TABLE audit_log (
    seq    INTEGER PRIMARY KEY,
    at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', '+8 hours')),
    who    TEXT NOT NULL,
    action TEXT NOT NULL,
    what   TEXT NOT NULL,
    before TEXT,
    after  TEXT
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
