package dev.idem.dynamodb;

import dev.idem.spi.IdempotencyStore;
import dev.idem.testkit.IdempotencyStoreContract;

/**
 * The store contract on the shared endpoint ({@code IDEM_TEST_DYNAMODB_ENDPOINT}, or dynalite),
 * in the simple layout with every production default except the client.
 */
class DynamoDbStoreContractTest extends IdempotencyStoreContract {

    @Override
    protected IdempotencyStore createStore() {
        String table = TestDynamoDb.createTable("contract", DynamoDbTableLayout.defaults());
        return DynamoDbIdempotencyStore.builder(TestDynamoDb.client()).tableName(table).build();
    }
}
