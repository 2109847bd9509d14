package dev.idem.dynamodb;

import ch.qos.logback.classic.Level;
import dev.idem.Execution;
import dev.idem.Idem;
import dev.idem.ResultNotStoredException;
import dev.idem.Source;
import dev.idem.internal.ResultEnvelope;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.IdempotencyRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Results above DynamoDB's 400 KB item limit: compressed when that fits, otherwise completed as not stored. */
class LargeResultTest {

    private static final long MINUTE = 60_000;
    private static final int COMPRESSIBLE_BYTES = 600 * 1024;
    private static final int INCOMPRESSIBLE_BYTES = 500 * 1024;

    private static String table;
    private static DynamoDbIdempotencyStore store;

    @BeforeAll
    static void createStore() {
        table = TestDynamoDb.createTable("large", DynamoDbTableLayout.defaults());
        store = DynamoDbIdempotencyStore.builder(TestDynamoDb.client()).tableName(table).build();
    }

    @Test
    void compressibleResultStoredCompressed() {
        byte[] result = ResultEnvelope.value(compressibleJson(COMPRESSIBLE_BYTES));

        CompleteResult completed = complete("large-compressible", result);
        Map<String, AttributeValue> item = rawItem("large-compressible");

        assertThat(completed).isInstanceOf(CompleteResult.Stored.class);
        assertThat(item.get("resultEncoding").s()).isEqualTo("gzip");
        assertThat(item.get("result").b().asByteArray().length).isLessThan(ResultSizing.MAX_ITEM_BYTES);
        assertThat(store.get("large-compressible").orElseThrow().result()).isEqualTo(result);
    }

    @Test
    void compressedResultReplayed() {
        byte[] result = ResultEnvelope.value(compressibleJson(COMPRESSIBLE_BYTES));
        complete("large-replay", result);

        ClaimResult duplicate = store.claim(claim("large-replay"));

        assertThat(duplicate).isInstanceOf(ClaimResult.Completed.class);
        assertThat(((ClaimResult.Completed) duplicate).record().result()).isEqualTo(result);
    }

    @Test
    void smallResultStoredUncompressed() {
        byte[] result = ResultEnvelope.value("{\"id\":1}".getBytes(StandardCharsets.UTF_8));

        complete("large-small", result);

        assertThat(rawItem("large-small")).doesNotContainKey("resultEncoding");
        assertThat(rawItem("large-small").get("result").b().asByteArray()).isEqualTo(result);
    }

    @Test
    void incompressibleResultCompletesNotStored() {
        byte[] result = ResultEnvelope.value(randomBytes(INCOMPRESSIBLE_BYTES));

        try (LogCapture log = LogCapture.of(Operations.class)) {
            CompleteResult completed = complete("large-random", result);
            IdempotencyRecord record = store.get("large-random").orElseThrow();

            assertThat(completed).isInstanceOf(CompleteResult.Stored.class);
            assertThat(record.isCompleted()).isTrue();
            assertThat(ResultEnvelope.tag(record.result())).isEqualTo(ResultEnvelope.NOT_STORED);
            assertThat(ResultEnvelope.text(record.result())).contains("result of " + result.length + " bytes");
            assertThat(log.messages(Level.WARN)).singleElement().asString()
                    .contains("large-random")
                    .contains("does not fit a DynamoDB item even compressed");
        }
    }

    @Test
    void notStoredResultNeverRerunsAction() {
        Idem idem = Idem.builder(store).namespace("large").build();
        byte[] random = randomBytes(INCOMPRESSIBLE_BYTES);
        AtomicInteger runs = new AtomicInteger();

        Execution<byte[]> first = idem.execute("order-9", null, byte[].class, () -> {
            runs.incrementAndGet();
            return random;
        });

        assertThat(first.source()).isEqualTo(Source.EXECUTED);
        assertThat(first.value()).isEqualTo(random);
        assertThatThrownBy(() -> idem.execute("order-9", null, byte[].class, () -> {
            runs.incrementAndGet();
            return random;
        })).isInstanceOf(ResultNotStoredException.class).hasMessageContaining("was not stored");
        assertThat(runs).hasValue(1);
    }

    @Test
    void compressibleResultReplayedThroughIdem() {
        Idem idem = Idem.builder(store).namespace("large").build();
        String document = new String(compressibleJson(COMPRESSIBLE_BYTES), StandardCharsets.UTF_8);

        idem.execute("order-10", null, String.class, () -> document);
        Execution<String> replay = idem.execute("order-10", null, String.class, () -> "must not run");

        assertThat(replay.source()).isEqualTo(Source.REPLAYED);
        assertThat(replay.value()).isEqualTo(document);
    }

    @Test
    void capabilitiesLetLargeResultsThrough() {
        assertThat(store.capabilities().maxResultBytes()).isEqualTo(16 * 1024 * 1024);
    }

    private static CompleteResult complete(String key, byte[] result) {
        ClaimResult.Acquired holder = (ClaimResult.Acquired) store.claim(claim(key));
        return store.complete(new CompleteRequest(key, holder.fencingToken(), result, MINUTE));
    }

    private static ClaimRequest claim(String key) {
        return new ClaimRequest(key, null, MINUTE, MINUTE, "large-result-test");
    }

    private static Map<String, AttributeValue> rawItem(String key) {
        return TestDynamoDb.client().getItem(request -> request.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(key)))).item();
    }

    /** Returns JSON of repeated order lines, which GZIP shrinks well below the item limit. */
    private static byte[] compressibleJson(int size) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; json.length() < size - 64; i++) {
            json.append("{\"line\":").append(i).append(",\"sku\":\"SKU-").append(i % 97).append("\",\"qty\":1},");
        }
        json.setLength(json.length() - 1);
        json.append(']');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Arrays.copyOf(bytes, size);
    }
}
