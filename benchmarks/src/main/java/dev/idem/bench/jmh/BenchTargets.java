package dev.idem.bench.jmh;

import dev.idem.bench.Backend;
import dev.idem.bench.BackendConnection;

/**
 * The servers the benchmarks run against. Each URL comes from {@code IDEM_BENCH_<NAME>_URL},
 * then from the test suite's {@code IDEM_TEST_<NAME>_URL}, then from a default on 127.0.0.1.
 */
final class BenchTargets {

    private BenchTargets() {
    }

    /** Returns the URL of {@code backend}'s server, or {@code null} for the in-process backends. */
    static String url(Backend backend) {
        return switch (backend) {
            case REDIS -> lookup("REDIS", "redis://127.0.0.1:6379");
            case POSTGRESQL -> lookup("POSTGRES", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
            case MARIADB -> lookup("MARIADB", "jdbc:mariadb://127.0.0.1:3306/test?user=root");
            case H2 -> BackendConnection.DEFAULT_H2_URL;
            default -> null;
        };
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
