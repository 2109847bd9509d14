package dev.idem.dynamodb;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Fencing tokens across release and across the deletion of an item, as DynamoDB TTL deletes it. */
class FencingTokenTest {

    private static final long MINUTE = 60_000;

    private static String table;
    private static DynamoDbIdempotencyStore store;

    @BeforeAll
    static void createStore() {
        table = TestDynamoDb.createTable("tokens", DynamoDbTableLayout.defaults());
        store = DynamoDbIdempotencyStore.builder(TestDynamoDb.client()).tableName(table).build();
    }

    @Test
    void releaseKeepsItemAsReleased() {
        ClaimResult.Acquired first = acquire("token-release");

        store.release("token-release", first.fencingToken());
        Map<String, AttributeValue> item = rawItem("token-release");

        assertThat(item.get("status").s()).isEqualTo("RELEASED");
        assertThat(item.get("expiresAt").n()).isEqualTo("0");
        assertThat(item.get("fencingToken").n()).isEqualTo(Long.toString(first.fencingToken()));
        assertThat(store.get("token-release")).isEmpty();
    }

    @Test
    void claimAfterReleaseContinuesToken() {
        ClaimResult.Acquired first = acquire("token-continue");
        store.release("token-continue", first.fencingToken());

        ClaimResult.Acquired second = acquire("token-continue");

        assertThat(second.fencingToken()).isEqualTo(first.fencingToken() + 1);
        assertThat(second.takeover()).isFalse();
    }

    @Test
    void staleHolderRejectedAfterItemDeleted() {
        ClaimResult.Acquired stale = acquire("token-deleted");
        TestDynamoDb.client().deleteItem(request -> request.tableName(table)
                .key(Map.of("id", AttributeValue.fromS("token-deleted"))));

        ClaimResult.Acquired next = acquire("token-deleted");
        CompleteResult staleComplete = store.complete(
                new CompleteRequest("token-deleted", stale.fencingToken(), new byte[] {1}, MINUTE));

        assertThat(next.fencingToken()).isGreaterThan(stale.fencingToken());
        assertThat(staleComplete).isInstanceOf(CompleteResult.Rejected.class);
    }

    @Test
    void firstTokenStartsAboveClock() {
        long before = System.currentTimeMillis();

        ClaimResult.Acquired first = acquire("token-first");

        assertThat(first.fencingToken()).isGreaterThan(before);
        assertThat(first.fencingToken()).isEqualTo(first.now() + 1);
    }

    private static ClaimResult.Acquired acquire(String key) {
        return (ClaimResult.Acquired) store.claim(new ClaimRequest(key, null, MINUTE, MINUTE, "token-test"));
    }

    private static Map<String, AttributeValue> rawItem(String key) {
        return TestDynamoDb.client().getItem(request -> request.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(key)))).item();
    }
}
