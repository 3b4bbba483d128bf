-- 002: calculation runs and their results.
-- A run is identified by a digest of its period, its plans and its input
-- data, so the same inputs give the same run id (and byte-identical results).
CREATE TABLE runs (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    period     TEXT NOT NULL,
    plans      TEXT NOT NULL,   -- "name@blake2b-hex" of each plan, in order
    input_hash TEXT NOT NULL,   -- blake2b of everything the run read
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', '+8 hours')),
    created_by TEXT NOT NULL
) STRICT;
CREATE INDEX runs_period ON runs(period, seq);

-- One row per person computed: the result (JSON object, as printed by
-- `jixiao results --format json`), the trace (JSON array) and the clawback
-- carried into the next period.
CREATE TABLE run_results (
    run_seq   INTEGER NOT NULL REFERENCES runs(seq) ON DELETE CASCADE,
    person_id TEXT NOT NULL,
    result    TEXT NOT NULL,
    trace     TEXT NOT NULL,
    carry_out INTEGER NOT NULL,
    PRIMARY KEY (run_seq, person_id)
) STRICT, WITHOUT ROWID;

-- The run a lock closed: the figures finance paid.
ALTER TABLE periods ADD COLUMN last_run TEXT;
