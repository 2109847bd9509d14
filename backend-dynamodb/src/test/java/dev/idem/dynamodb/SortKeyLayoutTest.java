package dev.idem.dynamodb;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.IdempotencyRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The partition-plus-sort-key layout with a fixed sort key value, as a single-table design uses
 * it: where items land, that other entities in the same partition stay untouched, and the key
 * limits that follow from the prefixes.
 */
class SortKeyLayoutTest {

    private static final long MINUTE = 60_000;
    private static final byte[] RESULT = "receipt-17".getBytes(StandardCharsets.UTF_8);
    private static final DynamoDbTableLayout FIXED = DynamoDbTableLayout.builder()
            .partitionKey("PK")
            .partitionKeyPrefix("ORDER#")
            .sortKey("SK", "IDEMPOTENCY")
            .build();

    private static String table;
    private static DynamoDbIdempotencyStore store;

    @BeforeAll
    static void createStore() {
        table = TestDynamoDb.createTable("sort-key", FIXED);
        store = DynamoDbIdempotencyStore.builder(TestDynamoDb.client()).tableName(table).layout(FIXED).build();
    }

    @Test
    void recordLandsUnderPrefixedKeys() {
        complete("order-1");

        Map<String, AttributeValue> item = rawItem("ORDER#order-1", "IDEMPOTENCY");

        assertThat(item).as("item under PK=ORDER#order-1, SK=IDEMPOTENCY").isNotEmpty();
        assertThat(item.get("status").s()).isEqualTo("COMPLETED");
        assertThat(item.get("result").b().asByteArray()).isEqualTo(RESULT);
    }

    @Test
    void otherEntityInPartitionUntouched() {
        Map<String, AttributeValue> order = Map.of(
                "PK", AttributeValue.fromS("ORDER#order-2"),
                "SK", AttributeValue.fromS("DETAILS"),
                "total", AttributeValue.fromN("42"));
        TestDynamoDb.client().putItem(request -> request.tableName(table).item(order));

        complete("order-2");
        IdempotencyRecord record = store.get("order-2").orElseThrow();

        assertThat(rawItem("ORDER#order-2", "DETAILS")).isEqualTo(order);
        assertThat(record.result()).isEqualTo(RESULT);
    }

    @Test
    void replayReadsCompletedRecord() {
        complete("order-3");

        ClaimResult duplicate = store.claim(new ClaimRequest("order-3", null, MINUTE, MINUTE, "sort-key-test"));

        assertThat(duplicate).isInstanceOf(ClaimResult.Completed.class);
        assertThat(((ClaimResult.Completed) duplicate).record().result()).isEqualTo(RESULT);
    }

    @Test
    void maxKeyBytesLeavesRoomForPrefix() {
        assertThat(store.capabilities().maxKeyBytes()).isEqualTo(2048 - "ORDER#".length());
    }

    @Test
    void keyInSortKeyLimitedTo1024Bytes() {
        DynamoDbTableLayout layout = DynamoDbTableLayout.builder()
                .partitionKey("PK")
                .partitionKeyPrefix("T#")
                .sortKeyWithKeyPrefix("SK", "IDEM#")
                .build();

        assertThat(layout.maxKeyBytes()).isEqualTo(1024 - "IDEM#".length());
    }

    @Test
    void longestKeyFits() {
        String key = "k".repeat(store.capabilities().maxKeyBytes());

        ClaimResult result = store.claim(new ClaimRequest(key, null, MINUTE, MINUTE, "sort-key-test"));

        assertThat(result).isInstanceOf(ClaimResult.Acquired.class);
    }

    @Test
    void layoutRejectsSharedAttributeName() {
        DynamoDbTableLayout.Builder builder = DynamoDbTableLayout.builder().partitionKey("PK").sortKey("status", "X");

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'status' is used for both sortKey and status");
    }

    @Test
    void layoutRejectsPrefixWithoutKeyRoom() {
        DynamoDbTableLayout.Builder builder = DynamoDbTableLayout.builder().sortKeyWithKeyPrefix("SK", "x".repeat(1000));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("room for keys of only 24 bytes");
    }

    private static void complete(String key) {
        ClaimResult.Acquired holder = (ClaimResult.Acquired) store.claim(
                new ClaimRequest(key, null, MINUTE, MINUTE, "sort-key-test"));
        store.complete(new CompleteRequest(key, holder.fencingToken(), RESULT, MINUTE));
    }

    private static Map<String, AttributeValue> rawItem(String partitionKey, String sortKey) {
        return TestDynamoDb.client().getItem(request -> request.tableName(table).consistentRead(true).key(Map.of(
                "PK", AttributeValue.fromS(partitionKey),
                "SK", AttributeValue.fromS(sortKey)))).item();
    }
}
