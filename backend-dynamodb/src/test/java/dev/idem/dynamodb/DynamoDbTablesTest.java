package dev.idem.dynamodb;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The table helper against dynalite, which has no UpdateTimeToLive. */
class DynamoDbTablesTest {

    @Test
    void createsOnDemandTable() {
        String name = uniqueName("tables-create");

        DynamoDbTables.TableSetupResult result = DynamoDbTables.createTable(TestDynamoDb.client(), name);
        TableDescription table = describe(name);

        assertThat(result.created()).isTrue();
        assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        assertThat(table.keySchema()).singleElement().satisfies(key -> {
            assertThat(key.attributeName()).isEqualTo("id");
            assertThat(key.keyType()).isEqualTo(KeyType.HASH);
        });
    }

    @Test
    void missingTtlApiReportedAsResult() {
        String name = uniqueName("tables-ttl");

        try (LogCapture log = LogCapture.of(DynamoDbTables.class)) {
            DynamoDbTables.TableSetupResult result = DynamoDbTables.createTable(TestDynamoDb.client(), name);

            assertThat(result.ttl()).isEqualTo(DynamoDbTables.TtlSetup.NOT_SUPPORTED);
            assertThat(result.message()).contains("does not support the TTL API (UnknownOperationException");
            assertThat(result.message()).contains("enable TTL on attribute ttl");
            assertThat(log.messages(Level.WARN)).singleElement().asString().contains("does not support the TTL API");
        }
    }

    @Test
    void existingTableKept() {
        String name = uniqueName("tables-existing");
        DynamoDbTables.createTable(TestDynamoDb.client(), name);

        DynamoDbTables.TableSetupResult again = DynamoDbTables.createTable(TestDynamoDb.client(), name);

        assertThat(again.created()).isFalse();
        assertThat(again.ttl()).isEqualTo(DynamoDbTables.TtlSetup.NOT_SUPPORTED);
    }

    @Test
    void sortKeyLayoutCreatesRangeKey() {
        String name = uniqueName("tables-sort-key");
        DynamoDbTableLayout layout = DynamoDbTableLayout.builder().partitionKey("PK").sortKey("SK", "IDEM").build();

        DynamoDbTables.createTable(TestDynamoDb.client(), name, layout);
        TableDescription table = describe(name);

        assertThat(table.keySchema()).hasSize(2);
        assertThat(table.keySchema().get(1).attributeName()).isEqualTo("SK");
        assertThat(table.keySchema().get(1).keyType()).isEqualTo(KeyType.RANGE);
    }

    @Test
    void mismatchedKeySchemaRejected() {
        String name = uniqueName("tables-mismatch");
        DynamoDbTables.createTable(TestDynamoDb.client(), name);
        DynamoDbTableLayout sortKeyLayout = DynamoDbTableLayout.builder().sortKey("SK", "IDEM").build();

        assertThatThrownBy(() -> DynamoDbTables.createTable(TestDynamoDb.client(), name, sortKeyLayout))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exists with partition key id and sort key none")
                .hasMessageContaining("expects partition key id and sort key SK");
    }

    private static TableDescription describe(String name) {
        return TestDynamoDb.client().describeTable(request -> request.tableName(name)).table();
    }

    private static String uniqueName(String purpose) {
        return "idem-" + purpose.toLowerCase(Locale.ROOT) + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }
}
