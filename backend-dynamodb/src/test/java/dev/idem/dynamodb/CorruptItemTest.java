package dev.idem.dynamodb;

import dev.idem.CorruptRecordException;
import dev.idem.spi.ClaimRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Items that Idem did not write: reported as corrupt, and never overwritten. */
class CorruptItemTest {

    private static final long MINUTE = 60_000;
    private static final long FAR_FUTURE = 4_102_444_800_000L;

    private static String table;
    private static DynamoDbIdempotencyStore store;

    @BeforeAll
    static void createStore() {
        table = TestDynamoDb.createTable("corrupt", DynamoDbTableLayout.defaults());
        store = DynamoDbIdempotencyStore.builder(TestDynamoDb.client()).tableName(table).build();
    }

    @Test
    void foreignItemNotOverwrittenByClaim() {
        Map<String, AttributeValue> foreign = Map.of(
                "id", AttributeValue.fromS("corrupt-foreign"),
                "name", AttributeValue.fromS("not an idempotency record"));
        put(foreign);

        assertThatThrownBy(() -> store.claim(claim("corrupt-foreign")))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("attribute expiresAt is missing or not a number");
        assertThat(rawItem("corrupt-foreign")).isEqualTo(foreign);
    }

    @Test
    void unknownStatusReportedByGet() {
        put(Map.of(
                "id", AttributeValue.fromS("corrupt-status"),
                "expiresAt", AttributeValue.fromN(Long.toString(FAR_FUTURE)),
                "status", AttributeValue.fromS("PAUSED")));

        assertThatThrownBy(() -> store.get("corrupt-status"))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("dynamodb get failed for key corrupt-status")
                .hasMessageContaining("contains 'PAUSED'");
    }

    @Test
    void unknownResultEncodingReported() {
        put(Map.of(
                "id", AttributeValue.fromS("corrupt-encoding"),
                "expiresAt", AttributeValue.fromN(Long.toString(FAR_FUTURE)),
                "status", AttributeValue.fromS("COMPLETED"),
                "fencingToken", AttributeValue.fromN("5"),
                "createdAt", AttributeValue.fromN("1"),
                "completedAt", AttributeValue.fromN("2"),
                "result", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1})),
                "resultEncoding", AttributeValue.fromS("zstd")));

        assertThatThrownBy(() -> store.get("corrupt-encoding"))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("contains 'zstd', but only 'gzip' is known");
    }

    @Test
    void expiredForeignItemCountsAsAbsent() {
        put(Map.of(
                "id", AttributeValue.fromS("corrupt-expired"),
                "expiresAt", AttributeValue.fromN("1")));

        assertThat(store.get("corrupt-expired")).isEmpty();
    }

    private static ClaimRequest claim(String key) {
        return new ClaimRequest(key, null, MINUTE, MINUTE, "corrupt-test");
    }

    private static void put(Map<String, AttributeValue> item) {
        TestDynamoDb.client().putItem(request -> request.tableName(table).item(item));
    }

    private static Map<String, AttributeValue> rawItem(String key) {
        return TestDynamoDb.client().getItem(request -> request.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(key)))).item();
    }
}
