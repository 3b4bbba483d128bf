-- Indexes a DBA would add for the query, and fresh statistics (timed with the load).
CREATE INDEX contracts_k ON contracts(contract_id);
CREATE INDEX payments_k ON payments(contract_id);
CREATE INDEX returns_k ON returns(contract_id);
CREATE INDEX ratings_s ON ratings(subject_id, period, item);
CREATE INDEX people_id ON people(id);
CREATE INDEX units_parent ON units(parent_id);
VACUUM ANALYZE;
