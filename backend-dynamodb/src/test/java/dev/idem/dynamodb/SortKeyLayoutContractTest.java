package dev.idem.dynamodb;

import dev.idem.spi.IdempotencyStore;
import dev.idem.testkit.IdempotencyStoreContract;

/**
 * The store contract in the partition-plus-sort-key layout of a single-table design, with the
 * idempotency key in both key attributes and every attribute renamed.
 */
class SortKeyLayoutContractTest extends IdempotencyStoreContract {

    static final DynamoDbTableLayout LAYOUT = DynamoDbTableLayout.builder()
            .partitionKey("PK")
            .partitionKeyPrefix("IDEM#")
            .sortKeyWithKeyPrefix("SK", "RECORD#")
            .status("idemStatus")
            .fencingToken("idemToken")
            .leaseExpiresAt("idemLeaseEnd")
            .expiresAt("idemExpiresAt")
            .ttl("expireAfterSeconds")
            .fingerprint("idemFingerprint")
            .result("idemResult")
            .resultEncoding("idemResultEncoding")
            .createdAt("idemCreatedAt")
            .completedAt("idemCompletedAt")
            .owner("idemOwner")
            .build();

    @Override
    protected IdempotencyStore createStore() {
        String table = TestDynamoDb.createTable("sort-key-contract", LAYOUT);
        return DynamoDbIdempotencyStore.builder(TestDynamoDb.client()).tableName(table).layout(LAYOUT).build();
    }
}
