package dev.idem.dynamodb;

import dev.idem.spi.IdempotencyStore;
import dev.idem.testkit.IdempotencyStoreModelProperties;

/** The model properties on the shared endpoint ({@code IDEM_TEST_DYNAMODB_ENDPOINT}, or dynalite). */
class DynamoDbStoreModelProperties extends IdempotencyStoreModelProperties {

    @Override
    protected IdempotencyStore createStore() {
        String table = TestDynamoDb.createTable("model", DynamoDbTableLayout.defaults());
        return DynamoDbIdempotencyStore.builder(TestDynamoDb.client()).tableName(table).build();
    }
}
