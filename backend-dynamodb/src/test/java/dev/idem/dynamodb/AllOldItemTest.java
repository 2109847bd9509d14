package dev.idem.dynamodb;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.ExtendResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store's path for a refusal that carries the current item, as DynamoDB sends it for
 * {@code ReturnValuesOnConditionCheckFailure = ALL_OLD}. {@link AllOldEmulation} adds the item
 * that dynalite leaves out, and the recorder shows that no extra read follows.
 */
class AllOldItemTest {

    private static final long MINUTE = 60_000;
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private static RecordingInterceptor recorder;
    private static DynamoDbClient client;
    private static String table;

    private final MutableClock clock = new MutableClock(START);
    private DynamoDbIdempotencyStore store;

    @BeforeAll
    static void createClient() {
        recorder = new RecordingInterceptor();
        client = TestDynamoDb.clientBuilder(TestDynamoDb.endpoint())
                .overrideConfiguration(TestDynamoDb.fastFailing().toBuilder()
                        .addExecutionInterceptor(recorder)
                        .addExecutionInterceptor(new AllOldEmulation(TestDynamoDb.client()))
                        .build())
                .build();
        table = TestDynamoDb.createTable("all-old", DynamoDbTableLayout.defaults());
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @BeforeEach
    void createStore() {
        store = DynamoDbIdempotencyStore.builder(client).tableName(table).clock(clock)
                .clockSkewAllowance(Duration.ZERO).build();
        recorder.clear();
    }

    @Test
    void duplicateTakesOneRoundTrip() {
        ClaimResult.Acquired holder = acquire("all-old-duplicate", "sha256:a");
        recorder.clear();

        ClaimResult duplicate = store.claim(claim("all-old-duplicate", "sha256:a"));

        assertThat(duplicate).isInstanceOf(ClaimResult.InProgress.class);
        assertThat(((ClaimResult.InProgress) duplicate).record().fencingToken()).isEqualTo(holder.fencingToken());
        assertThat(recorder.requestTypes()).containsExactly("UpdateItemRequest");
    }

    @Test
    void completedDuplicateTakesOneRoundTrip() {
        ClaimResult.Acquired holder = acquire("all-old-completed", null);
        store.complete(new CompleteRequest("all-old-completed", holder.fencingToken(), new byte[] {42}, MINUTE));
        recorder.clear();

        ClaimResult duplicate = store.claim(claim("all-old-completed", null));

        assertThat(duplicate).isInstanceOf(ClaimResult.Completed.class);
        assertThat(((ClaimResult.Completed) duplicate).record().result()).containsExactly(42);
        assertThat(recorder.requestTypes()).containsExactly("UpdateItemRequest");
    }

    @Test
    void staleCompleteTakesOneRoundTrip() {
        ClaimResult.Acquired holder = acquire("all-old-stale", null);
        recorder.clear();

        CompleteResult result = store.complete(
                new CompleteRequest("all-old-stale", holder.fencingToken() - 1, new byte[] {1}, MINUTE));

        assertThat(result).isInstanceOf(CompleteResult.Rejected.class);
        assertThat(((CompleteResult.Rejected) result).current().fencingToken()).isEqualTo(holder.fencingToken());
        assertThat(recorder.requestTypes()).containsExactly("UpdateItemRequest");
    }

    @Test
    void extendPastRetentionTakesTwoUpdates() {
        ClaimResult.Acquired holder = acquire("all-old-extend", null);
        recorder.clear();

        ExtendResult result = store.extend("all-old-extend", holder.fencingToken(), 10 * MINUTE);
        List<String> requestTypes = recorder.requestTypes();

        assertThat(result).isInstanceOf(ExtendResult.Extended.class);
        assertThat(requestTypes).containsExactly("UpdateItemRequest", "UpdateItemRequest");
        assertThat(store.get("all-old-extend").orElseThrow().expiresAt())
                .isEqualTo(((ExtendResult.Extended) result).leaseExpiresAt());
    }

    @Test
    void takeoverWithoutFingerprintKeepsStoredOne() {
        acquire("all-old-takeover", "sha256:a");
        clock.advance(Duration.ofMillis(MINUTE));
        recorder.clear();

        ClaimResult takeover = store.claim(claim("all-old-takeover", null));
        List<String> requestTypes = recorder.requestTypes();

        assertThat(takeover).isInstanceOf(ClaimResult.Acquired.class);
        assertThat(((ClaimResult.Acquired) takeover).takeover()).isTrue();
        assertThat(store.get("all-old-takeover").orElseThrow().fingerprint()).isEqualTo("sha256:a");
        assertThat(requestTypes).containsExactly("UpdateItemRequest", "UpdateItemRequest");
    }

    @Test
    void mismatchedTakeoverRefusedInOneRoundTrip() {
        acquire("all-old-mismatch", "sha256:a");
        clock.advance(Duration.ofMillis(MINUTE));
        recorder.clear();

        ClaimResult refused = store.claim(claim("all-old-mismatch", "sha256:b"));

        assertThat(refused).isInstanceOf(ClaimResult.InProgress.class);
        assertThat(recorder.requestTypes()).containsExactly("UpdateItemRequest");
    }

    private ClaimResult.Acquired acquire(String key, String fingerprint) {
        return (ClaimResult.Acquired) store.claim(claim(key, fingerprint));
    }

    private static ClaimRequest claim(String key, String fingerprint) {
        return new ClaimRequest(key, fingerprint, MINUTE, 2 * MINUTE, "all-old-test");
    }
}
