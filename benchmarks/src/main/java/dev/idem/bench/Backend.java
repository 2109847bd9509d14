package dev.idem.bench;

import java.util.Locale;

/** A backend that the command and the benchmarks can drive, with the facts they report about it. */
public enum Backend {

    MEMORY("memory", 0, 0, 0),
    REDIS("redis", 1, 1, 1),
    POSTGRESQL("postgresql", 1, 1, 1),
    // MariaDB claims and stores a completion in one statement each. A completeAll of several
    // keys sends a JDBC batch of UPDATEs and then reads the rows.
    // NOTE: a jdbc:mysql: URL also maps here, but on a MySQL server the store reads, then writes,
    // so a first claim and a complete cost 2 round trips there, not the 1 counted.
    MARIADB("mariadb", 1, 1, 2),
    // H2 cannot report whether a conditional upsert applied. So the store reads, then writes, on
    // a first claim and on complete, and a duplicate costs one read.
    H2("h2", 2, 2, 2),
    DYNAMODB("dynamodb", 1, 1, 1);

    private final String cliName;
    private final int roundTripsPerAcquiringClaim;
    private final int roundTripsPerComplete;
    private final int roundTripsPerBatchComplete;

    Backend(String cliName, int roundTripsPerAcquiringClaim, int roundTripsPerComplete, int roundTripsPerBatchComplete) {
        this.cliName = cliName;
        this.roundTripsPerAcquiringClaim = roundTripsPerAcquiringClaim;
        this.roundTripsPerComplete = roundTripsPerComplete;
        this.roundTripsPerBatchComplete = roundTripsPerBatchComplete;
    }

    /** Returns the name used on the command line and in reports, such as {@code postgresql}. */
    public String cliName() {
        return cliName;
    }

    /** Round trips of a claim that acquires a new key, as the store's documentation states them. */
    public int roundTripsPerAcquiringClaim() {
        return roundTripsPerAcquiringClaim;
    }

    /** Round trips of a claim that finds an existing record: one read for every networked backend. */
    public int roundTripsPerDuplicateClaim() {
        return this == MEMORY ? 0 : 1;
    }

    /** Round trips of a complete that stores, as the store's documentation states them. */
    public int roundTripsPerComplete() {
        return roundTripsPerComplete;
    }

    /** Round trips of a completeAll of several keys, as the store's documentation states them. */
    public int roundTripsPerBatchComplete() {
        return roundTripsPerBatchComplete;
    }

    /** Tells whether the backend is an SQL database reached through JDBC. */
    public boolean isSql() {
        return this == POSTGRESQL || this == MARIADB || this == H2;
    }

    /**
     * Parses a command-line name, case-insensitively.
     *
     * @throws IllegalArgumentException when the name is not one of the backends
     */
    public static Backend parse(String name) {
        for (Backend backend : values()) {
            if (backend.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return backend;
            }
        }
        throw new IllegalArgumentException("Unknown backend '" + name
                + "'. Use one of memory, redis, postgresql, mariadb, h2, dynamodb.");
    }

    /** Guesses the backend from a URL's scheme, such as {@code redis://} or {@code jdbc:postgresql:}. */
    public static Backend fromUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("redis://") || lower.startsWith("rediss://")) {
            return REDIS;
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (lower.startsWith("jdbc:mariadb:") || lower.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        if (lower.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return DYNAMODB;
        }
        throw new IllegalArgumentException("Cannot tell the backend from the URL '" + url
                + "'. Use a redis://, jdbc:postgresql:, jdbc:mariadb:, jdbc:h2: or http(s):// (DynamoDB) URL, or set --backend.");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
