-- 008: the end of a complaint's lifecycle (domain.md §7): closed_at, and reopened_at when a
-- resolved ticket was opened again (its resolution deadline then runs from the reopening).
ALTER TABLE complaints ADD COLUMN reopened_at TEXT;
ALTER TABLE complaints ADD COLUMN closed_at TEXT;
