-- 004: the text of every plan a run used, so that a run can be explained (and
-- audited) later exactly as it was computed, whatever happens to the files.
CREATE TABLE run_plans (
    run_seq INTEGER NOT NULL REFERENCES runs(seq) ON DELETE CASCADE,
    pos     INTEGER NOT NULL,   -- order given on the command line
    file    TEXT NOT NULL,      -- the file name as given
    text    TEXT NOT NULL,      -- its bytes
    PRIMARY KEY (run_seq, pos)
) STRICT, WITHOUT ROWID;
