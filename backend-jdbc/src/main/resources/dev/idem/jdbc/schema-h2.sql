-- Idem records on H2 2.x. Times are epoch milliseconds on the database's clock.
CREATE TABLE IF NOT EXISTS ${table} (
    idempotency_key  varchar(2048) NOT NULL PRIMARY KEY,
    status           varchar(16)   NOT NULL,
    fencing_token    bigint        NOT NULL,
    lease_expires_at bigint        NOT NULL,
    expires_at       bigint        NOT NULL,
    fingerprint      varchar(2048),
    result           varbinary(1000000000),
    created_at       bigint        NOT NULL,
    completed_at     bigint        NOT NULL,
    owner            varchar(2048)
);
-- purgeExpired deletes the oldest expired rows first through this index.
CREATE INDEX IF NOT EXISTS ${index} ON ${table} (expires_at);
