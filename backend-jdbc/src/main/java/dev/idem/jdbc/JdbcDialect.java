package dev.idem.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The SQL dialects the JDBC store speaks. {@link JdbcIdempotencyStore} detects the dialect from
 * {@link DatabaseMetaData#getDatabaseProductName()}; set one on the builder to skip detection,
 * for example behind a proxy that reports another product name.
 */
public enum JdbcDialect {

    /** PostgreSQL 12 or newer: every operation is one statement. */
    POSTGRESQL("postgresql", 2048),

    /** MariaDB 10.5 or newer: a claim is one statement, through {@code INSERT ... RETURNING}. */
    MARIADB("mariadb", 512),

    /** MySQL 8.0 or newer: a first claim reads, then writes, because MySQL has no RETURNING clause. */
    MYSQL("mysql", 512),

    /** H2 2.x, embedded or as a server: a first claim reads, then writes, as on MySQL. */
    H2("h2", 2048);

    private final String backendName;
    private final int maxKeyBytes;

    JdbcDialect(String backendName, int maxKeyBytes) {
        this.backendName = backendName;
        this.maxKeyBytes = maxKeyBytes;
    }

    /**
     * Picks the dialect for a database product.
     *
     * @throws IllegalArgumentException when the product is none of PostgreSQL, MariaDB, MySQL or H2
     */
    public static JdbcDialect detect(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName();
        String normalized = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (normalized.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (normalized.contains("mariadb")) {
            return MARIADB;
        }
        if (normalized.contains("mysql")) {
            // MariaDB's own driver reports "MariaDB", but MySQL's driver on a MariaDB server reports
            // "MySQL"; the server version string tells them apart.
            String version = metaData.getDatabaseProductVersion();
            return version != null && version.toLowerCase(Locale.ROOT).contains("mariadb") ? MARIADB : MYSQL;
        }
        if (normalized.equals("h2")) {
            return H2;
        }
        throw new IllegalArgumentException("Unsupported database '" + product + "': the JDBC store supports"
                + " PostgreSQL, MariaDB, MySQL and H2. Set the dialect on the builder if this database speaks one of them.");
    }

    /** The short name used in logs, messages and {@code StoreCapabilities.backend()}. */
    public String backendName() {
        return backendName;
    }

    /** The maximum key length, in UTF-8 bytes, that the shipped DDL indexes. The core hashes longer keys. */
    public int maxKeyBytes() {
        return maxKeyBytes;
    }

    /** The class path resource that contains this dialect's DDL, with {@code ${table}} and {@code ${index}} placeholders. */
    public String schemaResource() {
        return "dev/idem/jdbc/schema-" + backendName + ".sql";
    }
}
