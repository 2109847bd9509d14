-- Idem records on MySQL 8.0 or newer. Times are epoch milliseconds on the database server's clock.
-- The key uses a binary, no-pad collation so that keys differing in case or trailing spaces stay distinct.
CREATE TABLE IF NOT EXISTS ${table} (
    idempotency_key  varchar(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL PRIMARY KEY,
    status           varchar(16)  NOT NULL,
    fencing_token    bigint       NOT NULL,
    lease_expires_at bigint       NOT NULL,
    expires_at       bigint       NOT NULL,
    fingerprint      varchar(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin,
    result           longblob,
    created_at       bigint       NOT NULL,
    completed_at     bigint       NOT NULL,
    owner            varchar(512) CHARACTER SET utf8mb4,
    INDEX ${index} (expires_at)
) ENGINE = InnoDB;
