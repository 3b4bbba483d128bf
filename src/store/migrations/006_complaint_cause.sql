-- 006: the cause of a complaint (a word such as quality, delay, attitude), for the monthly
-- summary by category and cause (domain.md §7).
ALTER TABLE complaints ADD COLUMN cause TEXT;
