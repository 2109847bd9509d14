package dev.idem.bench.jmh;

import dev.idem.bench.Backend;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The SQL floor: one autocommitted insert-if-absent to claim and one keyed UPDATE to complete,
 * on a table with the store's own schema, through the store's connection pool. The claim is
 * {@code INSERT ... ON CONFLICT DO NOTHING} on PostgreSQL, {@code INSERT IGNORE} on MariaDB, and
 * a plain {@code INSERT} on H2, which has no insert-if-absent outside its compatibility modes;
 * the benchmarks only insert new keys, so the plain insert never conflicts.
 */
final class SqlFloor implements Floor {

    private static final String COLUMNS = "(idempotency_key, status, fencing_token, lease_expires_at, expires_at,"
            + " fingerprint, result, created_at, completed_at, owner)";

    private final DataSource dataSource;
    private final String claimSql;
    private final String completeSql;
    private final long retentionMillis;

    SqlFloor(Backend backend, DataSource dataSource, String table, long retentionMillis) {
        this.dataSource = dataSource;
        this.retentionMillis = retentionMillis;
        String values = " VALUES (?, 'IN_PROGRESS', 1, ?, ?, NULL, NULL, ?, 0, 'bench')";
        this.claimSql = switch (backend) {
            case POSTGRESQL -> "INSERT INTO " + table + " " + COLUMNS + values + " ON CONFLICT DO NOTHING";
            case MARIADB -> "INSERT IGNORE INTO " + table + " " + COLUMNS + values;
            case H2 -> "INSERT INTO " + table + " " + COLUMNS + values;
            default -> throw new IllegalArgumentException(backend + " is not an SQL backend");
        };
        this.completeSql = "UPDATE " + table + " SET status = 'COMPLETED', result = ?, lease_expires_at = 0,"
                + " expires_at = ?, completed_at = ? WHERE idempotency_key = ? AND fencing_token = 1";
    }

    @Override
    public void claim(String key) {
        long now = System.currentTimeMillis();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(claimSql)) {
            statement.setString(1, key);
            statement.setLong(2, now + retentionMillis);
            statement.setLong(3, now + retentionMillis);
            statement.setLong(4, now);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("raw claim of " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void complete(String key, byte[] result) {
        long now = System.currentTimeMillis();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(completeSql)) {
            statement.setBytes(1, result);
            statement.setLong(2, now + retentionMillis);
            statement.setLong(3, now);
            statement.setString(4, key);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("raw complete of " + key + " failed: " + e.getMessage(), e);
        }
    }
}
