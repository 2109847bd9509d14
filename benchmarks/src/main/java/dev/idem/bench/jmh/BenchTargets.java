package dev.idem.bench.jmh;

import dev.idem.bench.Backend;
import dev.idem.bench.BackendConnection;
import dev.idem.bench.LocalDynalite;

import java.io.IOException;

/**
 * The servers the benchmarks run against. Each URL comes from {@code IDEM_BENCH_<NAME>_URL},
 * then from the test suite's {@code IDEM_TEST_<NAME>_URL}, then from a default on 127.0.0.1. Without
 * a DynamoDB URL, the benchmarks start dynalite on a loopback port, once per JVM.
 */
final class BenchTargets {

    private static LocalDynalite dynalite;

    private BenchTargets() {
    }

    /** Returns the URL of {@code backend}'s server, or {@code null} for the in-process backends. */
    static String url(Backend backend) {
        return switch (backend) {
            case REDIS -> lookup("REDIS", "redis://127.0.0.1:6379");
            case POSTGRESQL -> lookup("POSTGRES", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
            case MARIADB -> lookup("MARIADB", "jdbc:mariadb://127.0.0.1:3306/test?user=root");
            case H2 -> BackendConnection.DEFAULT_H2_URL;
            case DYNAMODB -> dynamoDbUrl();
            case MEMORY -> null;
        };
    }

    private static synchronized String dynamoDbUrl() {
        String configured = lookup("DYNAMODB", null);
        if (configured != null) {
            return configured;
        }
        if (dynalite == null) {
            try {
                dynalite = LocalDynalite.start();
            } catch (IOException e) {
                throw new IllegalStateException("Could not start dynalite: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting dynalite", e);
            }
        }
        return dynalite.endpoint();
    }

    private static String lookup(String name, String fallback) {
        for (String variable : new String[] {"IDEM_BENCH_" + name + "_URL", "IDEM_TEST_" + name + "_URL"}) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return fallback;
    }
}
