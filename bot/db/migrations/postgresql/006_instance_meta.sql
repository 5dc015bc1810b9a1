-- PostgreSQL twin of ../006_instance_meta.sql: Discord ids and unix seconds are BIGINT, row ids identities.
-- Facts about this installation, one row each. 'secret_fingerprint' is HMAC-SHA256(secret,
-- "mutual:fingerprint"): it tells whether the configured secret is the one the keyed hashes were
-- made with, and reveals nothing of the secret itself.
CREATE TABLE instance_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
