-- 005: contacts with customers (domain.md §7): record completeness and follow-up
-- timeliness, and the contact cadence by customer tier.
CREATE TABLE contacts (
    person_id         TEXT NOT NULL REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
    customer_id       TEXT NOT NULL REFERENCES customers(id) DEFERRABLE INITIALLY DEFERRED,
    at                TEXT NOT NULL,
    channel           TEXT NOT NULL,
    fields_complete   INTEGER NOT NULL,
    fields_required   INTEGER NOT NULL,
    follow_up_due     TEXT NOT NULL,
    follow_up_done_at TEXT,
    PRIMARY KEY (person_id, customer_id, at)
) STRICT;
CREATE INDEX contacts_customer ON contacts(customer_id, at);
