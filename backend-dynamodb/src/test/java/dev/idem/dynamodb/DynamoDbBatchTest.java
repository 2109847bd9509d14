package dev.idem.dynamodb;

import dev.idem.BackendException;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Batches on both drivers: the thread pool over the sync client, and the application's async
 * client (here on the AWS CRT HTTP client). Results keep request order and a repeated key sees
 * its earlier request's claim.
 */
class DynamoDbBatchTest {

    private static final long MINUTE = 60_000;
    private static final int KEYS = 60;

    private static String table;
    private static DynamoDbAsyncClient asyncClient;
    private static DynamoDbIdempotencyStore syncStore;
    private static DynamoDbIdempotencyStore asyncStore;

    @BeforeAll
    static void createStores() {
        table = TestDynamoDb.createTable("batch", DynamoDbTableLayout.defaults());
        asyncClient = DynamoDbAsyncClient.builder()
                .endpointOverride(TestDynamoDb.endpoint())
                .region(TestDynamoDb.REGION)
                .credentialsProvider(TestDynamoDb.CREDENTIALS)
                .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
                .overrideConfiguration(TestDynamoDb.fastFailing())
                .build();
        syncStore = DynamoDbIdempotencyStore.builder(TestDynamoDb.client()).tableName(table).batchConcurrency(8).build();
        asyncStore = DynamoDbIdempotencyStore.builder(TestDynamoDb.client())
                .tableName(table)
                .asyncClient(asyncClient)
                .batchConcurrency(8)
                .build();
    }

    @AfterAll
    static void closeStores() {
        syncStore.close();
        asyncStore.close();
        asyncClient.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sync", "async"})
    void claimAllKeepsRequestOrder(String driver) {
        List<ClaimRequest> requests = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            requests.add(claim(driver + "-order-" + i, "owner-" + i));
        }

        List<ClaimResult> results = store(driver).claimAll(requests);

        assertThat(results).hasSize(KEYS);
        for (int i = 0; i < KEYS; i++) {
            assertThat(results.get(i)).as("result %d", i).isInstanceOf(ClaimResult.Acquired.class);
            long stored = store(driver).get(driver + "-order-" + i).orElseThrow().fencingToken();
            assertThat(((ClaimResult.Acquired) results.get(i)).fencingToken()).as("token %d", i).isEqualTo(stored);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sync", "async"})
    void repeatedKeySeesEarlierClaim(String driver) {
        String key = driver + "-twice";
        List<ClaimRequest> requests = List.of(
                claim(key, "first"), claim(driver + "-between", "between"), claim(key, "second"), claim(key, "third"));

        List<ClaimResult> results = store(driver).claimAll(requests);

        assertThat(results.get(0)).isInstanceOf(ClaimResult.Acquired.class);
        assertThat(results.get(1)).isInstanceOf(ClaimResult.Acquired.class);
        assertThat(results.get(2)).isInstanceOf(ClaimResult.InProgress.class);
        assertThat(((ClaimResult.InProgress) results.get(2)).record().owner()).isEqualTo("first");
        assertThat(results.get(3)).isInstanceOf(ClaimResult.InProgress.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sync", "async"})
    void completeAllRejectsOnlyStaleTokens(String driver) {
        List<ClaimRequest> claims = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            claims.add(claim(driver + "-complete-" + i, "owner"));
        }
        List<ClaimResult> held = store(driver).claimAll(claims);
        List<CompleteRequest> completes = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            long token = ((ClaimResult.Acquired) held.get(i)).fencingToken();
            // Every third completion presents a token that was never issued.
            completes.add(new CompleteRequest(driver + "-complete-" + i, i % 3 == 0 ? token + 1 : token,
                    new byte[] {(byte) i}, MINUTE));
        }

        List<CompleteResult> results = store(driver).completeAll(completes);

        for (int i = 0; i < KEYS; i++) {
            Class<?> expected = i % 3 == 0 ? CompleteResult.Rejected.class : CompleteResult.Stored.class;
            assertThat(results.get(i)).as("result %d", i).isInstanceOf(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sync", "async"})
    void failureReportsEarliestRequest(String driver) {
        DynamoDbIdempotencyStore.Builder builder = DynamoDbIdempotencyStore.builder(TestDynamoDb.client())
                .tableName("idem-no-such-batch-table");
        if (driver.equals("async")) {
            builder.asyncClient(asyncClient);
        }
        try (DynamoDbIdempotencyStore missing = builder.build()) {
            List<ClaimRequest> requests = List.of(claim("missing-a", "o"), claim("missing-b", "o"), claim("missing-c", "o"));

            assertThatThrownBy(() -> missing.claimAll(requests))
                    .isInstanceOf(BackendException.class)
                    .hasMessageContaining("key missing-a")
                    .hasMessageContaining("ResourceNotFoundException")
                    .satisfies(error -> assertThat(error.getSuppressed()).hasSize(2));
        }
    }

    private static DynamoDbIdempotencyStore store(String driver) {
        return driver.equals("async") ? asyncStore : syncStore;
    }

    private static ClaimRequest claim(String key, String owner) {
        return new ClaimRequest(key, null, MINUTE, MINUTE, owner);
    }
}
