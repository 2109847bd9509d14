package dev.idem.jdbc;

import dev.idem.BackendException;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one-statement operations with Connector/J's default client-side prepared statements. */
class MariaDbClientPreparedOneTripTest extends MariaDbOneTripTest {

    @Override
    String urlParameters() {
        return "";
    }

    @Test
    void bulkStatementsFailOnlyCompleteAll() {
        // With useBulkStmts=true, Connector/J sends a JDBC batch of UPDATEs in bulk and returns no
        // update count per statement. Claims and single completions use no JDBC batch.
        JdbcIdempotencyStore bulk = JdbcIdempotencyStore.builder(TestDatabases.mariadb("useBulkStmts=true"))
                .table(table()).build();
        String first = "bulk-" + UUID.randomUUID();
        String second = "bulk-" + UUID.randomUUID();
        String third = "bulk-" + UUID.randomUUID();

        List<ClaimResult> claims = bulk.claimAll(List.of(claim(first), claim(second), claim(third)));
        CompleteResult single = bulk.complete(new CompleteRequest(first, 1, "one".getBytes(StandardCharsets.UTF_8), 60_000));

        assertThat(claims).allMatch(result -> result instanceof ClaimResult.Acquired);
        assertThat(single).isInstanceOf(CompleteResult.Stored.class);
        assertThatThrownBy(() -> bulk.completeAll(List.of(
                new CompleteRequest(second, 1, "two".getBytes(StandardCharsets.UTF_8), 60_000),
                new CompleteRequest(third, 1, "three".getBytes(StandardCharsets.UTF_8), 60_000))))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("useBulkStmts=false");
    }

    private static ClaimRequest claim(String key) {
        return new ClaimRequest(key, null, 60_000, 60_000, "test");
    }
}
