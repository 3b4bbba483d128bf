-- 003: the appraisal workflow of domain.md §6: draft -> published -> final.
-- Times are TEXT 'YYYY-MM-DD HH:MM' (Asia/Shanghai), dates 'YYYY-MM-DD'.

-- Each publication of a period: the run published and the deadlines computed
-- with the working-day calendar when it was published.  A period is published
-- again only with another run; every publication is kept.
CREATE TABLE publications (
    seq            INTEGER PRIMARY KEY,
    period         TEXT NOT NULL,
    number         INTEGER NOT NULL,   -- 1 for the period's first publication, 2...
    run_id         TEXT NOT NULL,
    published_at   TEXT NOT NULL,
    published_by   TEXT NOT NULL,
    window_closes  TEXT NOT NULL,      -- appeals are taken until the end of this day
    interview_due  TEXT NOT NULL,
    appeal_days    INTEGER NOT NULL,   -- working days of the appeal window
    answer_days    INTEGER NOT NULL,   -- working days HR has to answer an appeal
    interview_days INTEGER NOT NULL,   -- working days to the interview
    UNIQUE (period, number)
) STRICT;

-- Appeals (申诉) against a published result.  decision is NULL while open; a
-- decision is written once.
CREATE TABLE appeals (
    id              INTEGER PRIMARY KEY,
    period          TEXT NOT NULL,
    publication     INTEGER NOT NULL REFERENCES publications(seq),
    person_id       TEXT NOT NULL,
    reason          TEXT NOT NULL,
    filed_at        TEXT NOT NULL,
    filed_by        TEXT NOT NULL,
    due             TEXT NOT NULL,     -- HR's answer is due at this time
    decision        TEXT CHECK (decision IN ('accepted', 'rejected')),
    decision_reason TEXT,
    grade           TEXT,              -- the new grade of an accepted appeal, if any
    decided_at      TEXT,
    decided_by      TEXT,
    version         INTEGER            -- the result version the decision made, if any
) STRICT;
CREATE INDEX appeals_period ON appeals(period, id);
CREATE TRIGGER appeals_decided_once BEFORE UPDATE ON appeals
WHEN OLD.decision IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'an appeal is decided once'); END;
CREATE TRIGGER appeals_no_delete BEFORE DELETE ON appeals
BEGIN SELECT RAISE(ABORT, 'appeals are never deleted'); END;

-- Every version of each person's published result: version 1 from the first
-- publication, a new one for each later publication and for each accepted
-- appeal that changes the grade.  result is the JSON object of `results
-- --format json`.  Append-only: a published result never changes silently.
CREATE TABLE result_versions (
    period      TEXT NOT NULL,
    person_id   TEXT NOT NULL,
    version     INTEGER NOT NULL,
    publication INTEGER NOT NULL REFERENCES publications(seq),
    run_id      TEXT NOT NULL,
    appeal_id   INTEGER REFERENCES appeals(id),
    result      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    PRIMARY KEY (period, person_id, version)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER result_versions_no_update BEFORE UPDATE ON result_versions
BEGIN SELECT RAISE(ABORT, 'a published result never changes: add a version'); END;
CREATE TRIGGER result_versions_no_delete BEFORE DELETE ON result_versions
BEGIN SELECT RAISE(ABORT, 'a published result never changes: add a version'); END;
CREATE TRIGGER publications_no_update BEFORE UPDATE ON publications
BEGIN SELECT RAISE(ABORT, 'publications are append-only'); END;
CREATE TRIGGER publications_no_delete BEFORE DELETE ON publications
BEGIN SELECT RAISE(ABORT, 'publications are append-only'); END;
