-- 007: users of the web application, their sessions and failed logins (issue 5).
-- Passwords are argon2id hashes (libsodium crypto_pwhash_str); sessions are kept as the
-- BLAKE2b hash of their token, never the token itself.
CREATE TABLE users (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL,     -- rep manager director hr finance engineer admin
    person_id  TEXT REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
    pw_hash    TEXT NOT NULL,
    disabled   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', '+8 hours'))
) STRICT;

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user       TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created    INTEGER NOT NULL,  -- unix seconds
    last_seen  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE login_failures (
    user TEXT NOT NULL,
    at   INTEGER NOT NULL         -- unix seconds
) STRICT;
CREATE INDEX login_failures_user ON login_failures(user, at);
