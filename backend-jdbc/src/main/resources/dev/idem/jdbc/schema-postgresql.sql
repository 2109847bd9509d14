-- Idem records on PostgreSQL. Times are epoch milliseconds on the database server's clock.
CREATE TABLE IF NOT EXISTS ${table} (
    idempotency_key  text        NOT NULL PRIMARY KEY,
    status           varchar(16) NOT NULL,
    fencing_token    bigint      NOT NULL,
    lease_expires_at bigint      NOT NULL,
    expires_at       bigint      NOT NULL,
    fingerprint      text,
    result           bytea,
    created_at       bigint      NOT NULL,
    completed_at     bigint      NOT NULL,
    owner            text
);
-- purgeExpired deletes the oldest expired rows first through this index.
CREATE INDEX IF NOT EXISTS ${index} ON ${table} (expires_at);
